import {
  formatSearchText,
  parseSearchText,
  revisionSearchForms,
} from './revisionSearch';

const SHA = '4f2c9e1d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d';

describe('the search box', () => {
  it('reads a full or short SHA as a revision, and shorter hex or words as free text', () => {
    expect(parseSearchText(SHA)).toEqual({ revision: SHA });
    expect(parseSearchText(' 4F2C9E1 ')).toEqual({ revision: '4F2C9E1' });
    expect(parseSearchText('4f2c9e')).toEqual({ q: '4f2c9e' });
    expect(parseSearchText('payments')).toEqual({ q: 'payments' });
    expect(parseSearchText('4f2c9e1z')).toEqual({ q: '4f2c9e1z' });
    expect(parseSearchText('   ')).toEqual({});
  });

  it('reads revision:<tag> as a revision, and keeps the other words as free text', () => {
    expect(parseSearchText('revision:v1.4.2')).toEqual({ revision: 'v1.4.2' });
    expect(parseSearchText('payments  4f2c9e1 prod')).toEqual({
      revision: '4f2c9e1',
      q: 'payments prod',
    });
    expect(parseSearchText('Revision:1.4.2 batch')).toEqual({
      revision: '1.4.2',
      q: 'batch',
    });
    // Only the first revision word counts; a bare prefix is text.
    expect(parseSearchText('4f2c9e1 0123456')).toEqual({
      revision: '4f2c9e1',
      q: '0123456',
    });
    expect(parseSearchText('revision:')).toEqual({ q: 'revision:' });
  });

  it('writes a filter back as text that reads the same', () => {
    for (const search of [
      { revision: '4f2c9e1' },
      { revision: 'v1.4.2', q: 'pay' },
      { q: 'gitlab' },
      {},
    ]) {
      expect(parseSearchText(formatSearchText(search))).toEqual(search);
    }
    expect(formatSearchText({ revision: 'v1.4.2', q: 'pay' })).toBe(
      'revision:v1.4.2 pay',
    );
  });

  it('matches a short SHA inside Flux revisions and a tag before its digest', () => {
    expect(revisionSearchForms('4F2C9E1')).toEqual({
      equals: '4f2c9e1',
      startsWith: ['4f2c9e1@', '4f2c9e1'],
      contains: [':4f2c9e1'],
    });
    expect(revisionSearchForms('v1.4.2')).toEqual({
      equals: 'v1.4.2',
      startsWith: ['v1.4.2@'],
      contains: [],
    });
  });
});
