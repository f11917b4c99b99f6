import { runNormalize, type CommandOutput } from './normalize';
import { runPush } from './push';
import { runAgent } from './run';

/** A subcommand: arguments after its name in, exit code out. */
export type CliCommand = (
  args: string[],
  out: CommandOutput,
) => Promise<number>;

/**
 * The subcommands. The agent's own run loop (`push`, with `push --files` reading
 * inputs through `loadObjectsFromFiles` in ../files) is registered here beside
 * `normalize`.
 */
export const COMMANDS: Record<string, CliCommand> = {
  normalize: runNormalize,
  push: runPush,
  run: () => runAgent(),
};

const processOutput: CommandOutput = {
  stdout: text => process.stdout.write(text),
  stderr: text => process.stderr.write(text),
};

/** Entry point of the `gitops-agent` command line. Sets the exit code; never rejects. */
export async function main(
  argv: string[],
  out: CommandOutput = processOutput,
): Promise<void> {
  const [name, ...args] = argv;
  const command = name === undefined ? undefined : COMMANDS[name];
  if (!command || !Object.prototype.hasOwnProperty.call(COMMANDS, name)) {
    out.stderr(
      `gitops-agent: ${
        name === undefined ? 'no command given' : `unknown command ${name}`
      }\n` + `Commands: ${Object.keys(COMMANDS).join(', ')}\n`,
    );
    process.exitCode = 2;
    return;
  }
  try {
    process.exitCode = await command(args, out);
  } catch (error) {
    out.stderr(
      `gitops-agent ${name}: ${(error as Error)?.stack ?? String(error)}\n`,
    );
    process.exitCode = 1;
  }
}
