/*
 * A backend replica in a child process of its own (./replicaProcess.ts), so that what it
 * costs is measured apart from the load generators in the bench process: it has its own
 * event loop, and it reports its own CPU time and the signals it published over IPC.
 */
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import {
  benchClient,
  type BenchAgent,
  type BenchBackend,
  type startBenchBackend,
} from './backend';

/** What `startBenchBackend` takes that can cross a process boundary as JSON. */
export type ReplicaOptions = Omit<
  Parameters<typeof startBenchBackend>[0],
  'extraFeatures' | 'features' | 'clock' | 'replicaOf'
> & { replicaOf?: Pick<BenchBackend, 'runId' | 'agents'> };

/** What the replica has spent since it started. */
export interface ReplicaUsage {
  /** User and system CPU time of the replica's process, in microseconds. */
  cpuMicros: number;
  /** Resource change notices it published: every open browser receives each one. */
  resourceSignals: number;
}

type ReplicaCall =
  | { type: 'start'; options: ReplicaOptions }
  | { type: 'usage' }
  | { type: 'stop' };

export type ReplicaRequest = ReplicaCall & { id: number };

export interface ReplicaStarted {
  baseUrl: string;
  runId: string;
  userToken: string;
  agents: BenchAgent[];
}

export type ReplicaReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: string };

export type ReplicaProcess = Omit<BenchBackend, 'knex'> & {
  usage(): Promise<ReplicaUsage>;
};

/** Forks a replica and resolves once its backend serves requests. */
export async function forkReplica(
  options: ReplicaOptions,
): Promise<ReplicaProcess> {
  const child = fork(path.join(__dirname, 'replicaProcess.ts'), [], {
    execArgv: [
      '-r',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
    ],
    env: process.env,
    serialization: 'json',
  });
  const call = requester(child);
  let started: ReplicaStarted;
  try {
    started = (await call({ type: 'start', options })) as ReplicaStarted;
  } catch (error) {
    child.kill();
    throw error;
  }
  return {
    engine: options.engine,
    runId: started.runId,
    agents: started.agents,
    ...benchClient(started.baseUrl, started.userToken, started.agents),
    usage: async () => (await call({ type: 'usage' })) as ReplicaUsage,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise(r => child.once('exit', r));
      await call({ type: 'stop' });
      await exited;
    },
  };
}

/** Requests to the child, each answered by the reply with its id; its exit fails the rest. */
function requester(child: ChildProcess) {
  let nextId = 0;
  const pending = new Map<
    number,
    { resolve: (value: unknown) => void; reject: (error: Error) => void }
  >();
  child.on('message', (reply: ReplicaReply) => {
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    if (reply.ok) waiting?.resolve(reply.value);
    else waiting?.reject(new Error(`replica: ${reply.error}`));
  });
  child.on('exit', (code, signal) => {
    for (const waiting of pending.values())
      waiting.reject(new Error(`replica exited with ${code ?? signal}`));
    pending.clear();
  });
  return (request: ReplicaCall) =>
    new Promise<unknown>((resolve, reject) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        reject(new Error('replica has exited'));
        return;
      }
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ ...request, id });
    });
}
