import { createBackend } from '@backstage/backend-defaults';
import { rootHttpRouterWithJsonClientErrors } from './clientErrors';
import { portalPermissionPolicyModule } from './permissionPolicy';

const backend = createBackend();

// A request refused before routing (an oversized URL) gets a JSON error like any other
backend.add(rootHttpRouterWithJsonClientErrors);

backend.add(import('@backstage/plugin-app-backend'));

// Guest sign-in for local development (see app-config.yaml)
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));

// Allow-all only when the demo config says so; read-only otherwise (see permissionPolicy.ts).
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(portalPermissionPolicyModule);

// Live updates of the GitOps views; the events backend's database-backed bus carries
// signals to the browsers of every replica
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// GitOps notifications to owners and requesters (the bell in the sidebar)
backend.add(import('@backstage/plugin-notifications-backend'));

// Serves registered actions (the GitOps ones among them) to MCP clients at /api/mcp-actions/v1
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.add(import('@shoehorn/plugin-gitops-backend'));

backend.start();
