/* The agent's own run loop (`gitops-agent run`) in a process of its own, so its memory is its own. */
import { runAgent } from '../../agent/src/cli/run';

runAgent().then(
  code => process.exit(code),
  error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  },
);
