import type { Config } from '@backstage/config';

/**
 * Mistakes on the install path that leave the plugin running but useless or unsafe,
 * each named with its fix; the plugin logs them at start-up.
 */
export function installProblems(config: Config): string[] {
  const problems: string[] = [];
  const agents = config.getOptionalConfigArray('gitops.agents') ?? [];
  if (agents.length === 0) {
    problems.push(
      'gitops.agents is not set: every agent push will be refused (403). Map each agent credential, ' +
        'e.g. gitops.agents: [{ subject: gitops-agent-prod-eu, cluster: prod-eu }] (see the plugin README).',
    );
  }
  const mapped = new Set(agents.map(agent => agent.getString('subject')));
  const credentials =
    config.getOptionalConfigArray('backend.auth.externalAccess') ?? [];
  credentials.forEach((credential, index) => {
    const subject = credential.getOptionalString('options.subject');
    if (
      subject &&
      mapped.has(subject) &&
      !credential.has('accessRestrictions')
    ) {
      problems.push(
        `backend.auth.externalAccess[${index}] (subject ${subject}) has no accessRestrictions: ` +
          'this agent token can call every plugin. Add accessRestrictions: [{ plugin: gitops }].',
      );
    }
  });
  return problems;
}
