import { record } from '@shoehorn/gitops-test-kit';
import { CoalescingBuffer } from './CoalescingBuffer';

const key = (name: string) => ({
  tool: 'argocd' as const,
  kind: 'Application' as const,
  namespace: 'argocd',
  name,
});

jest.setTimeout(60_000);

describe('CoalescingBuffer', () => {
  it('keeps only the latest state of each object', () => {
    const buffer = new CoalescingBuffer(100);
    for (let i = 0; i < 10_000; i++) buffer.upsert(record('web', `r${i}`));
    expect(buffer.size).toBe(1);
    expect(buffer.take(500)).toEqual({
      upserts: [record('web', 'r9999')],
      deletes: [],
    });
    expect(buffer.size).toBe(0);
  });

  it('lets a delete cancel pending updates, and a re-create replace the delete', () => {
    const buffer = new CoalescingBuffer(100);
    buffer.upsert(record('a'));
    buffer.delete({ ...key('a') });
    expect(buffer.take(10)).toEqual({ upserts: [], deletes: [key('a')] });
    buffer.delete(key('b'));
    buffer.upsert(record('b', 'new'));
    expect(buffer.take(10)).toEqual({
      upserts: [record('b', 'new')],
      deletes: [],
    });
  });

  it('hands out batches oldest first, bounded by count and bytes', () => {
    const buffer = new CoalescingBuffer(1000);
    for (let i = 0; i < 7; i++) buffer.upsert(record(`app-${i}`));
    expect(buffer.take(3).upserts.map(r => r.name)).toEqual([
      'app-0',
      'app-1',
      'app-2',
    ]);
    const size = JSON.stringify(record('app-3')).length;
    expect(buffer.take(100, size * 2 + 1).upserts.map(r => r.name)).toEqual([
      'app-3',
      'app-4',
    ]);
    expect(buffer.take(100, 1).upserts.map(r => r.name)).toEqual(['app-5']); // always at least one
    expect(buffer.size).toBe(1);
  });

  it('empties itself past its bound and reports the overflow once', () => {
    const sizes: Array<[number, boolean]> = [];
    const buffer = new CoalescingBuffer(3, (size, overflow) =>
      sizes.push([size, overflow]),
    );
    ['a', 'b', 'c'].forEach(n => buffer.upsert(record(n)));
    buffer.upsert(record('b', 'r2')); // an update of a pending object never overflows
    expect(buffer.takeOverflow()).toBe(false);
    buffer.upsert(record('d'));
    expect(buffer.size).toBe(0);
    expect(sizes[sizes.length - 1]).toEqual([0, true]);
    expect(buffer.takeOverflow()).toBe(true);
    expect(buffer.takeOverflow()).toBe(false);
  });

  it('measures the age of the oldest pending change', () => {
    let now = 1000;
    const buffer = new CoalescingBuffer(10, undefined, () => now);
    expect(buffer.ageMs()).toBe(0);
    buffer.upsert(record('a'));
    now = 1700;
    buffer.upsert(record('b'));
    expect(buffer.ageMs()).toBe(700);
    buffer.clear();
    expect(buffer.ageMs()).toBe(0);
  });
});
