/**
 * Decimal quantities (units / 10^scale) and what they do to amounts.
 */
import type { Quantity, RoundingMode } from './pricing.types.js';
import { divRound } from './rounding.js';

export const pow10 = (scale: number): bigint => 10n ** BigInt(scale);

/** amount × quantity, rounded once by `mode` (1.255 kg at 10_000 per kg = 12_550). */
export function timesQuantity(amount: bigint, q: Quantity, mode: RoundingMode): bigint {
  return divRound(amount * q.units, pow10(q.scale), mode);
}
