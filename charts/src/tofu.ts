/*
 * Runs the real OpenTofu binary (TOFU_BIN, built by `scripts/build-tofu.sh`) on the Terraform
 * module. A missing binary is an error that says how to get it, never a skip.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CHARTS_ROOT, exitCode } from './helm';

/** Directory of the Terraform module. */
export const TERRAFORM_MODULE_DIR = path.resolve(
  CHARTS_ROOT,
  '../terraform/shoehorn-kubernetes',
);

/** The outcome of one tofu command. */
export interface TofuResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Finds tofu, or throws saying how to build it. */
export function findTofu(): string {
  const bin = process.env.TOFU_BIN;
  try {
    if (bin && fs.statSync(bin).isFile()) {
      fs.accessSync(bin, fs.constants.X_OK);
      return bin;
    }
  } catch {
    // reported below
  }
  throw new Error(
    [
      '',
      '*** The Terraform module tests need a real OpenTofu binary. ***',
      `TOFU_BIN is ${
        bin ? `"${bin}", which is not an executable file` : 'unset'
      }.`,
      'Build it once (cached outside the repository) and export the path:',
      '  eval "$(bash scripts/build-tofu.sh)"',
      'then run the tests again.',
      '',
    ].join('\n'),
  );
}

let cliConfig: string | undefined;

/** Runs tofu in `cwd` with an empty CLI configuration; never throws on a non-zero exit. */
export async function tofu(
  args: string[],
  options: { cwd: string; input?: string },
): Promise<TofuResult> {
  const bin = findTofu();
  if (!cliConfig) {
    cliConfig = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-tofu-')),
      'tofurc',
    );
    fs.writeFileSync(cliConfig, '');
  }
  return new Promise(resolve => {
    const child = execFile(
      bin,
      args,
      {
        cwd: options.cwd,
        env: {
          ...process.env,
          TF_CLI_CONFIG_FILE: cliConfig,
          TF_IN_AUTOMATION: '1',
          TF_DATA_DIR: path.join(options.cwd, '.tofu-data'),
          NO_COLOR: '1',
        },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        resolve({ code: exitCode(error), stdout, stderr });
      },
    );
    child.stdin?.end(options.input ?? '');
  });
}
