import { AppError, type FieldIssue } from '../../platform/errors.js';

/**
 * Error messages and details can echo what the client sent: a field path holds the map key it used, a message
 * may quote a value. Over gRPC they travel in trailers (grpc-message and grpc-status-details-bin), which HTTP/2
 * does not flow-control and peers cap: a 30 KB map key made a ~80 KB trailer block that broke the whole shared
 * connection (every call on it stalled to its deadline). So every error leaves Kasir bounded, on both
 * transports: at most MAX_ISSUES field issues, each path and message cut, the message cut, string details cut.
 * The bounds keep the trailers of any error under ~16 KB, below every common client's header-list limit.
 */
export const ERROR_BOUNDS = { message: 1_000, field: 200, issueMessage: 300, issues: 20, detail: 200 } as const;

const cut = (s: string, max: number): string => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** `e` with its message, field issues and string details cut to ERROR_BOUNDS; `e` itself when nothing is too long. */
export function boundError(e: AppError): AppError {
  const details = e.details;
  let changed = e.message.length > ERROR_BOUNDS.message;
  let bounded: Record<string, unknown> | undefined;
  if (details) {
    bounded = {};
    for (const [k, v] of Object.entries(details)) {
      if (k === 'fields' && Array.isArray(v)) {
        const issues = v as FieldIssue[];
        const kept = issues.slice(0, ERROR_BOUNDS.issues).map((i) => ({ ...i, field: cut(String(i.field), ERROR_BOUNDS.field), message: cut(String(i.message), ERROR_BOUNDS.issueMessage) }));
        if (issues.length > kept.length) bounded.fields_omitted = issues.length - kept.length;
        if (issues.length > kept.length || kept.some((i, n) => i.field !== issues[n]!.field || i.message !== issues[n]!.message)) changed = true;
        bounded.fields = kept;
      } else if (typeof v === 'string' && v.length > ERROR_BOUNDS.detail) {
        bounded[k] = cut(v, ERROR_BOUNDS.detail);
        changed = true;
      } else if (typeof v === 'object' && v !== null && JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)).length > ERROR_BOUNDS.detail * 5) {
        bounded[k] = cut(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x)), ERROR_BOUNDS.detail * 5);
        changed = true;
      } else {
        bounded[k] = v;
      }
    }
  }
  if (!changed) return e;
  const fields = bounded?.fields as FieldIssue[] | undefined;
  // a validation message lists its issues: rebuild it from the cut issues rather than cutting mid-issue
  const message = fields && e.message.startsWith('Invalid request: ') ? `Invalid request: ${fields.map((i) => `${i.field || '(body)'}: ${i.message}`).join('; ')}${bounded?.fields_omitted ? `; and ${String(bounded.fields_omitted)} more` : ''}` : e.message;
  return new AppError({ code: e.code, kind: e.kind, message: e.message }, bounded, cut(message, ERROR_BOUNDS.message));
}
