/**
 * Input checks. The engine refuses what it cannot price rather than guess; the sales service checks its
 * requests first and maps a PricingInputError (code + field) to its own `invalid` error.
 */
import {
  type DiscountInput,
  type PricingInput,
  PricingInputError,
  type Quantity,
  type ServiceChargeInput,
  type TaxRate,
} from './pricing.types.js';

const isBp = (x: unknown, max: number): boolean => Number.isSafeInteger(x) && (x as number) >= 0 && (x as number) <= max;

export function checkQuantity(q: Quantity, field: string, allowZero = false): void {
  if (!Number.isSafeInteger(q.scale) || q.scale < 0 || q.scale > 9) {
    throw new PricingInputError('PRICING_INVALID_QUANTITY', `${field}.scale`, 'must be an integer 0..9');
  }
  if (q.units < 0n || (!allowZero && q.units === 0n)) {
    throw new PricingInputError('PRICING_INVALID_QUANTITY', `${field}.units`, allowZero ? 'must be >= 0' : 'must be > 0');
  }
}

function checkDiscount(d: DiscountInput, field: string): void {
  if (d.kind === 'percentage' ? !isBp(d.rateBp, 10_000) : d.amount < 0n) {
    throw new PricingInputError(
      'PRICING_INVALID_DISCOUNT',
      field,
      d.kind === 'percentage' ? 'rateBp must be an integer 0..10000' : 'amount must be >= 0',
    );
  }
}

/** Rates are checked per id across the order: one id must mean one rule. */
function checkRates(rates: readonly TaxRate[], field: string, seen: Map<string, TaxRate>): void {
  const ids = new Set<string>();
  rates.forEach((r, i) => {
    const f = `${field}[${i}]`;
    if (!isBp(r.rateBp, 100_000)) throw new PricingInputError('PRICING_INVALID_TAX_RATE', `${f}.rateBp`, 'must be an integer 0..100000');
    if (!Number.isSafeInteger(r.sequence)) throw new PricingInputError('PRICING_INVALID_TAX_RATE', `${f}.sequence`, 'must be an integer');
    if (ids.has(r.id)) throw new PricingInputError('PRICING_INVALID_TAX_RATE', `${f}.id`, 'appears twice on one item');
    ids.add(r.id);
    const prior = seen.get(r.id);
    if (prior && (prior.rateBp !== r.rateBp || prior.inclusive !== r.inclusive || prior.compound !== r.compound || prior.sequence !== r.sequence)) {
      throw new PricingInputError('PRICING_INVALID_TAX_RATE', `${f}.id`, 'names a rule already given with other terms');
    }
    seen.set(r.id, r);
  });
}

function checkServiceCharge(s: ServiceChargeInput, field: string): void {
  const bad = (why: string): never => {
    throw new PricingInputError('PRICING_INVALID_SERVICE_CHARGE', field, why);
  };
  if (s.kind !== 'percentage' && s.kind !== 'fixed') bad('kind must be percentage or fixed');
  if (s.kind === 'percentage' && !isBp(s.rateBp, 100_000)) bad('rateBp must be an integer 0..100000');
  if (s.kind === 'fixed' && (s.amount === undefined || s.amount < 0n)) bad('amount must be >= 0');
  if (s.stage !== 'before_tax' && s.stage !== 'after_tax') bad('stage must be before_tax or after_tax');
}

export function checkInput(input: PricingInput): void {
  const keys = new Set<string>();
  const rates = new Map<string, TaxRate>();
  input.lines.forEach((line, i) => {
    const f = `lines[${i}]`;
    if (keys.has(line.key)) throw new PricingInputError('PRICING_DUPLICATE_LINE_KEY', `${f}.key`, 'line keys must be unique');
    keys.add(line.key);
    if (line.unitPrice < 0n) throw new PricingInputError('PRICING_NEGATIVE_PRICE', `${f}.unitPrice`, 'must be >= 0');
    checkQuantity(line.quantity, `${f}.quantity`);
    (line.modifiers ?? []).forEach((m, k) => {
      if (m.quantity !== undefined && (!Number.isSafeInteger(m.quantity) || m.quantity < 0)) {
        throw new PricingInputError('PRICING_INVALID_QUANTITY', `${f}.modifiers[${k}].quantity`, 'must be a non-negative integer');
      }
    });
    (line.discounts ?? []).forEach((d, k) => checkDiscount(d, `${f}.discounts[${k}]`));
    checkRates(line.taxes ?? [], `${f}.taxes`, rates);
  });
  (input.orderDiscounts ?? []).forEach((d, k) => checkDiscount(d, `orderDiscounts[${k}]`));
  (input.serviceCharges ?? []).forEach((s, k) => {
    checkServiceCharge(s, `serviceCharges[${k}]`);
    if (s.taxable) checkRates(s.taxes ?? [], `serviceCharges[${k}].taxes`, rates);
  });
  if ((input.tip ?? 0n) < 0n) throw new PricingInputError('PRICING_NEGATIVE_TIP', 'tip', 'must be >= 0');
  if (input.cashRounding && input.cashRounding.unit < 0n) {
    throw new PricingInputError('PRICING_INVALID_CASH_ROUNDING', 'cashRounding.unit', 'must be >= 0');
  }
}
