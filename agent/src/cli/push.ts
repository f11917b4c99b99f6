import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import {
  ArgoProjectIndex,
  FluxSourceIndex,
  GITOPS_TOOLS,
  GitOpsResource,
  GitOpsTool,
  describeRawObject,
  normalizeObject,
  resourceKeyString,
} from '@shoehorn/plugin-gitops-common';
import { BackendClient } from '../backend/BackendClient';
import { toolCapabilities } from '../commands/capabilities';
import { CommandPoller } from '../commands/CommandPoller';
import { SimulatedCommands } from '../commands/SimulatedCommands';
import { ConfigError, parseAgentConfig } from '../config/AgentConfig';
import {
  InputFileError,
  loadObjectsFromFiles,
  resolveInputPath,
} from '../files';
import { createLogger } from '../logging/Logger';
import { CoalescingBuffer } from '../pipeline/CoalescingBuffer';
import { PushSender } from '../pipeline/PushSender';
import { AGENT_VERSION } from '../version';
import type { CommandOutput } from './normalize';

const USAGE = `Usage: gitops-agent push --files FILE... [--watch [--simulate-commands]] [--backend-url URL]
                         [--token TOKEN] [--tool argocd|fluxcd] [--timeout SECONDS] [--allow-http]

Pushes the GitOps objects in YAML/JSON files to the portal as a full snapshot, through the
same sender as the in-cluster agent (one session per tool found; no command capabilities).
With --watch it keeps running, sends changes of the files as deltas and a heartbeat,
until interrupted. With --simulate-commands (demo portals) it also reports the command
capabilities (Sync and Refresh; Suspend and Resume for FluxCD), polls for commands and runs
them on its in-memory objects: Sync marks the object Synced at its target revision, Suspend
and Resume set it suspended and back, and the change and the result reach the portal
through the real protocol. The backend URL and token default to GITOPS_BACKEND_URL and
GITOPS_AGENT_TOKEN (or GITOPS_AGENT_TOKEN_FILE). The backend URL must be https unless
--allow-http (or GITOPS_ALLOW_HTTP=true) is given.
`;

interface PushArgs {
  files: string[];
  watch: boolean;
  simulateCommands: boolean;
  allowHttp: boolean;
  backendUrl?: string;
  token?: string;
  tool?: GitOpsTool;
  timeoutMs: number;
}

function parseArgs(args: string[]): PushArgs | string {
  const parsed: PushArgs = {
    files: [],
    watch: false,
    simulateCommands: false,
    allowHttp: false,
    timeoutMs: 60_000,
  };
  let inFiles = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const value = () => {
      const v = args[++i];
      if (v === undefined) throw new Error(`${arg} needs a value`);
      return v;
    };
    try {
      if (arg === '--files') inFiles = true;
      else if (arg === '--watch') parsed.watch = true;
      else if (arg === '--simulate-commands') parsed.simulateCommands = true;
      else if (arg === '--allow-http') parsed.allowHttp = true;
      else if (arg === '--backend-url') parsed.backendUrl = value();
      else if (arg === '--token') parsed.token = value();
      else if (arg === '--timeout') parsed.timeoutMs = Number(value()) * 1000;
      else if (arg === '--tool') {
        const tool = value();
        if (!(GITOPS_TOOLS as readonly string[]).includes(tool))
          return `--tool must be one of ${GITOPS_TOOLS.join(', ')}`;
        parsed.tool = tool as GitOpsTool;
      } else if (arg.startsWith('-') && arg !== '-')
        return `unknown option ${arg}`;
      else if (inFiles) parsed.files.push(arg);
      else return `unexpected argument ${arg} (files go after --files)`;
    } catch (e) {
      return (e as Error).message;
    }
  }
  if (parsed.files.length === 0) return 'no input files (--files FILE...)';
  if (parsed.simulateCommands && !parsed.watch)
    return '--simulate-commands needs --watch (commands arrive while it runs)';
  if (!Number.isFinite(parsed.timeoutMs) || parsed.timeoutMs <= 0)
    return '--timeout must be a positive number of seconds';
  return parsed;
}

