import { CustomErrorBase } from '@backstage/errors';
import { SESSION_SUPERSEDED_ERROR } from '@shoehorn/plugin-gitops-common';

// Each status is a getter, so Backstage's error handler reads it but never serializes it.

/** A request the backend will not take because it exceeds a configured bound (413). */
export class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;
  get statusCode() {
    return 413;
  }
}

/** A push of an agent session that a newer session of its cluster and tool replaced (409). */
export class SessionSupersededError extends CustomErrorBase {
  name = SESSION_SUPERSEDED_ERROR;
  get statusCode() {
    return 409;
  }
}
