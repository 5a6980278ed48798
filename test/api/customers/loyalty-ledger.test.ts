import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../../src/modules/access/index.js';
import { loyaltySaleHooks } from '../../../src/modules/customers/index.js';
import type { CompletedSale, RefundFacts } from '../../../src/modules/sales/index.js';
import type { Ctx } from '../../../src/platform/context.js';
import { isAppError } from '../../../src/platform/errors.js';
import { uuidv7 } from '../../../src/platform/ids.js';
import { as, createTenant, query, type Client, type TestServer, type TestTenant } from '../sales/support.js';
import { startSalesServer } from '../sales/support.js';

let s: TestServer;
let t: TestTenant;
let api: Client;

beforeAll(async () => {
  s = await startSalesServer();
  t = await createTenant(s.app);
  api = as(s, t);
  expect((await api.put('/api/v1/loyalty/settings', { loyalty_enabled: true, earn_per_amount: 1_000, earn_points: 1, point_value: 100, points_expire_days: 30 })).status).toBe(200);
});
afterAll(() => s.stop());

const ctx = (): Ctx => ({ tenantId: t.tenantId, actor: { kind: 'dev', membershipId: t.ownerMembershipId, permissions: new Set(PERMISSIONS) }, requestId: 'ledger-test', database: s.app.database, log: s.app.log });

/** The customer's balance, and the two sums it must equal: of its entries, and of what is left in its buckets. */
async function books(customerId: string) {
  const [r] = await query<{ balance: string; entries: string; remaining: string }>(s, t, sql`
    SELECT c.points_balance AS balance,
           (SELECT coalesce(sum(amount), 0) FROM loyalty_entries e WHERE e.customer_id = c.id AND e.account = 'points') AS entries,
           (SELECT coalesce(sum(remaining), 0) FROM loyalty_entries e WHERE e.customer_id = c.id AND e.account = 'points') AS remaining
      FROM customers c WHERE c.id = ${customerId}`);
  return { balance: BigInt(r!.balance), entries: BigInt(r!.entries), remaining: BigInt(r!.remaining) };
}

const newCustomer = async (name: string): Promise<string> => (await s.app.services.customers.create(ctx(), { name })).id;

