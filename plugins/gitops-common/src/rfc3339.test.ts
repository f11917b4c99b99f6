import { gitOpsResourceSchema } from './model';
import { isRfc3339Instant } from './rfc3339';

describe('isRfc3339Instant', () => {
  it.each([
    '2024-05-01T10:00:00Z',
    '2024-05-01T10:00:00.123456Z',
    '2024-05-01T12:00:00+02:00',
    '2024-02-29T23:59:59-11:30',
    '1999-12-31T23:59:59Z',
  ])('accepts %s', value => {
    expect(isRfc3339Instant(value)).toBe(true);
  });

  it.each([
    '',
    '2024-05-01',
    '2024-05-01T10:00Z',
    '2024-05-01 10:00:00Z',
    '2024-05-01t10:00:00z',
    '2024-05-01T10:00:00',
    '2024-05-01T10:00:00+0200',
    '2023-02-29T10:00:00Z',
    '2024-04-31T10:00:00Z',
    '2024-13-01T10:00:00Z',
    '2024-05-01T24:00:00Z',
    '2024-05-01T10:60:00Z',
    '2024-05-01T10:00:60Z',
    '2024-05-01T10:00:00+24:00',
    ' 2024-05-01T10:00:00Z',
  ])('rejects %j', value => {
    expect(isRfc3339Instant(value)).toBe(false);
  });

  it('rejects non-strings', () => {
    expect(isRfc3339Instant(1714557600000)).toBe(false);
    expect(isRfc3339Instant(new Date())).toBe(false);
    expect(isRfc3339Instant(null)).toBe(false);
  });

  it('is what the wire schema demands of lastSyncedAt', () => {
    const record = {
      tool: 'argocd',
      kind: 'Application',
      namespace: 'argocd',
      name: 'web',
      uid: '',
      syncStatus: 'Synced',
      healthStatus: 'Healthy',
      source: { url: null, path: null, chart: null },
      revision: null,
      targetRevision: null,
      autoSync: false,
      suspended: false,
      lastSyncedAt: '2024-05-01T10:00Z',
      drift: { detected: false, reason: null },
      entityAnnotation: null,
      message: null,
    };
    expect(gitOpsResourceSchema.safeParse(record).success).toBe(false);
    record.lastSyncedAt = '2024-05-01T10:00:00Z';
    expect(gitOpsResourceSchema.safeParse(record).success).toBe(true);
  });
});
