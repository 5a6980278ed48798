import { sql } from 'drizzle-orm';
import type { TxScope } from '../../platform/context.js';
import { rowsOf } from '../../platform/db.js';
import { varianceKind, varianceOf, type VarianceKind } from './cash-session.js';
import type { CashSession } from './cash-session.repository.js';

/**
 * X and Z reports of a cash session, aggregated by the database from the session's ledger joined to the
 * sales tables (orders for sales, tax and discounts; refunds and refund_lines for refunds) in ONE statement.
 * The X report is this at any moment, read-only; the Z report is this taken inside the closing transaction,
 * after the session row is locked, and stored on the session: it never changes afterwards.
 */

export interface TenderFigures {
  tender_type: string;
  payments: number;
  taken: bigint;
  voided: bigint;
  refunded: bigint;
  /** taken − voided − refunded: what the session holds of this tender (cash: before float and movements). */
  net: bigint;
  change_given: bigint;
}

export interface SessionReport {
  kind: 'X' | 'Z';
  session_id: string;
  terminal_id: string;
  outlet_id: string;
  currency: string;
  opened_at: string;
  closed_at: string | null;
  generated_at: string;
  opening_float: bigint;
  sales: { count: number; subtotal: bigint; discount_total: bigint; service_charge_total: bigint; tax_total: bigint; tip_total: bigint; rounding_adjustment: bigint; total: bigint };
  refunds: { count: number; amount: bigint; tax_total: bigint };
  tenders: TenderFigures[];
  cash_movements: { pay_in: { count: number; amount: bigint }; pay_out: { count: number; amount: bigint; flagged: number }; no_sale: { count: number } };
  /** What the session should hold per tender at this moment: cash with float and movements, others from the sales. */
  expected: { tender_type: string; amount: bigint }[];
  expected_cash: bigint;
  counted_cash: bigint | null;
  variance: bigint | null;
  variance_kind: VarianceKind | null;
}

type Agg = {
  sales: Record<string, string | number | null>;
  refunds: Record<string, string | number | null>;
  tenders: Record<string, string | number | null>[] | null;
  moves: Record<string, string | number | null>[] | null;
  expected_cash: string | number | null;
  now: string | Date;
};

const b = (v: unknown): bigint => (v === null || v === undefined ? 0n : BigInt(v as string | number));
const n = (v: unknown): number => (v === null || v === undefined ? 0 : Number(v));

