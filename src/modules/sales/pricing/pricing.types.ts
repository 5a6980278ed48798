/**
 * Input and output types of the pricing engine. Every amount is a bigint count of minor units of `currency`
 * (IDR has exponent 2 here: Rp 25.000 = 2_500_000n). Nothing in the engine is a float.
 * These types are a contract with the order services: change them by addition only.
 * The rules behind every figure are in docs/pricing.md.
 */

/** How a division that does not come out even is rounded: `half_up` = nearest, .5 away from zero; `half_even` = nearest, .5 to the even neighbour. */
export type RoundingMode = 'half_up' | 'half_even';

/** `line`: each tax is rounded per line (and per service charge). `order`: per rate on the order's sums, then allocated back. */
export type TaxRoundingLevel = 'line' | 'order';

/** The tenant's tax rounding policy (tenants.tax_rounding_mode / tax_rounding_level). */
export interface TaxRoundingPolicy {
  mode: RoundingMode;
  level: TaxRoundingLevel;
}

/**
 * Cash rounding modes: the two nearest modes, plus `down` (toward zero: never ask the customer for more than
 * the exact total) and `up` (away from zero).
 */
export type CashRoundingMode = RoundingMode | 'down' | 'up';

/** A decimal quantity: value = units / 10^scale. 1.250 kg = { units: 1250n, scale: 3 }; 2 pcs = { units: 2n, scale: 0 }. scale is an integer 0..9. */
export interface Quantity {
  units: bigint;
  scale: number;
}

/** A tax rule as it applies to one line or service charge (catalog tax_rules). */
export interface TaxRate {
  id: string;
  name: string;
  /** Basis points: 1100 = 11 %. Integer 0..100000. */
  rateBp: number;
  /** true: the tax is inside the price and is extracted from it; false: it is added on top. */
  inclusive: boolean;
  /** true: computed on the base plus the non-compound taxes (and earlier compound taxes) of the same line. */
  compound: boolean;
  /** Order of application among compound taxes (lower first; ties by id). */
  sequence: number;
}

/** A discount: a percentage of what is left of the amount it applies to, or a fixed amount (capped at what is left). */
export type DiscountInput =
  | { kind: 'percentage'; /** Basis points, 0..10000 (10000 = 100 %). */ rateBp: number; id?: string; name?: string }
  | { kind: 'fixed'; /** Minor units, >= 0, for the whole line (not per unit) or the whole order. */ amount: bigint; id?: string; name?: string };

/** A modifier chosen on a line; its price counts once per unit of the line. */
export interface ModifierInput {
  id?: string;
  name?: string;
  /** Minor units per modifier unit; may be negative ("no ice"), but the line's unit price may not go below 0. */
  priceDelta: bigint;
  /** How many of this modifier per unit of the line; a non-negative integer (default 1). */
  quantity?: number;
}

export interface PricingLineInput {
  /** Unique within the order; the engine's only tie-break (lines are processed in ascending key order). */
  key: string;
  /** Minor units per unit of quantity, from the price-book resolver; >= 0. */
  unitPrice: bigint;
  /** > 0. */
  quantity: Quantity;
  modifiers?: readonly ModifierInput[];
  /** Applied in the order given, each to what is left after the earlier ones. */
  discounts?: readonly DiscountInput[];
  /** The tax rules that apply to this line (several allowed; ids unique per line). */
  taxes?: readonly TaxRate[];
}

export interface ServiceChargeInput {
  id: string;
  name: string;
  /** `percentage`: rateBp of the base (see stage); `fixed`: amount minor units. */
  kind: 'percentage' | 'fixed';
  /** Basis points, 0..100000; required when kind is percentage. */
  rateBp?: number;
  /** Minor units >= 0; required when kind is fixed. */
  amount?: bigint;
  /** `before_tax`: base = the lines' tax-exclusive amounts; `after_tax`: base = lines + their taxes + before-tax charges + their taxes. */
  stage: 'before_tax' | 'after_tax';
  /** false: `taxes` is ignored and the charge carries no tax. */
  taxable: boolean;
  taxes?: readonly TaxRate[];
}

export interface PricingInput {
  /** ISO 4217; every amount in and out is in its minor units. */
  currency: string;
  taxRounding: TaxRoundingPolicy;
  lines: readonly PricingLineInput[];
  /** Applied after line discounts, in the order given; each allocated to lines in proportion to what is left of them. */
  orderDiscounts?: readonly DiscountInput[];
  serviceCharges?: readonly ServiceChargeInput[];
  /** Minor units >= 0; never taxed, never discounted. */
  tip?: bigint;
  /**
   * Give this only when the tender is cash (the sales service decides). unit: minor units (100 IDR = 10_000n with
   * exponent 2; 0.05 CHF = 5n); 0 = no rounding. mode defaults to half_up.
   */
  cashRounding?: { unit: bigint; mode?: CashRoundingMode };
}

/** A discount as applied: what was asked for, what was applied, and whether it was capped to keep amounts non-negative. */
export interface AppliedDiscount {
  /** Position in the input list it came from. */
  index: number;
  id?: string;
  name?: string;
  kind: 'percentage' | 'fixed';
  rateBp?: number;
  /** percentage: the computed amount; fixed: the input amount. */
  requested: bigint;
  /** What was actually taken off (<= requested). */
  amount: bigint;
  capped: boolean;
}

/** One tax on one line or service charge. */
export interface AppliedTax {
  id: string;
  name: string;
  rateBp: number;
  inclusive: boolean;
  compound: boolean;
  sequence: number;
  /** >= 0. */
  amount: bigint;
}

/** A line's share of one order-level discount. */
export interface OrderDiscountShare {
  /** Index into PricedOrder.orderDiscounts. */
  index: number;
  amount: bigint;
}

