import { sql, type SQL } from 'drizzle-orm';
import type { TxScope } from '../../platform/context.js';
import { rowsOf } from '../../platform/db.js';
import { uuidv7 } from '../../platform/ids.js';
import { jsonPayload } from '../../platform/jobs.js';
import { preparedRows } from '../../platform/prepared.js';
import type { DenominationCount, EntryKind, SessionStatus } from './cash-session.js';

/** A cash session as stored. Money is bigint minor units. */
export interface CashSession {
  id: string;
  terminalId: string;
  outletId: string;
  seq: number;
  status: SessionStatus;
  currency: string;
  openedBy: string | null;
  openedAt: Date;
  openingFloat: bigint;
  openingCount: DenominationCount | null;
  handoverFrom: string | null;
  expectedCash: bigint;
  blind: boolean;
  closedBy: string | null;
  closedAt: Date | null;
  countedCash: bigint | null;
  closingCount: DenominationCount | null;
  variance: bigint | null;
  closeNote: string | null;
  approvedBy: string | null;
  approvedAt: Date | null;
  autoClosed: boolean;
  needsReview: boolean;
  zReport: Record<string, unknown> | null;
  updatedAt: Date;
}

export interface SessionEntry {
  id: string;
  sessionId: string;
  kind: EntryKind;
  tenderType: string | null;
  amount: bigint;
  change: bigint | null;
  orderId: string | null;
  paymentId: string | null;
  refundId: string | null;
  reason: string | null;
  flagged: boolean;
  createdBy: string | null;
  createdAt: Date;
}

