import { Box, Button, Tooltip, Typography } from '@material-ui/core';
import SyncIcon from '@material-ui/icons/Sync';
import RefreshIcon from '@material-ui/icons/Refresh';
import {
  ClusterView,
  CommandStatus,
  CommandType,
  GitOpsResourceView,
} from '@shoehorn/plugin-gitops-common';
import {
  isCommandFinished,
  TrackedCommand,
  useResourceCommand,
} from '../../hooks/useCommands';
import { commandUnavailableReason } from './commandAvailability';
import { useCommandPermission } from '../../hooks/useCommandPermission';

const TYPE_TEXT: Record<CommandType, string> = {
  sync: 'Sync',
  refresh: 'Refresh',
};
const STATUS_COLOURS: Partial<Record<CommandStatus, string>> = {
  succeeded: '#2e7d32',
  failed: '#c62828',
  expired: '#c62828',
};

/** Where a command stands, from the click until it ends. */
export const CommandState = ({ tracked }: { tracked?: TrackedCommand }) => {
  if (!tracked) {
    return null;
  }
  const name = TYPE_TEXT[tracked.type];
  if (tracked.error) {
    return (
      <Typography
        variant="caption"
        color="error"
        role="status"
        style={{ whiteSpace: 'normal', maxWidth: 240 }}
      >
        {name} refused: {tracked.error}
      </Typography>
    );
  }
  const command = tracked.command;
  if (!command) {
    return (
      <Typography variant="caption" role="status">
        {name}: requesting…
      </Typography>
    );
  }
  const finished = isCommandFinished(command);
  const colour = STATUS_COLOURS[command.status];
  return (
    <Tooltip title={command.message ?? ''}>
      <Typography
        variant="caption"
        role="status"
        style={{ color: colour, whiteSpace: 'normal', maxWidth: 240 }}
        data-command-status={command.status}
      >
        {name} {command.status}
        {finished ? '' : '…'}
        {finished && command.message ? `: ${command.message}` : ''}
      </Typography>
    </Tooltip>
  );
};

/**
 * Sync and Refresh for one resource: shown to users allowed to queue commands,
 * disabled with the reason when the cluster's agent cannot run them.
 */
export const ResourceActions = (props: {
  resource: GitOpsResourceView;
  cluster?: ClusterView;
  /** Show the reasons as text under the buttons, not only on hover. */
  explain?: boolean;
}) => {
  const { resource, cluster, explain } = props;
  const { allowed, loading } = useCommandPermission(resource.link.entityRef);
  const { tracked, start } = useResourceCommand(resource.id);

  if (loading || !allowed) {
    return null;
  }

  const running =
    tracked !== undefined &&
    !tracked.error &&
    (!tracked.command || !isCommandFinished(tracked.command));

  const reasons = (['sync', 'refresh'] as const).map(type => ({
    type,
    reason: commandUnavailableReason(type, resource, cluster),
  }));
  const distinctReasons = [
    ...new Set(reasons.map(r => r.reason).filter(Boolean)),
  ];

  return (
    <Box display="flex" flexDirection="column" alignItems="flex-start">
      <Box display="flex" style={{ gap: 4 }}>
        {reasons.map(({ type, reason }) => {
          const button = (
            <Button
              size="small"
              variant="outlined"
              startIcon={type === 'sync' ? <SyncIcon /> : <RefreshIcon />}
              disabled={reason !== null || running}
              onClick={() => start(type)}
              aria-label={`${TYPE_TEXT[type]} ${resource.name}`}
            >
              {TYPE_TEXT[type]}
            </Button>
          );
          return reason ? (
            <Tooltip key={type} title={reason}>
              {/* A disabled button gets no hover events; the span carries the tooltip. */}
              <span data-testid={`${type}-unavailable`} aria-label={reason}>
                {button}
              </span>
            </Tooltip>
          ) : (
            <span key={type}>{button}</span>
          );
        })}
      </Box>
      {explain &&
        distinctReasons.map(reason => (
          <Typography key={reason} variant="caption" color="textSecondary">
            {reason}
          </Typography>
        ))}
      <CommandState tracked={tracked} />
    </Box>
  );
};
