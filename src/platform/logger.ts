import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs on stdout; secrets never reach them (credential headers are redacted). */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'kasir' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'req.headers["x-platform-admin-key"]', 'secret', '*.secret', 'password'],
      censor: '[redacted]',
    },
  });
}
