export { gitopsApiRef } from './GitOpsApi';
export type { GitOpsApi } from './GitOpsApi';
export { GitOpsClient, filterQuery } from './GitOpsClient';
export { RESOURCE_SORT_FIELDS } from './types';
export type {
  CommandRequest,
  ResourceFilter,
  ResourceListRequest,
  ResourceSort,
  ResourceSortField,
} from './types';
