import { CustomErrorBase } from '@backstage/errors';

/** A request the backend will not take because it exceeds a configured bound (413). */
export class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;
  statusCode = 413 as const;
}
