import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import { Chip, Tooltip, Typography } from '@material-ui/core';
import WarningIcon from '@material-ui/icons/Warning';
import {
  HEALTH_STATUS_LABELS,
  SYNC_STATUS_LABELS,
  type ClusterState,
  type ClusterView,
  type GitOpsResourceView,
  type HealthStatus,
  type SyncStatus,
} from '@shoehorn/plugin-gitops-common';
import { exactTime } from '../../lib/time';

/** Sync status, coloured. */
export const SyncStatusLabel = ({ status }: { status: SyncStatus }) => {
  const text = SYNC_STATUS_LABELS[status] ?? status;
  switch (status) {
    case 'Synced':
      return <StatusOK>{text}</StatusOK>;
    case 'OutOfSync':
      return <StatusWarning>{text}</StatusWarning>;
    default:
      return <StatusAborted>{text}</StatusAborted>;
  }
};

/** Health status, coloured. */
export const HealthStatusLabel = ({ status }: { status: HealthStatus }) => {
  const text = HEALTH_STATUS_LABELS[status] ?? status;
  switch (status) {
    case 'Healthy':
      return <StatusOK>{text}</StatusOK>;
    case 'Progressing':
      return <StatusRunning>{text}</StatusRunning>;
    case 'Degraded':
      return <StatusError>{text}</StatusError>;
    case 'Missing':
      return <StatusWarning>{text}</StatusWarning>;
    default:
      return <StatusAborted>{text}</StatusAborted>;
  }
};

/**
 * Marks a cluster whose agent has gone quiet, or whose pushes the backend refuses;
 * nothing for a connected one.
 */
export const ClusterStateChip = ({
  state,
  lastSeenAt,
  lastRefusedPush,
}: {
  state: ClusterState;
  lastSeenAt?: string;
  lastRefusedPush?: ClusterView['lastRefusedPush'];
}) => {
  if (lastRefusedPush) {
    return (
      <Tooltip
        title={`The portal refused this cluster's last push (HTTP ${
          lastRefusedPush.status
        }, ${exactTime(lastRefusedPush.at)}): ${
          lastRefusedPush.message
        }. The data shown is from its last accepted push.`}
      >
        <Chip
          size="small"
          label="failing"
          color="secondary"
          aria-label="cluster failing"
        />
      </Tooltip>
    );
  }
  if (state === 'connected') {
    return null;
  }
  const seen = lastSeenAt ? ` Last heard from ${exactTime(lastSeenAt)}.` : '';
  const explanation =
    state === 'stale'
      ? `No heartbeat from this cluster's agent for over 5 minutes; data may be out of date.${seen}`
      : `No heartbeat from this cluster's agent for over 15 minutes; the data shown is the last it sent.${seen}`;
  return (
    <Tooltip title={explanation}>
      <Chip
        size="small"
        label={state}
        color={state === 'disconnected' ? 'secondary' : 'default'}
        variant="outlined"
        aria-label={`cluster ${state}`}
      />
    </Tooltip>
  );
};

/**
 * Says a resource may be out of date because its agent reports it cannot watch its kind,
 * though its heartbeats are fresh; nothing otherwise.
 */
export const StaleKindNotice = ({
  resource,
}: {
  resource: Pick<GitOpsResourceView, 'kind' | 'stale'>;
}) =>
  resource.stale ? (
    <Typography variant="caption" color="error" display="block">
      data may be out of date: the agent cannot watch {resource.kind}
    </Typography>
  ) : null;

/** A warning marker with the drift reason on hover; nothing when there is no drift. */
export const DriftIndicator = ({
  drift,
}: {
  drift: { detected: boolean; reason: string | null };
}) => {
  if (!drift.detected) {
    return (
      <Typography variant="body2" color="textSecondary">
        —
      </Typography>
    );
  }
  return (
    <Tooltip title={drift.reason ?? 'Drift detected'}>
      <Chip
        size="small"
        icon={<WarningIcon />}
        label="Drift"
        aria-label={`Drift: ${drift.reason ?? ''}`}
        style={{ color: '#b36b00', borderColor: '#b36b00' }}
        variant="outlined"
      />
    </Tooltip>
  );
};