/** Reads and normalizes the files; returns the records grouped by tool. */
async function readRecords(
  files: string[],
  out: CommandOutput,
  only?: GitOpsTool,
) {
  const loaded = await loadObjectsFromFiles(files);
  const sources = FluxSourceIndex.fromObjects(loaded.map(l => l.object));
  const projects = ArgoProjectIndex.fromObjects(loaded.map(l => l.object));
  const byTool = new Map<GitOpsTool, Map<string, GitOpsResource>>();
  for (const tool of only ? [only] : []) byTool.set(tool, new Map());
  for (const { object, file, line } of loaded) {
    const result = normalizeObject(object, sources, projects);
    if (!result.ok) {
      out.stderr(
        `gitops-agent push: skipped ${describeRawObject(
          object,
        )} (${file}:${line}): ${result.reason}\n`,
      );
      continue;
    }
    const { resource } = result;
    if (only && resource.tool !== only) continue;
    if (!byTool.has(resource.tool)) byTool.set(resource.tool, new Map());
    byTool.get(resource.tool)!.set(resourceKeyString(resource), resource);
  }
  return byTool;
}

/** A session of one tool: its records, buffer and sender. */
class FileSession {
  readonly buffer: CoalescingBuffer;
  readonly sender: PushSender;
  constructor(
    readonly tool: GitOpsTool,
    public records: Map<string, GitOpsResource>,
    client: BackendClient,
    heartbeatIntervalMs: number,
    commands: boolean,
    log: ReturnType<typeof createLogger>,
  ) {
    this.buffer = new CoalescingBuffer(1_000_000, () => this.sender?.notify());
    this.sender = new PushSender(
      client,
      this.buffer,
      { snapshot: () => [...this.records.values()] },
      {
        version: AGENT_VERSION,
        session: randomUUID(),
        tool,
        capabilities: toolCapabilities(tool, commands),
      },
      {
        flushIntervalMs: 300,
        flushMaxObjects: 500,
        snapshotIntervalMs: 10 * 60_000,
        heartbeatIntervalMs,
        backoffMinMs: 1000,
        backoffMaxMs: 30_000,
      },
      () => true,
      log.child({ tool }),
    );
  }

  /** Feeds the difference to a new set of records into the buffer. */
  update(next: Map<string, GitOpsResource>): number {
    let changes = 0;
    for (const [key, record] of next) {
      const before = this.records.get(key);
      if (!before || JSON.stringify(before) !== JSON.stringify(record)) {
        this.buffer.upsert(record);
        changes++;
      }
    }
    for (const [key, record] of this.records) {
      if (!next.has(key)) {
        this.buffer.delete(record);
        changes++;
      }
    }
    this.records = next;
    return changes;
  }

  /** Replaces one record (a simulated command's outcome) and queues it. */
  set(record: GitOpsResource): void {
    this.records.set(resourceKeyString(record), record);
    this.buffer.upsert(record);
  }
}

/**
 * `gitops-agent push --files FILE... [--watch]`. Returns the exit code: 0 pushed, 1 the
 * backend refused or stayed unreachable until --timeout, 2 usage or configuration error.
 */
