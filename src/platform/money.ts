/**
 * Money is an integer count of minor units (bigint) beside an ISO 4217 currency code. No floats anywhere.
 */
export interface Money {
  amount: bigint;
  currency: string;
}

/** Minor units per major unit for the currencies Kasir knows; ISO 4217 exponent. */
const EXPONENT: Record<string, number> = { IDR: 2, USD: 2, EUR: 2, SGD: 2, MYR: 2, AUD: 2, GBP: 2, JPY: 0, KRW: 0, VND: 0, THB: 2, PHP: 2 };
export const SUPPORTED_CURRENCIES = Object.keys(EXPONENT);
export const currencyExponent = (currency: string): number => EXPONENT[currency] ?? 2;

/**
 * Splits `total` into parts proportional to `weights` by the largest-remainder method. The parts always sum to
 * `total` exactly; ties in remainder go to the earlier weight, so the result is deterministic.
 * Weights must be non-negative with a positive sum; a zero-sum split throws.
 */
export function allocate(total: bigint, weights: readonly bigint[]): bigint[] {
  if (weights.length === 0) throw new RangeError('allocate needs at least one weight');
  let sum = 0n;
  for (const w of weights) {
    if (w < 0n) throw new RangeError('allocate weights must be non-negative');
    sum += w;
  }
  if (sum === 0n) throw new RangeError('allocate weights must not all be zero');
  const negative = total < 0n;
  const abs = negative ? -total : total;
  const parts = weights.map((w) => (abs * w) / sum);
  let left = abs - parts.reduce((a, b) => a + b, 0n);
  const order = weights
    .map((w, i) => ({ i, rem: (abs * w) % sum }))
    .sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
  for (const { i } of order) {
    if (left === 0n) break;
    parts[i]! += 1n;
    left -= 1n;
  }
  return negative ? parts.map((p) => -p) : parts;
}
