import { sql } from 'drizzle-orm';
import type { Log, TxScope } from './context.js';
import type { Database, Db } from './db.js';
import { notifyAfterCommit } from './db.js';
import { rowsOf } from './db.js';
import { uuidv7 } from './ids.js';
import { jsonPayload } from './jobs.js';
import { WakeLoop } from './wake-loop.js';

/**
 * The transactional outbox. A state change that another system may care about records an event in its own
 * transaction; the relay hands committed events, in id order, to subscribers (webhooks, the realtime stream,
 * jobs) and marks them published. Consumers dedupe by event id.
 */
export const OUTBOX_CHANNEL = 'kasir_outbox';

/** Any key: serializes relays so that events go out in one order however many relays run. */
const RELAY_LOCK = 7_104_050_054;

const EVENT_TYPE_RE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

export interface NewEvent {
  /** Past tense, dotted: `order.completed`, `stock.low`. */
  type: string;
  aggregateType: string;
  aggregateId: string;
  /** JSON; what a webhook receiver gets, so no secrets and no internal-only fields. */
  payload: unknown;
}

export interface OutboxEvent {
  /** UUIDv7: ordered by time of recording, and what consumers dedupe by. */
  id: string;
  tenantId: string;
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload: unknown;
  occurredAt: Date;
}

/** Records `event` in the caller's tenant transaction; the relay is woken when (and only if) it commits. */
export async function recordEvent(tx: TxScope, event: NewEvent): Promise<string> {
  if (!EVENT_TYPE_RE.test(event.type)) throw new Error(`event type "${event.type}" must be dotted lower case, e.g. order.completed`);
  const id = uuidv7();
  await tx.db.execute(sql`
    INSERT INTO outbox_events (tenant_id, id, type, aggregate_type, aggregate_id, payload)
    VALUES (${tx.tenantId}, ${id}, ${event.type}, ${event.aggregateType}, ${event.aggregateId}, ${jsonPayload(event.payload)}::jsonb)`);
  // Woken after commit, not by a NOTIFY inside the transaction (see notifyAfterCommit).
  notifyAfterCommit(tx.db, OUTBOX_CHANNEL);
  return id;
}

/**
 * Receives each matching event inside the relay's system transaction (kasir_system, all tenants), together
 * with marking it published: what it writes there (e.g. `enqueueSystem(db, ..., { tenantId: event.tenantId })`)
 * commits with the event's publication or not at all. Keep it short; slow or external work belongs in a job.
 */
export type Subscriber = (event: OutboxEvent, db: Db) => Promise<void>;

export interface RelayOptions {
  log: Log;
  /** Fallback poll when no NOTIFY arrives (default 1 s). */
  pollMs?: number;
  /** Events per transaction (default 100). */
  batchSize?: number;
  /** Tries of a failing event before it is set aside with its error (default 10). */
  maxAttempts?: number;
  /** First wait after a failure; doubles per attempt up to a minute (default 1 s). */
  backoffMs?: number;
}

type Row = { tenant_id: string; id: string; type: string; aggregate_type: string; aggregate_id: string; payload: unknown; occurred_at: Date | string; attempts: number };

/**
 * Publishes committed events to subscribers. Several relays may run (one per worker process): an advisory
 * lock lets one relay work at a time, so events go out in id order, and rows are claimed with
 * FOR UPDATE SKIP LOCKED, so no event is handed out twice. A failing event stops its batch (later events
 * wait behind it, keeping the order) and is retried with backoff until `maxAttempts`.
 */
export class OutboxRelay {
  private readonly subscribers: { matches: (type: string) => boolean; handler: Subscriber }[] = [];
  private readonly loop: WakeLoop;
  private readonly batchSize: number;
  private readonly maxAttempts: number;
  private readonly backoffMs: number;

  constructor(
    private readonly database: Database,
    private readonly opts: RelayOptions,
  ) {
    this.batchSize = opts.batchSize ?? 100;
    this.maxAttempts = opts.maxAttempts ?? 10;
    this.backoffMs = opts.backoffMs ?? 1_000;
    this.loop = new WakeLoop(database, OUTBOX_CHANNEL, opts.pollMs ?? 1_000, () => this.drain(), opts.log);
  }