export async function runPush(
  args: string[],
  out: CommandOutput,
  options: { env?: NodeJS.ProcessEnv; signal?: AbortSignal } = {},
): Promise<number> {
  const env = options.env ?? process.env;
  if (args.includes('-h') || args.includes('--help')) {
    out.stdout(USAGE);
    return 0;
  }
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    out.stderr(`gitops-agent push: ${parsed}\n${USAGE}`);
    return 2;
  }
  let backendUrl: string;
  let token: string;
  try {
    const config = parseAgentConfig({
      GITOPS_BACKEND_URL: parsed.backendUrl ?? env.GITOPS_BACKEND_URL,
      GITOPS_ALLOW_HTTP: parsed.allowHttp ? 'true' : env.GITOPS_ALLOW_HTTP,
      GITOPS_AGENT_TOKEN: parsed.token ?? env.GITOPS_AGENT_TOKEN,
      GITOPS_AGENT_TOKEN_FILE: parsed.token
        ? undefined
        : env.GITOPS_AGENT_TOKEN_FILE,
      GITOPS_TOOL: parsed.tool ?? 'argocd',
    });
    backendUrl = config.backendUrl;
    token = config.agentToken;
  } catch (e) {
    if (e instanceof ConfigError) {
      out.stderr(
        `gitops-agent push: ${e.problems
          .join('; ')
          .replace(/GITOPS_BACKEND_URL/, '--backend-url / GITOPS_BACKEND_URL')
          .replace(/GITOPS_AGENT_TOKEN:/, '--token / GITOPS_AGENT_TOKEN:')}\n`,
      );
      return 2;
    }
    throw e;
  }

  let byTool;
  try {
    byTool = await readRecords(parsed.files, out, parsed.tool);
  } catch (e) {
    if (e instanceof InputFileError) {
      out.stderr(`gitops-agent push: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
  if (byTool.size === 0) {
    out.stderr(
      'gitops-agent push: no ArgoCD or FluxCD objects in the input files; nothing to push\n',
    );
    return 1;
  }

  const log = createLogger('warn', { component: 'gitops-agent-push' }, line =>
    out.stderr(line),
  );
  const client = new BackendClient(backendUrl, token);
  const sessions = [...byTool].map(
    ([tool, records]) =>
      new FileSession(
        tool,
        records,
        client,
        parsed.watch ? 30_000 : 600_000,
        parsed.simulateCommands,
        log,
      ),
  );
  for (const s of sessions) s.sender.start();
  const commands = parsed.simulateCommands
    ? simulatedCommandPoller(client, sessions, log)
    : undefined;

  // Wait for each session's first snapshot; a refused credential or payload ends at once.
  const deadline = Date.now() + parsed.timeoutMs;
  for (;;) {
    if (sessions.every(s => s.sender.lastSuccess !== undefined)) break;
    const fatal = sessions.find(
      s => s.sender.lastError && !s.sender.lastErrorRetryable,
    )?.sender.lastError;
    if (fatal || Date.now() > deadline || options.signal?.aborted) {
      for (const s of sessions) await s.sender.stop();
      out.stderr(
        `gitops-agent push: ${
          fatal ??
          sessions.map(s => s.sender.lastError).find(Boolean) ??
          'interrupted'
        }\n`,
      );
      return 1;
    }
    await new Promise(r => setTimeout(r, 50));
  }
  out.stdout(
    `pushed ${sessions
      .map(
        s =>
          `${s.records.size} ${s.tool} resource${
            s.records.size === 1 ? '' : 's'
          }`,
      )
      .join(', ')} to ${backendUrl}\n`,
  );
  if (!parsed.watch) {
    for (const s of sessions) await s.sender.stop();
    return 0;
  }

  commands?.start();
  out.stdout(
    `watching ${parsed.files.join(', ')} for changes${
      commands ? ', running commands on them (simulated)' : ''
    } (Ctrl-C to stop)\n`,
  );
  const reload = async () => {
    try {
      const next = await readRecords(parsed.files, out, parsed.tool);
      for (const s of sessions) {
        const changes = s.update(next.get(s.tool) ?? new Map());
        if (changes > 0)
          out.stdout(
            `${changes} ${s.tool} change${changes === 1 ? '' : 's'} queued\n`,
          );
      }
    } catch (e) {
      out.stderr(
        `gitops-agent push: ${
          (e as Error).message
        } (keeping the last good state)\n`,
      );
    }
  };
  let timer: NodeJS.Timeout | undefined;
  // Editors replace files on save: watch the paths by polling their stat, which survives that.
  const paths = parsed.files
    .filter(f => f !== '-')
    .map(f => resolveInputPath(f));
  const onChange = () => {
    clearTimeout(timer);
    timer = setTimeout(reload, 200);
  };
  for (const p of paths) fs.watchFile(p, { interval: 250 }, onChange);
  let stopWaiting = () => {};
  const stopped = new Promise<void>(resolve => {
    stopWaiting = resolve;
  });
  if (options.signal?.aborted) stopWaiting();
  options.signal?.addEventListener('abort', stopWaiting);
  process.once('SIGINT', stopWaiting);
  process.once('SIGTERM', stopWaiting);
  await stopped;
  process.off('SIGINT', stopWaiting);
  process.off('SIGTERM', stopWaiting);
  for (const p of paths) fs.unwatchFile(p, onChange);
  clearTimeout(timer);
  await commands?.stop();
  for (const s of sessions) await s.sender.stop();
  return 0;
}

/** One command poller for the cluster, running each command on the session of its tool. */
function simulatedCommandPoller(
  client: BackendClient,
  sessions: FileSession[],
  log: ReturnType<typeof createLogger>,
): CommandPoller {
  const sessionOf = (key: string) =>
    sessions.find(s => key.startsWith(`${s.tool}/`));
  const executor = new SimulatedCommands({
    get: key => sessionOf(key)?.records.get(key),
    set: record => sessionOf(resourceKeyString(record))?.set(record),
  });
  return new CommandPoller(
    client,
    executor,
    25,
    { minMs: 1000, maxMs: 30_000 },
    log.child({ stage: 'commands' }),
  );
}
