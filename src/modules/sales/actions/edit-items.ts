import { requirePermission, withTransaction, type Ctx, type TxCtx } from '../../../platform/context.js';
import { noPromotions, type PromotionHook, type SaleHookChain } from '../sales-hooks.js';
import { AppError } from '../../../platform/errors.js';
import { uuidv7 } from '../../../platform/ids.js';
import { parseInput } from '../../../platform/validation.js';
import { OrderErrors } from '../order.errors.js';
import { addItemInput, orderDiscountInput, toQuantity, updateItemInput } from '../order.inputs.js';
import { orderRepository } from '../order.repository.js';
import { formatQuantity } from '../quantity.js';
import { loadCatalogSnapshot } from '../sale-catalog.repository.js';
import type { RequestedLine } from '../sale-lines.js';
import type { Order, OrderItem } from '../sales.schema.js';
import { claimOrder, type OrderGraph } from './order-access.js';
import { discountOf, newItemRow, priceRequested, requestedFromItems, requestedFromWire, storedDiscount, writeDraft, type PricedLines } from './order-lines.js';

/**
 * DRAFT editing: add, change and remove items, and set the order discount. Each change claims the order
 * (DRAFT only, version bumped), prices every line again with the catalog as it is now (nothing is locked
 * in a DRAFT), and writes the new figures; nothing is written when anything is refused.
 */

async function reprice(tx: TxCtx, order: Pick<Order, 'outletId' | 'orderType' | 'discountType' | 'discountValue' | 'tipTotal'>, lines: RequestedLine[], discount = storedDiscount(order.discountType, order.discountValue)): Promise<PricedLines> {
  const snap = await loadCatalogSnapshot(tx, {
    outletId: order.outletId,
    variantIds: lines.flatMap((l) => (l.variantId ? [l.variantId] : [])),
    productIds: lines.flatMap((l) => (!l.variantId && l.productId ? [l.productId] : [])),
  });
  return priceRequested(snap, lines, { outletId: order.outletId, orderType: order.orderType, at: new Date() }, { discount, tip: order.tipTotal });
}

/** Tells the installed hooks (stock reservations) what the order's lines are now; returns the graph. */
export async function itemsChanged(tx: TxCtx, hooks: SaleHookChain, graph: OrderGraph): Promise<OrderGraph> {
  if (!hooks.empty) await hooks.run('itemsChanged', tx, { order: graph.order, items: graph.items });
  return graph;
}

function findItem(items: OrderItem[], itemId: string): OrderItem {
  const item = items.find((i) => i.id === itemId);
  if (!item) throw new AppError(OrderErrors.ORDER_ITEM_NOT_FOUND, { id: itemId });
  return item;
}

export async function addItem(ctx: Ctx, orderId: string, input: unknown, hooks: SaleHookChain, promotions: PromotionHook = noPromotions): Promise<OrderGraph> {
  requirePermission(ctx, 'pos:sale:create');
  const i = parseInput(addItemInput, input);
  if (i.discount) requirePermission(ctx, 'pos:sale:discount');
  return withTransaction(ctx, async (tx) => {
    const order = await claimOrder(tx, orderId, ['DRAFT'], i.expected_version, 'ORDER_NOT_DRAFT');
    if (i.discount) await promotions.approveManualDiscounts?.(tx, orderId, [{ field: 'discount', ...discountOf(i.discount)! }]);
    const items = await orderRepository.items(tx, orderId);
    const key = uuidv7();
    const priced = await reprice(tx, order, [...requestedFromItems(items), ...requestedFromWire([i], [key], '')]);
    const n = priced.built.length - 1;
    const lineNo = items.reduce((m, x) => Math.max(m, x.lineNo), 0) + 1;
    const [inserted] = await orderRepository.insertItems(tx, [newItemRow(orderId, lineNo, priced.built[n]!, priced.priced.lines[n]!, i)]);
    return itemsChanged(tx, hooks, await writeDraft(tx, order, [...items, inserted!], priced, key));
  });
}

