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
 *
 * When this process hears every promotions change (a NOTIFY on PROMOTIONS_CHANNEL, sent by a trigger on
 * promotion_state from any node; trustNotifications), a copy loaded in the last TRUST_MS is current without
 * reading the version: a sale in a tenant with no promotions and no coupon then costs no statement at all.
 * The time bound is the backstop for a notification lost while the listener reconnects.
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
const TRUST_MS = 5_000;

/** The channel promotion_state's trigger notifies (payload: the tenant id), from every node. */
export const PROMOTIONS_CHANNEL = 'kasir_promotions';

const NONE: CompiledPromotions = { version: 0, rules: [], usesGroups: false, usesCategories: false, limited: new Set() };

export class PromotionCache {
  private readonly byTenant = new Map<string, { compiled: CompiledPromotions; at: number }>();
  private notified = false;

  async get(tx: TxScope, version: number): Promise<CompiledPromotions> {
    const hit = this.byTenant.get(tx.tenantId);
    if (hit && hit.compiled.version === version) return hit.compiled;
    const compiled = version === 0 ? NONE : await repo.active(tx).then(({ version: v, rows }) => compile(v, rows));
    this.keep(tx.tenantId, compiled);
    return compiled;
  }

  /** The tenant's copy when it is known current without reading (notifications heard, loaded lately). */
  current(tenantId: string): CompiledPromotions | undefined {
    const hit = this.notified ? this.byTenant.get(tenantId) : undefined;
    return hit && Date.now() - hit.at < TRUST_MS ? hit.compiled : undefined;
  }

  /** The composition root calls this once it listens on PROMOTIONS_CHANNEL with `forget` as the handler. */
  trustNotifications(): void {
    this.notified = true;
  }

  /** Drops a tenant's copy (a promotion changed, here or on another node, or its uses ran out under us). */
  forget(tenantId: string): void {
    this.byTenant.delete(tenantId);
  }

  private keep(tenantId: string, compiled: CompiledPromotions): void {
    if (this.byTenant.size >= MAX_TENANTS) this.byTenant.delete(this.byTenant.keys().next().value as string);
    this.byTenant.delete(tenantId);
    this.byTenant.set(tenantId, { compiled, at: Date.now() });
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