  /**
   * Calls `handler` for every event whose type matches `typePattern`: an exact type, or a glob where `*`
   * stands for any run of characters (`order.*`, `*.completed`, `*`). Returns a function that unsubscribes.
   */
  subscribe(typePattern: string, handler: Subscriber): () => void {
    const re = new RegExp(`^${typePattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    const entry = { matches: (t: string) => re.test(t), handler };
    this.subscribers.push(entry);
    return () => {
      const i = this.subscribers.indexOf(entry);
      if (i >= 0) this.subscribers.splice(i, 1);
    };
  }

  start(): Promise<void> {
    return this.loop.start();
  }

  /** Publishes everything committed so far (unless another relay holds the turn); for tests and tools. */
  poll(): Promise<void> {
    return this.loop.runNow();
  }

  /** Stops waking; the batch under way finishes (its transaction commits or rolls back as a whole). */
  stop(): Promise<void> {
    return this.loop.stop();
  }

  private async drain(): Promise<void> {
    for (;;) {
      const r = await this.relayBatch();
      if (r.retryInMs !== undefined) return this.loop.pause(r.retryInMs);
      if (r.count < this.batchSize) return;
    }
  }

  private relayBatch(): Promise<{ count: number; retryInMs?: number }> {
    return this.database.systemTransaction(async (db) => {
      const [turn] = rowsOf<{ ok: boolean }>(await db.execute(sql`SELECT pg_try_advisory_xact_lock(${RELAY_LOCK}) AS ok`));
      if (!turn?.ok) return { count: 0 }; // another relay is publishing; it drains until a short batch
      const rows = rowsOf<Row>(
        await db.execute(sql`
          SELECT tenant_id, id, type, aggregate_type, aggregate_id, payload, occurred_at, attempts
            FROM outbox_events WHERE published_at IS NULL ORDER BY id LIMIT ${this.batchSize} FOR UPDATE SKIP LOCKED`),
      );
      const published: string[] = [];
      let retryInMs: number | undefined;
      for (const row of rows) {
        const event = toEvent(row);
        const subs = this.subscribers.filter((s) => s.matches(event.type));
        if (subs.length === 0) {
          published.push(event.id);
          continue;
        }
        await db.execute(sql`SAVEPOINT outbox_event`);
        try {
          for (const s of subs) await s.handler(event, db);
          await db.execute(sql`RELEASE SAVEPOINT outbox_event`);
          published.push(event.id);
        } catch (e) {
          await db.execute(sql`ROLLBACK TO SAVEPOINT outbox_event`);
          const attempts = row.attempts + 1;
          const setAside = attempts >= this.maxAttempts;
          const err = e instanceof Error ? e.message || e.name : String(e);
          await db.execute(sql`
            UPDATE outbox_events SET attempts = ${attempts}, last_error = ${err.slice(0, 4000)},
                   published_at = CASE WHEN ${setAside} THEN now() END
             WHERE tenant_id = ${event.tenantId} AND id = ${event.id}`);
          const fields = { event_id: event.id, type: event.type, tenant_id: event.tenantId, attempts, err };
          if (setAside) {
            this.opts.log.error(fields, 'outbox event set aside after repeated subscriber failures');
            continue;
          }
          this.opts.log.warn(fields, 'outbox subscriber failed; the event is retried');
          retryInMs = Math.min(this.backoffMs * 2 ** (attempts - 1), 60_000);
          break;
        }
      }
      if (published.length) {
        await db.execute(sql`
          UPDATE outbox_events SET published_at = now()
           WHERE published_at IS NULL AND id IN (${sql.join(published.map((id) => sql`${id}`), sql`, `)})`);
      }
      return { count: retryInMs === undefined ? rows.length : 0, ...(retryInMs === undefined ? {} : { retryInMs }) };
    });
  }
}

function toEvent(r: Row): OutboxEvent {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    type: r.type,
    aggregateType: r.aggregate_type,
    aggregateId: r.aggregate_id,
    payload: r.payload,
    occurredAt: r.occurred_at instanceof Date ? r.occurred_at : new Date(r.occurred_at),
  };
}
