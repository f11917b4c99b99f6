/*
 * The child side of `forkReplica` (./replica.ts): one backend replica, started from the
 * options the parent sends, answering the parent's requests over IPC.
 */
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  signalsServiceRef,
  type SignalPayload,
} from '@backstage/plugin-signals-node';
import { startBenchBackend, type BenchBackend } from './backend';
import type {
  ReplicaReply,
  ReplicaRequest,
  ReplicaStarted,
  ReplicaUsage,
} from './replica';

let resourceSignals = 0;

/** Counts the change notices every open browser would receive (they are broadcasts). */
const signalCounter = createServiceFactory({
  service: signalsServiceRef,
  deps: {},
  factory: () => ({
    publish: async (signal: SignalPayload) => {
      if ((signal.message as { type?: string }).type === 'resources')
        resourceSignals++;
    },
  }),
});

let backend: BenchBackend | undefined;

async function handle(request: ReplicaRequest): Promise<unknown> {
  switch (request.type) {
    case 'start': {
      backend = await startBenchBackend({
        ...request.options,
        features: [signalCounter],
      });
      const started: ReplicaStarted = {
        baseUrl: backend.baseUrl,
        runId: backend.runId,
        userToken: backend.userToken,
        agents: backend.agents,
      };
      return started;
    }
    case 'usage': {
      const cpu = process.cpuUsage();
      const usage: ReplicaUsage = {
        cpuMicros: cpu.user + cpu.system,
        resourceSignals,
      };
      return usage;
    }
    case 'stop':
      await backend?.stop();
      backend = undefined;
      return null;
    default:
      throw new Error(`unknown request ${JSON.stringify(request)}`);
  }
}

process.on('message', (request: ReplicaRequest) => {
  handle(request).then(
    value => reply({ id: request.id, ok: true, value }, request.type),
    error =>
      reply(
        { id: request.id, ok: false, error: String(error?.stack ?? error) },
        request.type,
      ),
  );
});

function reply(message: ReplicaReply, type: ReplicaRequest['type']) {
  process.send!(message, () => {
    if (type === 'stop') process.exit(0);
  });
}

// A parent that is gone cannot stop this replica: stop it here, so no port or pool is left.
process.on('disconnect', () => {
  void (backend?.stop() ?? Promise.resolve()).finally(() => process.exit(0));
});
