import { z } from 'zod';
import { validationError, type FieldIssue } from './errors.js';
import { isTimeZone } from './time.js';
import { SUPPORTED_CURRENCIES } from './money.js';

/** zod issues → field issues with dotted paths, every one of them (not only the first). */
export function toFieldIssues(issues: readonly z.core.$ZodIssue[], prefix = ''): FieldIssue[] {
  return issues.map((i) => ({
    field: [prefix, ...i.path.map(String)].filter(Boolean).join('.'),
    message: i.message,
  }));
}

/**
 * Validates a wire-shaped input (snake_case, as REST JSON and gRPC messages both are) against a module's schema.
 * Services call this, so both transports refuse the same bad input with the same field names.
 */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw validationError(toFieldIssues(r.error.issues));
  return r.data;
}

export const uuidField = () => z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, 'must be a UUID').transform((s) => s.toLowerCase());
export const nameField = (max = 200) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);
export const codeField = () =>
  z.string().trim().min(1, 'must not be empty').max(40, 'must be at most 40 characters').regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'letters, digits, dot, dash and underscore only');
export const timeZoneField = () => z.string().refine(isTimeZone, 'must be an IANA time zone such as Asia/Jakarta');
export const currencyField = () => z.string().refine((c) => SUPPORTED_CURRENCIES.includes(c), `must be one of ${SUPPORTED_CURRENCIES.join(', ')}`);
