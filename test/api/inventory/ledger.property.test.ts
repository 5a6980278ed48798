import fc from 'fast-check';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../../src/modules/access/index.js';
import type { Ctx } from '../../../src/platform/context.js';
import { isAppError } from '../../../src/platform/errors.js';
import { as, createTenant, ledgerDrift, pricedProduct, query, startSalesServer, type TestServer, type TestTenant } from './support.js';

/**
 * The ledger invariant over random histories: whatever sequence of receipts, adjustments, sales, refunds and
 * voids a tenant goes through (with negative stock allowed or not, consuming on completion or reserving on add),
 * every level equals the sum of its movements, reserved equals its live reservations, the level matches a
 * model of what should have happened, and with negative stock forbidden no level is ever below zero. Under FIFO
 * costing, every level's remaining layers hold max(on_hand, 0) units, and with stock never below zero the value
 * is conserved: what came in minus what went out (the movements' exact totals) is what the layers are worth.
 */
let s: TestServer;
let t: TestTenant;
let warehouse: string;
beforeAll(async () => {
  s = await startSalesServer();
  t = await createTenant(s.app);
  warehouse = (await as(s, t).post('/api/v1/inventory/locations', { name: 'Property warehouse' })).body.id;
});
afterAll(() => s.stop());

const ctx = (): Ctx => ({
  tenantId: t.tenantId,
  actor: { kind: 'dev', membershipId: t.ownerMembershipId, permissions: new Set(PERMISSIONS) },
  requestId: 'ledger-property',
  database: s.app.database,
  log: s.app.log,
});

type Op =
  | { kind: 'receipt'; v: number; qty: number; cost: number }
  | { kind: 'adjust'; v: number; qty: number }
  | { kind: 'sale'; v: number; qty: number }
  | { kind: 'refund'; qty: number; restock: boolean }
  | { kind: 'draft_void'; v: number; qty: number }
  | { kind: 'transfer'; v: number; qty: number; arrive: number }
  | { kind: 'count'; v: number; counted: number };

const V = 2;
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('receipt' as const), v: fc.nat(V - 1), qty: fc.integer({ min: 1, max: 6 }), cost: fc.integer({ min: 100, max: 900 }) }),
  fc.record({ kind: fc.constant('adjust' as const), v: fc.nat(V - 1), qty: fc.integer({ min: -4, max: 4 }).filter((q) => q !== 0) }),
  fc.record({ kind: fc.constant('sale' as const), v: fc.nat(V - 1), qty: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant('refund' as const), qty: fc.integer({ min: 1, max: 2 }), restock: fc.boolean() }),
  fc.record({ kind: fc.constant('draft_void' as const), v: fc.nat(V - 1), qty: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ kind: fc.constant('transfer' as const), v: fc.nat(V - 1), qty: fc.integer({ min: 1, max: 4 }), arrive: fc.integer({ min: 0, max: 4 }) }),
  fc.record({ kind: fc.constant('count' as const), v: fc.nat(V - 1), counted: fc.integer({ min: 0, max: 8 }) }),
);

const refusedForStock = (e: unknown) => isAppError(e) && e.code === 'STOCK_INSUFFICIENT';

/** FIFO: each level's layers hold max(on_hand, 0) units; with `conserved`, their value is the movements' net value. */
async function expectLayersExplained(variantIds: readonly string[], conserved: boolean): Promise<void> {
  const ids = sql.join(variantIds.map((v) => sql`${v}::uuid`), sql`, `);
  const rows = await query<{ location_id: string; variant_id: string; on_hand: string; units: string | null; value: string | null; net: string | null; uncosted: number }>(s, t, sql`
    SELECT s.location_id, s.variant_id, s.on_hand,
           (SELECT sum(remaining) FROM cost_layers c WHERE c.location_id = s.location_id AND c.variant_id = s.variant_id) AS units,
           (SELECT sum(round(remaining * unit_cost)) FROM cost_layers c WHERE c.location_id = s.location_id AND c.variant_id = s.variant_id) AS value,
           (SELECT sum(sign(quantity) * total_cost) FROM stock_movements m WHERE m.location_id = s.location_id AND m.variant_id = s.variant_id) AS net,
           (SELECT count(*)::int FROM stock_movements m WHERE m.location_id = s.location_id AND m.variant_id = s.variant_id AND m.total_cost IS NULL) AS uncosted
      FROM stock_levels s WHERE s.variant_id IN (${ids})`);
  for (const r of rows) {
    const onHand = Number(r.on_hand);
    expect({ level: r.variant_id, units: Number(r.units ?? 0) }).toEqual({ level: r.variant_id, units: Math.max(onHand, 0) });
    expect(r.uncosted).toBe(0);
    if (conserved) expect({ level: r.variant_id, value: Number(r.value ?? 0) }).toEqual({ level: r.variant_id, value: Number(r.net ?? 0) });
  }
}

