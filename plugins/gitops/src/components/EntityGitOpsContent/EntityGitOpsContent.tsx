import {
  InfoCard,
  Progress,
  StructuredMetadataTable,
} from '@backstage/core-components';
import {
  Accordion,
  AccordionDetails,
  AccordionSummary,
  Box,
  Chip,
  Grid,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
} from '@material-ui/core';
import Alert from '@material-ui/lab/Alert';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import { useEntity } from '@backstage/plugin-catalog-react';
import { getCompoundEntityRef } from '@backstage/catalog-model';
import {
  TOOL_LABELS,
  type ClusterView,
  type GitOpsResourceView,
} from '@shoehorn/plugin-gitops-common';
import {
  useClusters,
  useEntityResources,
  useResourceDetail,
} from '../../hooks/queries';
import { CommandTrackerProvider } from '../../hooks/useCommands';
import {
  ClusterStateChip,
  HealthStatusLabel,
  SyncStatusLabel,
} from '../StatusLabels';
import { LastSync, RevisionLink, SourceLink } from '../ResourceFields';
import { EntityLinkHelp } from '../EntityLinkHelp';
import { DeliveryPanel } from '../DeliveryPanel';
import { EntityResourceTable } from '../EntityResourceTable';
import { RevisionSummary } from '../RevisionSummary';
import { CommandReasons } from '../ResourceActions';
import { exactTime } from '../../lib/time';
import { GitOpsErrorPanel } from '../GitOpsErrorPanel';

const HISTORY_ROWS = 10;
const COMMAND_ROWS = 5;

/** Status history and command results of one resource. */
const ResourceActivity = ({ resource }: { resource: GitOpsResourceView }) => {
  const { value, error } = useResourceDetail(resource.id);
  if (error && !value) {
    return <GitOpsErrorPanel error={error} />;
  }
  if (!value) {
    return <Progress />;
  }
  const history = value.detail.history.slice(0, HISTORY_ROWS);
  const commands = value.commands.slice(0, COMMAND_ROWS);
  return (
    <Grid container spacing={2}>
      <Grid item xs={12} md={7}>
        <Typography variant="subtitle2">Recent status changes</Typography>
        {history.length === 0 ? (
          <Typography variant="body2" color="textSecondary">
            No changes recorded yet.
          </Typography>
        ) : (
          <Table size="small" aria-label={`Status history of ${resource.name}`}>
            <TableHead>
              <TableRow>
                <TableCell>When</TableCell>
                <TableCell>Sync</TableCell>
                <TableCell>Health</TableCell>
                <TableCell>Revision</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {history.map(h => (
                <TableRow
                  key={`${h.at}-${h.syncStatus}-${h.healthStatus}-${h.revision}`}
                >
                  <TableCell>
                    <LastSync at={h.at} />
                  </TableCell>
                  <TableCell>
                    <SyncStatusLabel status={h.syncStatus} />
                  </TableCell>
                  <TableCell>
                    <HealthStatusLabel status={h.healthStatus} />
                  </TableCell>
                  <TableCell>
                    <RevisionLink
                      revision={h.revision}
                      sourceUrl={resource.source.url}
                    />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Grid>
      <Grid item xs={12} md={5}>
        <Typography variant="subtitle2">Recent commands</Typography>
        {commands.length === 0 ? (
          <Typography variant="body2" color="textSecondary">
            No Sync or Refresh requested yet.
          </Typography>
        ) : (
          <Table size="small" aria-label={`Commands of ${resource.name}`}>
            <TableBody>
              {commands.map(c => (
                <TableRow key={c.id}>
                  <TableCell title={exactTime(c.requestedAt)}>
                    <LastSync at={c.requestedAt} />
                  </TableCell>
                  <TableCell>
                    {c.type === 'sync' ? 'Sync' : 'Refresh'}
                  </TableCell>
                  <TableCell>
                    {c.status}
                    {c.message && (
                      <Typography
                        variant="caption"
                        display="block"
                        color="textSecondary"
                      >
                        {c.message}
                      </Typography>
                    )}
                  </TableCell>
                  <TableCell>{c.requestedBy}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </Grid>
    </Grid>
  );
};

/** The details of one linked resource, opened from its row (whose actions it does not repeat). */
const ResourcePanel = (props: {
  resource: GitOpsResourceView;
  cluster?: ClusterView;
}) => {
  const { resource: r, cluster } = props;
  return (
    <InfoCard
      title={r.name}
      subheader={`${r.kind} · ${TOOL_LABELS[r.tool] ?? r.tool} · ${
        r.cluster
      } / ${r.namespace}`}
    >
      <Box display="flex" alignItems="center" style={{ gap: 16 }} mb={2}>
        <SyncStatusLabel status={r.syncStatus} />
        <HealthStatusLabel status={r.healthStatus} />
        {r.suspended && <Chip size="small" label="suspended" />}
        <ClusterStateChip
          state={cluster?.state ?? r.clusterState}
          lastSeenAt={cluster?.lastSeenAt}
          lastRefusedPush={cluster?.lastRefusedPush}
        />
      </Box>
      {r.drift.detected && (
        <Box mb={2}>
          <Alert severity="warning" role="alert">
            <strong>Drift detected.</strong> {r.drift.reason}
          </Alert>
        </Box>
      )}
      <StructuredMetadataTable
        dense
        metadata={{
          Source: <SourceLink source={r.source} />,
          Revision: (
            <RevisionLink revision={r.revision} sourceUrl={r.source.url} />
          ),
          'Target revision': (
            <RevisionLink
              revision={r.targetRevision}
              sourceUrl={r.source.url}
            />
          ),
          'Last sync': <LastSync at={r.lastSyncedAt} />,
          'Auto-sync': r.autoSync ? 'on' : 'off',
          Message: r.message ?? '—',
        }}
      />
      <Box mt={2} mb={2}>
        <CommandReasons resource={r} cluster={cluster} />
      </Box>
      <ResourceActivity resource={r} />
    </InfoCard>
  );
};

const EntityResources = () => {
  const { entity } = useEntity();
  const ref = getCompoundEntityRef(entity);
  const { value, error } = useEntityResources(ref);
  const clusters = useClusters();
  if (error && !value) {
    return <GitOpsErrorPanel error={error} />;
  }
  if (!value) {
    return <Progress />;
  }
  if (value.items.length === 0) {
    return <EntityLinkHelp entityName={entity.metadata.name} />;
  }
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <InfoCard title="Revisions by cluster" noPadding>
          <RevisionSummary resources={value.items} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="GitOps resources" noPadding>
          <EntityResourceTable
            resources={value.items}
            clusters={clusters.byName}
            renderDetails={(resource, cluster) => (
              <ResourcePanel resource={resource} cluster={cluster} />
            )}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        {/* Unmounted while closed: its history and metrics are fetched when opened. */}
        <Accordion TransitionProps={{ unmountOnExit: true }}>
          <AccordionSummary
            expandIcon={<ExpandMoreIcon />}
            aria-controls="gitops-delivery"
            id="gitops-delivery-header"
          >
            <Typography variant="h6">Delivery</Typography>
          </AccordionSummary>
          <AccordionDetails id="gitops-delivery" style={{ display: 'block' }}>
            <DeliveryPanel entity={ref} />
          </AccordionDetails>
        </Accordion>
      </Grid>
    </Grid>
  );
};

/** The Operations tab of an entity page: its GitOps resources, live. */
export const EntityGitOpsContent = () => (
  <CommandTrackerProvider>
    <EntityResources />
  </CommandTrackerProvider>
);