type Row = Record<string, unknown>;
const big = (v: unknown): bigint => BigInt(v as string | number | bigint);
const bigOrNull = (v: unknown): bigint | null => (v === null || v === undefined ? null : big(v));
const date = (v: unknown): Date => (v instanceof Date ? v : new Date(v as string));
const dateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : date(v));
const json = <T>(v: unknown): T | null => (v === null || v === undefined ? null : typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

export function toSession(r: Row): CashSession {
  return {
    id: r.id as string,
    terminalId: r.terminal_id as string,
    outletId: r.outlet_id as string,
    seq: Number(r.seq),
    status: r.status as SessionStatus,
    currency: r.currency as string,
    openedBy: (r.opened_by as string | null) ?? null,
    openedAt: date(r.opened_at),
    openingFloat: big(r.opening_float),
    openingCount: json<DenominationCount>(r.opening_count),
    handoverFrom: (r.handover_from as string | null) ?? null,
    expectedCash: big(r.expected_cash),
    blind: Boolean(r.blind),
    closedBy: (r.closed_by as string | null) ?? null,
    closedAt: dateOrNull(r.closed_at),
    countedCash: bigOrNull(r.counted_cash),
    closingCount: json<DenominationCount>(r.closing_count),
    variance: bigOrNull(r.variance),
    closeNote: (r.close_note as string | null) ?? null,
    approvedBy: (r.approved_by as string | null) ?? null,
    approvedAt: dateOrNull(r.approved_at),
    autoClosed: Boolean(r.auto_closed),
    needsReview: Boolean(r.needs_review),
    zReport: json<Record<string, unknown>>(r.z_report),
    updatedAt: date(r.updated_at),
  };
}

function toEntry(r: Row): SessionEntry {
  return {
    id: r.id as string,
    sessionId: r.session_id as string,
    kind: r.kind as EntryKind,
    tenderType: (r.tender_type as string | null) ?? null,
    amount: big(r.amount),
    change: bigOrNull(r.change),
    orderId: (r.order_id as string | null) ?? null,
    paymentId: (r.payment_id as string | null) ?? null,
    refundId: (r.refund_id as string | null) ?? null,
    reason: (r.reason as string | null) ?? null,
    flagged: Boolean(r.flagged),
    createdBy: (r.created_by as string | null) ?? null,
    createdAt: date(r.created_at),
  };
}

export interface NewSession {
  terminalId: string;
  outletId: string;
  currency: string;
  openedBy: string | null;
  openingFloat: bigint;
  openingCount: DenominationCount | null;
  handoverFrom: string | null;
  blind: boolean;
  note: string | null;
}

/** One entry of a session's ledger, as the sale hooks and the movements write it. */
export interface NewEntry {
  id?: string;
  kind: EntryKind;
  tenderType: string | null;
  amount: bigint;
  change?: bigint | null;
  orderId?: string | null;
  paymentId?: string | null;
  refundId?: string | null;
  reason?: string | null;
  flagged?: boolean;
}

const entriesJson = (entries: readonly NewEntry[]) =>
  jsonPayload(
    entries.map((e) => ({
      id: e.id ?? uuidv7(),
      kind: e.kind,
      tender_type: e.tenderType,
      amount: e.amount.toString(),
      change: e.change === null || e.change === undefined ? null : e.change.toString(),
      order_id: e.orderId ?? null,
      payment_id: e.paymentId ?? null,
      refund_id: e.refundId ?? null,
      reason: e.reason ?? null,
      flagged: e.flagged ?? false,
    })),
  );

/** INSERT ... SELECT of `entries` into the session named by `sessionId` (an SQL expression), as a CTE body. */
const insertEntries = (tx: TxScope, sessionFrom: SQL, entries: readonly NewEntry[], by: string | null) => sql`
  INSERT INTO cash_session_entries (tenant_id, session_id, id, kind, tender_type, amount, change, order_id, payment_id, refund_id, reason, flagged, created_by)
  SELECT ${tx.tenantId}, s.id, x.id, x.kind, x.tender_type, x.amount, x.change, x.order_id, x.payment_id, x.refund_id, x.reason, x.flagged, ${by}::uuid
    FROM ${sessionFrom} s,
         jsonb_to_recordset(${entriesJson(entries)}::jsonb) AS x(id uuid, kind text, tender_type text, amount bigint, change bigint, order_id uuid, payment_id uuid, refund_id uuid, reason text, flagged boolean)
  RETURNING 1`;

export const cashSessionRepository = {
  async byId(tx: TxScope, id: string, lock = false): Promise<CashSession | undefined> {
    const rows = rowsOf<Row>(await tx.db.execute(sql`SELECT * FROM cash_sessions WHERE tenant_id = ${tx.tenantId} AND id = ${id} ${lock ? sql`FOR UPDATE` : sql``}`));
    return rows[0] ? toSession(rows[0]) : undefined;
  },

  async openOn(tx: TxScope, terminalId: string): Promise<CashSession | undefined> {
    const rows = rowsOf<Row>(await tx.db.execute(sql`SELECT * FROM cash_sessions WHERE tenant_id = ${tx.tenantId} AND terminal_id = ${terminalId} AND status = 'OPEN'`));
    return rows[0] ? toSession(rows[0]) : undefined;
  },

  /** Inserts the session and its FLOAT entry in one statement; the partial unique index refuses a second open one. */
  async insert(tx: TxScope, s: NewSession): Promise<CashSession> {
    const id = uuidv7();
    const rows = rowsOf<Row>(
      await tx.db.execute(sql`
        WITH s AS (
          INSERT INTO cash_sessions (tenant_id, id, terminal_id, outlet_id, seq, currency, opened_by, opening_float, opening_count, handover_from, expected_cash, blind)
          VALUES (${tx.tenantId}, ${id}, ${s.terminalId}, ${s.outletId},
                  (SELECT coalesce(max(seq), 0) + 1 FROM cash_sessions WHERE tenant_id = ${tx.tenantId} AND terminal_id = ${s.terminalId}),
                  ${s.currency}, ${s.openedBy}, ${s.openingFloat}, ${s.openingCount === null ? null : JSON.stringify(s.openingCount)}::jsonb,
                  ${s.handoverFrom}, ${s.openingFloat}, ${s.blind})
          RETURNING *),
        e AS (${insertEntries(tx, sql`s`, [{ kind: 'FLOAT', tenderType: 'CASH', amount: s.openingFloat, reason: s.note }], s.openedBy)})
        SELECT s.*, (SELECT count(*) FROM e) AS entries FROM s`),
    );
    return toSession(rows[0]!);
  },

  /** Appends entries to a session the caller holds (FOR UPDATE) and moves its expected cash by `cashDelta`. */
  async append(tx: TxScope, sessionId: string, entries: readonly NewEntry[], cashDelta: bigint, by: string | null): Promise<CashSession | undefined> {
    const rows = rowsOf<Row>(
      await tx.db.execute(sql`
        WITH s AS (
          UPDATE cash_sessions SET expected_cash = expected_cash + ${cashDelta}, updated_at = now()
           WHERE tenant_id = ${tx.tenantId} AND id = ${sessionId} AND status = 'OPEN' RETURNING *),
        e AS (${insertEntries(tx, sql`s`, entries, by)})
        SELECT s.*, (SELECT count(*) FROM e) AS entries FROM s`),
    );
    return rows[0] ? toSession(rows[0]) : undefined;
  },

  /**
   * THE SALE PATH, one statement: moves the open session of `terminalId` (a guarded UPDATE ... WHERE status =
   * 'OPEN', which waits for a close holding the row and then finds it closed), appends the entries, and says
   * whether the tenant requires an open session. session_id is null when the terminal has none open.
   */
  async recordSale(tx: TxScope, terminalId: string, entries: readonly NewEntry[], cashDelta: bigint, by: string | null): Promise<{ sessionId: string | null; required: boolean }> {
    const [r] = await preparedRows<{ session_id: string | null; required: boolean }>(
      tx,
      'registers_sale',
      sql`
        WITH s AS (
          UPDATE cash_sessions SET expected_cash = expected_cash + ${cashDelta.toString()}::bigint, updated_at = now()
           WHERE tenant_id = ${tx.tenantId} AND terminal_id = ${terminalId}::uuid AND status = 'OPEN' RETURNING id),
        e AS (${insertEntries(tx, sql`s`, entries, by)})
        SELECT (SELECT id FROM s) AS session_id, (SELECT count(*) FROM e) AS n,
               coalesce((SELECT require_open_session FROM register_settings WHERE tenant_id = ${tx.tenantId}), false) AS required`,
    );
    return { sessionId: r?.session_id ?? null, required: Boolean(r?.required) };
  },

  async close(tx: TxScope, id: string, set: { status: SessionStatus; closedBy: string | null; countedCash: bigint; closingCount: DenominationCount | null; variance: bigint; note: string | null; approvedBy: string | null; autoClosed: boolean; needsReview: boolean; zReport: unknown }): Promise<CashSession | undefined> {
    const rows = rowsOf<Row>(
      await tx.db.execute(sql`
        UPDATE cash_sessions
           SET status = ${set.status}, closed_by = ${set.closedBy}, closed_at = now(), counted_cash = ${set.countedCash},
               closing_count = ${set.closingCount === null ? null : JSON.stringify(set.closingCount)}::jsonb, variance = ${set.variance},
               close_note = ${set.note}, approved_by = ${set.approvedBy}, approved_at = CASE WHEN ${set.approvedBy}::uuid IS NULL THEN NULL ELSE now() END,
               auto_closed = ${set.autoClosed}, needs_review = ${set.needsReview}, z_report = ${jsonPayload(set.zReport)}::jsonb, updated_at = now()
         WHERE tenant_id = ${tx.tenantId} AND id = ${id} AND status = 'OPEN'
        RETURNING *`),
    );
    return rows[0] ? toSession(rows[0]) : undefined;
  },

  async approve(tx: TxScope, id: string, by: string | null, note: string | null): Promise<CashSession | undefined> {
    const rows = rowsOf<Row>(
      await tx.db.execute(sql`
        UPDATE cash_sessions SET status = 'CLOSED', approved_by = ${by}, approved_at = now(), updated_at = now(),
               close_note = coalesce(${note}, close_note)
         WHERE tenant_id = ${tx.tenantId} AND id = ${id} AND status = 'RECONCILING' RETURNING *`),
    );
    return rows[0] ? toSession(rows[0]) : undefined;
  },

  async list(tx: TxScope, limit: number, after: string | undefined, f: { terminalId?: string | undefined; status?: SessionStatus | undefined; needsReview?: boolean | undefined }): Promise<CashSession[]> {
    const rows = rowsOf<Row>(
      await tx.db.execute(sql`
        SELECT * FROM cash_sessions
         WHERE tenant_id = ${tx.tenantId} AND id > ${after ?? '00000000-0000-0000-0000-000000000000'}
           ${f.terminalId ? sql`AND terminal_id = ${f.terminalId}` : sql``}
           ${f.status ? sql`AND status = ${f.status}` : sql``}
           ${f.needsReview !== undefined ? sql`AND needs_review = ${f.needsReview}` : sql``}
         ORDER BY id LIMIT ${limit + 1}`),
    );
    return rows.map(toSession);
  },

  async entry(tx: TxScope, sessionId: string, id: string): Promise<SessionEntry | undefined> {
    const rows = rowsOf<Row>(await tx.db.execute(sql`SELECT * FROM cash_session_entries WHERE tenant_id = ${tx.tenantId} AND session_id = ${sessionId} AND id = ${id}`));
    return rows[0] ? toEntry(rows[0]) : undefined;
  },

  async entries(tx: TxScope, sessionId: string, limit: number, after: string | undefined): Promise<SessionEntry[]> {
    const rows = rowsOf<Row>(
      await tx.db.execute(sql`
        SELECT * FROM cash_session_entries WHERE tenant_id = ${tx.tenantId} AND session_id = ${sessionId}
           AND id > ${after ?? '00000000-0000-0000-0000-000000000000'} ORDER BY id LIMIT ${limit + 1}`),
    );
    return rows.map(toEntry);
  },
};
