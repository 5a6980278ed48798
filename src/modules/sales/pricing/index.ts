/**
 * The pricing engine: pure functions, no database, no I/O. Rules and worked examples: docs/pricing.md.
 * Every amount is a bigint count of minor units.
 *
 * - priceOrder(input): every figure of an order (lines, discounts, service charges, taxes, tip, cash rounding).
 * - divRound(n, d, mode): the one rounding division (half_up / half_even, any signs).
 * - cashRounding(total, unit, mode): the adjustment to a multiple of the cash unit.
 * - proportionalRefund(line, quantity, alreadyRefunded?): exact refund of part of a priced line.
 */
export * from './pricing.types.js';
export { cashRounding, divRound } from './rounding.js';
export { priceOrder } from './price-order.js';
export { proportionalRefund } from './refund.js';
