import { sql } from 'drizzle-orm';
import type { TxScope } from '../../platform/context.js';
import { preparedRows } from '../../platform/prepared.js';

/**
 * What promotions need to know about a customer: their groups (promotions for a group) and how many orders
 * they have completed (first-order-only coupons). A port: the customers module provides the real one at the
 * composition root; until then `completedOrderFacts` counts COMPLETED orders and knows no groups.
 */
export interface CustomerFacts {
  of(tx: TxScope, customerId: string): Promise<{ groupIds: string[]; completedOrders: number }>;
}

export const completedOrderFacts: CustomerFacts = {
  async of(tx, customerId) {
    const [row] = await preparedRows<{ n: string | number }>(
      tx,
      'promo_customer_orders',
      sql`SELECT count(*) AS n FROM orders WHERE tenant_id = ${tx.tenantId} AND customer_id = ${customerId} AND status = 'COMPLETED'`,
    );
    return { groupIds: [], completedOrders: Number(row?.n ?? 0) };
  },
};
