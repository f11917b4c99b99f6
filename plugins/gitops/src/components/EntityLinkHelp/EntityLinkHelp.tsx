import { CodeSnippet, EmptyState } from '@backstage/core-components';
import { Box, Typography } from '@material-ui/core';
import { ENTITY_ANNOTATION } from '@shoehorn/plugin-gitops-common';

/** How to link GitOps resources to an entity that has none. */
export const EntityLinkHelp = ({ entityName }: { entityName: string }) => {
  const snippet = `metadata:
  annotations:
    ${ENTITY_ANNOTATION}: ${entityName}`;
  return (
    <EmptyState
      missing="field"
      title="No GitOps resources linked"
      description={`An ArgoCD Application or a Flux Kustomization, HelmRelease or GitRepository is linked to this entity when it carries the ${ENTITY_ANNOTATION} annotation, or when its name is ${entityName}. It can also be linked by hand on the GitOps page.`}
      action={
        <Box maxWidth={560}>
          <Typography variant="subtitle2">
            Add to the ArgoCD Application or Flux object:
          </Typography>
          <CodeSnippet language="yaml" text={snippet} showCopyCodeButton />
        </Box>
      }
    />
  );
};
