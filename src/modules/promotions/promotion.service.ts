import { sql } from 'drizzle-orm';
import { requirePermission, withTransaction, type Ctx, type TxScope } from '../../platform/context.js';
import { AppError, validationError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { readPage, toPage, type Page } from '../../platform/pagination.js';
import { rowsOf } from '../../platform/db.js';
import { parseInput } from '../../platform/validation.js';
import { weekdayNames, weekdayNumbers, type PromotionCache } from './promotion-cache.js';
import { createPromotionInput, listPromotionsQuery, updatePromotionInput, type CreatePromotionInput, type ListPromotionsQuery, type PromotionWire, type ScopeWire, type UpdatePromotionInput } from './promotion.inputs.js';
import { promotionRepository as repo } from './promotion.repository.js';
import { PromotionErrors } from './promotions.errors.js';
import { recordPromotionWritten } from './promotions.events.js';
import type { Promotion, StoredScope } from './promotions.schema.js';

const stored = (s: ScopeWire | undefined | null): StoredScope => ({ product_ids: s?.product_ids ?? [], variant_ids: s?.variant_ids ?? [], category_ids: s?.category_ids ?? [] });
const wireScope = (s: StoredScope) => ({ product_ids: s.product_ids ?? [], variant_ids: s.variant_ids ?? [], category_ids: s.category_ids ?? [] });
const minutesOf = (t: string | null | undefined): number | null => (t ? Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5)) : null);
export const clockOf = (m: number | null): string | null => (m === null ? null : `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`);

/** A validated promotion as the row it is stored as. */
function rowOf(w: PromotionWire) {
  return {
    name: w.name,
    description: w.description ?? null,
    kind: w.kind,
    priority: w.priority ?? 0,
    exclusive: w.exclusive ?? false,
    rateBp: w.rate_bp ?? null,
    amount: w.amount === undefined || w.amount === null ? null : BigInt(w.amount),
    scope: stored(w.scope),
    buyQuantity: w.buy_quantity ?? null,
    getQuantity: w.get_quantity ?? null,
    getScope: w.get_scope ? stored(w.get_scope) : null,
    bundle: (w.bundle ?? []).map((b) => ({ scope: stored(b.scope), quantity: b.quantity })),
    minSubtotal: BigInt(w.min_subtotal ?? '0'),
    outletIds: w.outlet_ids ?? [],
    channels: w.channels ?? [],
    orderTypes: w.order_types ?? [],
    customerGroupIds: w.customer_group_ids ?? [],
    startsAt: w.starts_at ? new Date(w.starts_at) : null,
    endsAt: w.ends_at ? new Date(w.ends_at) : null,
    daysOfWeek: weekdayNumbers(w.days_of_week ?? []),
    startMinute: minutesOf(w.start_time),
    endMinute: minutesOf(w.end_time),
    couponOnly: w.coupon_only ?? false,
    usageLimit: w.usage_limit ?? null,
    active: w.active ?? true,
  };
}

/** A stored promotion as a create body again (so a change is validated as a whole new promotion would be). */
function wireOf(p: Promotion): Record<string, unknown> {
  return {
    name: p.name,
    description: p.description,
    kind: p.kind,
    priority: p.priority,
    exclusive: p.exclusive,
    rate_bp: p.rateBp,
    amount: p.amount === null ? null : p.amount.toString(),
    scope: wireScope(p.scope),
    buy_quantity: p.buyQuantity,
    get_quantity: p.getQuantity,
    get_scope: p.getScope ? wireScope(p.getScope) : null,
    bundle: p.bundle.map((b) => ({ scope: wireScope(b.scope), quantity: b.quantity })),
    min_subtotal: p.minSubtotal.toString(),
    outlet_ids: p.outletIds,
    channels: p.channels,
    order_types: p.orderTypes,
    customer_group_ids: p.customerGroupIds,
    starts_at: p.startsAt?.toISOString() ?? null,
    ends_at: p.endsAt?.toISOString() ?? null,
    days_of_week: weekdayNames(p.daysOfWeek),
    start_time: clockOf(p.startMinute),
    end_time: clockOf(p.endMinute),
    coupon_only: p.couponOnly,
    usage_limit: p.usageLimit,
    active: p.active,
  };
}

/** Outlets named must be the tenant's own. */
async function assertOutlets(tx: TxScope, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = new Set(
    rowsOf<{ id: string }>(await tx.db.execute(sql`SELECT id::text AS id FROM outlets WHERE tenant_id = ${tx.tenantId} AND id IN (SELECT value::uuid FROM jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))`)).map((r) => r.id),
  );
  const issues = ids.flatMap((id, i) => (found.has(id) ? [] : [{ field: `outlet_ids.${i}`, message: 'no such outlet' }]));
  if (issues.length) throw validationError(issues);
}

/** Promotions: create, read, list and change. Every write bumps the tenant's promotions version (caches reload). */
export class PromotionService {
  /** `cache`: this process's copy of active promotions, dropped at once on a write here (other nodes hear a NOTIFY). */
  constructor(private readonly cache?: PromotionCache) {}

  async create(ctx: Ctx, input: CreatePromotionInput): Promise<Promotion> {
    requirePermission(ctx, 'pos:promotion:write');
    const row = rowOf(parseInput(createPromotionInput, input));
    return withTransaction(ctx, async (tx) => {
      await assertOutlets(tx, row.outletIds);
      const p = await repo.insert(tx, { id: uuidv7(), ...row });
      await repo.bumpVersion(tx);
      this.cache?.forget(tx.tenantId);
      await recordPromotionWritten(tx, p, true);
      return p;
    });
  }

  async get(ctx: Ctx, id: string): Promise<Promotion> {
    requirePermission(ctx, 'pos:promotion:read');
    const p = await withTransaction(ctx, (tx) => repo.byId(tx, id));
    if (!p) throw new AppError(PromotionErrors.PROMOTION_NOT_FOUND, { id });
    return p;
  }

  async list(ctx: Ctx, query: ListPromotionsQuery): Promise<Page<Promotion>> {
    requirePermission(ctx, 'pos:promotion:read');
    const q = parseInput(listPromotionsQuery, query ?? {});
    const { limit, after } = readPage(q);
    return toPage(await withTransaction(ctx, (tx) => repo.list(tx, limit, after, q.active)), limit);
  }

  async update(ctx: Ctx, id: string, input: UpdatePromotionInput): Promise<Promotion> {
    requirePermission(ctx, 'pos:promotion:write');
    const patch = parseInput(updatePromotionInput, input ?? {});
    return withTransaction(ctx, async (tx) => {
      const before = await repo.byId(tx, id);
      if (!before) throw new AppError(PromotionErrors.PROMOTION_NOT_FOUND, { id });
      const merged = { ...wireOf(before), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
      const row = rowOf(parseInput(createPromotionInput, merged));
      await assertOutlets(tx, row.outletIds);
      if (row.usageLimit !== null && row.usageLimit < before.usageCount) throw validationError([{ field: 'usage_limit', message: `must be at least ${before.usageCount}, the uses so far` }]);
      const p = await repo.update(tx, id, row);
      await repo.bumpVersion(tx);
      this.cache?.forget(tx.tenantId);
      await recordPromotionWritten(tx, p!, false);
      return p!;
    });
  }
}
