import { and, asc, eq, gt, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { TxScope } from '../../platform/context.js';
import { rowsOf } from '../../platform/db.js';
import type { OrderStatus, PaymentStatus } from './order-state.js';
import { insertOne, preparedQuery, preparedRows } from '../../platform/prepared.js';
import { orderItems, orders, type Order, type OrderItem } from './sales.schema.js';

export type OrderPatch = Partial<Omit<typeof orders.$inferInsert, 'tenantId' | 'id' | 'version' | 'createdAt'>>;
export interface OrderFiguresRow {
  subtotal: bigint;
  discountTotal: bigint;
  serviceChargeTotal: bigint;
  taxTotal: bigint;
  tipTotal: bigint;
  roundingAdjustment: bigint;
  total: bigint;
  pricing: Record<string, unknown>;
}
export type ItemPatch = Partial<Omit<typeof orderItems.$inferInsert, 'tenantId' | 'orderId' | 'id' | 'createdAt'>>;

export interface OrderFilter {
  status?: OrderStatus | undefined;
  paymentStatus?: PaymentStatus | undefined;
  outletId?: string | undefined;
  cashierMembershipId?: string | undefined;
  customerId?: string | undefined;
  businessDateFrom?: string | undefined;
  businessDateTo?: string | undefined;
  receiptNumber?: string | undefined;
}

const own = (tx: TxScope, id: string) => and(eq(orders.tenantId, tx.tenantId), eq(orders.id, id));

/** Orders and their lines. SQL only; every query names the tenant. */
export const orderRepository = {
  async insert(tx: TxScope, row: Omit<typeof orders.$inferInsert, 'tenantId'>): Promise<Order> {
    return (await insertOne(tx, orders, 'order', row))!;
  },

  async byId(tx: TxScope, id: string): Promise<Order | undefined> {
    const q = preparedQuery(tx.db, 'sales_order_by_id', () =>
      tx.db.select().from(orders).where(and(eq(orders.tenantId, sql.placeholder('t')), eq(orders.id, sql.placeholder('id')))).prepare('sales_order_by_id'),
    );
    const [o] = await q.execute({ t: tx.tenantId, id });
    return o;
  },

  async byClientId(tx: TxScope, clientId: string): Promise<Order | undefined> {
    const [o] = await tx.db.select().from(orders).where(and(eq(orders.tenantId, tx.tenantId), eq(orders.clientId, clientId)));
    return o;
  },

  /**
   * Takes the order for a change: bumps its version (holding its row lock until commit) only when it is in
   * one of `statuses` and, if given, at `expectedVersion`. undefined when not (then `diagnose` says why).
   * Every change of an order starts here, so two requests changing one order run one after the other, and a
   * request that lost the race sees the winner's status and version.
   */
  async claim(tx: TxScope, id: string, statuses: readonly OrderStatus[], expectedVersion: number | undefined, patch: OrderPatch = {}): Promise<Order | undefined> {
    if (Object.keys(patch).length === 0) {
      // The common case, prepared once per connection: no patch, statuses and version as parameters.
      const q = preparedQuery(tx.db, 'sales_order_claim', () =>
        tx.db
          .update(orders)
          .set({ version: sql`${orders.version} + 1`, updatedAt: sql`now()` })
          .where(
            and(
              eq(orders.tenantId, sql.placeholder('t')),
              eq(orders.id, sql.placeholder('id')),
              sql`${orders.status} = any(${sql.placeholder('statuses')}::text[])`,
              sql`(${sql.placeholder('ev')}::integer IS NULL OR ${orders.version} = ${sql.placeholder('ev')}::integer)`,
            ),
          )
          .returning()
          .prepare('sales_order_claim'),
      );
      const [c] = await q.execute({ t: tx.tenantId, id, statuses: [...statuses], ev: expectedVersion ?? null });
      return c;
    }
    const [o] = await tx.db
      .update(orders)
      .set({ ...patch, version: sql`${orders.version} + 1`, updatedAt: sql`now()` })
      .where(and(own(tx, id), inArray(orders.status, [...statuses]), expectedVersion === undefined ? undefined : eq(orders.version, expectedVersion)))
      .returning();
    return o;
  },

  /** Moves the state only if nobody moved it first (status still `from`); undefined otherwise. */
  async transition(tx: TxScope, id: string, from: OrderStatus, to: OrderStatus, patch: OrderPatch = {}): Promise<Order | undefined> {
    const [o] = await tx.db
      .update(orders)
      .set({ ...patch, status: to, version: sql`${orders.version} + 1`, updatedAt: sql`now()` })
      .where(and(own(tx, id), eq(orders.status, from)))
      .returning();
    return o;
  },

  /** Adds a captured payment's money to an order this transaction has claimed. */
  async addPayment(tx: TxScope, id: string, m: { paidTotal: bigint; changeTotal: bigint; roundingAdjustment: bigint; total: bigint; paymentStatus: PaymentStatus }): Promise<Order> {
    const q = preparedQuery(tx.db, 'sales_order_add_payment', () =>
      tx.db
        .update(orders)
        .set({
          paidTotal: sql`${sql.placeholder('paid')}::bigint`,
          changeTotal: sql`${sql.placeholder('change')}::bigint`,
          roundingAdjustment: sql`${sql.placeholder('rounding')}::bigint`,
          total: sql`${sql.placeholder('total')}::bigint`,
          paymentStatus: sql`${sql.placeholder('status')}::text`,
          updatedAt: sql`now()`,
        })
        .where(and(eq(orders.tenantId, sql.placeholder('t')), eq(orders.id, sql.placeholder('id'))))
        .returning()
        .prepare('sales_order_add_payment'),
    );
    const [o] = await q.execute({ t: tx.tenantId, id, paid: m.paidTotal.toString(), change: m.changeTotal.toString(), rounding: m.roundingAdjustment.toString(), total: m.total.toString(), status: m.paymentStatus });
    return o!;
  },

  /** Changes fields of an order this transaction has claimed (no version bump: the claim made it). */
  async update(tx: TxScope, id: string, patch: OrderPatch): Promise<Order> {
    const [o] = await tx.db
      .update(orders)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(own(tx, id))
      .returning();
    return o!;
  },

  async items(tx: TxScope, orderId: string): Promise<OrderItem[]> {
    const q = preparedQuery(tx.db, 'sales_order_items', () =>
      tx.db
        .select()
        .from(orderItems)
        .where(and(eq(orderItems.tenantId, sql.placeholder('t')), eq(orderItems.orderId, sql.placeholder('id'))))
        .orderBy(asc(orderItems.lineNo), asc(orderItems.id))
        .prepare('sales_order_items'),
    );
    return q.execute({ t: tx.tenantId, id: orderId });
  },

  async itemsOfOrders(tx: TxScope, orderIds: readonly string[]): Promise<OrderItem[]> {
    if (orderIds.length === 0) return [];
    return tx.db
      .select()
      .from(orderItems)
      .where(and(eq(orderItems.tenantId, tx.tenantId), inArray(orderItems.orderId, [...orderIds])))
      .orderBy(asc(orderItems.orderId), asc(orderItems.lineNo));
  },

  async insertItems(tx: TxScope, rows: Omit<typeof orderItems.$inferInsert, 'tenantId'>[]): Promise<OrderItem[]> {
    if (rows.length === 0) return [];
    if (rows.length === 1) return [(await insertOne(tx, orderItems, 'order_item', rows[0]!))!];
    return tx.db.insert(orderItems).values(rows.map((r) => ({ ...r, tenantId: tx.tenantId }))).returning();
  },

  async updateItem(tx: TxScope, orderId: string, itemId: string, patch: ItemPatch): Promise<OrderItem | undefined> {
    const [i] = await tx.db
      .update(orderItems)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(and(eq(orderItems.tenantId, tx.tenantId), eq(orderItems.orderId, orderId), eq(orderItems.id, itemId)))
      .returning();
    return i;
  },

  async deleteItem(tx: TxScope, orderId: string, itemId: string): Promise<boolean> {
    const r = await tx.db
      .delete(orderItems)
      .where(and(eq(orderItems.tenantId, tx.tenantId), eq(orderItems.orderId, orderId), eq(orderItems.id, itemId)))
      .returning({ id: orderItems.id });
    return r.length > 0;
  },

  /**
   * Writes every line's figures (and snapshot fields) and the order's figures in ONE statement: `rows` are
   * objects whose keys are order_items columns (lineWrites), `figures` the order's (orderFigures); bigints
   * travel as decimal strings. Returns the rows' new updated_at.
   */
  async writeLinesAndTotals(tx: TxScope, orderId: string, rows: readonly Record<string, unknown>[], f: OrderFiguresRow): Promise<Date> {
    const json = JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
    const [r] = await preparedRows<{ updated_at: Date | string }>(
      tx,
      'sales_write_lines',
      sql`
        WITH l AS (
          UPDATE order_items i SET
            name = x.name, variant_name = x.variant_name, sku = x.sku, tax_category_id = x.tax_category_id, track_stock = x.track_stock,
            unit_price = x.unit_price, price_book_id = x.price_book_id, modifiers = x.modifiers,
            subtotal = x.subtotal, discount_total = x.discount_total, tax_total = x.tax_total, total = x.total,
            taxes = x.taxes, discounts = x.discounts, updated_at = now()
            FROM jsonb_to_recordset(${json}::jsonb) AS x(id uuid, name text, variant_name text, sku text, tax_category_id uuid, track_stock boolean,
                 unit_price bigint, price_book_id uuid, modifiers jsonb, subtotal bigint, discount_total bigint, tax_total bigint, total bigint,
                 taxes jsonb, discounts jsonb)
           WHERE i.tenant_id = ${tx.tenantId} AND i.order_id = ${orderId} AND i.id = x.id)
        UPDATE orders SET subtotal = ${f.subtotal}, discount_total = ${f.discountTotal}, service_charge_total = ${f.serviceChargeTotal},
               tax_total = ${f.taxTotal}, tip_total = ${f.tipTotal}, rounding_adjustment = ${f.roundingAdjustment}, total = ${f.total},
               pricing = ${JSON.stringify(f.pricing)}::jsonb, updated_at = now()
         WHERE tenant_id = ${tx.tenantId} AND id = ${orderId}
        RETURNING updated_at`,
    );
    return new Date(r!.updated_at);
  },

  /** Keyset page by id (UUIDv7: creation order), newest last, filtered. */
  async list(tx: TxScope, f: OrderFilter, limit: number, after: string | undefined): Promise<Order[]> {
    const where: (SQL | undefined)[] = [
      eq(orders.tenantId, tx.tenantId),
      after ? gt(orders.id, after) : undefined,
      f.status ? eq(orders.status, f.status) : undefined,
      f.paymentStatus ? eq(orders.paymentStatus, f.paymentStatus) : undefined,
      f.outletId ? eq(orders.outletId, f.outletId) : undefined,
      f.cashierMembershipId ? eq(orders.cashierMembershipId, f.cashierMembershipId) : undefined,
      f.customerId ? eq(orders.customerId, f.customerId) : undefined,
      f.businessDateFrom ? gte(orders.businessDate, f.businessDateFrom) : undefined,
      f.businessDateTo ? lte(orders.businessDate, f.businessDateTo) : undefined,
      f.receiptNumber ? eq(orders.receiptNumber, f.receiptNumber) : undefined,
    ];
    return tx.db.select().from(orders).where(and(...where)).orderBy(asc(orders.id)).limit(limit + 1);
  },

  /** Highest line number of an order, for numbering the next line. */
  async lastLineNo(tx: TxScope, orderId: string): Promise<number> {
    const [r] = rowsOf<{ n: number | null }>(await tx.db.execute(sql`SELECT max(line_no) AS n FROM order_items WHERE tenant_id = ${tx.tenantId} AND order_id = ${orderId}`));
    return Number(r?.n ?? 0);
  },
};