export async function updateItem(ctx: Ctx, orderId: string, itemId: string, input: unknown, hooks: SaleHookChain, promotions: PromotionHook = noPromotions): Promise<OrderGraph> {
  requirePermission(ctx, 'pos:sale:create');
  const i = parseInput(updateItemInput, input);
  if (i.discount) requirePermission(ctx, 'pos:sale:discount');
  return withTransaction(ctx, async (tx) => {
    const order = await claimOrder(tx, orderId, ['DRAFT'], i.expected_version, 'ORDER_NOT_DRAFT');
    if (i.discount) await promotions.approveManualDiscounts?.(tx, orderId, [{ field: 'discount', ...discountOf(i.discount)! }]);
    const items = await orderRepository.items(tx, orderId);
    const item = findItem(items, itemId);
    const lines = requestedFromItems(items).map((l) => {
      if (l.key !== itemId) return l;
      return {
        ...l,
        field: '',
        ...(i.quantity !== undefined ? { quantity: toQuantity(i.quantity) } : {}),
        ...(i.modifiers !== undefined ? { modifiers: i.modifiers.map((m) => ({ modifierId: m.modifier_id, groupId: m.group_id, quantity: m.quantity })) } : {}),
        ...(i.discount !== undefined ? { discount: discountOf(i.discount) } : {}),
      };
    });
    const priced = await reprice(tx, order, lines);
    const changed = priced.built.find((b) => b.key === itemId)!;
    const updated = await orderRepository.updateItem(tx, orderId, itemId, {
      quantity: i.quantity === undefined ? item.quantity : formatQuantity(changed.quantity),
      discountType: changed.discount?.type ?? null,
      discountValue: changed.discount?.value ?? null,
      ...(i.discount !== undefined ? { discountReason: i.discount?.reason ?? null } : {}),
      ...(i.seat !== undefined ? { seat: i.seat } : {}),
      ...(i.notes !== undefined ? { notes: i.notes } : {}),
    });
    return itemsChanged(tx, hooks, await writeDraft(tx, order, items.map((x) => (x.id === itemId ? updated! : x)), priced));
  });
}

export async function removeItem(ctx: Ctx, orderId: string, itemId: string, input: { expected_version?: number | undefined }, hooks: SaleHookChain): Promise<OrderGraph> {
  requirePermission(ctx, 'pos:sale:create');
  return withTransaction(ctx, async (tx) => {
    const order = await claimOrder(tx, orderId, ['DRAFT'], input.expected_version, 'ORDER_NOT_DRAFT');
    const items = await orderRepository.items(tx, orderId);
    findItem(items, itemId);
    await orderRepository.deleteItem(tx, orderId, itemId);
    const left = items.filter((x) => x.id !== itemId);
    return itemsChanged(tx, hooks, await writeDraft(tx, order, left, await reprice(tx, order, requestedFromItems(left))));
  });
}

/** ApplyDiscount on the order: percentage or fixed, allocated over the lines by the engine; null removes it. */
export async function setOrderDiscount(ctx: Ctx, orderId: string, input: unknown, promotions: PromotionHook = noPromotions): Promise<OrderGraph> {
  requirePermission(ctx, 'pos:sale:create');
  requirePermission(ctx, 'pos:sale:discount');
  const i = parseInput(orderDiscountInput, input);
  return withTransaction(ctx, async (tx) => {
    const discount = discountOf(i.discount);
    const order = await claimOrder(tx, orderId, ['DRAFT'], i.expected_version, 'ORDER_NOT_DRAFT', {
      discountType: discount?.type ?? null,
      discountValue: discount?.value ?? null,
      discountReason: i.discount?.reason ?? null,
    });
    if (discount) await promotions.approveManualDiscounts?.(tx, orderId, [{ field: 'discount', ...discount }]);
    const items = await orderRepository.items(tx, orderId);
    return writeDraft(tx, order, items, await reprice(tx, order, requestedFromItems(items), discount));
  });
}
