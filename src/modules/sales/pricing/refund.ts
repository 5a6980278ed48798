/**
 * Refunds of part of a priced line. Each figure f of the line is refunded through its cumulative share
 * F(Q) = round(f × Q / line quantity) (half-up), and a refund of q after R already refunded gives
 * F(R + q) − F(R). The parts of any split therefore telescope to F(line quantity) − F(0) = f exactly, and
 * each part is >= 0 because F never decreases.
 */
import { type LineRefund, type PricedLine, PricingInputError, type Quantity } from './pricing.types.js';
import { pow10 } from './quantity.js';
import { divRound } from './rounding.js';
import { checkQuantity } from './validate.js';

const maxOf = (...xs: number[]): number => xs.reduce((a, b) => (a > b ? a : b));
const atScale = (x: Quantity, scale: number): bigint => x.units * pow10(scale - x.scale);

export function proportionalRefund(line: PricedLine, quantity: Quantity, alreadyRefunded?: Quantity): LineRefund {
  const prior = alreadyRefunded ?? { units: 0n, scale: 0 };
  checkQuantity(quantity, 'quantity');
  checkQuantity(prior, 'alreadyRefunded', true);
  const scale = maxOf(quantity.scale, prior.scale, line.quantity.scale);
  const [q, r, full] = [quantity, prior, line.quantity].map((x) => atScale(x, scale)) as [bigint, bigint, bigint];
  const upTo = r + q;
  if (upTo > full) {
    throw new PricingInputError('PRICING_REFUND_EXCEEDS_LINE', 'quantity', 'more than what is left of the line to refund');
  }
  const part = (f: bigint): bigint => divRound(f * upTo, full, 'half_up') - divRound(f * r, full, 'half_up');
  const lineDiscount = part(line.lineDiscountTotal);
  const orderDiscount = part(line.orderDiscountShare);
  const net = part(line.net);
  const taxes = line.taxes.map((t) => ({ id: t.id, amount: part(t.amount), inclusive: t.inclusive }));
  const inclusiveTax = taxes.reduce((a, t) => (t.inclusive ? a + t.amount : a), 0n);
  const exclusiveTax = taxes.reduce((a, t) => (t.inclusive ? a : a + t.amount), 0n);
  return {
    key: line.key,
    quantity,
    gross: lineDiscount + orderDiscount + net,
    lineDiscount,
    orderDiscount,
    net,
    taxes: taxes.map(({ id, amount }) => ({ id, amount })),
    inclusiveTax,
    exclusiveTax,
    total: net + exclusiveTax,
  };
}
