import type { KubernetesObject } from '@kubernetes/client-node';
import type { InformedKind, WatchedKind } from '@shoehorn/plugin-gitops-common';
import type { ResourceInformer } from './ResourceInformer';

/** Where an informer is in its life. */
export type InformerState =
  | 'starting'
  | 'synced'
  /** The cluster serves no version of the kind this agent reads (or has no CRD for it). */
  | 'missing'
  /** An optional kind the agent may not read (403): it works on without it. */
  | 'forbidden'
  | 'failing'
  | 'stopped';

/** Receives the informer's view of the cluster. */
export interface InformerHandlers<K extends InformedKind = WatchedKind> {
  /** An object was added or changed (or re-listed with a new resourceVersion). */
  upsert(kind: K, obj: KubernetesObject): void;
  /** An object is gone (watch DELETED, or missing from a relist). */
  remove(kind: K, namespace: string, name: string): void;
  /** The informer finished a list; its view equals the cluster's at that point. */
  synced?(informer: ResourceInformer<K>): void;
  /** Its state changed (e.g. it started failing, or found its CRD missing). */
  stateChanged?(informer: ResourceInformer<K>): void;
}

/** Tunables of an informer. */
export interface InformerOptions {
  backoffMinMs: number;
  backoffMaxMs: number;
  /** Restart a watch that has shown no sign of life for this long. */
  watchdogMs: number;
  /** How often to look again for a CRD that is not installed or serves no version it reads. */
  crdRetryMs: number;
  /** A kind the agent works without: a 403 makes it `forbidden`, looked at again like a missing CRD. */
  optional?: boolean;
}
