import type {
  AgentCommand,
  CommandResult,
} from '@shoehorn/plugin-gitops-common';
import { AgentError } from '../errors/AgentError';
import { CrossOriginRedirectError, fetchWithToken } from '../http/tokenFetch';
import { clip, CommandExecutor } from './CommandExecutor';

/** Where and how to reach the ArgoCD API server. */
export interface ArgoCdApiOptions {
  serverUrl: string;
  token: string;
  /** Namespace of the ArgoCD control plane; apps elsewhere are addressed with appNamespace. */
  controlPlaneNamespace: string;
  requestTimeoutMs?: number;
}

/** Sync and refresh of ArgoCD Applications through the ArgoCD API (bearer token). */
export class ArgoCdCommands implements CommandExecutor {
  private readonly server: string;

  constructor(private readonly options: ArgoCdApiOptions) {
    this.server = options.serverUrl.replace(/\/+$/, '');
  }

  async execute(command: AgentCommand): Promise<CommandResult> {
    try {
      return await this.run(command);
    } catch (e) {
      if (!(e instanceof AgentError)) throw e;
      return { status: 'failed', message: clip(e.message) };
    }
  }

  private async run(command: AgentCommand): Promise<CommandResult> {
    const { kind, namespace, name } = command.resource;
    if (kind !== 'Application') {
      return {
        status: 'failed',
        message: `ArgoCD commands apply to Applications, not ${kind}`,
      };
    }
    if (command.type === 'suspend' || command.type === 'resume') {
      // The portal never sends these (commandAvailability refuses them): there is nothing to run.
      return {
        status: 'failed',
        message: `an ArgoCD Application has no suspend, so ${command.type} of ${namespace}/${name} was not run`,
      };
    }
    const app = encodeURIComponent(name);
    if (command.type === 'sync') {
      const body: Record<string, string> = {};
      if (namespace !== this.options.controlPlaneNamespace)
        body.appNamespace = namespace;
      const json = await this.call(
        'POST',
        `/api/v1/applications/${app}/sync`,
        body,
      );
      const phase = json?.status?.operationState?.phase;
      return {
        status: 'succeeded',
        message: `ArgoCD accepted the sync of ${namespace}/${name}${
          phase ? ` (operation ${phase})` : ''
        }`,
      };
    }
    const mode = command.hard ? 'hard' : 'normal';
    const query = new URLSearchParams({
      refresh: mode,
      appNamespace: namespace,
    });
    const json = await this.call('GET', `/api/v1/applications/${app}?${query}`);
    const sync = json?.status?.sync?.status;
    const health = json?.status?.health?.status;
    return {
      status: 'succeeded',
      message: `ArgoCD ran a ${mode} refresh of ${namespace}/${name}${
        sync || health ? ` (${[sync, health].filter(Boolean).join(', ')})` : ''
      }`,
    };
  }

  /** The answer's JSON; a failure throws an AgentError in the words shown to the user. */
  private async call(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<any> {
    let res: Response;
    try {
      res = await fetchWithToken(`${this.server}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.options.token}`,
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 30_000),
      });
    } catch (e) {
      if (e instanceof CrossOriginRedirectError) {
        throw new AgentError(`ArgoCD API: ${e.message}`, {
          status: e.status,
          cause: e,
        });
      }
      const cause = (e as any)?.cause?.message ?? (e as Error).message;
      throw new AgentError(`ArgoCD API ${this.server} unreachable: ${cause}`, {
        cause: e,
      });
    }
    const text = await res.text().catch(() => '');
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (!res.ok) {
      // ArgoCD answers errors as {error, code, message}: pass its own words on.
      const said =
        json?.message ?? json?.error ?? (text.trim() || res.statusText);
      throw new AgentError(`ArgoCD API error (HTTP ${res.status}): ${said}`, {
        status: res.status,
      });
    }
    return json;
  }
}
