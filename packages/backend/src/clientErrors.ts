import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { rootHttpRouterServiceFactory } from '@backstage/backend-defaults/rootHttpRouter';

/** The status Node's own answer would carry for a request it could not parse. */
function statusOf(error: NodeJS.ErrnoException): number {
  if (error.code === 'HPE_HEADER_OVERFLOW') return 431;
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 408;
  return 400;
}

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/**
 * Answers a request Node refuses before any route runs (an oversized URL or header block, a
 * malformed request line) with the same JSON error body as every other error, not an empty one.
 */
export function answerClientErrorsAsJson(server: Server) {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const statusCode = statusOf(error);
    const body = JSON.stringify({
      error: { name: 'InputError', message: REASONS[statusCode] },
      response: { statusCode },
    });
    const head = [
      `HTTP/1.1 ${statusCode} ${REASONS[statusCode]}`,
      'Content-Type: application/json; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body)}`,
      'Connection: close',
    ];
    socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
  });
}

export const rootHttpRouterWithJsonClientErrors = rootHttpRouterServiceFactory({
  configure: ({ server, applyDefaults }) => {
    answerClientErrorsAsJson(server as Server);
    applyDefaults();
  },
});
