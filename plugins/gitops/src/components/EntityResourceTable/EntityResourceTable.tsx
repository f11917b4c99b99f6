import { Fragment, useState } from 'react';
import {
  Box,
  IconButton,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableRow,
  Typography,
  makeStyles,
} from '@material-ui/core';
import ExpandMoreIcon from '@material-ui/icons/ExpandMore';
import ExpandLessIcon from '@material-ui/icons/ExpandLess';
import type {
  ClusterView,
  GitOpsResourceView,
} from '@shoehorn/plugin-gitops-common';
import {
  ClusterStateChip,
  StaleKindNotice,
  DriftIndicator,
  HealthStatusLabel,
  SyncStatusLabel,
} from '../StatusLabels';
import { LastSync, RevisionLink } from '../ResourceFields';
import { ResourceActions } from '../ResourceActions';
import { RootCauseBanner } from '../RootCause';

const COLUMNS = 8;

// Denser than the theme's small table, so 20 rows fit a 900 px high screen.
const useStyles = makeStyles({
  row: {
    '& > td': { paddingTop: 2, paddingBottom: 2 },
  },
});

/**
 * One row per linked resource (name and kind, cluster, sync, health, revision, last sync,
 * actions), so an entity with many resources reads on one screen; a row's details open
 * on demand below it.
 */
export const EntityResourceTable = (props: {
  resources: GitOpsResourceView[];
  clusters: Map<string, ClusterView>;
  renderDetails: (
    resource: GitOpsResourceView,
    cluster?: ClusterView,
  ) => JSX.Element;
}) => {
  const { resources, clusters, renderDetails } = props;
  const classes = useStyles();
  const [open, setOpen] = useState<Set<string>>(new Set());
  const toggle = (id: string) =>
    setOpen(current => {
      const next = new Set(current);
      if (!next.delete(id)) {
        next.add(id);
      }
      return next;
    });

  return (
    <Table size="small" aria-label="GitOps resources of this entity">
      <TableHead>
        <TableRow>
          <TableCell padding="checkbox" />
          <TableCell>Resource</TableCell>
          <TableCell>Cluster</TableCell>
          <TableCell>Sync</TableCell>
          <TableCell>Health</TableCell>
          <TableCell>Revision</TableCell>
          <TableCell>Last sync</TableCell>
          <TableCell>Actions</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {resources.map(r => {
          const cluster = clusters.get(r.cluster);
          const expanded = open.has(r.id);
          return (
            <Fragment key={r.id}>
              <TableRow className={classes.row}>
                <TableCell padding="checkbox">
                  <IconButton
                    size="small"
                    aria-label={`Details of ${r.name}`}
                    aria-expanded={expanded}
                    onClick={() => toggle(r.id)}
                  >
                    {expanded ? <ExpandLessIcon /> : <ExpandMoreIcon />}
                  </IconButton>
                </TableCell>
                <TableCell>
                  <Box display="flex" alignItems="baseline" style={{ gap: 8 }}>
                    <Typography variant="body2">{r.name}</Typography>
                    <Typography variant="caption" color="textSecondary">
                      {r.kind}
                    </Typography>
                  </Box>
                </TableCell>
                <TableCell>
                  <Box display="flex" alignItems="center" style={{ gap: 4 }}>
                    <Typography variant="body2">{r.cluster}</Typography>
                    <ClusterStateChip
                      state={cluster?.state ?? r.clusterState}
                      lastSeenAt={cluster?.lastSeenAt}
                      lastRefusedPush={cluster?.lastRefusedPush}
                    />
                  </Box>
                  <StaleKindNotice resource={r} />
                </TableCell>
                <TableCell>
                  <Box display="flex" alignItems="center" style={{ gap: 4 }}>
                    <SyncStatusLabel status={r.syncStatus} />
                    {r.drift.detected && <DriftIndicator drift={r.drift} />}
                  </Box>
                </TableCell>
                <TableCell>
                  <HealthStatusLabel status={r.healthStatus} />
                </TableCell>
                <TableCell>
                  <RevisionLink
                    revision={r.revision}
                    sourceUrl={r.source.url}
                  />
                </TableCell>
                <TableCell>
                  <LastSync at={r.lastSyncedAt} />
                </TableCell>
                <TableCell>
                  <ResourceActions resource={r} cluster={cluster} />
                </TableCell>
              </TableRow>
              {r.rootCause && (
                <TableRow>
                  <TableCell colSpan={COLUMNS}>
                    <RootCauseBanner cause={r.rootCause} />
                  </TableCell>
                </TableRow>
              )}
              {expanded && (
                <TableRow>
                  <TableCell colSpan={COLUMNS}>
                    <div data-resource-details={r.name}>
                      {renderDetails(r, cluster)}
                    </div>
                  </TableCell>
                </TableRow>
              )}
            </Fragment>
          );
        })}
      </TableBody>
    </Table>
  );
};
