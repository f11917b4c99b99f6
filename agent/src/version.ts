/** The agent's version, from its package.json (the same relative path from src/ and dist/). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const AGENT_VERSION: string = require('../package.json').version;
