import { sql } from 'drizzle-orm';
import type { TestServer, TestTenant } from '../support/server.js';
import { query } from '../api/sales/support.js';

/**
 * What must hold of a tenant's money after ANY sequence of sales operations (issue 8, money invariants). Each
 * invariant reads the world and returns its violations (empty = holds), naming the order and the figures.
 *
 * EXTENSION POINT: a module that moves money or goods adds its invariant to INVARIANTS (and its operations to
 * STEPS in money-model.ts), e.g. the cash drawer "expected cash = opening float + cash sales − cash refunds ±
 * movements" and inventory "stock on hand = the sum of its ledger". `World.sql` reads any table of the tenant.
 */

/** An order as GET /api/v1/orders/:id returns it (the fields the invariants read). */
export interface OrderView {
  id: string;
  outlet_id: string;
  status: 'DRAFT' | 'OPEN' | 'COMPLETED' | 'VOIDED';
  payment_status: string;
  subtotal: number;
  discount_total: number;
  service_charge_total: number;
  tax_total: number;
  tip_total: number;
  rounding_adjustment: number;
  total: number;
  paid_total: number;
  change_due: number;
  refunded_total: number;
  receipt_number: string | null;
  taxes: { amount: number; inclusive: boolean }[];
  items: { id: string; subtotal: number; total: number; refunded_amount: number }[];
  payments: { id: string; tender_type: string; status: string; amount: number; tendered: number | null; change: number | null; refunded_amount: number }[];
  refunds: { id: string; amount: number; tenders: { payment_id: string; amount: number }[] }[];
}

export interface World {
  server: TestServer;
  tenant: TestTenant;
  /** Every order the run created, as the API returns it now. */
  orders: OrderView[];
  /** Reads the tenant's tables under its row-level security. */
  sql<R>(text: ReturnType<typeof sql>): Promise<R[]>;
}

export type Invariant = (w: World) => string[] | Promise<string[]>;

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);
const captured = (o: OrderView) => o.payments.filter((p) => p.status === 'CAPTURED');
const each = (orders: OrderView[], check: (o: OrderView) => string | undefined): string[] => orders.flatMap((o) => check(o) ?? []);

export const INVARIANTS: Record<string, Invariant> = {
  'every order balances: total = subtotal − discounts + service charge + exclusive tax + tip + rounding': ({ orders }) =>
    each(orders, (o) => {
      const exclusiveTax = sum(o.taxes.filter((t) => !t.inclusive).map((t) => t.amount));
      const expected = o.subtotal - o.discount_total + o.service_charge_total + exclusiveTax + o.tip_total + o.rounding_adjustment;
      return expected === o.total ? undefined : `${o.id} (${o.status}): ${o.subtotal} − ${o.discount_total} + ${o.service_charge_total} + ${exclusiveTax} + ${o.tip_total} + ${o.rounding_adjustment} = ${expected} ≠ total ${o.total}`;
    }),

  'the lines add up to the subtotal': ({ orders }) =>
    each(orders, (o) => (o.items.length === 0 || sum(o.items.map((i) => i.subtotal)) === o.subtotal ? undefined : `${o.id}: lines ${sum(o.items.map((i) => i.subtotal))} ≠ subtotal ${o.subtotal}`)),

  'payments minus change equal the paid total, and each cash payment gives back exactly tendered − applied': ({ orders }) =>
    each(orders, (o) => {
      const handed = sum(captured(o).map((p) => p.tendered ?? p.amount));
      const change = sum(captured(o).map((p) => p.change ?? 0));
      if (handed - change !== o.paid_total) return `${o.id}: handed ${handed} − change ${change} ≠ paid_total ${o.paid_total}`;
      const bad = captured(o).find((p) => p.tendered !== null && p.tendered - (p.change ?? 0) !== p.amount);
      return bad ? `${o.id}: payment ${bad.id} tendered ${bad.tendered} − change ${bad.change} ≠ amount ${bad.amount}` : undefined;
    }),

  'a completed order is paid in full and has a receipt number': ({ orders }) =>
    each(orders, (o) => (o.status !== 'COMPLETED' || (o.paid_total === o.total && o.receipt_number) ? undefined : `${o.id}: completed with paid ${o.paid_total} of ${o.total}, receipt ${o.receipt_number}`)),

  'only a completed order is paid in full or refunded; a voided one holds no money': ({ orders }) =>
    each(orders, (o) => {
      if (o.status === 'VOIDED' && sum(captured(o).map((p) => p.amount - p.refunded_amount)) !== 0) return `${o.id}: voided but holds ${sum(captured(o).map((p) => p.amount - p.refunded_amount))}`;
      if (o.status !== 'COMPLETED' && o.refunded_total !== 0) return `${o.id}: ${o.status} but refunded ${o.refunded_total}`;
      return undefined;
    }),

  'refunds never exceed payments (order, payment and line) and add up everywhere': ({ orders }) =>
    each(orders, (o) => {
      const refunds = sum(o.refunds.map((r) => r.amount));
      if (refunds !== o.refunded_total) return `${o.id}: refunds add up to ${refunds}, refunded_total says ${o.refunded_total}`;
      if (o.refunded_total > o.paid_total) return `${o.id}: refunded ${o.refunded_total} > paid ${o.paid_total}`;
      const r = o.refunds.find((x) => sum(x.tenders.map((t) => t.amount)) !== x.amount);
      if (r) return `${o.id}: refund ${r.id} of ${r.amount} paid back ${sum(r.tenders.map((t) => t.amount))}`;
      for (const p of o.payments) {
        const back = sum(o.refunds.flatMap((x) => x.tenders.filter((t) => t.payment_id === p.id).map((t) => t.amount)));
        if (back !== p.refunded_amount || p.refunded_amount > p.amount) return `${o.id}: payment ${p.id} of ${p.amount}: refunded_amount ${p.refunded_amount}, refund tenders ${back}`;
      }
      const line = o.items.find((i) => i.refunded_amount > i.total);
      return line ? `${o.id}: line ${line.id} refunded ${line.refunded_amount} > its total ${line.total}` : undefined;
    }),

  'receipt numbers are gap-free and unique per outlet': async (w) => {
    const rows = await w.sql<{ outlet_id: string; n: number | string; lo: number | string; hi: number | string; distinct_n: number | string }>(
      sql`SELECT outlet_id, count(*) AS n, min(receipt_seq) AS lo, max(receipt_seq) AS hi, count(DISTINCT receipt_seq) AS distinct_n FROM orders WHERE receipt_seq IS NOT NULL GROUP BY outlet_id`,
    );
    const completed = w.orders.filter((o) => o.receipt_number).length;
    const out = rows.filter((r) => Number(r.lo) !== 1 || Number(r.hi) !== Number(r.n) || Number(r.distinct_n) !== Number(r.n)).map((r) => `outlet ${r.outlet_id}: ${r.n} receipts numbered ${r.lo}…${r.hi}`);
    const numbered = sum(rows.map((r) => Number(r.n)));
    if (numbered !== completed) out.push(`${numbered} orders have a receipt sequence, ${completed} have a receipt number`);
    return out;
  },
};

/** Runs every invariant; their violations by name (empty when all hold). */
export async function violations(server: TestServer, tenant: TestTenant, orders: OrderView[]): Promise<Record<string, string[]>> {
  const w: World = { server, tenant, orders, sql: (text) => query(server, tenant, text) };
  const out: Record<string, string[]> = {};
  for (const [name, check] of Object.entries(INVARIANTS)) {
    const v = await check(w);
    if (v.length) out[name] = v.slice(0, 5);
  }
  return out;
}
