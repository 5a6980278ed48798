import { sql } from 'drizzle-orm';
import type { Actor, TxCtx } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { preparedRows } from '../../platform/prepared.js';
import { PromotionErrors } from './promotions.errors.js';

/** A manual discount a request asks for, with the field it came in (`discount`, `items.2.discount`). */
export interface ManualDiscount {
  field: string;
  type: 'percentage' | 'fixed';
  /** Basis points, or minor units. */
  value: bigint;
}

export const OVERRIDE_PERMISSION = 'pos:sale:discount:override';

/**
 * Manual discounts against the giver's role limit (discount_limits): within it, nothing to do; above it, the
 * actor needs pos:sale:discount:override (a manager, or a manager's override token), and who let it through
 * is recorded. Staff without a limit row for their role, API keys and development headers are not limited.
 * One statement reads the limit; one more writes the approvals, only when there are any.
 */
export async function approveManualDiscounts(tx: TxCtx, actor: Actor, orderId: string, discounts: readonly ManualDiscount[]): Promise<void> {
  if (discounts.length === 0 || !actor.membershipId) return;
  const [limit] = await preparedRows<{ role_key: string; max_rate_bp: number | null; max_amount: string | number | null }>(
    tx,
    'promo_discount_limit',
    sql`SELECT r.key AS role_key, dl.max_rate_bp, dl.max_amount FROM memberships m
          JOIN roles r ON r.tenant_id = m.tenant_id AND r.id = m.role_id
          JOIN discount_limits dl ON dl.tenant_id = r.tenant_id AND dl.role_key = r.key
         WHERE m.tenant_id = ${tx.tenantId} AND m.id = ${actor.membershipId}`,
  );
  if (!limit) return;
  const over = discounts.filter((d) =>
    d.type === 'percentage' ? limit.max_rate_bp !== null && d.value > BigInt(limit.max_rate_bp) : limit.max_amount !== null && d.value > BigInt(limit.max_amount),
  );
  if (over.length === 0) return;
  if (!actor.permissions.has(OVERRIDE_PERMISSION)) {
    const d = over[0]!;
    throw new AppError(PromotionErrors.DISCOUNT_OVER_LIMIT, {
      field: d.field,
      role: limit.role_key,
      ...(d.type === 'percentage' ? { max_rate_bp: limit.max_rate_bp } : { max_amount: Number(limit.max_amount) }),
    });
  }
  const rows = over.map((d) => ({ id: uuidv7(), field: d.field, type: d.type, value: d.value.toString() }));
  await tx.db.execute(sql`
    INSERT INTO discount_approvals (tenant_id, id, order_id, field, discount_type, discount_value, role_key, approved_by, approved_by_kind)
    SELECT ${tx.tenantId}, x.id, ${orderId}::uuid, x.field, x.type, x.value, ${limit.role_key}, ${actor.membershipId}::uuid, ${actor.kind}
      FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(id uuid, field text, type text, value bigint)`);
}
