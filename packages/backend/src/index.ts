import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));

// Guest sign-in for local development (see app-config.yaml)
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));

// The allow-all policy is for development only; production installs bring their own policy.
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);

// Live updates of the GitOps views
backend.add(import('@backstage/plugin-signals-backend'));

backend.add(import('@shoehorn/plugin-gitops-backend'));

backend.start();
