import { requirePermission, withTransaction, type Ctx } from '../../../platform/context.js';
import { readPage, toPage, type Page } from '../../../platform/pagination.js';
import { parseInput } from '../../../platform/validation.js';
import { listOrdersQuery, type ListOrdersQuery } from '../order.inputs.js';
import { orderRepository } from '../order.repository.js';
import { loadGraph, loadGraphs, type OrderGraph } from './order-access.js';

/** GetOrder: the order with its items, payments and refunds. */
export async function getOrder(ctx: Ctx, id: string): Promise<OrderGraph> {
  requirePermission(ctx, 'pos:sale:read');
  return withTransaction(ctx, (tx) => loadGraph(tx, id));
}

/**
 * ListOrders: by status, payment status, outlet, cashier, customer, business-date range (the outlet's
 * business day) and receipt number; keyset pages in creation order. Items, payments and refunds only with
 * include_items (a list screen does not need them).
 */
export async function listOrders(ctx: Ctx, query: ListOrdersQuery): Promise<Page<OrderGraph>> {
  requirePermission(ctx, 'pos:sale:read');
  const q = parseInput(listOrdersQuery, query);
  const { limit, after } = readPage(q);
  return withTransaction(ctx, async (tx) => {
    const rows = await orderRepository.list(
      tx,
      {
        status: q.status,
        paymentStatus: q.payment_status,
        outletId: q.outlet_id,
        cashierMembershipId: q.cashier_membership_id,
        customerId: q.customer_id,
        businessDateFrom: q.business_date_from,
        businessDateTo: q.business_date_to,
        receiptNumber: q.receipt_number,
      },
      limit,
      after,
    );
    const page = toPage(rows, limit);
    return { items: await loadGraphs(tx, page.items, q.include_items ?? false), nextPageToken: page.nextPageToken };
  });
}
