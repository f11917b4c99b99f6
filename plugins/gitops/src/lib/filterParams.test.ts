import { readPageQuery, writePageQuery } from './filterParams';

describe('page query in the URL', () => {
  it('round-trips filters, sort and page size', () => {
    const params = new URLSearchParams(
      'tool=fluxcd&cluster=prod-us&cluster=edge-lab&syncStatus=OutOfSync&linked=unlinked&q=pay&revision=4f2c9e1&drift=true&sort=-lastSyncedAt&limit=50',
    );
    const query = readPageQuery(params);
    expect(query).toEqual({
      filter: {
        tool: ['fluxcd'],
        cluster: ['prod-us', 'edge-lab'],
        namespace: undefined,
        syncStatus: ['OutOfSync'],
        healthStatus: undefined,
        linked: ['unlinked'],
        q: 'pay',
        revision: '4f2c9e1',
        drift: true,
      },
      sort: '-lastSyncedAt',
      limit: 50,
    });
    expect(readPageQuery(writePageQuery(query))).toEqual(query);
  });

  it('drops values the API would refuse', () => {
    const query = readPageQuery(
      new URLSearchParams(
        'tool=jenkins&syncStatus=Bogus&sort=password&limit=9999&drift=constructor',
      ),
    );
    expect(query.filter.tool).toBeUndefined();
    expect(query.filter.syncStatus).toBeUndefined();
    expect(query.filter.drift).toBeUndefined();
    expect(query.sort).toBe('name');
    expect(query.limit).toBe(25);
  });

  it('keeps default values out of the URL', () => {
    expect(
      writePageQuery({ filter: {}, sort: 'name', limit: 25 }).toString(),
    ).toBe('');
  });
});
