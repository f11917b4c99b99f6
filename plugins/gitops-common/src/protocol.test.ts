import { describeSchemaError, pushRequestSchema } from './protocol';

const agent = {
  version: '1.0.0',
  session: 's-1',
  tool: 'fluxcd',
  capabilities: { sync: true, refresh: true },
};

function push(agentInfo: object) {
  return pushRequestSchema.safeParse({
    agent: agentInfo,
    seq: 1,
    type: 'delta',
    upserts: [],
    deletes: [],
  });
}

function errorOf(agentInfo: object): string {
  const parsed = push(agentInfo);
  if (parsed.success) {
    throw new Error('expected the push to be refused');
  }
  return describeSchemaError(parsed.error);
}

describe('agent kinds on the wire', () => {
  it('accepts an agent that does not report kinds', () => {
    expect(push(agent).success).toBe(true);
  });

  it('accepts one entry per kind', () => {
    const parsed = push({
      ...agent,
      kinds: [
        {
          kind: 'Kustomization',
          apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
          state: 'stale',
          reason: 'watch failed: 403 Forbidden',
        },
        { kind: 'OCIRepository', apiVersion: null, state: 'unavailable' },
      ],
    });
    expect(parsed.success).toBe(true);
  });

  it('refuses a kind listed twice, naming the entry', () => {
    const entry = { kind: 'HelmRelease', apiVersion: null, state: 'stale' };
    expect(errorOf({ ...agent, kinds: [entry, entry] })).toContain(
      'agent.kinds.1.kind',
    );
  });

  it('refuses an unknown state and a reason longer than 1,000 characters', () => {
    expect(
      errorOf({
        ...agent,
        kinds: [{ kind: 'HelmRelease', apiVersion: null, state: 'lost' }],
      }),
    ).toContain('agent.kinds.0.state');
    expect(
      errorOf({
        ...agent,
        kinds: [
          {
            kind: 'HelmRelease',
            apiVersion: null,
            state: 'stale',
            reason: 'x'.repeat(1001),
          },
        ],
      }),
    ).toContain('agent.kinds.0.reason');
  });
});
