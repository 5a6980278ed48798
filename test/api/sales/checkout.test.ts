import { sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../../src/modules/access/index.js';
import { createSalesServices } from '../../../src/modules/sales/index.js';
import type { Ctx } from '../../../src/platform/context.js';
import type { Database, Db } from '../../../src/platform/db.js';
import { usingPostgres } from '../../support/database.js';
import { as, createTenant, pricedProduct, query, salesRows, startSalesServer, type Client, type TestServer, type TestTenant } from './support.js';

let s: TestServer;
let t: TestTenant;
let api: Client;
let menu: { productId: string; variantId: string }[];

beforeAll(async () => {
  s = await startSalesServer();
  t = await createTenant(s.app);
  api = as(s, t);
  menu = [await pricedProduct(api, 2_500_000), await pricedProduct(api, 1_800_000), await pricedProduct(api, 3_200_000)];
});
afterAll(() => s.stop());

const threeLines = () => [
  { variant_id: menu[0]!.variantId, quantity: 2 },
  { variant_id: menu[1]!.variantId, quantity: 1 },
  { product_id: menu[2]!.productId, quantity: 1 },
];

/** A Database whose tenant transactions count the statements issued on their handle. */
function counting(db: Database) {
  const counts = { transactions: 0, statements: 0 };
  const wrap = (inner: Db): Db =>
    new Proxy(inner, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as unknown;
        if (prop === '$client' && v && typeof v === 'object') {
          // statements sent straight to the driver (prepared statements on node-postgres)
          const client = v as { query: (...a: unknown[]) => unknown };
          return new Proxy(client, {
            get: (c, p, r) =>
              p === 'query'
                ? (...a: unknown[]) => {
                    counts.statements++;
                    return c.query(...a);
                  }
                : Reflect.get(c, p, r),
          });
        }
        if (typeof v !== 'function') return v;
        const f = v as (...a: unknown[]) => unknown;
        if (['execute', 'select', 'insert', 'update', 'delete'].includes(String(prop))) {
          return (...a: unknown[]) => {
            counts.statements++;
            return f.apply(target, a);
          };
        }
        return f.bind(target);
      },
    });
  const database: Database = { ...db, transaction: (tenantId, work) => (counts.transactions++, db.transaction(tenantId, (inner) => work(wrap(inner)))) };
  return { database, counts };
}

const ctxFor = (database: Database): Ctx => ({
  tenantId: t.tenantId,
  actor: { kind: 'dev', membershipId: t.ownerMembershipId, permissions: new Set(PERMISSIONS) },
  requestId: 'test',
  database,
  log: s.app.log,
});

