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

export function foreignKeyViolation(e: unknown): boolean {
  const err = ((e as { cause?: unknown }).cause ?? e) as { code?: string };
  return err?.code === PG_FOREIGN_KEY_VIOLATION;
}
