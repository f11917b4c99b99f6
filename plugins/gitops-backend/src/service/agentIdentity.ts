import { HttpAuthService } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import type { Request } from 'express';
import type { GitOpsConfig } from './config';

/** Where an authenticated agent may write: taken from config, never from a request. */
export interface AgentIdentity {
  subject: string;
  tenant: string;
  cluster: string;
}

/**
 * The tenant and cluster an agent request may write, from its credential's subject.
 * No credentials → 401 (AuthenticationError); a user or an unmapped service → 403.
 */
export async function authenticateAgent(
  httpAuth: HttpAuthService,
  agents: GitOpsConfig['agents'],
  req: Request,
): Promise<AgentIdentity> {
  const credentials = await httpAuth.credentials(req, { allow: ['service'] });
  const subject = credentials.principal.subject;
  const mapping = agents.get(subject);
  if (!mapping) {
    throw new NotAllowedError(
      `credential subject ${subject} is not a gitops agent (see gitops.agents)`,
    );
  }
  return { subject, tenant: mapping.tenant, cluster: mapping.cluster };
}
