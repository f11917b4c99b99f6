import {
  createContext,
  ReactNode,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { useSignal } from '@backstage/plugin-signals-react';
import {
  CommandType,
  GITOPS_SIGNAL_CHANNEL,
  GitOpsCommandView,
  GitOpsSignal,
  isCommandFinal,
} from '@shoehorn/plugin-gitops-common';
import { gitopsApiRef } from '../api/GitOpsApi';
import { errorMessage } from '../lib/errors';

/** Polling interval for a running command where signals are not installed. */
export const COMMAND_POLL_MS = 3_000;

/** The latest command a user started on one resource, as this page knows it. */
export interface TrackedCommand {
  type: CommandType;
  /** Absent while the request is in flight, or when it was refused. */
  command?: GitOpsCommandView;
  /** Why the request was refused (permission, capability, network). */
  error?: string;
}

interface CommandTracker {
  commands: Record<string, TrackedCommand>;
  run(resourceId: string, type: CommandType): Promise<void>;
}

const CommandTrackerContext = createContext<CommandTracker | undefined>(
  undefined,
);

/**
 * Keeps the commands started from a view and follows each until it ends, so its
 * state survives paging and re-rendering of the row that started it.
 */
export function CommandTrackerProvider(props: { children: ReactNode }) {
  const api = useApi(gitopsApiRef);
  const { lastSignal, isSignalsAvailable } = useSignal<GitOpsSignal>(
    GITOPS_SIGNAL_CHANNEL,
  );
  const [commands, setCommands] = useState<Record<string, TrackedCommand>>({});
  const commandsRef = useRef(commands);
  commandsRef.current = commands;

  const refresh = useCallback(
    async (resourceId: string, commandId: string) => {
      try {
        const command = await api.getCommand(commandId);
        setCommands(all =>
          all[resourceId]?.command?.id === commandId
            ? { ...all, [resourceId]: { type: command.type, command } }
            : all,
        );
      } catch {
        // A failed status read leaves the last known state; the next tick retries.
      }
    },
    [api],
  );

  const run = useCallback(
    async (resourceId: string, type: CommandType) => {
      setCommands(all => ({ ...all, [resourceId]: { type } }));
      try {
        const command = await api.createCommand(resourceId, { type });
        setCommands(all => ({ ...all, [resourceId]: { type, command } }));
      } catch (error) {
        setCommands(all => ({
          ...all,
          [resourceId]: { type, error: errorMessage(error) },
        }));
      }
    },
    [api],
  );

  // A signal names the command whose status changed: read it again.
  useEffect(() => {
    if (lastSignal?.type !== 'command') {
      return;
    }
    const tracked = commandsRef.current[lastSignal.resourceId];
    if (tracked?.command?.id === lastSignal.commandId) {
      refresh(lastSignal.resourceId, lastSignal.commandId);
    }
  }, [lastSignal, refresh]);

  const running = JSON.stringify(
    Object.entries(commands)
      .filter(([, t]) => t.command && !isCommandFinal(t.command.status))
      .map(([resourceId, t]) => [resourceId, t.command!.id]),
  );

  // Without signals, poll each running command until it ends.
  useEffect(() => {
    const pending: Array<[string, string]> = JSON.parse(running);
    if (isSignalsAvailable || pending.length === 0) {
      return undefined;
    }
    const timer = setInterval(() => {
      for (const [resourceId, commandId] of pending) {
        refresh(resourceId, commandId);
      }
    }, COMMAND_POLL_MS);
    return () => clearInterval(timer);
  }, [isSignalsAvailable, running, refresh]);

  const value = useMemo(() => ({ commands, run }), [commands, run]);
  return (
    <CommandTrackerContext.Provider value={value}>
      {props.children}
    </CommandTrackerContext.Provider>
  );
}

/** The tracked command of one resource and a way to start another. */
export function useResourceCommand(resourceId: string) {
  const tracker = useContext(CommandTrackerContext);
  if (!tracker) {
    throw new Error(
      'useResourceCommand must be used inside CommandTrackerProvider',
    );
  }
  const { commands, run } = tracker;
  const start = useCallback(
    (type: CommandType) => run(resourceId, type),
    [run, resourceId],
  );
  return { tracked: commands[resourceId], start };
}
