/**
 * Service charges. A before-tax charge is a percentage of the lines' exact tax-exclusive amounts (after all
 * discounts) and is taxed like a line (pooled with the lines when tax is rounded per order). An after-tax
 * charge is a percentage of everything before it (lines, their exclusive taxes, before-tax charges and
 * theirs); its own taxes, if taxable, are always rounded on the charge itself, since pooling them would
 * change the figures its base was computed from. Charges never compound on one another.
 */
import type { Fraction } from './fraction.js';
import type { AppliedTax, PricedServiceCharge, RoundingMode, ServiceChargeInput } from './pricing.types.js';
import { divRound } from './rounding.js';
import { sumTaxes } from './tax.js';

/** The charge's amount and the base it was computed on (rounded for display; the exact base is used). */
export function chargeAmount(s: ServiceChargeInput, base: Fraction, mode: RoundingMode): { base: bigint; amount: bigint } {
  if (s.kind === 'fixed') return { base: 0n, amount: s.amount ?? 0n };
  return {
    base: divRound(base.n, base.d, mode),
    amount: divRound(base.n * BigInt(s.rateBp ?? 0), base.d * 10_000n, mode),
  };
}

export const chargeRates = (s: ServiceChargeInput) => (s.taxable ? (s.taxes ?? []) : []);

export function pricedCharge(s: ServiceChargeInput, base: bigint, amount: bigint, taxes: AppliedTax[]): PricedServiceCharge {
  const { inclusive, exclusive } = sumTaxes(taxes);
  return {
    id: s.id,
    name: s.name,
    kind: s.kind,
    ...(s.kind === 'percentage' && { rateBp: s.rateBp ?? 0 }),
    stage: s.stage,
    taxable: s.taxable,
    base,
    amount,
    taxes,
    inclusiveTax: inclusive,
    exclusiveTax: exclusive,
    taxTotal: inclusive + exclusive,
    total: amount + exclusive,
  };
}
