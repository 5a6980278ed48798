import { requirePermission, withTransaction, type Ctx, type TxCtx } from '../../../platform/context.js';
import { bindToDevice } from '../../access/index.js';
import type { ManualDiscountAsked, PromotionDraft, PromotionHook, SaleHookChain } from '../sales-hooks.js';
import type { DiscountWire } from '../order.inputs.js';
import { priceLines } from '../order-pricing.js';
import { itemsChanged } from './edit-items.js';
import { uniqueViolation } from '../../../platform/db-errors.js';
import { AppError } from '../../../platform/errors.js';
import { uuidv7 } from '../../../platform/ids.js';
import { parseInput } from '../../../platform/validation.js';
import { minorUnits } from '../order.inputs.js';
import { businessDate } from '../business-date.js';
import { OrderErrors } from '../order.errors.js';
import { createOrderInput, type CreateOrderInput, type CreateOrderWire } from '../order.inputs.js';
import { orderRepository } from '../order.repository.js';
import { loadCatalogSnapshot, type CatalogSnapshot, type SaleOutlet } from '../sale-catalog.repository.js';
import type { BuiltLine } from '../sale-lines.js';
import type { PricedOrder } from '../pricing/index.js';
import type { PricedLines } from './order-lines.js';
import { loadGraph, type OrderGraph } from './order-access.js';
import { actorMembership, assertCurrency, discountOf, newItemRow, orderFigures, priceRequested, requestedFromWire, saleOutlet, snapshotLevel } from './order-lines.js';

/** The manual discounts a create/checkout body asks for, with their fields (for the promotions hook's limits). */
export const manualDiscounts = (i: { discount?: DiscountWire | undefined; items?: readonly { discount?: DiscountWire | null | undefined }[] | undefined }): ManualDiscountAsked[] => [
  ...(i.discount ? [{ field: 'discount', ...discountOf(i.discount)! }] : []),
  ...(i.items ?? []).flatMap((x, n) => (x.discount ? [{ field: `items.${n}.discount`, ...discountOf(x.discount)! }] : [])),
];

/** Anything that asks for a discount needs pos:sale:discount. */
export function requireDiscountPermission(ctx: Ctx, i: { discount?: unknown; items?: readonly { discount?: unknown }[] | undefined }): void {
  if (i.discount || i.items?.some((x) => x.discount)) requirePermission(ctx, 'pos:sale:discount');
}

export interface PricedRequest {
  snap: CatalogSnapshot;
  outlet: SaleOutlet;
  keys: string[];
  built: BuiltLine[];
  priced: PricedOrder;
  at: Date;
}

/** How a request meets the promotions hook: calculate (nothing written) or checkout (uses taken for good). */
export interface PromotionStep {
  hook: PromotionHook;
  mode: 'calculate' | 'checkout';
  orderId: string | null;
}

/** Reads the catalog once and prices a create/calculate/checkout body (with promotions when a step is given). */
export async function priceRequest(tx: TxCtx, i: CreateOrderWire, promo?: PromotionStep): Promise<PricedRequest> {
  const items = i.items ?? [];
  const snap = await loadCatalogSnapshot(tx, {
    outletId: i.outlet_id,
    terminalId: i.terminal_id,
    variantIds: items.flatMap((x) => (x.variant_id ? [x.variant_id] : [])),
    productIds: items.flatMap((x) => (!x.variant_id && x.product_id ? [x.product_id] : [])),
    clientId: i.client_id,
  });
  if (snap.existingOrderId) return priceSnapshot(snap, i);
  return promo ? priceSnapshotPromoted(tx, snap, i, promo) : priceSnapshot(snap, i);
}

export function priceSnapshot(snap: CatalogSnapshot, i: CreateOrderWire): PricedRequest {
  const outlet = saleOutlet(snap, i);
  assertCurrency(snap, i.currency);
  const at = new Date();
  const keys = (i.items ?? []).map(() => uuidv7());
  const { built, priced } = priceRequested(snap, requestedFromWire(i.items ?? [], keys), { outletId: outlet.id, orderType: i.order_type ?? 'takeaway', at }, {
    discount: discountOf(i.discount),
    tip: i.tip === undefined ? 0n : minorUnits(i.tip),
  });
  return { snap, outlet, keys, built, priced, at };
}

/** priceSnapshot, then the promotions the hook grants (calculate and checkout). */
export async function priceSnapshotPromoted(tx: TxCtx, snap: CatalogSnapshot, i: CreateOrderWire, step: PromotionStep): Promise<PricedRequest> {
  const r = priceSnapshot(snap, i);
  const promoted = await withPromotions(tx, step.hook, snap, r, {
    mode: step.mode,
    orderId: step.orderId,
    outletId: r.outlet.id,
    timeZone: r.outlet.timeZone,
    channel: i.channel ?? 'pos',
    orderType: i.order_type ?? 'takeaway',
    customerId: i.customer_id ?? null,
    at: r.at,
    couponCodes: i.coupon_codes ?? [],
  }, { discount: discountOf(i.discount), tip: i.tip === undefined ? 0n : minorUnits(i.tip) });
  return { ...r, ...promoted };
}