/** The report's figures for `session` now (the caller decides X or Z, and whether it has locked the row). */
export async function sessionReport(tx: TxScope, session: CashSession, kind: 'X' | 'Z', counted: bigint | null = null): Promise<SessionReport> {
  const t = tx.tenantId;
  const [a] = rowsOf<Agg>(
    await tx.db.execute(sql`
      WITH e AS (
        SELECT kind, tender_type, amount, change, order_id, refund_id, flagged
          FROM cash_session_entries WHERE tenant_id = ${t} AND session_id = ${session.id}),
      sales AS (
        SELECT count(*) AS count, sum(o.subtotal) AS subtotal, sum(o.discount_total) AS discount_total,
               sum(o.service_charge_total) AS service_charge_total, sum(o.tax_total) AS tax_total, sum(o.tip_total) AS tip_total,
               sum(o.rounding_adjustment) AS rounding_adjustment, sum(o.total) AS total
          FROM e JOIN orders o ON o.tenant_id = ${t} AND o.id = e.order_id
         WHERE e.kind = 'SALE'),
      rids AS (SELECT DISTINCT refund_id FROM e WHERE kind = 'REFUND' AND refund_id IS NOT NULL),
      refunds AS (
        SELECT count(*) AS count, sum(r.amount) AS amount,
               (SELECT sum(rl.tax_amount) FROM refund_lines rl WHERE rl.tenant_id = ${t} AND rl.refund_id IN (SELECT refund_id FROM rids)) AS tax_total
          FROM refunds r WHERE r.tenant_id = ${t} AND r.id IN (SELECT refund_id FROM rids)),
      tenders AS (
        SELECT tender_type,
               count(*) FILTER (WHERE kind = 'PAYMENT') AS payments,
               coalesce(sum(amount) FILTER (WHERE kind = 'PAYMENT'), 0) AS taken,
               coalesce(-sum(amount) FILTER (WHERE kind = 'PAYMENT_VOID'), 0) AS voided,
               coalesce(-sum(amount) FILTER (WHERE kind = 'REFUND'), 0) AS refunded,
               sum(amount) AS net,
               coalesce(sum(change) FILTER (WHERE kind = 'PAYMENT'), 0) - coalesce(sum(change) FILTER (WHERE kind = 'PAYMENT_VOID'), 0) AS change_given
          FROM e WHERE kind IN ('PAYMENT', 'PAYMENT_VOID', 'REFUND') GROUP BY tender_type),
      moves AS (
        SELECT kind, count(*) AS count, coalesce(sum(amount), 0) AS amount, count(*) FILTER (WHERE flagged) AS flagged
          FROM e WHERE kind IN ('PAY_IN', 'PAY_OUT', 'NO_SALE') GROUP BY kind)
      SELECT (SELECT row_to_json(sales) FROM sales) AS sales,
             (SELECT row_to_json(refunds) FROM refunds) AS refunds,
             (SELECT json_agg(tenders ORDER BY tender_type) FROM tenders) AS tenders,
             (SELECT json_agg(moves) FROM moves) AS moves,
             (SELECT coalesce(sum(amount), 0) FROM e WHERE tender_type = 'CASH') AS expected_cash,
             now() AS now`),
  );
  const agg = a!;
  const tenders: TenderFigures[] = (agg.tenders ?? []).map((r) => ({
    tender_type: String(r.tender_type),
    payments: n(r.payments),
    taken: b(r.taken),
    voided: b(r.voided),
    refunded: b(r.refunded),
    net: b(r.net),
    change_given: b(r.change_given),
  }));
  const move = (k: string) => (agg.moves ?? []).find((m) => m.kind === k);
  const expectedCash = b(agg.expected_cash);
  const expected = [{ tender_type: 'CASH', amount: expectedCash }, ...tenders.filter((x) => x.tender_type !== 'CASH').map((x) => ({ tender_type: x.tender_type, amount: x.net }))];
  const variance = counted === null ? null : varianceOf(counted, expectedCash);
  const s = agg.sales;
  const r = agg.refunds;
  return {
    kind,
    session_id: session.id,
    terminal_id: session.terminalId,
    outlet_id: session.outletId,
    currency: session.currency,
    opened_at: session.openedAt.toISOString(),
    closed_at: kind === 'Z' ? new Date(agg.now).toISOString() : null,
    generated_at: new Date(agg.now).toISOString(),
    opening_float: session.openingFloat,
    sales: {
      count: n(s.count),
      subtotal: b(s.subtotal),
      discount_total: b(s.discount_total),
      service_charge_total: b(s.service_charge_total),
      tax_total: b(s.tax_total),
      tip_total: b(s.tip_total),
      rounding_adjustment: b(s.rounding_adjustment),
      total: b(s.total),
    },
    refunds: { count: n(r.count), amount: b(r.amount), tax_total: b(r.tax_total) },
    tenders,
    cash_movements: {
      pay_in: { count: n(move('PAY_IN')?.count), amount: b(move('PAY_IN')?.amount) },
      pay_out: { count: n(move('PAY_OUT')?.count), amount: -b(move('PAY_OUT')?.amount), flagged: n(move('PAY_OUT')?.flagged) },
      no_sale: { count: n(move('NO_SALE')?.count) },
    },
    expected,
    expected_cash: expectedCash,
    counted_cash: counted,
    variance,
    variance_kind: variance === null ? null : varianceKind(variance),
  };
}
