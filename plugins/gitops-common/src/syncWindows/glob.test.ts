import { globMatch } from './glob';

describe('globMatch', () => {
  it.each<[string, string, boolean]>([
    ['*', '', true],
    ['*', 'anything', true],
    ['web', 'web', true],
    ['web', 'web-1', false],
    ['web-*', 'web-1', true],
    ['web-*', 'api-1', false],
    ['*-prod', 'checkout-prod', true],
    ['web-?', 'web-1', true],
    ['web-?', 'web-12', false],
    ['web-[0-9]', 'web-7', true],
    ['web-[0-9]', 'web-x', false],
    ['web-[!0-9]', 'web-x', true],
    ['web-[ab]', 'web-b', true],
    ['{web,api}-*', 'api-1', true],
    ['{web,api}-*', 'db-1', false],
    ['https://*.example.com', 'https://prod.example.com', true],
    ['a.b', 'axb', false],
    ['\\*', '*', true],
    ['\\*', 'x', false],
    // Patterns gobwas/glob refuses match nothing.
    ['web-[0-9', 'web-[0-9', false],
    ['{web,api', 'web', false],
    ['[z-a]', 'q', false],
  ])('%j against %j: %p', (pattern, value, expected) => {
    expect(globMatch(pattern, value)).toBe(expected);
  });
});
