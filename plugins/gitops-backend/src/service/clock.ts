import {
  createServiceFactory,
  createServiceRef,
} from '@backstage/backend-plugin-api';

/**
 * The time source of cluster freshness, command expiry and leases.
 * @public
 */
export interface GitOpsClock {
  /** Epoch milliseconds. */
  now(): number;
}

/**
 * The clock the gitops plugin reads; the default is the system clock. Tests replace it
 * to move time forward without waiting.
 *
 * @public
 */
export const gitopsClockServiceRef = createServiceRef<GitOpsClock>({
  id: 'gitops.clock',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {},
      factory: () => ({ now: () => Date.now() }),
    }),
});
