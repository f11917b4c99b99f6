import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import {
  LineCounter,
  isSeq,
  parseAllDocuments,
  type Document,
  type Node as YamlNode,
} from 'yaml';

/** One raw object read from an input file, with where it was found. */
export interface LoadedObject {
  /** The object as parsed (YAML 1.2 core schema: timestamps stay strings). */
  object: unknown;
  /** The path as the user gave it. */
  file: string;
  /** 1-based line where the object starts. */
  line: number;
}

/** An input file that cannot be read or parsed; the message names the file (and line). */
export class InputFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    detail: string,
  ) {
    super(`${line === undefined ? file : `${file}:${line}`}: ${detail}`);
    this.name = 'InputFileError';
  }
}

/**
 * Directories a relative input path may be relative to, in order: INIT_CWD (where
 * yarn was started), PROJECT_CWD (the repository root: `yarn workspace … run` resets
 * INIT_CWD to the workspace, so a path given at the root is relative to this), then
 * the process's working directory.
 */
export function inputBaseDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const dirs = [env.INIT_CWD, env.PROJECT_CWD, process.cwd()].filter(
    (d): d is string => typeof d === 'string' && d !== '',
  );
  return [...new Set(dirs)];
}

/** Resolves a user-given path against the first base directory in which it exists. */
export function resolveInputPath(
  path: string,
  baseDirs = inputBaseDirs(),
): string {
  if (isAbsolute(path)) {
    return path;
  }
  const candidates = baseDirs.map(dir => resolve(dir, path));
  return (
    candidates.find(candidate => existsSync(candidate)) ??
    candidates[0] ??
    resolve(path)
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Expands `kind: List` (as `kubectl get -o yaml` prints) and typed lists such as
 * `ApplicationList` (as the API server answers, whose items omit apiVersion and kind)
 * into their items; anything else is one object.
 */
function expandLists(
  value: unknown,
  node: YamlNode | null | undefined,
  line: (node: YamlNode | null | undefined, fallback: number) => number,
  fallbackLine: number,
  into: Array<{ object: unknown; line: number }>,
): void {
  const at = line(node, fallbackLine);
  const listKind = isPlainObject(value) ? value.kind : undefined;
  const items = isPlainObject(value) ? value.items : undefined;
  const isList =
    typeof listKind === 'string' &&
    listKind.endsWith('List') &&
    Array.isArray(items);
  if (!isList && !Array.isArray(value)) {
    into.push({ object: value, line: at });
    return;
  }
  const elements = (isList ? items : value) as unknown[];
  const itemsNode =
    isList && node && 'get' in node ? (node as any).get('items', true) : node;
  const itemKind =
    isList && listKind !== 'List'
      ? listKind.slice(0, -'List'.length)
      : undefined;
  elements.forEach((item, i) => {
    if (
      itemKind &&
      isPlainObject(item) &&
      item.kind === undefined &&
      item.apiVersion === undefined
    ) {
      item.apiVersion = (value as Record<string, unknown>).apiVersion;
      item.kind = itemKind;
    }
    const itemNode = isSeq(itemsNode)
      ? (itemsNode.items[i] as YamlNode)
      : undefined;
    expandLists(item, itemNode, line, at, into);
  });
}

/** Parses YAML (multi-document) or JSON text into raw objects, in order. */
export function parseObjects(text: string, file: string): LoadedObject[] {
  const json = /\.json$/i.test(file);
  const lineCounter = new LineCounter();
  // JSON is YAML too: the YAML parse gives every object its line; JSON.parse stays the judge.
  const parsed = parseAllDocuments(text, {
    lineCounter,
    prettyErrors: false,
    uniqueKeys: !json,
  });
  const documents: Document[] = Array.isArray(parsed) ? parsed : [];
  const lineOf = (node: YamlNode | null | undefined, fallback: number) =>
    node?.range ? lineCounter.linePos(node.range[0]).line : fallback;
  const kind = json ? 'JSON' : 'YAML';

  for (const doc of documents) {
    const error = doc.errors[0];
    if (error) {
      const line =
        error.linePos?.[0]?.line ?? lineCounter.linePos(error.pos[0]).line;
      throw new InputFileError(
        file,
        line,
        `invalid ${kind}: ${firstLine(error.message)}`,
      );
    }
  }

  let values: Array<{ value: unknown; node: YamlNode | null | undefined }>;
  if (json) {
    if (text.trim() === '') {
      return [];
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      const position = /at position (\d+)/.exec(String((e as Error).message));
      const line = position
        ? lineCounter.linePos(Number(position[1])).line
        : undefined;
      throw new InputFileError(file, line, `invalid JSON: ${jsonErrorText(e)}`);
    }
    values = [
      {
        value,
        node: documents.length === 1 ? documents[0].contents : undefined,
      },
    ];
  } else {
    values = documents.map(doc => {
      try {
        return { value: doc.toJS({ maxAliasCount: 100 }), node: doc.contents };
      } catch (e) {
        throw new InputFileError(
          file,
          lineOf(doc.contents, 1),
          `invalid YAML: ${firstLine(String((e as Error).message))}`,
        );
      }
    });
  }

  const objects: LoadedObject[] = [];
  for (const { value, node } of values) {
    if (value === null || value === undefined) {
      continue; // an empty document, e.g. after a trailing `---`
    }
    const found: Array<{ object: unknown; line: number }> = [];
    expandLists(value, node, lineOf, 1, found);
    objects.push(...found.map(o => ({ ...o, file })));
  }
  return objects;
}

/** V8's JSON error without the quoted input it may carry (which can span lines). */
function jsonErrorText(error: unknown): string {
  const message = String((error as Error).message);
  const quoted = /^(.*?), ".*" is not valid JSON$/s.exec(message);
  return firstLine(quoted ? quoted[1] : message);
}

function firstLine(message: string): string {
  return message.split('\n')[0];
}

/**
 * Reads Kubernetes objects from YAML or JSON files, in the order given: multi-document
 * YAML, `kind: List` and typed lists are expanded. Relative paths resolve against
 * `baseDir` when given, else as {@link resolveInputPath} does; `-` reads standard input.
 * Throws {@link InputFileError} naming the file (and line) when one is unreadable.
 */
export async function loadObjectsFromFiles(
  paths: string[],
  options: { baseDir?: string; stdin?: () => Promise<string> } = {},
): Promise<LoadedObject[]> {
  const objects: LoadedObject[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text =
        path === '-'
          ? await (options.stdin ?? readStdin)()
          : await readFile(
              resolveInputPath(
                path,
                options.baseDir ? [options.baseDir] : inputBaseDirs(),
              ),
              'utf8',
            );
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const reason =
        code === 'ENOENT'
          ? 'no such file'
          : firstLine(String((e as Error).message));
      throw new InputFileError(path, undefined, `cannot read: ${reason}`);
    }
    objects.push(...parseObjects(text, path));
  }
  return objects;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) {
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString('utf8');
}