export interface PricedLine {
  key: string;
  quantity: Quantity;
  unitPrice: bigint;
  /** Σ priceDelta × modifier quantity, per unit of the line. */
  modifierUnitAmount: bigint;
  /** unitPrice + modifierUnitAmount. */
  effectiveUnitPrice: bigint;
  /** round(effectiveUnitPrice × quantity), tenant mode. */
  gross: bigint;
  lineDiscounts: AppliedDiscount[];
  lineDiscountTotal: bigint;
  orderDiscounts: OrderDiscountShare[];
  /** Σ orderDiscounts[].amount. */
  orderDiscountShare: bigint;
  /** gross − lineDiscountTotal − orderDiscountShare; >= 0. Includes inclusive taxes. */
  net: bigint;
  /** Ordered: non-compound by (sequence, id), then compound by (sequence, id). */
  taxes: AppliedTax[];
  inclusiveTax: bigint;
  exclusiveTax: bigint;
  /** inclusiveTax + exclusiveTax. */
  taxTotal: bigint;
  /** net − inclusiveTax: the tax-exclusive amount (DPP). >= 0. */
  taxBase: bigint;
  /** net + exclusiveTax: what the customer pays for this line. */
  total: bigint;
}

export interface PricedServiceCharge {
  id: string;
  name: string;
  kind: 'percentage' | 'fixed';
  rateBp?: number;
  stage: 'before_tax' | 'after_tax';
  taxable: boolean;
  /** What the percentage was applied to (0 for fixed charges). */
  base: bigint;
  /** The charge itself (includes its inclusive taxes, if any). */
  amount: bigint;
  taxes: AppliedTax[];
  inclusiveTax: bigint;
  exclusiveTax: bigint;
  taxTotal: bigint;
  /** amount + exclusiveTax. */
  total: bigint;
}

/** Order-wide total of one tax rule over lines and service charges. */
export interface TaxBreakdown {
  id: string;
  name: string;
  rateBp: number;
  inclusive: boolean;
  compound: boolean;
  sequence: number;
  /** Σ taxBase (or charge amount − its inclusive tax) of the lines and charges this rate applies to. */
  taxableAmount: bigint;
  /** Σ of this rate's amounts on lines and charges, exactly. */
  amount: bigint;
}

/** The explicit cash rounding adjustment line (present only when cash rounding was requested). */
export interface CashRoundingAdjustment {
  unit: bigint;
  mode: CashRoundingMode;
  /** Added to the total: negative rounds down, positive rounds up. */
  amount: bigint;
}

export interface PricedOrder {
  currency: string;
  taxRounding: TaxRoundingPolicy;
  /** In the input's order. */
  lines: PricedLine[];
  /** Σ line gross. */
  subtotal: bigint;
  lineDiscountTotal: bigint;
  orderDiscounts: AppliedDiscount[];
  orderDiscountTotal: bigint;
  /** lineDiscountTotal + orderDiscountTotal. */
  discountTotal: bigint;
  /** Σ line net = subtotal − discountTotal. */
  netTotal: bigint;
  serviceCharges: PricedServiceCharge[];
  /** Σ service charge amounts. */
  serviceChargeTotal: bigint;
  /** Σ service charge taxes (inclusive + exclusive). */
  serviceChargeTaxTotal: bigint;
  /** Per rate, sorted as line taxes are. */
  taxes: TaxBreakdown[];
  /** Every tax, lines and charges, inclusive and exclusive. */
  taxTotal: bigint;
  inclusiveTaxTotal: bigint;
  exclusiveTaxTotal: bigint;
  tip: bigint;
  /** netTotal + exclusive taxes (lines and charges) + serviceChargeTotal + tip. */
  totalBeforeRounding: bigint;
  rounding: CashRoundingAdjustment | null;
  /** 0n when no cash rounding. */
  roundingAdjustment: bigint;
  /** totalBeforeRounding + roundingAdjustment. */
  total: bigint;
}

/** What to give back for part of a line (proportionalRefund). Amounts >= 0. */
export interface LineRefund {
  key: string;
  quantity: Quantity;
  /** lineDiscount + orderDiscount + net. */
  gross: bigint;
  lineDiscount: bigint;
  orderDiscount: bigint;
  net: bigint;
  taxes: { id: string; amount: bigint }[];
  inclusiveTax: bigint;
  exclusiveTax: bigint;
  /** net + exclusiveTax: the money to give back. */
  total: bigint;
}

export const PRICING_ERROR_CODES = [
  'PRICING_INVALID_QUANTITY',
  'PRICING_NEGATIVE_PRICE',
  'PRICING_INVALID_DISCOUNT',
  'PRICING_INVALID_TAX_RATE',
  'PRICING_DUPLICATE_LINE_KEY',
  'PRICING_INVALID_SERVICE_CHARGE',
  'PRICING_NEGATIVE_TIP',
  'PRICING_INVALID_CASH_ROUNDING',
  'PRICING_REFUND_EXCEEDS_LINE',
] as const;
export type PricingErrorCode = (typeof PRICING_ERROR_CODES)[number];

/**
 * Thrown for input the engine cannot price. The engine is pure and knows no transport: the sales service
 * validates its requests first and maps any of these to its own `invalid` error, naming `field`.
 */
export class PricingInputError extends RangeError {
  readonly code: PricingErrorCode;
  /** Path of the offending input, e.g. `lines[2].quantity`. */
  readonly field: string;

  constructor(code: PricingErrorCode, field: string, message: string) {
    super(`${field}: ${message}`);
    this.name = 'PricingInputError';
    this.code = code;
    this.field = field;
  }
}
