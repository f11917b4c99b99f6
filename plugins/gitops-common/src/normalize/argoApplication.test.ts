import {
  ARGO_SHAS,
  hydratorApplication,
  multiSourceApplication,
  syncedApplication,
} from './__fixtures__/argoApplications';
import { accepted } from './__fixtures__/records';
import { normalizeArgoApplication } from './argoApplication';

const { SHA_OLD, SHA_NEW } = ARGO_SHAS;

describe('normalizeArgoApplication', () => {
  it('maps a synced single-source app field by field', () => {
    expect(accepted(normalizeArgoApplication(syncedApplication()))).toEqual({
      tool: 'argocd',
      kind: 'Application',
      namespace: 'argocd',
      name: 'checkout-api',
      uid: '5b0e9f7c-1d2a-4c3b-8e4f-6a7b8c9d0e1f',
      syncStatus: 'Synced',
      healthStatus: 'Healthy',
      source: {
        url: 'https://github.com/acme/deploy.git',
        path: 'apps/checkout-api/overlays/prod',
        chart: null,
      },
      revision: SHA_NEW,
      targetRevision: SHA_NEW,
      autoSync: true,
      suspended: false,
      lastSyncedAt: '2024-05-01T10:00:41Z',
      drift: { detected: false, reason: null },
      entityAnnotation: 'checkout-api',
      message: null,
      readiness: { waitsOn: [], syncProblem: null },
    });
  });

  describe('sync problem (the root cause of an app ArgoCD cannot sync)', () => {
    it('is a sync error from an error condition, before a failed operation', () => {
      const app = syncedApplication();
      app.status.conditions = [
        { type: 'SharedResourceWarning', message: 'shared' },
        { type: 'ComparisonError', message: 'repository not accessible' },
      ];
      app.status.operationState.phase = 'Failed';
      expect(
        accepted(normalizeArgoApplication(app)).readiness?.syncProblem,
      ).toEqual({ reason: 'syncError', message: 'repository not accessible' });
    });

    it.each(['Failed', 'Error'])(
      'is the operation message when the phase is %s',
      phase => {
        const app = syncedApplication();
        app.status.operationState.phase = phase;
        app.status.operationState.message =
          'one or more objects failed to apply';
        expect(
          accepted(normalizeArgoApplication(app)).readiness?.syncProblem,
        ).toEqual({
          reason: 'operationFailed',
          message: 'one or more objects failed to apply',
        });
      },
    );

    it('is a sync window when the controller holds the running operation for one', () => {
      const app = syncedApplication();
      app.status.operationState.phase = 'Running';
      app.status.operationState.message =
        'Sync operation blocked by sync window';
      expect(
        accepted(normalizeArgoApplication(app)).readiness?.syncProblem,
      ).toEqual({
        reason: 'syncWindow',
        message: 'Sync operation blocked by sync window',
      });
    });

    it('is null for a running sync without a window', () => {
      const app = syncedApplication();
      app.status.operationState.phase = 'Running';
      app.status.operationState.message = 'waiting for healthy state';
      expect(
        accepted(normalizeArgoApplication(app)).readiness?.syncProblem,
      ).toBeNull();
    });
  });

  it('keeps the namespace of an app outside the control-plane namespace', () => {
    const app = syncedApplication();
    app.metadata.namespace = 'team-payments';
    expect(accepted(normalizeArgoApplication(app)).namespace).toBe(
      'team-payments',
    );
  });

  describe('primary source', () => {
    it('is sources[0] of a multi-source app, with revisions[0] of history and sync', () => {
      const record = accepted(
        normalizeArgoApplication(multiSourceApplication()),
      );
      expect(record.source).toEqual({
        url: 'https://stefanprodan.github.io/podinfo',
        path: null,
        chart: 'podinfo',
      });
      expect(record.revision).toBe('6.5.3');
      expect(record.targetRevision).toBe('6.5.4');
    });

    it('is sources[0] even when a single source is also set', () => {
      const app = multiSourceApplication();
      app.spec.source = {
        repoURL: 'https://github.com/acme/other.git',
        path: 'x',
        targetRevision: 'dev',
      };
      expect(accepted(normalizeArgoApplication(app)).source.url).toBe(
        'https://stefanprodan.github.io/podinfo',
      );
    });

    it('is spec.source when sources is empty', () => {
      const app = syncedApplication();
      app.spec.sources = [];
      expect(accepted(normalizeArgoApplication(app)).source.url).toBe(
        'https://github.com/acme/deploy.git',
      );
    });

    it('is the hydrator sync source, with the dry source repoURL as fallback', () => {
      const record = accepted(normalizeArgoApplication(hydratorApplication()));
      expect(record.source).toEqual({
        url: 'https://github.com/argoproj/argocd-example-apps',
        path: 'helm-guestbook',
        chart: null,
      });
      // No status.sync.revision yet: the sync source's target branch.
      expect(record.targetRevision).toBe('environments/dev');
      expect(record.healthStatus).toBe('Missing');
    });

    it('prefers syncSource.repoURL and ignores sources when a hydrator is set', () => {
      const app = hydratorApplication();
      app.spec.sourceHydrator.syncSource.repoURL =
        'https://github.com/acme/hydrated.git';
      app.spec.sources = [{ repoURL: 'https://github.com/acme/ignored.git' }];
      app.status.sync.revision = SHA_NEW;
      const record = accepted(normalizeArgoApplication(app));
      expect(record.source.url).toBe('https://github.com/acme/hydrated.git');
      expect(record.targetRevision).toBe(SHA_NEW);
    });

    it('takes the source targetRevision when the sync status names no revision', () => {
      const app = syncedApplication();
      app.status.sync.revision = '';
      expect(accepted(normalizeArgoApplication(app)).targetRevision).toBe(
        'main',
      );
      app.status.sync.revisions = ['', 'ignored'];
      expect(accepted(normalizeArgoApplication(app)).targetRevision).toBe(
        'main',
      );
      app.status.sync.revisions = ['feature'];
      expect(accepted(normalizeArgoApplication(app)).targetRevision).toBe(
        'feature',
      );
    });
  });

  describe('autoSync', () => {
    it.each([
      [
        'automated with prune and selfHeal',
        { automated: { prune: true, selfHeal: true } },
        true,
      ],
      ['empty automated', { automated: {} }, true],
      ['automated.enabled: true', { automated: { enabled: true } }, true],
      [
        'automated.enabled: false (ArgoCD 3.1+)',
        { automated: { enabled: false, prune: true } },
        false,
      ],
      ['automated: null', { automated: null }, false],
      ['only syncOptions', { syncOptions: ['CreateNamespace=true'] }, false],
      ['no syncPolicy', undefined, false],
    ])('%s → %s', (_label, syncPolicy, expected) => {
      const app = syncedApplication();
      if (syncPolicy === undefined) {
        delete app.spec.syncPolicy;
      } else {
        app.spec.syncPolicy = syncPolicy;
      }
      expect(accepted(normalizeArgoApplication(app)).autoSync).toBe(expected);
    });
  });

  it('maps an app with no status at all to Unknown with nulls', () => {
    const app = syncedApplication();
    delete app.status;
    expect(accepted(normalizeArgoApplication(app))).toMatchObject({
      syncStatus: 'Unknown',
      healthStatus: 'Unknown',
      revision: null,
      targetRevision: 'main',
      lastSyncedAt: null,
      suspended: false,
      drift: { detected: false, reason: null },
      message: null,
    });
  });

  describe('operations without history', () => {
    function withOperation(phase: string): any {
      const app = syncedApplication();
      delete app.status.history;
      app.status.operationState.phase = phase;
      app.status.operationState.message = `one or more objects failed to apply (phase ${phase})`;
      if (phase !== 'Succeeded') {
        delete app.status.operationState.finishedAt;
      }
      return app;
    }

    it('a Succeeded operation gives the synced revision and its finish time', () => {
      const record = accepted(
        normalizeArgoApplication(withOperation('Succeeded')),
      );
      expect(record.revision).toBe(SHA_NEW);
      expect(record.lastSyncedAt).toBe('2024-05-01T10:00:41Z');
      expect(record.message).toBeNull();
    });

    it.each(['Running', 'Terminating'])(
      'a %s operation gives no revision and no sync time',
      phase => {
        const record = accepted(normalizeArgoApplication(withOperation(phase)));
        expect(record.revision).toBeNull();
        expect(record.lastSyncedAt).toBeNull();
        expect(record.message).toBeNull();
      },
    );

    it.each(['Failed', 'Error'])(
      'a %s operation gives no revision, even though syncResult names the attempt, and its message',
      phase => {
        const app = withOperation(phase);
        app.status.operationState.finishedAt = '2024-05-01T10:00:41Z';
        const record = accepted(normalizeArgoApplication(app));
        expect(app.status.operationState.syncResult.revision).toBe(SHA_NEW);
        expect(record.revision).toBeNull();
        expect(record.lastSyncedAt).toBeNull();
        expect(record.message).toBe(
          `one or more objects failed to apply (phase ${phase})`,
        );
      },
    );

    it('a Succeeded multi-source operation gives revisions[0]', () => {
      const app = multiSourceApplication();
      delete app.status.history;
      app.status.operationState.phase = 'Succeeded';
      app.status.operationState.finishedAt = '2024-05-02T12:00:30Z';
      const record = accepted(normalizeArgoApplication(app));
      expect(record.revision).toBe('6.5.4');
      expect(record.lastSyncedAt).toBe('2024-05-02T12:00:30Z');
    });
  });

  describe('with history', () => {
    it('a Running operation keeps the last history entry and its deployedAt', () => {
      const record = accepted(
        normalizeArgoApplication(multiSourceApplication()),
      );
      expect(record.revision).toBe('6.5.3');
      expect(record.lastSyncedAt).toBe('2024-04-20T08:00:12Z');
    });

    it('a Failed operation keeps the last history entry', () => {
      const app = syncedApplication();
      app.status.history.pop();
      app.status.operationState.phase = 'Failed';
      const record = accepted(normalizeArgoApplication(app));
      expect(record.revision).toBe(SHA_OLD);
      expect(record.lastSyncedAt).toBe('2024-04-29T16:20:31Z');
      expect(record.message).toBe('successfully synced (all tasks run)');
    });

    it('takes the last entry of the list, not the highest id', () => {
      const app = syncedApplication();
      app.status.history.reverse();
      delete app.status.operationState;
      const record = accepted(normalizeArgoApplication(app));
      expect(record.revision).toBe(SHA_OLD);
      expect(record.lastSyncedAt).toBe('2024-04-29T16:20:31Z');
    });

    it('falls back to deployedAt when finishedAt is unparsable, and to null after that', () => {
      const app = syncedApplication();
      app.status.operationState.finishedAt = 'yesterday';
      expect(accepted(normalizeArgoApplication(app)).lastSyncedAt).toBe(
        '2024-05-01T10:00:41Z',
      );
      app.status.history[1].deployedAt = null;
      expect(accepted(normalizeArgoApplication(app)).lastSyncedAt).toBeNull();
    });
  });

  describe('status mapping', () => {
    it.each([
      ['Synced', 'Synced'],
      ['OutOfSync', 'OutOfSync'],
      ['Unknown', 'Unknown'],
      ['synced', 'Unknown'],
      ['', 'Unknown'],
    ])('sync status %j → %s', (value, expected) => {
      const app = syncedApplication();
      app.status.sync.status = value;
      expect(accepted(normalizeArgoApplication(app)).syncStatus).toBe(expected);
    });

    it.each([
      ['Healthy', 'Healthy'],
      ['Progressing', 'Progressing'],
      ['Degraded', 'Degraded'],
      ['Suspended', 'Suspended'],
      ['Missing', 'Missing'],
      ['Unknown', 'Unknown'],
      ['Broken', 'Unknown'],
      [undefined, 'Unknown'],
    ])('health %j → %s', (value, expected) => {
      const app = syncedApplication();
      app.status.health = value === undefined ? {} : { status: value };
      expect(accepted(normalizeArgoApplication(app)).healthStatus).toBe(
        expected,
      );
    });

    it('is suspended exactly when health is Suspended', () => {
      const app = syncedApplication();
      app.status.health = { status: 'Suspended', message: 'Rollout is paused' };
      const record = accepted(normalizeArgoApplication(app));
      expect(record.suspended).toBe(true);
      expect(record.autoSync).toBe(true);
      expect(record.message).toBe('Rollout is paused');
    });
  });

  describe('drift', () => {
    it('is detected when OutOfSync, naming the desired and the synced revision', () => {
      const app = syncedApplication();
      app.status.sync.status = 'OutOfSync';
      expect(accepted(normalizeArgoApplication(app)).drift).toEqual({
        detected: true,
        reason: `OutOfSync with ${SHA_NEW} (last synced ${SHA_NEW})`,
      });
      const multi = accepted(
        normalizeArgoApplication(multiSourceApplication()),
      );
      expect(multi.drift).toEqual({
        detected: true,
        reason: 'OutOfSync with 6.5.4 (last synced 6.5.3)',
      });
    });

    it('says so when the app was never synced', () => {
      const record = accepted(normalizeArgoApplication(hydratorApplication()));
      expect(record.drift).toEqual({
        detected: true,
        reason: 'OutOfSync with environments/dev (never synced)',
      });
    });

    it.each(['Synced', 'Unknown'])('is not detected when %s', value => {
      const app = syncedApplication();
      app.status.sync.status = value;
      expect(accepted(normalizeArgoApplication(app)).drift).toEqual({
        detected: false,
        reason: null,
      });
    });
  });

  describe('message', () => {
    it('prefers the first *Error condition over a failed operation and health', () => {
      const app = syncedApplication();
      app.status.conditions = [
        {
          type: 'SharedResourceWarning',
          message: 'ConfigMap/common is part of apps a and b',
        },
        {
          type: 'ComparisonError',
          message: 'rpc error: code = Unknown desc = repository not found',
          lastTransitionTime: '2024-05-01T10:05:00Z',
        },
        { type: 'SyncError', message: 'second error' },
      ];
      app.status.operationState.phase = 'Failed';
      app.status.operationState.message = 'sync failed';
      app.status.health.message = 'health message';
      expect(accepted(normalizeArgoApplication(app)).message).toBe(
        'rpc error: code = Unknown desc = repository not found',
      );
    });

    it('then the failed operation, then the health message', () => {
      const app = syncedApplication();
      app.status.conditions = [
        { type: 'OrphanedResourceWarning', message: 'orphans' },
      ];
      app.status.operationState.phase = 'Failed';
      app.status.operationState.message = 'sync failed';
      app.status.health.message = 'health message';
      expect(accepted(normalizeArgoApplication(app)).message).toBe(
        'sync failed',
      );
      app.status.operationState.phase = 'Succeeded';
      expect(accepted(normalizeArgoApplication(app)).message).toBe(
        'health message',
      );
    });

    it('passes text through raw, HTML-looking and unicode included', () => {
      const app = syncedApplication();
      const raw = '  <img src=x onerror=alert(1)> ünïcödé 🚀\n';
      app.status.conditions = [{ type: 'InvalidSpecError', message: raw }];
      app.metadata.annotations['shoehorn.dev/entity'] = ' checkout ';
      const record = accepted(normalizeArgoApplication(app));
      expect(record.message).toBe(raw);
      expect(record.entityAnnotation).toBe(' checkout ');
    });
  });

  it('maps empty strings to null', () => {
    const app = syncedApplication();
    app.spec.source.path = '';
    app.metadata.annotations['shoehorn.dev/entity'] = '';
    app.status.health.message = '';
    const record = accepted(normalizeArgoApplication(app));
    expect(record.source.path).toBeNull();
    expect(record.entityAnnotation).toBeNull();
    expect(record.message).toBeNull();
  });
});
