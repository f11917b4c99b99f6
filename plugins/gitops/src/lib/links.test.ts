/* eslint-disable no-script-url -- these tests feed hostile javascript: URLs on purpose */
import {
  commitUrl,
  parseRevision,
  repositoryWebAddress,
  safeHttpUrl,
} from './links';

const SHA = '4f2c9e1d8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d';

describe('safeHttpUrl', () => {
  it.each([
    'javascript:alert(1)',
    'JaVaScRiPt:alert(1)',
    ' javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox(1)',
    'git@github.com:acme/shop.git',
    'ssh://git@github.com/acme/shop.git',
    '<img src=x onerror=alert(1)>',
    '',
    null,
  ])('refuses %p', raw => {
    expect(safeHttpUrl(raw)).toBeNull();
  });

  it('accepts http and https', () => {
    expect(safeHttpUrl('https://github.com/acme/shop')?.toString()).toBe(
      'https://github.com/acme/shop',
    );
    expect(safeHttpUrl('http://git.internal/shop.git')).not.toBeNull();
  });
});

describe('parseRevision', () => {
  it('shortens ArgoCD and Flux commit revisions', () => {
    expect(parseRevision(SHA).display).toBe('4f2c9e1');
    expect(parseRevision(`main@sha1:${SHA}`)).toEqual({
      ref: 'main',
      sha: SHA,
      display: 'main@4f2c9e1',
    });
  });

  it('leaves chart versions and OCI digests alone', () => {
    expect(parseRevision('0.9.4+9fcc603ed7d9')).toEqual({
      ref: null,
      sha: null,
      display: '0.9.4+9fcc603ed7d9',
    });
    expect(parseRevision('v1.2.0@sha256:abcdef').sha).toBeNull();
  });
});

describe('commitUrl', () => {
  it('links GitHub and GitLab commits, from https, ssh and scp-like URLs', () => {
    expect(commitUrl('https://github.com/acme/shop.git', SHA)).toBe(
      `https://github.com/acme/shop/commit/${SHA}`,
    );
    expect(commitUrl('git@github.com:acme/shop.git', `main@sha1:${SHA}`)).toBe(
      `https://github.com/acme/shop/commit/${SHA}`,
    );
    expect(commitUrl('ssh://git@gitlab.com/group/sub/app.git', SHA)).toBe(
      `https://gitlab.com/group/sub/app/-/commit/${SHA}`,
    );
  });

  it('links Bitbucket and Gitea (Codeberg) commits', () => {
    expect(commitUrl('https://bitbucket.org/acme/shop.git', SHA)).toBe(
      `https://bitbucket.org/acme/shop/commits/${SHA}`,
    );
    expect(commitUrl('git@gitea.example.com:ops/infra.git', SHA)).toBe(
      `https://gitea.example.com/ops/infra/commit/${SHA}`,
    );
    expect(
      commitUrl('https://codeberg.org/ops/infra', `main@sha1:${SHA}`),
    ).toBe(`https://codeberg.org/ops/infra/commit/${SHA}`);
  });

  it('gives nothing for other hosts, non-commit revisions or hostile input', () => {
    expect(commitUrl('https://git.example.com/acme/shop', SHA)).toBeNull();
    expect(commitUrl('ftp://github.com/acme/shop', SHA)).toBeNull();
    expect(commitUrl('https://github.com/acme/shop', '1.2.3')).toBeNull();
    expect(commitUrl('javascript:alert(1)//github.com/a/b', SHA)).toBeNull();
    expect(repositoryWebAddress('https://github.com/onlyowner')).toBeNull();
  });

  it('encodes odd path characters instead of passing them through', () => {
    const url = commitUrl('https://github.com/acme/"><svg onload=x>', SHA);
    expect(url).not.toContain('"');
    expect(url).not.toContain('<');
  });
});
