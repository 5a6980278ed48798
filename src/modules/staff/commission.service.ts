import { sql } from 'drizzle-orm';
import { assertFeature } from '../tenancy/index.js';
import { z } from 'zod';
import { requirePermission, withTransaction, type Ctx, type TxCtx } from '../../platform/context.js';
import { rowsOf } from '../../platform/db.js';
import { AppError, validationError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { jsonPayload } from '../../platform/jobs.js';
import { readPage, toPage, type Page, type PageRequest } from '../../platform/pagination.js';
import { nameField, parseInput, uuidField } from '../../platform/validation.js';
import { minorUnitsField } from '../catalog/index.js';
import type { CompletedSale, RefundFacts, SaleHooks } from '../sales/index.js';
import { StaffErrors } from './staff.errors.js';

export interface CommissionRule {
  id: string;
  name: string;
  membershipId: string | null;
  roleId: string | null;
  productId: string | null;
  categoryId: string | null;
  kind: 'percentage' | 'fixed_per_item';
  rateBps: number | null;
  amount: bigint | null;
  active: boolean;
  createdAt: Date;
}

export interface Commission {
  id: string;
  membershipId: string;
  orderId: string;
  orderItemId: string;
  ruleId: string;
  kind: 'EARNED' | 'REVERSED';
  base: bigint;
  amount: bigint;
  refundId: string | null;
  createdAt: Date;
}

const ruleFields = {
  name: nameField(100),
  staff_member_id: uuidField().optional(),
  role_id: uuidField().optional(),
  product_id: uuidField().optional(),
  category_id: uuidField().optional(),
  kind: z.enum(['percentage', 'fixed_per_item']),
  rate_bps: z.number().int().min(0).max(10_000).optional().describe('percentage: basis points of net sales (after discounts, before tax)'),
  amount: minorUnitsField().optional().describe('fixed_per_item: minor units per item sold'),
  active: z.boolean().optional(),
};
export const createRuleInput = z.strictObject(ruleFields).superRefine((r, c) => {
  if (r.staff_member_id && r.role_id) c.addIssue({ code: 'custom', path: ['role_id'], message: 'a rule is for a staff member or a role, not both' });
  if (r.product_id && r.category_id) c.addIssue({ code: 'custom', path: ['category_id'], message: 'a rule is on a product or a category, not both' });
  if (r.kind === 'percentage' && (r.rate_bps === undefined || r.amount !== undefined)) c.addIssue({ code: 'custom', path: ['rate_bps'], message: 'a percentage rule takes rate_bps (and no amount)' });
  if (r.kind === 'fixed_per_item' && (r.amount === undefined || r.rate_bps !== undefined)) c.addIssue({ code: 'custom', path: ['amount'], message: 'a fixed_per_item rule takes amount (and no rate_bps)' });
});
export const updateRuleInput = z.strictObject({ name: nameField(100).optional(), active: z.boolean().optional() });
const dateTime = () => z.iso.datetime({ offset: true, error: 'must be an RFC 3339 date-time' });
export const statementQuery = z.object({ from: dateTime().optional().describe('Default: 30 days ago'), to: dateTime().optional().describe('Exclusive; default: now') });

type Row = Record<string, unknown>;
const toRule = (r: Row): CommissionRule => ({
  id: r.id as string,
  name: r.name as string,
  membershipId: (r.membership_id as string | null) ?? null,
  roleId: (r.role_id as string | null) ?? null,
  productId: (r.product_id as string | null) ?? null,
  categoryId: (r.category_id as string | null) ?? null,
  kind: r.kind as CommissionRule['kind'],
  rateBps: r.rate_bps === null ? null : Number(r.rate_bps),
  amount: r.amount === null ? null : BigInt(r.amount as string),
  active: Boolean(r.active),
  createdAt: new Date(r.created_at as string),
});
const toCommission = (r: Row): Commission => ({
  id: r.id as string,
  membershipId: r.membership_id as string,
  orderId: r.order_id as string,
  orderItemId: r.order_item_id as string,
  ruleId: r.rule_id as string,
  kind: r.kind as Commission['kind'],
  base: BigInt(r.base as string),
  amount: BigInt(r.amount as string),
  refundId: (r.refund_id as string | null) ?? null,
  createdAt: new Date(r.created_at as string),
});

/** Commission rules, and each staff member's statement over a period (earned, reversed, net, and the lines). */
export class CommissionService {
  async createRule(ctx: Ctx, input: unknown): Promise<CommissionRule> {
    requirePermission(ctx, 'pos:staff:write');
    const i = parseInput(createRuleInput, input);
    return withTransaction(ctx, async (tx) => {
      await assertFeature(tx, 'commissions');
      const missing = await missingRefs(tx, i);
      if (missing.length) throw validationError(missing.map((field) => ({ field, message: 'no such record' })));
      const [r] = rowsOf<Row>(
        await tx.db.execute(sql`
          INSERT INTO commission_rules (tenant_id, id, name, membership_id, role_id, product_id, category_id, kind, rate_bps, amount, active)
          VALUES (${tx.tenantId}, ${uuidv7()}, ${i.name}, ${i.staff_member_id ?? null}, ${i.role_id ?? null}, ${i.product_id ?? null}, ${i.category_id ?? null},
                  ${i.kind}, ${i.rate_bps ?? null}, ${i.amount ?? null}, ${i.active ?? true}) RETURNING *`),
      );
      return toRule(r!);
    });
  }

  async getRule(ctx: Ctx, id: string): Promise<CommissionRule> {
    requirePermission(ctx, 'pos:staff:read');
    const [r] = await withTransaction(ctx, async (tx) => rowsOf<Row>(await tx.db.execute(sql`SELECT * FROM commission_rules WHERE tenant_id = ${tx.tenantId} AND id = ${id}`)));
    if (!r) throw new AppError(StaffErrors.COMMISSION_RULE_NOT_FOUND, { id });
    return toRule(r);
  }

  async listRules(ctx: Ctx, page: PageRequest): Promise<Page<CommissionRule>> {
    requirePermission(ctx, 'pos:staff:read');
    const { limit, after } = readPage(page);
    const rows = await withTransaction(ctx, async (tx) =>
      rowsOf<Row>(await tx.db.execute(sql`SELECT * FROM commission_rules WHERE tenant_id = ${tx.tenantId} AND id > ${after ?? '00000000-0000-0000-0000-000000000000'} ORDER BY id LIMIT ${limit + 1}`)).map(toRule),
    );
    return toPage(rows, limit);
  }

  async updateRule(ctx: Ctx, id: string, input: unknown): Promise<CommissionRule> {
    requirePermission(ctx, 'pos:staff:write');
    const i = parseInput(updateRuleInput, input);
    const [r] = await withTransaction(ctx, async (tx) =>
      rowsOf<Row>(
        await tx.db.execute(sql`
          UPDATE commission_rules SET name = coalesce(${i.name ?? null}, name), active = coalesce(${i.active ?? null}::boolean, active), updated_at = now()
           WHERE tenant_id = ${tx.tenantId} AND id = ${id} RETURNING *`),
      ),
    );
    if (!r) throw new AppError(StaffErrors.COMMISSION_RULE_NOT_FOUND, { id });
    return toRule(r);
  }

  /** A staff member's commissions over [from, to): the lines (a page) and the period's totals. */
  async statement(ctx: Ctx, membershipId: string, query: PageRequest & Record<string, unknown>): Promise<{ page: Page<Commission>; earned: bigint; reversed: bigint; net: bigint }> {
    if (membershipId !== ctx.actor.membershipId) requirePermission(ctx, 'pos:staff:read');
    const q = parseInput(statementQuery, { from: query.from, to: query.to });
    const f = { from: q.from ?? new Date(Date.now() - 30 * 86_400_000).toISOString(), to: q.to ?? new Date().toISOString() };
    const { limit, after } = readPage(query);
    return withTransaction(ctx, async (tx) => {
      const [m] = rowsOf<{ id: string }>(await tx.db.execute(sql`SELECT id FROM memberships WHERE tenant_id = ${tx.tenantId} AND id = ${membershipId}`));
      if (!m) throw new AppError(StaffErrors.STAFF_MEMBER_NOT_FOUND, { id: membershipId });
      const range = sql`tenant_id = ${tx.tenantId} AND membership_id = ${membershipId} AND created_at >= ${f.from}::timestamptz AND created_at < ${f.to}::timestamptz`;
      const rows = rowsOf<Row>(await tx.db.execute(sql`SELECT * FROM commissions WHERE ${range} AND id > ${after ?? '00000000-0000-0000-0000-000000000000'} ORDER BY id LIMIT ${limit + 1}`)).map(toCommission);
      const [t] = rowsOf<{ earned: string | null; reversed: string | null }>(
        await tx.db.execute(sql`SELECT sum(amount) FILTER (WHERE kind = 'EARNED') AS earned, -sum(amount) FILTER (WHERE kind = 'REVERSED') AS reversed FROM commissions WHERE ${range}`),
      );
      const earned = BigInt(t?.earned ?? 0);
      const reversed = BigInt(t?.reversed ?? 0);
      return { page: toPage(rows, limit), earned, reversed, net: earned - reversed };
    });
  }
}

async function missingRefs(tx: TxCtx, i: z.output<typeof createRuleInput>): Promise<string[]> {
  const checks: [string, string | undefined, ReturnType<typeof sql>][] = [
    ['staff_member_id', i.staff_member_id, sql`memberships`],
    ['role_id', i.role_id, sql`roles`],
    ['product_id', i.product_id, sql`products`],
    ['category_id', i.category_id, sql`categories`],
  ];
  const out: string[] = [];
  for (const [field, id, table] of checks) {
    if (!id) continue;
    const r = rowsOf(await tx.db.execute(sql`SELECT 1 FROM ${table} WHERE tenant_id = ${tx.tenantId} AND id = ${id}`));
    if (r.length === 0) out.push(field);
  }
  return out;
}

/**
 * Commissions follow the sale (one statement per hook; nothing for an order without a cashier): on completion
 * each line earns under the most specific matching rule; a refund takes back the same share of what each
 * refunded line earned (by quantity, or by amount for an amount-only refund), never more than is left.
 */
export class CommissionHooks implements SaleHooks {
  async orderCompleted(tx: TxCtx, sale: CompletedSale): Promise<void> {
    const cashier = sale.order.cashierMembershipId;
    if (!cashier || sale.items.length === 0) return;
    const lines = jsonPayload(sale.items.map((i) => ({ item_id: i.id, product_id: i.productId, quantity: String(i.quantity), net: (i.total - i.taxTotal).toString() })));
    await tx.db.execute(sql`
      WITH l AS (SELECT * FROM jsonb_to_recordset(${lines}::jsonb) AS x(item_id uuid, product_id uuid, quantity numeric, net bigint)),
      m AS (SELECT id, role_id FROM memberships WHERE tenant_id = ${tx.tenantId} AND id = ${cashier}),
      pick AS (
        SELECT DISTINCT ON (l.item_id) l.item_id, l.quantity, l.net, r.id AS rule_id, r.kind, r.rate_bps, r.amount
          FROM l JOIN products p ON p.tenant_id = ${tx.tenantId} AND p.id = l.product_id
          CROSS JOIN m
          JOIN commission_rules r ON r.tenant_id = ${tx.tenantId} AND r.active
           AND (r.membership_id IS NULL OR r.membership_id = m.id) AND (r.role_id IS NULL OR r.role_id = m.role_id)
           AND (r.product_id IS NULL OR r.product_id = l.product_id) AND (r.category_id IS NULL OR r.category_id = p.category_id)
         ORDER BY l.item_id,
                  (CASE WHEN r.membership_id IS NOT NULL THEN 6 WHEN r.role_id IS NOT NULL THEN 3 ELSE 0 END)
                  + (CASE WHEN r.product_id IS NOT NULL THEN 2 WHEN r.category_id IS NOT NULL THEN 1 ELSE 0 END) DESC, r.id DESC)
      INSERT INTO commissions (tenant_id, id, membership_id, order_id, order_item_id, rule_id, kind, base, amount)
      SELECT ${tx.tenantId}, gen_random_uuid(), ${cashier}, ${sale.order.id}, item_id, rule_id, 'EARNED', net,
             CASE WHEN kind = 'percentage' THEN (greatest(net, 0) * rate_bps + 5000) / 10000 ELSE round(amount * quantity)::bigint END
        FROM pick`);
  }

  async orderRefunded(tx: TxCtx, refund: RefundFacts): Promise<void> {
    const lines = jsonPayload(refund.lines.map((l) => ({ item_id: l.itemId, quantity: l.quantity, amount: l.amount.toString() })));
    await tx.db.execute(sql`
      WITH f AS (SELECT * FROM jsonb_to_recordset(${lines}::jsonb) AS x(item_id uuid, quantity numeric, amount bigint)),
      e AS (
        SELECT c.membership_id, c.order_item_id, c.rule_id, i.quantity AS line_qty, i.total AS line_total,
               sum(c.amount) FILTER (WHERE c.kind = 'EARNED') AS earned, coalesce(-sum(c.amount) FILTER (WHERE c.kind = 'REVERSED'), 0) AS reversed
          FROM commissions c JOIN order_items i ON i.tenant_id = c.tenant_id AND i.order_id = c.order_id AND i.id = c.order_item_id
         WHERE c.tenant_id = ${tx.tenantId} AND c.order_id = ${refund.orderId}
         GROUP BY c.membership_id, c.order_item_id, c.rule_id, i.quantity, i.total),
      calc AS (
        SELECT e.*, CASE WHEN (SELECT count(*) FROM f) > 0
                         THEN (SELECT CASE WHEN f.quantity > 0 THEN round(e.earned * f.quantity / e.line_qty) ELSE round(e.earned * f.amount / nullif(e.line_total, 0)::numeric) END
                                 FROM f WHERE f.item_id = e.order_item_id)
                         -- An amount refund gives back its share of what is still refundable (the order's refunded_total
                         -- already counts this refund), so refunding everything left takes back everything left.
                         ELSE round((e.earned - e.reversed) * ${refund.amount.toString()}::numeric
                                    / nullif((SELECT paid_total - refunded_total + ${refund.amount.toString()}::bigint FROM orders WHERE tenant_id = ${tx.tenantId} AND id = ${refund.orderId}), 0)) END AS back
          FROM e)
      -- least() ignores NULLs: a line this refund does not touch has back NULL and must give back 0.
      INSERT INTO commissions (tenant_id, id, membership_id, order_id, order_item_id, rule_id, kind, base, amount, refund_id)
      SELECT ${tx.tenantId}, gen_random_uuid(), membership_id, ${refund.orderId}, order_item_id, rule_id, 'REVERSED', 0, -least(coalesce(back, 0)::bigint, earned - reversed), ${refund.refundId}
        FROM calc WHERE least(coalesce(back, 0)::bigint, earned - reversed) > 0`);
  }
}
