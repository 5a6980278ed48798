import type { TaxRuleRules } from '../catalog/index.js';
import { taxRatesFor } from './sale-lines.js';
import type { ServiceChargeInput } from './pricing/index.js';

/** A tenant's service-charge rule, as stored (see db/migrations/0019_service_charges.sql). */
export interface ServiceChargeRule {
  id: string;
  name: string;
  kind: 'percentage' | 'fixed';
  rateBp: number | null;
  amount: bigint | null;
  stage: 'before_tax' | 'after_tax';
  taxable: boolean;
  taxCategoryId: string | null;
  orderTypes: string[] | null;
  outletId: string | null;
  sortOrder: number;
  active: boolean;
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A rule from a snake_case row (the repository's, or the sale snapshot's JSON, where amounts are text). */
export function serviceChargeFromRow(r: Record<string, unknown>): ServiceChargeRule {
  const at = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string));
  return {
    id: r.id as string,
    name: r.name as string,
    kind: r.kind as ServiceChargeRule['kind'],
    rateBp: (r.rate_bp as number | null) ?? null,
    amount: r.amount === null || r.amount === undefined ? null : BigInt(r.amount as string),
    stage: r.stage as ServiceChargeRule['stage'],
    taxable: r.taxable as boolean,
    taxCategoryId: (r.tax_category_id as string | null) ?? null,
    orderTypes: (r.order_types as string[] | null) ?? null,
    outletId: (r.outlet_id as string | null) ?? null,
    sortOrder: r.sort_order as number,
    active: (r.active as boolean | undefined) ?? true,
    archivedAt: at(r.archived_at),
    createdAt: at(r.created_at)!,
    updatedAt: at(r.updated_at ?? r.created_at)!,
  };
}

/**
 * The charges an order gets, as the pricing engine takes them: the live rules for its outlet and order type,
 * in sort order, a taxable one taxed by the tax rules that apply to its tax category (the same selection a
 * line of that category gets). Pure: the snapshot brings the rules and tax rules in its one read.
 */
export function serviceChargesFor(
  rules: readonly ServiceChargeRule[],
  taxRules: readonly TaxRuleRules[],
  q: { outletId: string | null; orderType: string | null },
): ServiceChargeInput[] {
  return rules
    .filter((r) => r.active && !r.archivedAt && (r.outletId === null || r.outletId === q.outletId) && (r.orderTypes === null || (q.orderType !== null && r.orderTypes.includes(q.orderType))))
    .sort((a, b) => a.sortOrder - b.sortOrder || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .map((r) => ({
      id: r.id,
      name: r.name,
      kind: r.kind,
      ...(r.kind === 'percentage' ? { rateBp: r.rateBp! } : { amount: r.amount! }),
      stage: r.stage,
      taxable: r.taxable,
      ...(r.taxable
        ? {
            taxes: taxRatesFor(taxRules, { taxCategoryId: r.taxCategoryId, outletId: q.outletId, orderType: q.orderType }),
          }
        : {}),
    }));
}
