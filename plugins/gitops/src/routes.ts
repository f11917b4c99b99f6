import { createRouteRef } from '@backstage/core-plugin-api';

/** The GitOps fleet page. */
export const rootRouteRef = createRouteRef({ id: 'gitops' });
