import { InfoCard, Progress } from '@backstage/core-components';
import {
  List,
  ListItem,
  ListItemText,
  Typography,
  Box,
} from '@material-ui/core';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  clusterAgentOf,
  ENTITY_ANNOTATION,
} from '@shoehorn/plugin-gitops-common';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import { useClusters, useEntityResources } from '../../hooks/queries';
import { CommandTrackerProvider } from '../../hooks/useCommands';
import {
  ClusterStateChip,
  DriftIndicator,
  HealthStatusLabel,
  SyncStatusLabel,
} from '../StatusLabels';
import { LastSync, RevisionLink } from '../ResourceFields';
import { ResourceActions } from '../ResourceActions';
import { GitOpsErrorPanel } from '../GitOpsErrorPanel';

const CardBody = () => {
  const { entity } = useEntity();
  const { value, error } = useEntityResources(getCompoundEntityRef(entity));
  const clusters = useClusters();
  if (error && !value) {
    return <GitOpsErrorPanel error={error} />;
  }
  if (!value) {
    return <Progress />;
  }
  if (value.items.length === 0) {
    return (
      <Typography variant="body2">
        No GitOps resources are linked. Annotate the ArgoCD Application or Flux
        object with{' '}
        <code>{`${ENTITY_ANNOTATION}: ${entity.metadata.name}`}</code>.
      </Typography>
    );
  }
  return (
    <List dense disablePadding>
      {value.items.map(r => (
        <ListItem key={r.id} divider disableGutters>
          <ListItemText
            primary={
              <Box
                display="flex"
                alignItems="center"
                style={{ gap: 12 }}
                flexWrap="wrap"
              >
                <strong>{r.name}</strong>
                <Typography variant="caption" color="textSecondary">
                  {r.cluster} / {r.namespace}
                </Typography>
                <ClusterStateChip
                  state={
                    clusterAgentOf(clusters.byName.get(r.cluster), r.tool)
                      ?.state ?? r.clusterState
                  }
                  lastRefusedPush={
                    clusters.byName.get(r.cluster)?.lastRefusedPush
                  }
                />
                <SyncStatusLabel status={r.syncStatus} />
                <HealthStatusLabel status={r.healthStatus} />
                <DriftIndicator drift={r.drift} />
              </Box>
            }
            secondary={
              <Box
                component="span"
                display="flex"
                alignItems="center"
                style={{ gap: 12 }}
              >
                <RevisionLink revision={r.revision} sourceUrl={r.source.url} />
                <LastSync at={r.lastSyncedAt} />
              </Box>
            }
            secondaryTypographyProps={{ component: 'div' } as any}
          />
          <ResourceActions
            resource={r}
            cluster={clusters.byName.get(r.cluster)}
          />
        </ListItem>
      ))}
    </List>
  );
};

/** A compact GitOps summary for an entity's overview page. */
export const EntityGitOpsCard = () => (
  <InfoCard title="GitOps">
    <CommandTrackerProvider>
      <CardBody />
    </CommandTrackerProvider>
  </InfoCard>
);
