import type { InformedKind } from '@shoehorn/plugin-gitops-common';
import type { Logger } from '../logging/Logger';
import type { AgentMetrics } from '../ops/AgentMetrics';
import type { InformerHandlers } from './informerTypes';
import type { ListWatch } from './ListWatch';

/** Hands a ListWatch's objects to the informer's handlers, and counts and logs its watch events. */
export function forwardEvents<K extends InformedKind>(
  listWatch: ListWatch,
  kind: K,
  handlers: InformerHandlers<K>,
  log: Logger,
  metrics: AgentMetrics | undefined,
  labels: { kind: string; namespace: string },
): void {
  listWatch
    .on('add', obj => handlers.upsert(kind, obj))
    .on('update', obj => handlers.upsert(kind, obj))
    .on('delete', obj => {
      const { namespace = '', name = '' } = obj.metadata ?? {};
      handlers.remove(kind, namespace, name);
    })
    .on('expired', () => {
      metrics?.informerRestarts.inc({ ...labels, reason: 'gone' });
      log.info('watch expired (410 Gone); relisting');
    })
    .on('event', (type, obj) => {
      metrics?.watchEvents.inc({ kind: kind.kind, type });
      if (type === 'ERROR' && obj?.code !== 410) {
        log.warn('watch error event', {
          status: obj?.code,
          message: obj?.message,
        });
      }
    });
}
