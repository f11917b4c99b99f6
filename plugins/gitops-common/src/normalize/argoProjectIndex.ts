import { SYNC_WINDOW_KINDS, type SyncWindow } from '../model';
import { globMatch } from '../syncWindows/glob';
import { at, isRecord, list, text } from './objectFields';
import type { ArgoProjectLookup, ArgoSyncTarget } from './types';
import { ARGO_APP_PROJECT_KIND, acceptsVersion } from './watchedKinds';

/** A sync window with what ArgoCD matches it against. */
interface ProjectWindow {
  window: SyncWindow;
  applications: string[];
  namespaces: string[];
  clusters: string[];
  /** Every list given must match (`andOperator`), instead of any one. */
  all: boolean;
}

const strings = (value: unknown) =>
  list(value).filter((v): v is string => typeof v === 'string');

/** A window as ArgoCD reads it, or null for one the wire schema cannot carry. */
function projectWindow(raw: unknown): ProjectWindow | null {
  const kind = at(raw, 'kind');
  const schedule = text(at(raw, 'schedule'));
  const duration = text(at(raw, 'duration'));
  if (
    !(SYNC_WINDOW_KINDS as readonly unknown[]).includes(kind) ||
    schedule === null ||
    schedule.length > 200 ||
    duration === null ||
    duration.length > 50
  ) {
    return null;
  }
  const zone = text(at(raw, 'timeZone'));
  return {
    window: {
      kind: kind as SyncWindow['kind'],
      schedule,
      duration,
      // ArgoCD reads a missing or unknown zone as UTC.
      timeZone: zone !== null && zone.length <= 100 ? zone : 'UTC',
      manualSync: at(raw, 'manualSync') === true,
    },
    applications: strings(at(raw, 'applications')),
    namespaces: strings(at(raw, 'namespaces')),
    clusters: strings(at(raw, 'clusters')),
    all: at(raw, 'andOperator') === true,
  };
}

/** ArgoCD's `SyncWindows.Matches`: a list that is empty takes no part; a window with none matches nothing. */
function matches(w: ProjectWindow, app: ArgoSyncTarget): boolean {
  const any = (patterns: string[], ...values: string[]) =>
    patterns.length
      ? patterns.some(p => values.some(v => v !== '' && globMatch(p, v)))
      : undefined;
  const checks = [
    any(w.applications, app.name),
    any(w.clusters, app.destinationName, app.server),
    w.namespaces.length
      ? w.namespaces.some(p => globMatch(p, app.namespace))
      : undefined,
  ].filter((c): c is boolean => c !== undefined);
  return w.all
    ? checks.length > 0 && checks.every(Boolean)
    : checks.some(Boolean);
}

/**
 * The sync windows of the AppProjects known to the agent, by project name (ArgoCD reads an
 * Application's project in its control-plane namespace). Built from raw objects, so a file
 * normalizes exactly as the cluster would.
 * @public
 */
export class ArgoProjectIndex implements ArgoProjectLookup {
  private readonly projects = new Map<string, ProjectWindow[]>();

  /** An index of the AppProjects among the given raw objects. */
  static fromObjects(objects: Iterable<unknown>): ArgoProjectIndex {
    const index = new ArgoProjectIndex();
    for (const obj of objects) index.add(obj);
    return index;
  }

  /** Number of AppProjects known. */
  get size(): number {
    return this.projects.size;
  }

  /** Records an AppProject's windows; returns whether the object was one. Never throws. */
  add(obj: unknown): boolean {
    try {
      const name = projectName(obj);
      if (name === null) return false;
      const windows = list(at(obj, 'spec', 'syncWindows'));
      this.projects.set(
        name,
        windows.flatMap(w => projectWindow(w) ?? []),
      );
      return true;
    } catch {
      return false;
    }
  }

  /** Forgets an AppProject (on a watch DELETE). */
  delete(name: string): void {
    this.projects.delete(name);
  }

  /** The windows of the named project that match the app; undefined for an unknown project. */
  syncWindowsFor(
    project: string,
    app: ArgoSyncTarget,
  ): SyncWindow[] | undefined {
    return this.projects
      .get(project)
      ?.filter(w => matches(w, app))
      .map(w => w.window);
  }
}

function projectName(obj: unknown): string | null {
  const apiVersion = at(obj, 'apiVersion');
  if (
    !isRecord(obj) ||
    at(obj, 'kind') !== ARGO_APP_PROJECT_KIND.kind ||
    typeof apiVersion !== 'string' ||
    !acceptsVersion(ARGO_APP_PROJECT_KIND, apiVersion)
  ) {
    return null;
  }
  return text(at(obj, 'metadata', 'name'));
}
