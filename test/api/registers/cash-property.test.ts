import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../../src/modules/access/index.js';
import type { Ctx } from '../../../src/platform/context.js';
import { uuidv7 } from '../../../src/platform/ids.js';
import { as, createTenant, pricedProduct, query, startSalesServer, type TestServer, type TestTenant } from '../sales/support.js';

let s: TestServer;
let t: TestTenant;
let coffee: { variantId: string };

beforeAll(async () => {
  s = await startSalesServer();
  t = await createTenant(s.app);
  coffee = await pricedProduct(as(s, t), 27_500);
});
afterAll(() => s.stop());

const ctx = (): Ctx => ({ tenantId: t.tenantId, actor: { kind: 'dev', membershipId: t.ownerMembershipId, permissions: new Set(PERMISSIONS) }, requestId: 'cash-property', database: s.app.database, log: s.app.log });

type Op =
  | { op: 'cashSale'; qty: number; extra: number }
  | { op: 'splitSale'; qty: number; card: number }
  | { op: 'cardSale'; qty: number }
  | { op: 'refund'; which: number; part: number }
  | { op: 'payIn'; amount: number }
  | { op: 'payOut'; amount: number }
  | { op: 'voidedPayment'; cash: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('cashSale' as const), qty: fc.integer({ min: 1, max: 3 }), extra: fc.integer({ min: 0, max: 50_000 }) }),
  fc.record({ op: fc.constant('splitSale' as const), qty: fc.integer({ min: 1, max: 3 }), card: fc.integer({ min: 1, max: 27_000 }) }),
  fc.record({ op: fc.constant('cardSale' as const), qty: fc.integer({ min: 1, max: 2 }) }),
  fc.record({ op: fc.constant('refund' as const), which: fc.nat(), part: fc.integer({ min: 1, max: 100 }) }),
  fc.record({ op: fc.constant('payIn' as const), amount: fc.integer({ min: 1, max: 100_000 }) }),
  fc.record({ op: fc.constant('payOut' as const), amount: fc.integer({ min: 1, max: 100_000 }) }),
  fc.record({ op: fc.constant('voidedPayment' as const), cash: fc.integer({ min: 1, max: 27_500 }) }),
);

async function newTerminal(): Promise<string> {
  const id = uuidv7();
  await query(s, t, sql`INSERT INTO terminals (tenant_id, id, outlet_id, code, name) VALUES (${t.tenantId}, ${id}, ${t.outletId}, ${'P-' + id.slice(-10)}, 'Till')`);
  return id;
}