describe('the points ledger', () => {
  it('lets exactly one of many concurrent redemptions of the last points succeed', async () => {
    const id = await newCustomer('Last points');
    await api.post(`/api/v1/customers/${id}/points/adjust`, { points: 10 });
    const tries = await Promise.all(Array.from({ length: 8 }, () => api.post(`/api/v1/customers/${id}/points/redeem`, { points: 10 })));
    expect(tries.filter((r) => r.status === 200)).toHaveLength(1);
    expect(tries.filter((r) => r.status === 409).map((r) => r.body.error.code)).toEqual(Array(7).fill('LOYALTY_INSUFFICIENT_BALANCE'));
    expect(await books(id)).toEqual({ balance: 0n, entries: 0n, remaining: 0n });
  });

  it('lets exactly one of two registers paying with the same last points succeed', async () => {
    const id = await newCustomer('Two registers');
    await api.post(`/api/v1/customers/${id}/points/adjust`, { points: 50 });
    const p = await api.post('/api/v1/products', { name: `Cake ${uuidv7().slice(-6)}` });
    await api.post('/api/v1/prices', { variant_id: p.body.variants[0].id, amount: '5000', currency: 'IDR' });
    const orders = await Promise.all([0, 1].map(async () => {
      const o = await api.post('/api/v1/orders', { customer_id: id, items: [{ variant_id: p.body.variants[0].id, quantity: 1 }] });
      await api.post(`/api/v1/orders/${o.body.id}/finalize`, {});
      return o.body.id as string;
    }));
    const paid = await Promise.all(orders.map((o) => api.post(`/api/v1/orders/${o}/payments`, { tender_type: 'LOYALTY_POINTS', amount: 5_000 })));
    expect(paid.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(await books(id)).toEqual({ balance: 0n, entries: 0n, remaining: 0n });
  });

  it('never earns twice for one order, nor reverses twice for one refund, when a hook is run again', async () => {
    const id = await newCustomer('Retried');
    const orderId = uuidv7();
    const sale = { order: { id: orderId, customerId: id, total: 20_000n }, items: [], payments: [] } as unknown as CompletedSale;
    const refund = { refundId: uuidv7(), orderId, customerId: id, amount: 10_000n } as unknown as RefundFacts;
    for (let i = 0; i < 2; i++) await s.app.database.transaction(t.tenantId, (db) => loyaltySaleHooks.orderCompleted!({ ...ctx(), db }, sale));
    expect((await books(id)).balance).toBe(20n);
    for (let i = 0; i < 2; i++) await s.app.database.transaction(t.tenantId, (db) => loyaltySaleHooks.orderRefunded!({ ...ctx(), db }, refund));
    expect(await books(id)).toEqual({ balance: 10n, entries: 10n, remaining: 10n });
    const [c] = await query<{ orders_count: number }>(s, t, sql`SELECT orders_count FROM customers WHERE id = ${id}`);
    expect(Number(c!.orders_count)).toBe(1);
  });

  it('keeps balance = sum of entries = what is left in the buckets, never negative, under any sequence of changes', async () => {
    type Op =
      | { k: 'earn'; spend: number }
      | { k: 'refund'; which: number; part: number }
      | { k: 'redeem'; points: number }
      | { k: 'adjust'; points: number }
      | { k: 'expire'; which: number };
    const op: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ k: fc.constant('earn' as const), spend: fc.integer({ min: 0, max: 50_000 }) }),
      fc.record({ k: fc.constant('refund' as const), which: fc.nat(), part: fc.integer({ min: 1, max: 50_000 }) }),
      fc.record({ k: fc.constant('redeem' as const), points: fc.integer({ min: 1, max: 60 }) }),
      fc.record({ k: fc.constant('adjust' as const), points: fc.integer({ min: -40, max: 40 }).filter((n) => n !== 0) }),
      fc.record({ k: fc.constant('expire' as const), which: fc.nat() }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 12 }), async (ops) => {
        const id = await newCustomer('Property');
        const orders: { id: string; total: bigint; refunded: bigint }[] = [];
        for (const o of ops) {
          const before = await books(id);
          try {
            if (o.k === 'earn') {
              const order = { id: uuidv7(), total: BigInt(o.spend), refunded: 0n };
              orders.push(order);
              const sale = { order: { id: order.id, customerId: id, total: order.total }, items: [], payments: [] } as unknown as CompletedSale;
              await s.app.database.transaction(t.tenantId, (db) => loyaltySaleHooks.orderCompleted!({ ...ctx(), db }, sale));
            } else if (o.k === 'refund') {
              const order = orders.filter((x) => x.refunded < x.total)[o.which % Math.max(1, orders.length)];
              if (!order) continue;
              const amount = BigInt(Math.min(o.part, Number(order.total - order.refunded)));
              order.refunded += amount;
              const facts = { refundId: uuidv7(), orderId: order.id, customerId: id, amount } as unknown as RefundFacts;
              await s.app.database.transaction(t.tenantId, (db) => loyaltySaleHooks.orderRefunded!({ ...ctx(), db }, facts));
            } else if (o.k === 'redeem') {
              await s.app.services.loyalty.redeemPoints(ctx(), id, { points: o.points });
            } else if (o.k === 'adjust') {
              await s.app.services.loyalty.adjustPoints(ctx(), id, { points: o.points });
            } else {
              const [bucket] = await query<{ id: string }>(s, t, sql`SELECT id FROM loyalty_entries WHERE customer_id = ${id} AND remaining > 0 ORDER BY id OFFSET ${o.which % 3} LIMIT 1`);
              if (bucket) await query(s, t, sql`UPDATE loyalty_entries SET expires_at = now() - interval '1 second' WHERE id = ${bucket.id}`);
              await s.app.services.loyalty.expirePoints(ctx());
            }
          } catch (e) {
            // A refused change (more than the balance) must leave everything as it was.
            if (!isAppError(e) || e.code !== 'LOYALTY_INSUFFICIENT_BALANCE') throw e;
            expect(await books(id)).toEqual(before);
          }
          const now = await books(id);
          expect(now.balance).toBe(now.entries);
          expect(now.balance).toBe(now.remaining);
          expect(now.balance >= 0n).toBe(true);
        }
      }),
      { numRuns: Number(process.env.LEDGER_RUNS ?? 25) },
    );
  });
});
