import { CodeSnippet, EmptyState } from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';

const PORTAL_CONFIG = `# app-config.yaml of the portal: one credential per cluster
backend:
  auth:
    externalAccess:
      - type: static
        options: { token: \${GITOPS_AGENT_TOKEN_PROD}, subject: gitops-agent-prod }
        accessRestrictions: [{ plugin: gitops }]
gitops:
  agents:
    - { subject: gitops-agent-prod, tenant: default, cluster: prod }`;

const AGENT_VALUES = `# values.yaml of the agent chart (charts/), in the cluster
agent:
  gitops:
    tool: argocd            # or fluxcd
    argocd:
      namespace: argocd
      serverURL: https://argocd.example.com   # for Sync and Refresh
      # token: from a Secret (argocd account generate-token --account shoehorn)`;

/** Shown when no agent has reported any resource yet: how an admin installs one. */
export const AgentInstallEmptyState = () => (
  <EmptyState
    missing="data"
    title="No GitOps resources yet"
    description="Install the gitops agent in each cluster that runs ArgoCD or FluxCD. It watches Applications, Kustomizations, HelmReleases and GitRepositories and pushes them here; clusters need no inbound access."
    action={
      <Box maxWidth={720}>
        <Typography variant="subtitle2">
          1. Give the cluster's agent a credential in the portal
        </Typography>
        <CodeSnippet language="yaml" text={PORTAL_CONFIG} showCopyCodeButton />
        <Typography variant="subtitle2" style={{ marginTop: 16 }}>
          2. Install the agent chart with the portal URL and that token
        </Typography>
        <CodeSnippet language="yaml" text={AGENT_VALUES} showCopyCodeButton />
        <Typography variant="body2" style={{ marginTop: 16 }}>
          Without an ArgoCD token the agent watches read-only; Sync and Refresh
          need the token (FluxCD needs none).
        </Typography>
      </Box>
    }
  />
);
