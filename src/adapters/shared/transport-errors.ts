import { defineError } from '../../platform/errors.js';

/**
 * Refusals made before a request reaches a route or an RPC handler: by Node's HTTP parser, Fastify's router,
 * or grpc-js's decoding of the message. They carry a Kasir code like every other error (REST envelope, gRPC
 * ErrorInfo), so a client never has to parse a framework's own error format.
 */
export const TransportErrors = {
  REQUEST_MALFORMED: defineError('REQUEST_MALFORMED', 'invalid', 'The request is not valid HTTP/1.1 (HTTP 400); the connection is closed'),
  REQUEST_TIMEOUT: defineError('REQUEST_TIMEOUT', 'invalid', 'The request was not received in time (HTTP 408); the connection is closed'),
  URI_TOO_LONG: defineError('URI_TOO_LONG', 'invalid', 'A path segment is longer than any Kasir id or code (HTTP 414)'),
  HEADERS_TOO_LARGE: defineError('HEADERS_TOO_LARGE', 'invalid', 'The request line and headers exceed 16 KB (HTTP 431); send long values in the body'),
  MESSAGE_UNDECODABLE: defineError('MESSAGE_UNDECODABLE', 'invalid', 'The request message is not a valid protobuf encoding of the method’s request type'),
} as const;

/** HTTP statuses more precise than the kind's 400, for the transport refusals that have one. */
export const TRANSPORT_HTTP_STATUS: Readonly<Record<string, number>> = {
  REQUEST_TIMEOUT: 408,
  PAYLOAD_TOO_LARGE: 413,
  URI_TOO_LONG: 414,
  HEADERS_TOO_LARGE: 431,
};
