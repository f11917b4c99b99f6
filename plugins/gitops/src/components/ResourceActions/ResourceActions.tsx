import {
  Box,
  Button,
  Theme,
  Tooltip,
  Typography,
  useTheme,
} from '@material-ui/core';
import SyncIcon from '@material-ui/icons/Sync';
import RefreshIcon from '@material-ui/icons/Refresh';
import PauseIcon from '@material-ui/icons/Pause';
import PlayArrowIcon from '@material-ui/icons/PlayArrow';
import {
  COMMAND_TYPE_LABELS,
  commandAvailability,
  isCommandFinal,
  offeredCommands,
  type ClusterView,
  type CommandLinkPolicy,
  type CommandStatus,
  type CommandType,
  type GitOpsResourceView,
} from '@shoehorn/plugin-gitops-common';
import { TrackedCommand, useResourceCommand } from '../../hooks/useCommands';
import { useCommandPermission } from '../../hooks/useCommandPermission';
import { useCommandLinkPolicy } from '../../hooks/useCommandLinkPolicy';

/** The theme colour of an ended command's status; none while it runs. */
function statusColour(theme: Theme, status: CommandStatus): string | undefined {
  if (status === 'succeeded') {
    return theme.palette.success.main;
  }
  return isCommandFinal(status) ? theme.palette.error.main : undefined;
}

/** Where a command stands, from the click until it ends. */
export const CommandState = ({ tracked }: { tracked?: TrackedCommand }) => {
  const theme = useTheme();
  if (!tracked) {
    return null;
  }
  const name = COMMAND_TYPE_LABELS[tracked.type];
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
  const finished = isCommandFinal(command.status);
  const colour = statusColour(theme, command.status);
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

const COMMAND_ICONS: Record<CommandType, JSX.Element> = {
  sync: <SyncIcon />,
  refresh: <RefreshIcon />,
  suspend: <PauseIcon />,
  resume: <PlayArrowIcon />,
};

/** The commands offered on a resource, each with why it cannot run (null where it can). */
function commandReasons(
  resource: GitOpsResourceView,
  cluster: ClusterView | undefined,
  linkPolicy: CommandLinkPolicy,
) {
  return offeredCommands(resource, cluster).map(type => ({
    type,
    reason: commandAvailability(type, resource, cluster, linkPolicy).reason,
  }));
}

function distinct(reasons: Array<{ reason: string | null }>): string[] {
  return [
    ...new Set(
      reasons.map(r => r.reason).filter((r): r is string => r !== null),
    ),
  ];
}

/**
 * Why the commands of a resource are unavailable, as text: for a details view whose row
 * carries the buttons (and the same reasons on hover). Nothing for users without the permission.
 */
export const CommandReasons = (props: {
  resource: GitOpsResourceView;
  cluster?: ClusterView;
}) => {
  const { resource, cluster } = props;
  const { allowed, loading } = useCommandPermission(resource.link);
  const linkPolicy = useCommandLinkPolicy();
  if (loading || !allowed) {
    return null;
  }
  return (
    <>
      {distinct(commandReasons(resource, cluster, linkPolicy)).map(reason => (
        <Typography
          key={reason}
          variant="body2"
          color="textSecondary"
          component="span"
          display="block"
        >
          {reason}
        </Typography>
      ))}
    </>
  );
};

/**
 * Sync and Refresh, and Suspend or Resume of a Flux object, for one resource: shown to users
 * allowed to queue commands, disabled with the reason when the cluster's agent cannot run them.
 */
export const ResourceActions = (props: {
  resource: GitOpsResourceView;
  cluster?: ClusterView;
  /** Show the reasons as text under the buttons, not only on hover. */
  explain?: boolean;
}) => {
  const { resource, cluster, explain } = props;
  const { allowed, loading } = useCommandPermission(resource.link);
  const { tracked, start } = useResourceCommand(resource.id);
  const linkPolicy = useCommandLinkPolicy();

  if (loading || !allowed) {
    return null;
  }

  const running =
    tracked !== undefined &&
    !tracked.error &&
    (!tracked.command || !isCommandFinal(tracked.command.status));

  const reasons = commandReasons(resource, cluster, linkPolicy);
  const distinctReasons = distinct(reasons);

  return (
    <Box display="flex" flexDirection="column" alignItems="flex-start">
      <Box display="flex" style={{ gap: 4 }}>
        {reasons.map(({ type, reason }) => {
          const button = (
            <Button
              size="small"
              variant="outlined"
              startIcon={COMMAND_ICONS[type]}
              disabled={reason !== null || running}
              onClick={() => start(type)}
              aria-label={`${COMMAND_TYPE_LABELS[type]} ${resource.name}`}
            >
              {COMMAND_TYPE_LABELS[type]}
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
