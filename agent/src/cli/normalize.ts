import {
  ArgoProjectIndex,
  FluxSourceIndex,
  describeRawObject,
  normalizeObject,
  type GitOpsResource,
} from '@shoehorn/plugin-gitops-common';
import { InputFileError, loadObjectsFromFiles } from '../files';

/** Where a command writes: stdout carries only the result, stderr everything else. */
export interface CommandOutput {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

const USAGE = `Usage: gitops-agent normalize FILE...

Prints the normalized GitOps records of the ArgoCD Applications and FluxCD
Kustomizations, HelmReleases and GitRepositories in the given YAML or JSON files
(multi-document YAML and \`kind: List\` included) as one JSON array on stdout, in
input order. Flux sourceRef URLs resolve against the GitRepositories in any of the
files, and an Application carries the sync windows of its AppProject when the files
hold it. Every other object is skipped with a warning on stderr. Use - for stdin.
`;

/**
 * `gitops-agent normalize FILE...`. Returns the exit code: 0 on success (skipped
 * objects included), 1 when an input is unreadable, 2 on a usage error.
 */
export async function runNormalize(
  args: string[],
  out: CommandOutput,
): Promise<number> {
  const files: string[] = [];
  let optionsEnded = false;
  for (const arg of args) {
    if (!optionsEnded && (arg === '-h' || arg === '--help')) {
      out.stdout(USAGE);
      return 0;
    }
    if (!optionsEnded && arg === '--') {
      optionsEnded = true;
    } else if (!optionsEnded && arg.startsWith('-') && arg !== '-') {
      out.stderr(`gitops-agent normalize: unknown option ${arg}\n${USAGE}`);
      return 2;
    } else {
      files.push(arg);
    }
  }
  if (files.length === 0) {
    out.stderr(`gitops-agent normalize: no input files\n${USAGE}`);
    return 2;
  }

  let loaded;
  try {
    loaded = await loadObjectsFromFiles(files);
  } catch (error) {
    if (error instanceof InputFileError) {
      out.stderr(`gitops-agent normalize: ${error.message}\n`);
      return 1;
    }
    throw error;
  }

  const sources = FluxSourceIndex.fromObjects(loaded.map(l => l.object));
  const projects = ArgoProjectIndex.fromObjects(loaded.map(l => l.object));
  const records: GitOpsResource[] = [];
  for (const { object, file, line } of loaded) {
    const result = normalizeObject(object, sources, projects);
    if (result.ok) {
      records.push(result.resource);
    } else {
      out.stderr(
        `gitops-agent normalize: skipped ${describeRawObject(
          object,
        )} (${file}:${line}): ${result.reason}\n`,
      );
    }
  }
  out.stdout(`${JSON.stringify(records, null, 2)}\n`);
  return 0;
}
