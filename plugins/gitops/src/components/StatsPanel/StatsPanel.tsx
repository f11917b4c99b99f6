import { InfoCard } from '@backstage/core-components';
import { Box, Grid, makeStyles, Tooltip, Typography } from '@material-ui/core';
import {
  GitOpsStats,
  SYNC_STATUS_LABELS,
  SYNC_STATUSES,
  SyncStatus,
} from '@shoehorn/plugin-gitops-common';

const useStyles = makeStyles(theme => ({
  figure: { fontSize: theme.typography.h4.fontSize, fontWeight: 600 },
  bar: {
    display: 'flex',
    height: theme.spacing(2),
    borderRadius: theme.shape.borderRadius,
    overflow: 'hidden',
    background: theme.palette.action.hover,
  },
  segment: { height: '100%', cursor: 'pointer', border: 0, padding: 0 },
  legend: {
    display: 'flex',
    gap: theme.spacing(2),
    flexWrap: 'wrap',
    marginTop: theme.spacing(1),
  },
  swatch: {
    display: 'inline-block',
    width: 10,
    height: 10,
    borderRadius: 2,
    marginRight: theme.spacing(0.5),
  },
}));

/** Colours of the sync states, shared by the bar and its legend. */
export const SYNC_COLOURS: Record<SyncStatus, string> = {
  Synced: '#2e7d32',
  OutOfSync: '#ef6c00',
  Unknown: '#9e9e9e',
};

/** A stacked bar of resources per sync status; a segment click filters by it. */
export const SyncStatusBar = (props: {
  stats: GitOpsStats;
  onSelect?: (status: SyncStatus) => void;
}) => {
  const classes = useStyles();
  const { stats, onSelect } = props;
  const total = stats.total || 1;
  return (
    <Box>
      <div
        className={classes.bar}
        role="img"
        aria-label={`Sync status breakdown: ${SYNC_STATUSES.map(
          s => `${SYNC_STATUS_LABELS[s]} ${stats.bySyncStatus[s] ?? 0}`,
        ).join(', ')}`}
      >
        {SYNC_STATUSES.filter(s => (stats.bySyncStatus[s] ?? 0) > 0).map(s => (
          <Tooltip
            key={s}
            title={`${SYNC_STATUS_LABELS[s]}: ${stats.bySyncStatus[s]}`}
          >
            <button
              type="button"
              className={classes.segment}
              aria-label={`Show ${SYNC_STATUS_LABELS[s]} resources`}
              onClick={() => onSelect?.(s)}
              style={{
                width: `${((stats.bySyncStatus[s] ?? 0) / total) * 100}%`,
                background: SYNC_COLOURS[s],
              }}
            />
          </Tooltip>
        ))}
      </div>
      <div className={classes.legend}>
        {SYNC_STATUSES.map(s => {
          const count = stats.bySyncStatus[s] ?? 0;
          return (
            <Typography key={s} variant="body2" component="span">
              <span
                className={classes.swatch}
                style={{ background: SYNC_COLOURS[s] }}
              />
              {SYNC_STATUS_LABELS[s]} {count} (
              {Math.round((count / total) * 100)}%)
            </Typography>
          );
        })}
      </div>
    </Box>
  );
};

const FIGURES: Array<{ key: keyof GitOpsStats; label: string; hint: string }> =
  [
    { key: 'total', label: 'Total', hint: 'GitOps resources in every cluster' },
    { key: 'synced', label: 'Synced', hint: 'Live state matches Git' },
    {
      key: 'outOfSync',
      label: 'Out of Sync',
      hint: 'Live state differs from Git',
    },
    { key: 'failed', label: 'Failed', hint: 'Health is Degraded' },
    {
      key: 'suspended',
      label: 'Suspended',
      hint: 'Reconciliation is suspended',
    },
  ];

/** Fleet totals and the sync-status breakdown. */
export const StatsPanel = (props: {
  stats: GitOpsStats;
  onSelectSyncStatus?: (status: SyncStatus) => void;
}) => {
  const classes = useStyles();
  const { stats } = props;
  return (
    <InfoCard title="Fleet status" noPadding={false}>
      <Grid container spacing={2} aria-label="GitOps totals" role="list">
        {FIGURES.map(f => (
          <Grid
            item
            xs={6}
            sm={4}
            md
            key={f.key}
            role="listitem"
            aria-label={f.label}
          >
            <Tooltip title={f.hint}>
              <Box>
                <Typography variant="overline" color="textSecondary">
                  {f.label}
                </Typography>
                <Typography
                  className={classes.figure}
                  data-testid={`stat-${f.key}`}
                >
                  {String(stats[f.key])}
                </Typography>
              </Box>
            </Tooltip>
          </Grid>
        ))}
      </Grid>
      <Box mt={2}>
        <SyncStatusBar stats={stats} onSelect={props.onSelectSyncStatus} />
      </Box>
    </InfoCard>
  );
};
