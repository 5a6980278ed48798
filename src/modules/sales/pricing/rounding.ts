/**
 * Rounding: the one division every money figure in the engine goes through, and cash rounding.
 */
import { type CashRoundingMode, PricingInputError, type RoundingMode } from './pricing.types.js';

const abs = (x: bigint): bigint => (x < 0n ? -x : x);

/**
 * numerator / denominator rounded to an integer. half_up: nearest, an exact half goes away from zero
 * (2.5 → 3, −2.5 → −3); half_even: nearest, an exact half goes to the even neighbour (2.5 → 2, 3.5 → 4,
 * −2.5 → −2). Symmetric: divRound(−n, d) = −divRound(n, d). The denominator must not be zero.
 */
export function divRound(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  if (denominator === 0n) throw new RangeError('divRound: division by zero');
  const q = numerator / denominator; // truncates toward zero
  const r = numerator % denominator; // sign of the numerator
  if (r === 0n) return q;
  const negative = numerator < 0n !== denominator < 0n;
  const away = negative ? q - 1n : q + 1n;
  const twice = 2n * abs(r);
  const d = abs(denominator);
  if (twice > d) return away;
  if (twice < d) return q;
  if (mode === 'half_up') return away;
  return q % 2n === 0n ? q : away;
}

/** numerator / denominator rounded toward zero (down) or away from zero (up). */
function divDirected(numerator: bigint, denominator: bigint, direction: 'down' | 'up'): bigint {
  const q = numerator / denominator;
  if (direction === 'down' || numerator % denominator === 0n) return q;
  return numerator < 0n !== denominator < 0n ? q - 1n : q + 1n;
}

/**
 * The adjustment that takes `total` to a multiple of `unit` (minor units; unit 0 means no cash rounding and
 * gives 0). Nearest modes move at most unit/2; `down` moves toward zero (the customer never pays more than
 * the exact total), `up` away from zero. The result is added to the total: total + adjustment ≡ 0 (mod unit).
 */
export function cashRounding(total: bigint, unit: bigint, mode: CashRoundingMode): bigint {
  if (unit < 0n) throw new PricingInputError('PRICING_INVALID_CASH_ROUNDING', 'cashRounding.unit', 'must be >= 0');
  if (unit === 0n || unit === 1n) return 0n;
  const multiples = mode === 'down' || mode === 'up' ? divDirected(total, unit, mode) : divRound(total, unit, mode);
  return multiples * unit - total;
}
