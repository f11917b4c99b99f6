import { ResponseError } from '@backstage/errors';

/** The server's own explanation of a failed request, else the error's message. */
export function errorMessage(error: unknown): string {
  if (ResponseError.is(error) && error.cause?.message) {
    return error.cause.message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** The line that adds the backend plugin to an app's `packages/backend/src/index.ts`. */
export const BACKEND_INSTALL_LINE =
  "backend.add(import('@shoehorn/plugin-gitops-backend'));";

/** No gitops backend answers at /api/gitops: the frontend was installed without it. */
export class GitOpsBackendMissingError extends Error {
  constructor(readonly url: string) {
    super(
      `No GitOps backend answers at ${url}: add ${BACKEND_INSTALL_LINE} to packages/backend/src/index.ts and restart the backend.`,
    );
    this.name = 'GitOpsBackendMissingError';
  }

  static is(error: unknown): error is GitOpsBackendMissingError {
    return (error as Error | undefined)?.name === 'GitOpsBackendMissingError';
  }
}