/**
 * Asks the promotions hook what it grants the priced lines and, when it grants anything, prices them again
 * with each promotion as a named fixed line discount (id = the promotion, before the cashier's own discount).
 */
export async function withPromotions(
  tx: TxCtx,
  hook: PromotionHook,
  snap: CatalogSnapshot,
  r: PricedLines,
  facts: Omit<PromotionDraft, 'lines'>,
  level: { discount: { type: 'percentage' | 'fixed'; value: bigint } | null; tip: bigint },
): Promise<PricedLines> {
  const lines = r.built.map((b, n) => ({ key: b.key, productId: b.variant.productId, variantId: b.variant.id, unitPrice: r.priced.lines[n]!.effectiveUnitPrice, quantity: b.quantity, gross: r.priced.lines[n]!.gross }));
  const granted = await hook.applyPromotions(tx, { ...facts, lines });
  if (granted.lines.size === 0) return r;
  const built = r.built.map((b) => {
    const promos = granted.lines.get(b.key);
    if (!promos?.length) return b;
    const named = promos.map((p) => ({ kind: 'fixed' as const, amount: p.amount, id: p.promotionId, name: p.name }));
    return { ...b, pricing: { ...b.pricing, discounts: [...named, ...(b.pricing.discounts ?? [])] } };
  });
  const priced = priceLines(built.map((b) => b.pricing), { ...snapshotLevel(snap, facts), ...level }, built.map((_, n) => `items.${n}`));
  return { built, priced };
}

/** The order row of a new order (DRAFT unless the caller overrides). */
export function newOrderRow(ctx: Ctx, i: CreateOrderWire, r: PricedRequest, id = uuidv7()) {
  return {
    id,
    outletId: r.outlet.id,
    terminalId: i.terminal_id ?? null,
    cashierMembershipId: actorMembership(ctx.actor),
    customerId: i.customer_id ?? null,
    tableId: i.table_id ?? null,
    orderType: i.order_type ?? 'takeaway',
    channel: i.channel ?? 'pos',
    notes: i.notes ?? null,
    clientId: i.client_id ?? null,
    status: 'DRAFT' as const,
    paymentStatus: 'UNPAID' as const,
    version: 1,
    currency: r.snap.tenant.currency,
    discountType: i.discount?.type ?? null,
    discountValue: discountOf(i.discount)?.value ?? null,
    discountReason: i.discount?.reason ?? null,
    paidTotal: 0n,
    changeTotal: 0n,
    refundedTotal: 0n,
    businessDate: businessDate(r.at, r.outlet.timeZone, r.outlet.cutoffMinutes),
    ...orderFigures(r.priced),
  };
}

/**
 * CreateOrder: a DRAFT at the caller's outlet (`{}` is enough), with items if the body has them. A body with
 * a client_id that an order already has returns that order (an offline register replaying its sync).
 */
export async function createOrder(ctx: Ctx, input: CreateOrderInput, hooks: SaleHookChain, promotions: PromotionHook): Promise<{ graph: OrderGraph; replayed: boolean }> {
  requirePermission(ctx, 'pos:sale:create');
  const i = bindToDevice(ctx.actor, parseInput(createOrderInput, input));
  requireDiscountPermission(ctx, i);
  try {
    return await withTransaction(ctx, async (tx) => {
      const r = await priceRequest(tx, i);
      if (r.snap.existingOrderId) return { graph: await loadGraph(tx, r.snap.existingOrderId), replayed: true };
      const order = await orderRepository.insert(tx, newOrderRow(ctx, i, r));
      const items = await orderRepository.insertItems(
        tx,
        r.built.map((b, n) => newItemRow(order.id, n + 1, b, r.priced.lines[n]!, i.items![n]!)),
      );
      const graph = { order, items, payments: [], refunds: [] };
      if (i.coupon_codes?.length) await promotions.rememberCoupons?.(tx, order.id, i.coupon_codes);
      const asked = manualDiscounts(i);
      if (asked.length) await promotions.approveManualDiscounts?.(tx, order.id, asked);
      if (items.length) await itemsChanged(tx, hooks, graph);
      return { graph, replayed: false };
    });
  } catch (e) {
    // Two replays of one offline order at once: the loser finds the winner's order.
    if (i.client_id && uniqueViolation(e) === 'orders_client_idx' && !('db' in ctx)) {
      const existing = await withTransaction(ctx, async (tx) => {
        const o = await orderRepository.byClientId(tx, i.client_id!);
        return o ? loadGraph(tx, o.id) : undefined;
      });
      if (existing) return { graph: existing, replayed: true };
      throw new AppError(OrderErrors.ORDER_CLIENT_ID_CONFLICT, { client_id: i.client_id });
    }
    throw e;
  }
}

/** CalculateOrder: the same body as CreateOrder, every figure the engine gives, nothing written. */
export async function calculateOrder(ctx: Ctx, input: CreateOrderInput, promotions: PromotionHook): Promise<PricedRequest> {
  requirePermission(ctx, 'pos:sale:create');
  const i = bindToDevice(ctx.actor, parseInput(createOrderInput, input));
  return withTransaction(ctx, (tx) => priceRequest(tx, { ...i, client_id: undefined }, { hook: promotions, mode: 'calculate', orderId: null }));
}
