import { createHash } from 'node:crypto';
import { withTransaction, type Actor, type Ctx, type TxCtx } from './context.js';
import { AppError, CommonErrors } from './errors.js';
import { uuidv7 } from './ids.js';
import { sql } from 'drizzle-orm';
import { affected, rowsOf } from './db.js';

export interface StoredResponse {
  status: number;
  /** The serialized response body exactly as first sent. */
  body: string;
}

/** What an execution produces: the response, and optionally a redacted body to keep for replays. */
export interface ExecutedResponse extends StoredResponse {
  /**
   * Stored and replayed instead of `body` when the first response carries a secret that must be shown once
   * (a new API key): replays then say the secret was already shown rather than keeping it at rest.
   */
  replayBody?: string;
}

export interface IdempotentRequest {
  key: string;
  /** Transport and operation, e.g. `POST /api/v1/outlets` or `/pos.v1.StaffService/CreateOutlet`. */
  scope: string;
  /** Hash of everything that makes the request what it is (path params, query, body). */
  requestHash: string;
}

const KEY_RE = /^[\x21-\x7e]{1,255}$/;

export function assertIdempotencyKey(key: string): void {
  if (!KEY_RE.test(key)) throw new AppError(CommonErrors.INVALID_IDEMPOTENCY_KEY, { field: 'Idempotency-Key' });
}

/** Stable hash of a request: keys sorted at every level, so field order does not matter. */
export function hashRequest(scope: string, parts: unknown): string {
  return createHash('sha256').update(scope).update('\0').update(canonicalJson(parts)).digest('base64url');
}

/** Deeper than any request Kasir takes; a body nested past it (unvalidated, e.g. JSON sent to an upload route) is refused. */
const MAX_DEPTH = 64;

function canonicalJson(v: unknown, depth = 0): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(typeof v === 'bigint' ? v.toString() : v) ?? 'null';
  // Found by fuzzing: 50,000 nested arrays overflowed the stack here, a 500.
  if (depth > MAX_DEPTH) throw new AppError(CommonErrors.VALIDATION_FAILED, { fields: [{ field: '', message: `is nested more than ${MAX_DEPTH} levels deep` }] });
  if (Array.isArray(v)) return `[${v.map((x) => canonicalJson(x, depth + 1)).join(',')}]`;
  if (Buffer.isBuffer(v)) return JSON.stringify(v.toString('base64'));
  const entries = Object.entries(v as Record<string, unknown>)
    .filter(([, x]) => x !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${canonicalJson(x, depth + 1)}`).join(',')}}`;
}

type Row = { scope: string; request_hash: string; state: 'in_flight' | 'done'; response_status: number | null; response_body: string | null; lease_expired: boolean };

/**
 * Request-level idempotency, one mechanism for every write route and RPC:
 * - the first request with a key claims it (a short committed transaction) and runs;
 * - its response is recorded in the same transaction as its business writes, so a crash either loses both
 *   or keeps both: an acknowledged write always has its replay, and a replay never exists without its write;
 * - a repeat with the same request replays the recorded response; with a different request it is refused
 *   (422); while the first is still running it gets 409 and may retry;
 * - a claim whose holder crashed expires after `leaseMs` and is taken over; the lock token makes sure only
 *   the current holder can record a response, so two executions can never both commit.
 * Failures are not recorded: nothing was written, so a retry runs again.
 */
export class IdempotencyStore {
  constructor(
    private readonly ttlHours: number,
    private readonly leaseMs = 30_000,
  ) {}