describe('cash drawer figures (property)', () => {
  it('expected cash = float + every cash event, and the Z report reconciles with the orders, refunds and payments', async () => {
    const { sales, cashSessions } = s.app.services;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 500_000 }), fc.array(opArb, { minLength: 1, maxLength: 10 }), fc.integer({ min: -20_000, max: 20_000 }), async (float, ops, off) => {
        const term = await newTerminal();
        const session = await cashSessions.open(ctx(), { terminal_id: term, opening_float: float });
        let model = BigInt(float);
        const completed: { id: string; refundable: bigint }[] = [];
        for (const o of ops) {
          if (o.op === 'cashSale' || o.op === 'cardSale' || o.op === 'splitSale') {
            const total = 27_500n * BigInt(o.qty);
            const tenders =
              o.op === 'cashSale'
                ? [{ tender_type: 'CASH' as const, amount: Number(total) + o.extra }]
                : o.op === 'cardSale'
                  ? [{ tender_type: 'CARD' as const, amount: Number(total) }]
                  : [{ tender_type: 'CARD' as const, amount: o.card }, { tender_type: 'CASH' as const, amount: Number(total) }];
            const { graph } = await sales.checkout(ctx(), { terminal_id: term, items: [{ variant_id: coffee.variantId, quantity: o.qty }], tenders });
            model += graph.payments.filter((p) => p.tenderType === 'CASH').reduce((a, p) => a + p.amount, 0n);
            completed.push({ id: graph.order.id, refundable: graph.order.total });
          } else if (o.op === 'refund') {
            const target = completed.filter((c) => c.refundable > 0n)[o.which % Math.max(1, completed.length)];
            if (!target) continue;
            const amount = (target.refundable * BigInt(o.part)) / 100n || 1n;
            const { refund } = await sales.refund(ctx(), target.id, { reason: 'property', amount: String(amount), terminal_id: term });
            target.refundable -= amount;
            const [cash] = await query<{ n: string | null }>(s, t, sql`SELECT sum(amount) AS n FROM refund_tenders WHERE refund_id = ${refund.id} AND tender_type = 'CASH'`);
            model -= BigInt(cash?.n ?? 0);
          } else if (o.op === 'payIn') {
            await cashSessions.addMovement(ctx(), session.id, { kind: 'PAY_IN', amount: o.amount, reason: 'float top-up' });
            model += BigInt(o.amount);
          } else if (o.op === 'payOut') {
            // The owner holds pos:session:reconcile, so a pay-out beyond the drawer goes through, flagged.
            await cashSessions.addMovement(ctx(), session.id, { kind: 'PAY_OUT', amount: o.amount, reason: 'supplier' });
            model -= BigInt(o.amount);
          } else {
            const { graph } = await sales.create(ctx(), { terminal_id: term, items: [{ variant_id: coffee.variantId, quantity: 1 }] });
            await sales.finalize(ctx(), graph.order.id);
            const paid = await sales.addPayment(ctx(), graph.order.id, { tender_type: 'CASH', amount: String(o.cash) });
            await sales.voidPayment(ctx(), graph.order.id, paid.payment.id);
          }
        }
        const open = await cashSessions.get(ctx(), session.id);
        expect(open.expectedCash).toBe(model);
        const counted = model + BigInt(off) < 0n ? 0n : model + BigInt(off);
        const { report } = await cashSessions.close(ctx(), session.id, { counted_cash: String(counted) });
        expect(report.expected_cash).toBe(model);
        expect(report.variance).toBe(counted - model);

        const [o] = await query<{ n: string; total: string | null; tax: string | null; disc: string | null }>(s, t, sql`
          SELECT count(*) AS n, sum(total) AS total, sum(tax_total) AS tax, sum(discount_total) AS disc FROM orders WHERE terminal_id = ${term} AND status = 'COMPLETED'`);
        expect(report.sales).toMatchObject({ count: Number(o!.n), total: BigInt(o!.total ?? 0), tax_total: BigInt(o!.tax ?? 0), discount_total: BigInt(o!.disc ?? 0) });
        const [r] = await query<{ n: string; amount: string | null }>(s, t, sql`
          SELECT count(*) AS n, sum(r.amount) AS amount FROM refunds r JOIN orders o ON o.tenant_id = r.tenant_id AND o.id = r.order_id WHERE o.terminal_id = ${term}`);
        expect(report.refunds).toMatchObject({ count: Number(r!.n), amount: BigInt(r!.amount ?? 0) });
        const pays = await query<{ tender_type: string; status: string; amount: string; refunded: string }>(s, t, sql`
          SELECT p.tender_type, p.status, p.amount, p.refunded_amount AS refunded FROM payments p JOIN orders o ON o.tenant_id = p.tenant_id AND o.id = p.order_id WHERE o.terminal_id = ${term}`);
        for (const tt of ['CASH', 'CARD']) {
          const mine = pays.filter((p) => p.tender_type === tt);
          const live = mine.filter((p) => p.status === 'CAPTURED').reduce((a, p) => a + BigInt(p.amount) - BigInt(p.refunded), 0n);
          const row = report.tenders.find((x) => x.tender_type === tt);
          expect(row?.net ?? 0n).toBe(live);
          expect(row?.taken ?? 0n).toBe(mine.reduce((a, p) => a + BigInt(p.amount), 0n));
        }
        const moves = report.cash_movements;
        expect(BigInt(float) + (report.tenders.find((x) => x.tender_type === 'CASH')?.net ?? 0n) + moves.pay_in.amount - moves.pay_out.amount).toBe(report.expected_cash);
      }),
      { numRuns: 20, seed: 6 },
    );
  });
});
