import { parseGoDuration } from './duration';

describe('parseGoDuration', () => {
  it.each<[string, number | null]>([
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['90m', 5_400_000],
    ['1.5h', 5_400_000],
    ['.5h', 1_800_000],
    ['2h45m30s', 9_930_000],
    ['1500ms', 1500],
    ['+1h', 3_600_000],
    ['-1h', -3_600_000],
    ['0', 0],
    ['', null],
    ['1', null],
    ['h', null],
    ['1d', null],
    ['1h 30m', null],
    ['.h', null],
  ])('%j is %p', (text, expected) => {
    expect(parseGoDuration(text)).toBe(expected);
  });
});
