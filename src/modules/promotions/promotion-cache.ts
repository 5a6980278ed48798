import { WEEKDAYS } from '../catalog/index.js';
import type { TxScope } from '../../platform/context.js';
import { promotionRepository as repo } from './promotion.repository.js';
import type { Promotion, StoredScope } from './promotions.schema.js';
import type { PromotionRule, Scope } from './promotion.js';

/**
 * The active promotions of each tenant, compiled for the engine and kept per process. A sale reads the tenant's
 * promotions version in its one facts statement anyway; the cached copy is used while the version is the same,
 * and reloaded (one more statement) when a promotion was written or ran out of (or got back) a use since.
 * Bounded: the least recently loaded tenant goes first.
 */
export interface CompiledPromotions {
  version: number;
  rules: PromotionRule[];
  /** Whether any rule depends on the customer's groups (only then are they looked up). */
  usesGroups: boolean;
  /** Whether any rule looks at categories. */
  usesCategories: boolean;
  /** Promotions with a usage limit (their uses are counted). */
  limited: ReadonlySet<string>;
}

const MAX_TENANTS = 5_000;

export class PromotionCache {
  private readonly byTenant = new Map<string, CompiledPromotions>();

  async get(tx: TxScope, version: number): Promise<CompiledPromotions> {
    if (version === 0) return { version: 0, rules: [], usesGroups: false, usesCategories: false, limited: new Set() };
    const hit = this.byTenant.get(tx.tenantId);
    if (hit && hit.version === version) return hit;
    const { version: v, rows } = await repo.active(tx);
    const compiled = compile(v, rows);
    if (this.byTenant.size >= MAX_TENANTS) this.byTenant.delete(this.byTenant.keys().next().value as string);
    this.byTenant.delete(tx.tenantId);
    this.byTenant.set(tx.tenantId, compiled);
    return compiled;
  }

  /** Drops a tenant's copy (its uses ran out under us: read everything again next time). */
  forget(tenantId: string): void {
    this.byTenant.delete(tenantId);
  }
}

export const scopeOf = (s: StoredScope | null | undefined): Scope => ({ productIds: s?.product_ids ?? [], variantIds: s?.variant_ids ?? [], categoryIds: s?.category_ids ?? [] });

export function toRule(p: Promotion): PromotionRule {
  return {
    id: p.id,
    name: p.name,
    kind: p.kind as PromotionRule['kind'],
    priority: p.priority,
    exclusive: p.exclusive,
    rateBp: p.rateBp,
    amount: p.amount,
    scope: scopeOf(p.scope),
    buyQuantity: p.buyQuantity,
    getQuantity: p.getQuantity,
    getScope: p.getScope ? scopeOf(p.getScope) : null,
    bundle: p.bundle.map((b) => ({ scope: scopeOf(b.scope), quantity: b.quantity })),
    minSubtotal: p.minSubtotal,
    outletIds: p.outletIds,
    channels: p.channels,
    orderTypes: p.orderTypes,
    customerGroupIds: p.customerGroupIds,
    startsAt: p.startsAt,
    endsAt: p.endsAt,
    daysOfWeek: p.daysOfWeek,
    startMinute: p.startMinute,
    endMinute: p.endMinute,
    couponOnly: p.couponOnly,
    exhausted: p.usageLimit !== null && p.usageCount >= p.usageLimit,
  };
}

function compile(version: number, rows: readonly Promotion[]): CompiledPromotions {
  const rules = rows.map(toRule);
  const cats = (s: Scope | null) => (s?.categoryIds.length ?? 0) > 0;
  return {
    version,
    rules,
    usesGroups: rules.some((r) => r.customerGroupIds.length > 0),
    usesCategories: rules.some((r) => cats(r.scope) || cats(r.getScope) || r.bundle.some((b) => cats(b.scope))),
    limited: new Set(rows.filter((r) => r.usageLimit !== null).map((r) => r.id)),
  };
}

/** ISO weekday numbers (Monday = 1) from names, and back. */
export const weekdayNumbers = (days: readonly string[]): number[] => days.map((d) => WEEKDAYS.indexOf(d as (typeof WEEKDAYS)[number]) + 1).sort();
export const weekdayNames = (days: readonly number[]): string[] => days.map((d) => WEEKDAYS[d - 1]!);
