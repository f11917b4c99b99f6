import { Content, EmptyState, Header, Page } from '@backstage/core-components';

/** The fleet-wide GitOps page. */
export const GitOpsPage = () => (
  <Page themeId="tool">
    <Header title="GitOps" subtitle="ArgoCD and FluxCD resources across clusters" />
    <Content>
      <EmptyState
        missing="data"
        title="No GitOps resources yet"
        description="Install the gitops agent in a cluster to see its ArgoCD and FluxCD resources here."
      />
    </Content>
  </Page>
);
