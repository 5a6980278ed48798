/**
 * The pricing engine: pure functions, no database, no I/O. Rules and worked examples: docs/pricing.md.
 * Every amount is a bigint count of minor units.
 */
import type { LineRefund, PricedLine, PricedOrder, PricingInput, Quantity } from './pricing.types.js';

export * from './pricing.types.js';
export { cashRounding, divRound } from './rounding.js';

/** Prices an order: lines, discounts, service charges, taxes, tip and (when asked) cash rounding. */
export function priceOrder(input: PricingInput): PricedOrder {
  void input;
  throw new Error('priceOrder: being implemented');
}

/**
 * What to refund for `quantity` of a priced line, given what was already refunded of it. Refunding a line in
 * any split (each call passing the running already-refunded quantity) sums exactly to the line.
 */
export function proportionalRefund(line: PricedLine, quantity: Quantity, alreadyRefunded?: Quantity): LineRefund {
  void line;
  void quantity;
  void alreadyRefunded;
  throw new Error('proportionalRefund: being implemented');
}
