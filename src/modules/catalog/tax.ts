import type { FieldIssue } from '../../platform/errors.js';
import { CHANNELS } from './price-resolver.js';

/**
 * Tax configuration rules, pure. The calculation lives with sales; here: which rules apply to a line and in
 * what order, and which rule shapes are refused.
 *
 * Application order: every non-compound rule first (each on the line's base), then the compound rules, each
 * on the base plus every tax before it; within each kind by `sequence`, then creation time, then id.
 * An inclusive rule cannot be compound: "tax on tax" inside a price would need the price split by the
 * product of the rates in a particular order, which no tax authority Kasir serves specifies; refusing it keeps
 * the sales engine's inclusive extraction exact (price / (1 + Σ inclusive rates)).
 */

/** Order types a rule can be limited to (the same list as price-book channels). */
export const ORDER_TYPES = CHANNELS;
export type OrderType = (typeof ORDER_TYPES)[number];

/** Rate bounds in basis points: 0 % to 1000 % (a 200 % excise exists; the schema's CHECK says the same). */
export const MAX_RATE_BP = 100_000;

export interface TaxRuleRules {
  id: string;
  name: string;
  /** Basis points: 1100 = 11 %. */
  rateBp: number;
  inclusive: boolean;
  compound: boolean;
  sequence: number;
  /** null = every tax category (including products without one). */
  taxCategoryId: string | null;
  /** null = every outlet. */
  outletId: string | null;
  /** null = every order type. */
  orderTypes: string[] | null;
  /** Tax categories this rule does not apply to. */
  exemptTaxCategoryIds: string[];
  active: boolean;
  archivedAt: Date | null;
  createdAt: Date;
}

export interface TaxQuery {
  /** The product's tax category; null when it has none. */
  taxCategoryId: string | null;
  outletId: string | null;
  orderType: string | null;
}

/** Whether `rule` applies to a line of a product in `q.taxCategoryId`, sold at `q.outletId` as `q.orderType`. */
export function taxRuleApplies(rule: TaxRuleRules, q: TaxQuery): boolean {
  if (!rule.active || rule.archivedAt !== null) return false;
  if (rule.taxCategoryId !== null && rule.taxCategoryId !== q.taxCategoryId) return false;
  if (rule.outletId !== null && rule.outletId !== q.outletId) return false;
  if (rule.orderTypes !== null && (q.orderType === null || !rule.orderTypes.includes(q.orderType))) return false;
  if (q.taxCategoryId !== null && rule.exemptTaxCategoryIds.includes(q.taxCategoryId)) return false;
  return true;
}

/** Sorts rules into application order (see above); does not filter. */
export function orderTaxRules<R extends Pick<TaxRuleRules, 'compound' | 'sequence' | 'createdAt' | 'id'>>(rules: readonly R[]): R[] {
  return [...rules].sort(
    (a, b) =>
      Number(a.compound) - Number(b.compound) ||
      a.sequence - b.sequence ||
      a.createdAt.getTime() - b.createdAt.getTime() ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** The rules that apply to `q`, in application order. */
export function selectTaxRules<R extends TaxRuleRules>(rules: readonly R[], q: TaxQuery): R[] {
  return orderTaxRules(rules.filter((r) => taxRuleApplies(r, q)));
}

/** Problems with a rule's final shape (after an update is merged), each naming its field. */
export function taxRuleProblems(r: Pick<TaxRuleRules, 'inclusive' | 'compound' | 'taxCategoryId' | 'exemptTaxCategoryIds'>): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (r.inclusive && r.compound) {
    issues.push({ field: 'compound', message: 'an inclusive tax cannot be compound: make it exclusive, or not compound' });
  }
  const own = r.taxCategoryId === null ? -1 : r.exemptTaxCategoryIds.indexOf(r.taxCategoryId);
  if (own >= 0) issues.push({ field: `exempt_tax_category_ids.${own}`, message: 'a rule cannot exempt the tax category it is limited to' });
  return issues;
}
