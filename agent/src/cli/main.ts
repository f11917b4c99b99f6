/** Entry point of the `gitops-agent` command line. */
export async function main(argv: string[]): Promise<void> {
  const [command] = argv;
  process.stderr.write(`gitops-agent: unknown command ${command ?? ''}\n`);
  process.exitCode = 2;
}
