import type {
  CommandType,
  ResourceFilter,
  ResourceSortField,
} from '@shoehorn/plugin-gitops-common';

export {
  RESOURCE_SORT_FIELDS,
  type ResourceFilter,
  type ResourceSortField,
} from '@shoehorn/plugin-gitops-common';

/** A sort field, prefixed with `-` for descending order. @public */
export type ResourceSort = ResourceSortField | `-${ResourceSortField}`;

/** @public */
export interface ResourceListRequest extends ResourceFilter {
  limit?: number;
  cursor?: string | null;
  sort?: ResourceSort;
}

/** @public */
export interface CommandRequest {
  type: CommandType;
  hard?: boolean;
}
