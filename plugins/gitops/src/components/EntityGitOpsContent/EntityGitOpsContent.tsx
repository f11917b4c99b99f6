import { Content, EmptyState } from '@backstage/core-components';

/** The Operations tab of an entity page. */
export const EntityGitOpsContent = () => (
  <Content>
    <EmptyState
      missing="data"
      title="No GitOps resources linked"
      description="Annotate an ArgoCD Application or Flux resource with shoehorn.dev/entity: <name> to link it."
    />
  </Content>
);
