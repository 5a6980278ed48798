/** PostgreSQL SQLSTATEs the services translate into domain errors. */
export const PG_UNIQUE_VIOLATION = '23505';
export const PG_FOREIGN_KEY_VIOLATION = '23503';

/** The constraint name of a unique violation, or undefined if `e` is something else. */
export function uniqueViolation(e: unknown): string | undefined {
  const err = (e as { cause?: unknown }).cause ?? e;
  const pgErr = err as { code?: string; constraint?: string; detail?: string };
  if (pgErr?.code !== PG_UNIQUE_VIOLATION) return undefined;
  return pgErr.constraint ?? pgErr.detail ?? 'unique';
}

/**
 * PostgreSQL refused a value as data (SQLSTATE class 22: a NUL character in text, a number out of range, an
 * invalid encoding): the request was bad, not the server. Looks down the cause chain (Drizzle wraps errors).
 */
export function dataException(e: unknown): string | undefined {
  for (const err of causeChain(e)) if (typeof err.code === 'string' && /^22[0-9A-Z]{3}$/.test(err.code)) return err.code;
  return undefined;
}

/** `e` and its causes, outermost first (Drizzle wraps a driver error as the cause of its own); a few at most. */
export function* causeChain(e: unknown): Generator<{ code?: string; message?: string }> {
  for (let err = e as { code?: string; message?: string; cause?: unknown } | undefined, depth = 0; err && typeof err === 'object' && depth < 4; err = err.cause as typeof err, depth++) {
    yield err;
  }
}

export function foreignKeyViolation(e: unknown): boolean {
  const err = ((e as { cause?: unknown }).cause ?? e) as { code?: string };
  return err?.code === PG_FOREIGN_KEY_VIOLATION;
}
