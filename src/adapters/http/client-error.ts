import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { AppError, type ErrorDefinition } from '../../platform/errors.js';
import { TransportErrors, TRANSPORT_HTTP_STATUS } from '../shared/transport-errors.js';
import { errorBody } from './error-response.js';

/** How long a refused connection is kept open to read what the client is still sending (see below). */
export const LINGER_MS = 2_000;

const answered = new WeakSet<Socket>();

/**
 * Node's HTTP parser refuses a request before Fastify sees it: a request line and headers over 16 KB (431), a
 * request not received in time (408), bytes that are not HTTP (400). Fastify's default answer had no Kasir code,
 * no `Connection: close`, and destroyed the socket at once. Destroying a socket that still holds unread bytes
 * (the rest of a 1 MB URL) makes the kernel send a reset, which can discard the answer before the client reads
 * it, and a client that was told nothing about closing may already have sent its next request on that
 * connection: about 1 in 10,000 fuzz requests got no answer at all.
 *
 * Here every such refusal gets the Kasir envelope with its code and `Connection: close`; the socket's write side
 * is ended (the answer is flushed, then FIN) and what the client still sends is read and dropped for up to
 * LINGER_MS ("lingering close", as nginx and Apache do) so that the answer arrives before the connection goes.
 */
export function answerClientError(err: Error & { code?: string }, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed || answered.has(socket)) return;
  answered.add(socket);
  const def: ErrorDefinition =
    err.code === 'HPE_HEADER_OVERFLOW' ? TransportErrors.HEADERS_TOO_LARGE : err.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? TransportErrors.REQUEST_TIMEOUT : TransportErrors.REQUEST_MALFORMED;
  const status = TRANSPORT_HTTP_STATUS[def.code] ?? 400;
  const body = JSON.stringify(errorBody(new AppError(def)));
  if (socket.writable) {
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.on('data', () => undefined); // the parser has given up on this socket: drop what still arrives
  socket.resume();
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}