describe('the stock ledger', () => {
  it('explains every level after any sequence of operations, and never goes negative when forbidden', async () => {
    const api = as(s, t);
    const { inventory, sales, transfers, stockCounts } = s.app.services;
    await fc.assert(
      fc.asyncProperty(fc.boolean(), fc.constantFrom('consume_on_completion', 'reserve_on_add'), fc.constantFrom('moving_average', 'fifo'), fc.array(opArb, { minLength: 1, maxLength: 12 }), async (allowNegative, mode, costing, ops) => {
        await inventory.updateSettings(ctx(), { allow_negative_stock: allowNegative, reservation_mode: mode, costing_method: costing });
        const variants = await Promise.all(Array.from({ length: V }, () => pricedProduct(api, 1_000)));
        const model = variants.map(() => 0);
        const sold: { orderId: string; itemId: string; v: number; left: number }[] = [];
        for (const op of ops) {
          const vid = variants[(op as { v?: number }).v ?? 0]!.variantId;
          try {
            if (op.kind === 'receipt') {
              await inventory.adjust(ctx(), { location_id: t.outletId, variant_id: vid, quantity: op.qty, type: 'purchase_receipt', unit_cost: op.cost });
              model[op.v]! += op.qty;
            } else if (op.kind === 'adjust') {
              await inventory.adjust(ctx(), { location_id: t.outletId, variant_id: vid, quantity: op.qty });
              model[op.v]! += op.qty;
            } else if (op.kind === 'sale') {
              const { graph } = await sales.checkout(ctx(), { items: [{ variant_id: vid, quantity: op.qty }], tenders: [{ tender_type: 'CASH', amount: 1_000 * op.qty }] });
              model[op.v]! -= op.qty;
              sold.push({ orderId: graph.order.id, itemId: graph.items[0]!.id, v: op.v, left: op.qty });
            } else if (op.kind === 'refund') {
              const sale = sold.find((x) => x.left >= op.qty);
              if (!sale) continue;
              await sales.refund(ctx(), sale.orderId, { reason: 'property', items: [{ item_id: sale.itemId, quantity: op.qty, restock: op.restock }] });
              sale.left -= op.qty;
              if (op.restock) model[sale.v]! += op.qty;
            } else if (op.kind === 'transfer') {
              const tr = await transfers.create(ctx(), { from_location_id: t.outletId, to_location_id: warehouse, lines: [{ variant_id: vid, quantity: op.qty }] });
              await transfers.ship(ctx(), tr.id);
              model[op.v]! -= op.qty;
              await transfers.receive(ctx(), tr.id, { lines: [{ variant_id: vid, quantity: Math.min(op.arrive, op.qty + 1) }] });
            } else if (op.kind === 'count') {
              const c = await stockCounts.create(ctx(), { location_id: t.outletId, scope: 'partial', variant_ids: [vid] });
              await stockCounts.record(ctx(), c.id, { lines: [{ variant_id: vid, counted: op.counted }] });
              await stockCounts.post(ctx(), c.id);
              model[op.v] = op.counted;
            } else {
              const { graph } = await sales.create(ctx(), { items: [{ variant_id: vid, quantity: op.qty }] });
              await sales.void(ctx(), graph.order.id, { reason: 'property' });
            }
          } catch (e) {
            if (!refusedForStock(e) || allowNegative) throw e;
          }
          if (!allowNegative) {
            const ids = sql.join(variants.map((v) => sql`${v.variantId}::uuid`), sql`, `);
            const negative = await query(s, t, sql`SELECT variant_id FROM stock_levels WHERE variant_id IN (${ids}) AND on_hand - reserved < 0`);
            expect(negative).toEqual([]);
          }
        }
        expect(await ledgerDrift(s, t)).toEqual([]);
        const levels = await query<{ variant_id: string; on_hand: string; reserved: string }>(s, t, sql`SELECT variant_id, on_hand, reserved FROM stock_levels WHERE location_id = ${t.outletId}`);
        for (const [i, v] of variants.entries()) {
          const level = levels.find((l) => l.variant_id === v.variantId);
          expect(Number(level?.on_hand ?? 0)).toBe(model[i]);
          expect(Number(level?.reserved ?? 0)).toBe(0);
        }
        if (costing === 'fifo') await expectLayersExplained(variants.map((v) => v.variantId), !allowNegative);
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 12) },
    );
  }, 300_000);
});
