import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS } from '../../../src/modules/access/index.js';
import { createSalesServices, type SaleHooks } from '../../../src/modules/sales/index.js';
import type { Ctx } from '../../../src/platform/context.js';
import { AppError, CommonErrors } from '../../../src/platform/errors.js';
import { as, createTenant, pricedProduct, salesRows, startSalesServer, type Client, type TestServer, type TestTenant } from './support.js';

let s: TestServer;
let t: TestTenant;
let api: Client;
let latte: { productId: string; variantId: string };

beforeAll(async () => {
  s = await startSalesServer();
  t = await createTenant(s.app);
  api = as(s, t);
  latte = await pricedProduct(api, 30_000);
});
afterAll(() => s.stop());

const ctx = (): Ctx => ({
  tenantId: t.tenantId,
  actor: { kind: 'dev', membershipId: t.ownerMembershipId, permissions: new Set(PERMISSIONS) },
  requestId: 'hooks-test',
  database: s.app.database,
  log: s.app.log,
});

/** A hook that writes down what it was told, and can be told to refuse one kind of change. */
function recorder(refuse?: keyof SaleHooks) {
  const seen: { kind: keyof SaleHooks; arg: object }[] = [];
  const note = (kind: keyof SaleHooks) => async (_tx: unknown, arg: object) => {
    seen.push({ kind, arg });
    if (kind === refuse) throw new AppError(CommonErrors.VALIDATION_FAILED, { field: 'hook' }, `${kind} refused by a module`);
  };
  const hooks: SaleHooks = {
    itemsChanged: note('itemsChanged'),
    paymentsCaptured: note('paymentsCaptured'),
    paymentVoided: note('paymentVoided'),
    orderCompleted: note('orderCompleted'),
    orderVoided: note('orderVoided'),
    orderRefunded: note('orderRefunded'),
  };
  return { hooks, kinds: () => seen.map((x) => x.kind), last: (k: keyof SaleHooks) => seen.filter((x) => x.kind === k).at(-1)?.arg };
}

describe('sale lifecycle hooks', () => {
  it('tell the installed modules about every step of an interactive sale, with the facts they need', async () => {
    const r = recorder();
    const { sales } = createSalesServices({ hooks: [r.hooks] });
    const { graph } = await sales.create(ctx(), { items: [{ variant_id: latte.variantId, quantity: 2 }] });
    await sales.addItem(ctx(), graph.order.id, { variant_id: latte.variantId, quantity: 1 });
    await sales.finalize(ctx(), graph.order.id);
    await sales.addPayment(ctx(), graph.order.id, { tender_type: 'CASH', amount: '100000' });
    const done = await sales.complete(ctx(), graph.order.id);
    expect(r.kinds()).toEqual(['itemsChanged', 'itemsChanged', 'itemsChanged', 'paymentsCaptured', 'orderCompleted']);
    const completed = r.last('orderCompleted') as { order: { receiptNumber: string; status: string }; items: unknown[]; payments: { amount: bigint }[] };
    expect(completed.order).toMatchObject({ status: 'COMPLETED', receiptNumber: done.order.receiptNumber });
    expect(completed.items).toHaveLength(2);
    expect(completed.payments.map((p) => p.amount)).toEqual([90_000n]);

    await sales.refund(ctx(), graph.order.id, { reason: 'spilled', items: [{ item_id: done.items[0]!.id, quantity: 1, restock: true }], terminal_id: '01900000-0000-7000-8000-0000000000aa' });
    expect(r.last('orderRefunded')).toMatchObject({ orderId: graph.order.id, amount: 30_000n, terminalId: '01900000-0000-7000-8000-0000000000aa', lines: [{ restock: true, quantity: '1' }], tenders: [{ tenderType: 'CASH', amount: 30_000n }] });
  });

  it('tell them about a checkout (payments, then completion) and about voids', async () => {
    const r = recorder();
    const { sales } = createSalesServices({ hooks: [r.hooks] });
    await sales.checkout(ctx(), { items: [{ variant_id: latte.variantId, quantity: 1 }], tenders: [{ tender_type: 'CASH', amount: 50_000 }] });
    expect(r.kinds()).toEqual(['paymentsCaptured', 'orderCompleted']);
    expect((r.last('paymentsCaptured') as { payments: { change: bigint }[] }).payments[0]!.change).toBe(20_000n);

    const { graph } = await sales.create(ctx(), { items: [{ variant_id: latte.variantId, quantity: 1 }] });
    await sales.void(ctx(), graph.order.id, { reason: 'customer left' });
    expect(r.last('orderVoided')).toMatchObject({ previousStatus: 'DRAFT', order: { status: 'VOIDED' }, items: [{ variantId: latte.variantId }] });
  });

  it('let a module refuse a completion: the whole checkout rolls back and nothing is written', async () => {
    const r = recorder('orderCompleted');
    const { sales } = createSalesServices({ hooks: [r.hooks] });
    const before = await salesRows(s, t);
    await expect(sales.checkout(ctx(), { items: [{ variant_id: latte.variantId, quantity: 1 }], tenders: [{ tender_type: 'CASH', amount: 30_000 }] })).rejects.toThrow('orderCompleted refused');
    expect(await salesRows(s, t)).toEqual(before);
  });

  it('let a module refuse a payment: the interactive order keeps its balance due', async () => {
    const r = recorder('paymentsCaptured');
    const { sales } = createSalesServices({ hooks: [r.hooks] });
    const { graph } = await sales.create(ctx(), { items: [{ variant_id: latte.variantId, quantity: 1 }] });
    await sales.finalize(ctx(), graph.order.id);
    await expect(sales.addPayment(ctx(), graph.order.id, { tender_type: 'CASH', amount: '30000' })).rejects.toThrow('paymentsCaptured refused');
    const after = await sales.get(ctx(), graph.order.id);
    expect(after.order.paidTotal).toBe(0n);
    expect(after.payments).toHaveLength(0);
  });
});
