import type { TxScope } from '../../../platform/context.js';
import { AppError } from '../../../platform/errors.js';
import { OrderErrors } from '../order.errors.js';
import { orderRepository, type OrderPatch } from '../order.repository.js';
import type { GuardCode, OrderStatus } from '../order-state.js';
import { paymentRepository } from '../payment.repository.js';
import { refundRepository } from '../refund.repository.js';
import type { Order, OrderItem, Payment, Refund, RefundLine, RefundTender } from '../sales.schema.js';

/** An order with everything a till or a receipt shows. */
export interface OrderGraph {
  order: Order;
  items: OrderItem[];
  payments: Payment[];
  refunds: (Refund & { lines: RefundLine[]; tenders: RefundTender[] })[];
}

export const guardError = (code: GuardCode, details?: Record<string, unknown>): AppError => new AppError(OrderErrors[code], details);

/**
 * Claims the order for a change (version bumped, row locked to commit) or explains why not: not found, a
 * stale expected_version (ORDER_CONCURRENT_UPDATE), or a status that does not allow the change.
 */
export async function claimOrder(tx: TxScope, id: string, statuses: readonly OrderStatus[], expectedVersion: number | undefined, wrongStatus: GuardCode, patch?: OrderPatch): Promise<Order> {
  const o = await orderRepository.claim(tx, id, statuses, expectedVersion, patch);
  if (o) return o;
  throw await whyNot(tx, id, expectedVersion, wrongStatus);
}

/** The error for a conditional change of order `id` that matched no row. */
export async function whyNot(tx: TxScope, id: string, expectedVersion: number | undefined, wrongStatus: GuardCode): Promise<AppError> {
  const cur = await orderRepository.byId(tx, id);
  if (!cur) return new AppError(OrderErrors.ORDER_NOT_FOUND, { id });
  if (expectedVersion !== undefined && cur.version !== expectedVersion) {
    return new AppError(OrderErrors.ORDER_CONCURRENT_UPDATE, { id, expected_version: expectedVersion, version: cur.version });
  }
  return guardError(wrongStatus, { id, status: cur.status, version: cur.version });
}

export async function loadGraphs(tx: TxScope, list: Order[], withItems = true): Promise<OrderGraph[]> {
  const ids = list.map((o) => o.id);
  const items = withItems ? await orderRepository.itemsOfOrders(tx, ids) : [];
  const pays = withItems ? await paymentRepository.ofOrders(tx, ids) : [];
  const r = withItems ? await refundRepository.ofOrders(tx, ids) : { refunds: [], lines: [], tenders: [] };
  return list.map((order) => ({
    order,
    items: items.filter((i) => i.orderId === order.id),
    payments: pays.filter((p) => p.orderId === order.id),
    refunds: r.refunds
      .filter((x) => x.orderId === order.id)
      .map((x) => ({ ...x, lines: r.lines.filter((l) => l.refundId === x.id), tenders: r.tenders.filter((t) => t.refundId === x.id) })),
  }));
}

export async function loadGraph(tx: TxScope, id: string): Promise<OrderGraph> {
  const order = await orderRepository.byId(tx, id);
  if (!order) throw new AppError(OrderErrors.ORDER_NOT_FOUND, { id });
  return (await loadGraphs(tx, [order]))[0]!;
}
