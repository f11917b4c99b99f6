import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  InputFileError,
  inputBaseDirs,
  loadObjectsFromFiles,
  parseObjects,
  resolveInputPath,
} from './loadObjectsFromFiles';

describe('parseObjects', () => {
  it('reads multi-document YAML in order, skipping empty documents, with start lines', () => {
    const text = [
      '---',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: a}',
      '---',
      '# nothing here',
      '---',
      'apiVersion: v1',
      'kind: Secret',
      'metadata: {name: b}',
      '---',
    ].join('\n');
    expect(parseObjects(text, 'x.yaml')).toEqual([
      {
        object: {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'a' },
        },
        file: 'x.yaml',
        line: 2,
      },
      {
        object: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'b' } },
        file: 'x.yaml',
        line: 8,
      },
    ]);
  });

  it('keeps timestamps, versions and "yes" as strings (YAML 1.2)', () => {
    const [{ object }] = parseObjects(
      'a: 2024-05-01T10:00:00Z\nb: yes\nc: "6.5.4"\nd: 1.10\ne: 0x10\n',
      'x.yaml',
    );
    expect(object).toEqual({
      a: '2024-05-01T10:00:00Z',
      b: 'yes',
      c: '6.5.4',
      d: 1.1,
      e: 16,
    });
  });

  it('expands kind: List items, each with its own line', () => {
    const text =
      'apiVersion: v1\nkind: List\nitems:\n- kind: A\n  apiVersion: x/v1\n- kind: B\n  apiVersion: x/v1\n';
    expect(parseObjects(text, 'l.yaml').map(o => [o.object, o.line])).toEqual([
      [{ kind: 'A', apiVersion: 'x/v1' }, 4],
      [{ kind: 'B', apiVersion: 'x/v1' }, 6],
    ]);
  });

  it('gives items of a typed API list their apiVersion and kind', () => {
    const text = JSON.stringify({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'ApplicationList',
      items: [
        { metadata: { name: 'a' } },
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Application',
          metadata: { name: 'b' },
        },
      ],
    });
    expect(parseObjects(text, 'apps.json').map(o => o.object)).toEqual([
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'a' },
      },
      {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'b' },
      },
    ]);
  });

  it('reads JSON strictly, with lines of list items', () => {
    const text =
      '{"apiVersion":"v1","kind":"List","items":[\n{"kind":"A"},\n{"kind":"B"}]}';
    expect(parseObjects(text, 'l.json').map(o => o.line)).toEqual([2, 3]);
    expect(() => parseObjects('{"a": 1,\n "b": }', 'bad.json')).toThrow(
      "bad.json: invalid JSON: Unexpected token '}'",
    );
    expect(parseObjects('{"a": 1, "a": 2}', 'dup.json')).toEqual([
      { object: { a: 2 }, file: 'dup.json', line: 1 },
    ]);
    expect(parseObjects('  \n', 'empty.json')).toEqual([]);
  });

  it('names the file and line of bad YAML', () => {
    const bad = 'apiVersion: v1\nkind: ConfigMap\ndata:\n  a: b: c\n  b: 3\n';
    let error: unknown;
    try {
      parseObjects(bad, 'cm.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputFileError);
    expect((error as InputFileError).file).toBe('cm.yaml');
    expect((error as InputFileError).line).toBe(4);
    expect((error as Error).message).toMatch(/^cm\.yaml:4: invalid YAML: /);
    expect(() => parseObjects('a: 1\na: 2\n', 'dup.yaml')).toThrow(
      /^dup\.yaml:2: invalid YAML: Map keys must be unique/,
    );
  });

  it('refuses alias bombs', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      'e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
    ].join('\n');
    expect(() => parseObjects(bomb, 'bomb.yaml')).toThrow(
      /^bomb\.yaml:1: invalid YAML: /,
    );
  });
});

describe('loadObjectsFromFiles', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gitops-files-'));
    await writeFile(join(dir, 'one.yaml'), 'kind: One\n');
    await writeFile(join(dir, 'two.json'), '{"kind": "Two"}');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads files in the order given, relative to the base directory', async () => {
    const loaded = await loadObjectsFromFiles(
      ['two.json', join(dir, 'one.yaml')],
      { baseDir: dir },
    );
    expect(loaded).toEqual([
      { object: { kind: 'Two' }, file: 'two.json', line: 1 },
      { object: { kind: 'One' }, file: join(dir, 'one.yaml'), line: 1 },
    ]);
  });

  it('reads - from standard input', async () => {
    const loaded = await loadObjectsFromFiles(['-'], {
      stdin: async () => 'kind: Piped\n',
    });
    expect(loaded).toEqual([{ object: { kind: 'Piped' }, file: '-', line: 1 }]);
  });

  it('names a missing or unreadable file', async () => {
    await expect(
      loadObjectsFromFiles(['missing.yaml'], { baseDir: dir }),
    ).rejects.toThrow('missing.yaml: cannot read: no such file');
    await expect(loadObjectsFromFiles(['.'], { baseDir: dir })).rejects.toThrow(
      /^\.: cannot read: /,
    );
  });

  it('resolves relative paths where they exist: INIT_CWD, then PROJECT_CWD, then the cwd', async () => {
    const root = await mkdtemp(join(tmpdir(), 'gitops-root-'));
    try {
      await writeFile(join(root, 'apps.yaml'), 'kind: AtRoot\n');
      await writeFile(join(dir, 'both.yaml'), 'kind: InWorkspace\n');
      await writeFile(join(root, 'both.yaml'), 'kind: AtRoot\n');
      const env = { INIT_CWD: dir, PROJECT_CWD: root };
      expect(inputBaseDirs(env)).toEqual([dir, root, process.cwd()]);
      expect(resolveInputPath('apps.yaml', inputBaseDirs(env))).toBe(
        join(root, 'apps.yaml'),
      );
      expect(resolveInputPath('both.yaml', inputBaseDirs(env))).toBe(
        join(dir, 'both.yaml'),
      );
      expect(resolveInputPath('absent.yaml', inputBaseDirs(env))).toBe(
        join(dir, 'absent.yaml'),
      );
      expect(resolveInputPath('/abs/apps.yaml', inputBaseDirs(env))).toBe(
        '/abs/apps.yaml',
      );
      expect(inputBaseDirs({})).toEqual([process.cwd()]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
