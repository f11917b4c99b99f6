import { ResponseError } from '@backstage/errors';

/** The server's own explanation of a failed request, else the error's message. */
export function errorMessage(error: unknown): string {
  if (ResponseError.is(error) && error.cause?.message) {
    return error.cause.message;
  }
  return error instanceof Error ? error.message : String(error);
}