  async run(ctx: Ctx, given: IdempotentRequest, work: (tx: TxCtx) => Promise<ExecutedResponse>): Promise<{ replayed: boolean; response: StoredResponse }> {
    assertIdempotencyKey(given.key);
    // Who asked is part of the request: a replay skips the handler and so its permission checks, and a
    // response may hold what only its first caller may see (a new API key's secret). Another actor of the
    // tenant reusing the key string gets 422, never someone else's response.
    const req = { ...given, requestHash: createHash('sha256').update(given.requestHash).update('\0').update(actorIdentity(ctx.actor)).digest('base64url') };
    const token = uuidv7();
    const claim = await withTransaction(ctx, (tx) => this.claim(tx, req, token));
    if (claim) return { replayed: true, response: claim };
    try {
      const response = await withTransaction(ctx, async (tx) => {
        const r = await work(tx);
        const done = await tx.db.execute(sql`
          UPDATE idempotency_keys SET state = 'done', response_status = ${r.status}, response_body = ${r.replayBody ?? r.body}
           WHERE tenant_id = ${tx.tenantId} AND key = ${req.key} AND lock_token = ${token} AND state = 'in_flight'`);
        if (affected(done) !== 1) throw new AppError(CommonErrors.IDEMPOTENCY_KEY_IN_FLIGHT, { key: req.key });
        return { status: r.status, body: r.body };
      });
      return { replayed: false, response };
    } catch (e) {
      await withTransaction(ctx, (tx) =>
        tx.db.execute(sql`DELETE FROM idempotency_keys WHERE tenant_id = ${tx.tenantId} AND key = ${req.key} AND lock_token = ${token} AND state = 'in_flight'`),
      ).catch(() => undefined); // if this fails too, the lease runs out
      throw e;
    }
  }

  /** Returns a recorded response to replay, or undefined when this request now holds the key. */
  private async claim(tx: TxCtx, req: IdempotentRequest, token: string): Promise<StoredResponse | undefined> {
    const inserted = await tx.db.execute(sql`
      INSERT INTO idempotency_keys (tenant_id, key, scope, request_hash, state, lock_token, locked_until, expires_at)
      VALUES (${tx.tenantId}, ${req.key}, ${req.scope}, ${req.requestHash}, 'in_flight', ${token},
              now() + ${`${this.leaseMs} milliseconds`}::interval, now() + ${`${this.ttlHours} hours`}::interval)
      ON CONFLICT (tenant_id, key) DO NOTHING`);
    if (affected(inserted) === 1) return undefined;
    const rows = rowsOf<Row>(
      await tx.db.execute(sql`
        SELECT scope, request_hash, state, response_status, response_body, locked_until < now() AS lease_expired
          FROM idempotency_keys WHERE tenant_id = ${tx.tenantId} AND key = ${req.key} FOR UPDATE`),
    );
    const row = rows[0];
    if (!row) throw new AppError(CommonErrors.IDEMPOTENCY_KEY_IN_FLIGHT, { key: req.key }); // purged between the two statements
    if (row.scope !== req.scope || row.request_hash !== req.requestHash) {
      throw new AppError(CommonErrors.IDEMPOTENCY_KEY_REUSED, { key: req.key, first_used_for: row.scope });
    }
    if (row.state === 'done') return { status: row.response_status!, body: row.response_body! };
    if (!row.lease_expired) throw new AppError(CommonErrors.IDEMPOTENCY_KEY_IN_FLIGHT, { key: req.key });
    await tx.db.execute(sql`
      UPDATE idempotency_keys SET lock_token = ${token}, locked_until = now() + ${`${this.leaseMs} milliseconds`}::interval
       WHERE tenant_id = ${tx.tenantId} AND key = ${req.key}`);
    return undefined;
  }
}

function actorIdentity(a: Actor): string {
  return `${a.kind}:${a.membershipId ?? a.apiKeyId ?? a.customerId ?? a.userId ?? ''}`;
}

/** Deletes keys past their retention; run by the purge job as kasir_system. Returns how many went. */
export async function purgeExpiredIdempotencyKeys(db: TxCtx['db'], batch = 5_000): Promise<number> {
  const r = await db.execute(sql`
    DELETE FROM idempotency_keys WHERE ctid IN (SELECT ctid FROM idempotency_keys WHERE expires_at < now() LIMIT ${batch})`);
  return affected(r);
}
