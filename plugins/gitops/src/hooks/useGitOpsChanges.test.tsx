import { ReactNode } from 'react';
import { act, renderHook, waitFor } from '@testing-library/react';
import { TestApiProvider } from '@backstage/test-utils';
import { signalApiRef, type SignalApi } from '@backstage/plugin-signals-react';
import type { JsonObject } from '@backstage/types';
import {
  GITOPS_SIGNAL_CHANNEL,
  type GitOpsSignal,
} from '@shoehorn/plugin-gitops-common';
import { gitopsApiRef } from '../api/GitOpsApi';
import { InMemoryGitOpsApi } from '../__testUtils__/InMemoryGitOpsApi';
import { CLUSTERS, FLEET } from '../__testUtils__/fixtures';
import { useEntityResources, useStats } from './queries';

jest.setTimeout(60_000);

/** The signals the backend would push to this browser, delivered to subscribers. */
class SignalChannel implements SignalApi {
  private readonly subscribers = new Set<(message: any) => void>();

  subscribe<T extends JsonObject>(channel: string, onMessage: (m: T) => void) {
    if (channel === GITOPS_SIGNAL_CHANNEL) {
      this.subscribers.add(onMessage);
    }
    return { unsubscribe: () => this.subscribers.delete(onMessage) };
  }

  send(signal: GitOpsSignal) {
    act(() => this.subscribers.forEach(s => s(signal)));
  }
}

function setup() {
  const signals = new SignalChannel();
  const api = new InMemoryGitOpsApi(FLEET, CLUSTERS);
  const wrapper = ({ children }: { children: ReactNode }) => (
    <TestApiProvider
      apis={[
        [signalApiRef, signals],
        [gitopsApiRef, api],
      ]}
    >
      {children}
    </TestApiProvider>
  );
  return { signals, api, wrapper };
}

const changed = (
  entityRefs: string[] | null,
  clusters: string[] | null = ['prod-eu'],
): GitOpsSignal => ({ type: 'resources', clusters, entityRefs });

describe('change signals', () => {
  it('a steady stream of signals still refreshes the view (the debounce has a maximum wait)', async () => {
    const { signals, api, wrapper } = setup();
    const getStats = jest.spyOn(api, 'getStats');
    const { result } = renderHook(() => useStats(), { wrapper });
    await waitFor(() => expect(result.current.value).toBeDefined());
    expect(getStats).toHaveBeenCalledTimes(1);

    // One signal every 100 ms, never a 400 ms pause: without a maximum wait it never reloads.
    const stream = setInterval(() => signals.send(changed(null)), 100);
    try {
      await waitFor(() => expect(getStats).toHaveBeenCalledTimes(2), {
        timeout: 30_000,
      });
    } finally {
      clearInterval(stream);
    }
  });

  it("an entity's view refetches for signals naming it, not for other entities", async () => {
    const { signals, api, wrapper } = setup();
    const getEntityResources = jest.spyOn(api, 'getEntityResources');
    const getStats = jest.spyOn(api, 'getStats');
    const { result } = renderHook(
      () => ({
        stats: useStats(),
        entity: useEntityResources({
          kind: 'Component',
          namespace: 'default',
          name: 'checkout-api',
        }),
      }),
      { wrapper },
    );
    await waitFor(() => expect(result.current.entity.value).toBeDefined());
    await waitFor(() => expect(result.current.stats.value).toBeDefined());

    // Another entity changed: the fleet totals reload (twice, so any reload the entity
    // view had scheduled would have run by then), the entity view does not.
    signals.send(changed(['component:default/storefront']));
    await waitFor(() => expect(getStats).toHaveBeenCalledTimes(2), {
      timeout: 30_000,
    });
    signals.send(changed(['api:default/orders-api']));
    await waitFor(() => expect(getStats).toHaveBeenCalledTimes(3), {
      timeout: 30_000,
    });
    expect(getEntityResources).toHaveBeenCalledTimes(1);

    // Named among others, in another case: it concerns this view.
    signals.send(
      changed(['component:default/Checkout-API', 'component:default/x']),
    );
    await waitFor(() => expect(getEntityResources).toHaveBeenCalledTimes(2), {
      timeout: 30_000,
    });
    // "Too many to name" concerns every entity.
    signals.send(changed(null, null));
    await waitFor(() => expect(getEntityResources).toHaveBeenCalledTimes(3), {
      timeout: 30_000,
    });
  });
});