describe('one-request checkout', () => {
  it('creates, pays and completes a 3-line cash sale in one request, with change and a receipt number', async () => {
    const r = await api.post('/api/v1/checkout', { items: threeLines(), tenders: [{ tender_type: 'CASH', amount: 15_000_000 }], customer_id: '01900000-0000-7000-8000-00000000c0de', order_type: 'dine_in' });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'COMPLETED', payment_status: 'PAID', total: 10_000_000, paid_total: 10_000_000, change_due: 5_000_000, balance_due: 0 });
    expect(r.body.receipt_number).toMatch(/^MAIN-\d{6}$/);
    expect(r.body.items.map((i: { quantity: number; total: number }) => [i.quantity, i.total])).toEqual([[2, 5_000_000], [1, 1_800_000], [1, 3_200_000]]);
    expect(r.body.payments).toMatchObject([{ tender_type: 'CASH', amount: 10_000_000, tendered: 15_000_000, change: 5_000_000 }]);
    const got = await api.get(`/api/v1/orders/${r.body.id}`);
    expect(got.body).toMatchObject({ status: 'COMPLETED', receipt_number: r.body.receipt_number, total: 10_000_000 });
    const [e] = await query<{ payload: Record<string, unknown> & { lines: { variant_id: string; quantity: number }[] } }>(s, t, sql`SELECT payload FROM outbox_events WHERE type = 'order.completed' AND aggregate_id = ${r.body.id}`);
    expect(e!.payload).toMatchObject({ order_id: r.body.id, receipt_number: r.body.receipt_number, customer_id: '01900000-0000-7000-8000-00000000c0de', currency: 'IDR', totals: { total: 10_000_000, change: 5_000_000 } });
    expect(e!.payload.lines.map((l) => [l.variant_id, l.quantity])).toEqual([[menu[0]!.variantId, 2], [menu[1]!.variantId, 1], [menu[2]!.variantId, 1]]);
  });

  it('takes split tenders and refuses tenders that do not pay in full, writing nothing', async () => {
    const r = await api.post('/api/v1/checkout', { items: threeLines(), tenders: [{ tender_type: 'CARD', amount: 6_000_000, card_last4: '4242' }, { tender_type: 'EXTERNAL', amount: 1_000_000, reference: 'QRIS-9' }, { tender_type: 'CASH', amount: 5_000_000 }] });
    expect(r.status).toBe(201);
    expect(r.body.payments.map((p: { amount: number; change: number | null }) => [p.amount, p.change])).toEqual([[6_000_000, null], [1_000_000, null], [3_000_000, 2_000_000]]);
    const before = await salesRows(s, t);
    const short = await api.post('/api/v1/checkout', { items: threeLines(), tenders: [{ tender_type: 'CASH', amount: 9_999_999 }] });
    expect(short.status).toBe(409);
    expect(short.body.error).toMatchObject({ code: 'ORDER_NOT_FULLY_PAID', details: { balance_due: 1 } });
    const over = await api.post('/api/v1/checkout', { items: threeLines(), tenders: [{ tender_type: 'CARD', amount: 10_000_001 }] });
    expect(over.status).toBe(400);
    expect(over.body.error).toMatchObject({ code: 'PAYMENT_EXCEEDS_BALANCE', details: { field: 'tenders.0.amount' } });
    const empty = await api.post('/api/v1/checkout', { items: [], tenders: [{ tender_type: 'CASH', amount: 1 }] });
    expect(empty.status).toBe(400);
    expect(await salesRows(s, t)).toEqual(before);
  });

  it('calculate returns the figures checkout charges, and writes nothing', async () => {
    const rule = await api.post('/api/v1/tax-rules', { name: 'PB1', rate_bps: 1000 });
    expect(rule.status).toBe(201);
    try {
      const body = { items: threeLines(), discount: { type: 'percentage', rate_bp: 1000 } };
      const before = await salesRows(s, t);
      const calc = await api.post('/api/v1/orders/calculate', body);
      expect(calc.status).toBe(200);
      expect(await salesRows(s, t)).toEqual(before);
      // 10,000,000 less 10 % = 9,000,000; PB1 10 % on top = 900,000
      expect(calc.body).toMatchObject({ subtotal: 10_000_000, discount_total: 1_000_000, tax_total: 900_000, total: 9_900_000, taxes: [{ name: 'PB1', rate_bp: 1000, amount: 900_000, taxable_amount: 9_000_000 }] });
      const sale = await api.post('/api/v1/checkout', { ...body, tenders: [{ tender_type: 'CASH', amount: calc.body.total }] });
      expect(sale.body).toMatchObject({ subtotal: 10_000_000, discount_total: 1_000_000, tax_total: 900_000, total: 9_900_000 });
      const interactive = await api.post('/api/v1/orders', body);
      const finalized = await api.post(`/api/v1/orders/${interactive.body.id}/finalize`);
      expect(finalized.body).toMatchObject({ subtotal: 10_000_000, discount_total: 1_000_000, tax_total: 900_000, total: 9_900_000 });
      expect(finalized.body.items.map((i: { total: number }) => i.total)).toEqual(sale.body.items.map((i: { total: number }) => i.total));
    } finally {
      await api.post(`/api/v1/tax-rules/${rule.body.id}/archive`);
    }
  });

  it('makes one read and one write statement inside one transaction: 4 round trips with BEGIN and COMMIT', async () => {
    const { database, counts } = counting(s.app.database);
    const { sales } = createSalesServices();
    const body = { items: threeLines(), tenders: [{ tender_type: 'CASH' as const, amount: 10_000_000 }] };
    await sales.checkout(ctxFor(database), body); // warm
    counts.transactions = 0;
    counts.statements = 0;
    const { graph } = await sales.checkout(ctxFor(database), body);
    expect(graph.order.status).toBe('COMPLETED');
    expect(counts).toEqual({ transactions: 1, statements: 2 });
    if (!usingPostgres()) return;
    // On PostgreSQL, the wire: BEGIN and the tenant setting travel together, then read, write, COMMIT. (The
    // relay's wake-up NOTIFY goes after commit, coalesced per process: let the earlier checkouts' go first.)
    await new Promise((r) => setTimeout(r, 50));
    const original = pg.Client.prototype.query;
    let wire = 0;
    pg.Client.prototype.query = function (this: pg.Client, ...a: unknown[]) {
      wire++;
      return (original as (...x: unknown[]) => unknown).apply(this, a);
    } as typeof original;
    try {
      await sales.checkout(ctxFor(s.app.database), body);
    } finally {
      pg.Client.prototype.query = original;
    }
    expect(wire).toBe(4);
  });
});
