import {
  resourceKeyString,
  type AgentCommand,
  type CommandResult,
} from '@shoehorn/plugin-gitops-common';
import { httpStatusOf } from '../errors/AgentError';
import type { Logger } from '../logging/Logger';
import type { AgentMetrics } from '../ops/AgentMetrics';
import { Backoff, sleep } from '../retry/backoff';
import { clip, CommandExecutor } from './CommandExecutor';

/** The command half of the agent protocol. */
export interface CommandChannel {
  pollCommands(
    waitSeconds: number,
    signal?: AbortSignal,
  ): Promise<AgentCommand[]>;
  reportResult(id: string, result: CommandResult): Promise<unknown>;
}

interface CommandRecord {
  result?: CommandResult;
  reported: boolean;
  forgetAt: number;
}

// Remember a finished command this long past its expiry, to answer redeliveries without re-running it.
const REMEMBER_MS = 60 * 60 * 1000;

/**
 * Long-polls the backend for commands, runs each at most once (a redelivered command id
 * is answered from memory, never re-executed) and reports the result, retrying the report.
 * Commands of one resource run one after the other, in the order delivered.
 */
export class CommandPoller {
  private readonly records = new Map<string, CommandRecord>();
  private readonly backoff: Backoff;
  private running = false;
  private enabled = true;
  private abort = new AbortController();
  private loop?: Promise<void>;
  private inFlight = new Set<Promise<void>>();
  /** The last command of each resource: the next one runs after it (Suspend, then Resume). */
  private readonly lanes = new Map<string, Promise<void>>();

  constructor(
    private readonly channel: CommandChannel,
    private readonly executor: CommandExecutor,
    private readonly waitSeconds: number,
    backoff: { minMs: number; maxMs: number },
    private readonly log: Logger,
    private readonly metrics?: AgentMetrics,
  ) {
    this.backoff = new Backoff(backoff.minMs, backoff.maxMs);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    await this.loop;
    await Promise.all([...this.inFlight]);
  }

  /** Pauses polling (not the leader) or resumes it. */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    if (!enabled) {
      this.abort.abort();
      this.abort = new AbortController();
    }
  }

  private async run(): Promise<void> {
    while (this.running) {
      if (!this.enabled) {
        await sleep(500, this.abort.signal);
        continue;
      }
      const signal = this.abort.signal;
      try {
        const commands = await this.channel.pollCommands(
          this.waitSeconds,
          signal,
        );
        this.backoff.reset();
        for (const command of commands) this.accept(command);
        this.forgetOld();
      } catch (e) {
        if (!this.running || signal.aborted) continue;
        const delay = this.backoff.next();
        this.log.warn('command poll failed', {
          error: (e as Error).message,
          retryInMs: delay,
        });
        await sleep(delay, this.abort.signal);
      }
    }
  }

  private accept(command: AgentCommand): void {
    const known = this.records.get(command.id);
    if (known) {
      // Redelivered (our result was lost or not yet sent): report again, never re-run.
      if (known.result && !known.reported)
        this.track(this.report(command, known));
      return;
    }
    const expires = Date.parse(command.expiresAt);
    const record: CommandRecord = {
      reported: false,
      forgetAt: (Number.isNaN(expires) ? Date.now() : expires) + REMEMBER_MS,
    };
    this.records.set(command.id, record);
    const lane = resourceKeyString(command.resource);
    const run = () => this.runCommand(command, record);
    const work = (this.lanes.get(lane) ?? Promise.resolve()).then(run, run);
    this.lanes.set(lane, work);
    work.finally(() => {
      if (this.lanes.get(lane) === work) this.lanes.delete(lane);
    });
    this.track(work);
  }

  private track(work: Promise<void>): void {
    this.inFlight.add(work);
    work.finally(() => this.inFlight.delete(work));
  }

  private async runCommand(
    command: AgentCommand,
    record: CommandRecord,
  ): Promise<void> {
    const { kind, namespace, name } = command.resource;
    const log = this.log.child({
      command: command.id,
      type: command.type,
      object: `${kind} ${namespace}/${name}`,
    });
    log.info('running command');
    let result: CommandResult;
    try {
      result = await this.executor.execute(command);
    } catch (e) {
      result = {
        status: 'failed',
        message: clip(`agent error: ${(e as Error).message}`),
      };
    }
    record.result = result;
    this.metrics?.commands.inc({ type: command.type, status: result.status });
    log.info('command finished', {
      status: result.status,
      message: result.message,
    });
    await this.report(command, record);
  }

  private async report(
    command: AgentCommand,
    record: CommandRecord,
  ): Promise<void> {
    const backoff = new Backoff(500, 10_000);
    for (let attempt = 0; attempt < 5 && this.running; attempt++) {
      try {
        await this.channel.reportResult(command.id, record.result!);
        record.reported = true;
        return;
      } catch (e) {
        const status = httpStatusOf(e);
        if (status === 404 || status === 403 || status === 409) {
          // The backend no longer wants this result (expired or not ours): stop trying.
          this.log.warn('command result refused', {
            command: command.id,
            error: (e as Error).message,
          });
          record.reported = true;
          return;
        }
        await sleep(backoff.next(), this.abort.signal);
      }
    }
    this.log.warn(
      'could not report a command result; will report it when redelivered',
      { command: command.id },
    );
  }

  private forgetOld(): void {
    const now = Date.now();
    for (const [id, record] of this.records) {
      if (record.reported && record.forgetAt < now) this.records.delete(id);
    }
  }
}
