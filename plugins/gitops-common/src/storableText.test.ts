import { syncedApplication } from './normalize/__fixtures__/argoApplications';
import { gitRepository } from './normalize/__fixtures__/fluxObjects';
import { accepted } from './normalize/__fixtures__/records';
import { FluxSourceIndex } from './normalize/fluxSourceIndex';
import { normalizeObject } from './normalize/normalizeObject';
import {
  toStorableJson,
  toStorableText,
  withoutUserinfo,
} from './storableText';

describe('storable text', () => {
  it('replaces NUL and lone surrogates, and keeps everything else as written', () => {
    expect(toStorableText('a\u0000b')).toBe('a\uFFFDb');
    expect(toStorableText('hi \uD800 there \uDC00')).toBe(
      'hi \uFFFD there \uFFFD',
    );
    expect(toStorableText('\uDC00\uD800')).toBe('\uFFFD\uFFFD');
    // Paired surrogates (an emoji), other controls, and odd spacing are not touched.
    expect(toStorableText('ok 🚀 \u0001 \t ')).toBe('ok 🚀 \u0001 \t ');
    expect(
      toStorableJson({ 'k\u0000': ['v\uD800', 1, null, { x: true }] }),
    ).toEqual({ 'k\uFFFD': ['v\uFFFD', 1, null, { x: true }] });
  });

  it('drops credentials from repository URLs, keeping an ssh user name', () => {
    expect(withoutUserinfo('https://user:token@git.example.com/a.git')).toBe(
      'https://git.example.com/a.git',
    );
    expect(withoutUserinfo('HTTP://ghp_abc@git.example.com/a.git')).toBe(
      'HTTP://git.example.com/a.git',
    );
    expect(withoutUserinfo('https://u:p@ss@host/a?x=@y')).toBe(
      'https://host/a?x=@y',
    );
    expect(withoutUserinfo('ssh://git:pw@github.com/acme/x')).toBe(
      'ssh://git@github.com/acme/x',
    );
    expect(withoutUserinfo('ssh://git@github.com/acme/x')).toBe(
      'ssh://git@github.com/acme/x',
    );
    expect(withoutUserinfo('git@github.com:acme/x.git')).toBe(
      'git@github.com:acme/x.git',
    );
    expect(withoutUserinfo('https://host/a@b')).toBe('https://host/a@b');
  });

  it('is applied by the normalizers the agent runs', () => {
    const app = syncedApplication();
    app.spec.source.repoURL = 'https://bot:s3cr3t@git.example.com/shop.git';
    app.metadata.annotations['shoehorn.dev/entity'] = 'checkout\u0000';
    app.status.health.message = 'broken \uD800';
    app.status.conditions = [];
    const record = accepted(normalizeObject(app));
    expect(record.source.url).toBe('https://git.example.com/shop.git');
    expect(record.entityAnnotation).toBe('checkout\uFFFD');
    expect(record.message).toBe('broken \uFFFD');

    const repo = gitRepository();
    repo.spec.url = 'https://x-access-token:abc@github.com/acme/fleet';
    const sources = FluxSourceIndex.fromObjects([repo]);
    expect(accepted(normalizeObject(repo, sources)).source.url).toBe(
      'https://github.com/acme/fleet',
    );
  });
});
