/**
 * Exact non-negative rationals over bigint, for the few places where the engine must carry an exact value
 * (a tax-exclusive base, a compound tax coefficient) before rounding it once.
 */
export interface Fraction {
  n: bigint;
  /** > 0. */
  d: bigint;
}

export function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

export const lcm = (a: bigint, b: bigint): bigint => (a / gcd(a, b)) * b;

export function frac(n: bigint, d: bigint = 1n): Fraction {
  if (d === 0n) throw new RangeError('fraction with a zero denominator');
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d);
  return g > 1n ? { n: n / g, d: d / g } : { n, d };
}

export const ZERO: Fraction = { n: 0n, d: 1n };
export const ONE: Fraction = { n: 1n, d: 1n };
export const add = (a: Fraction, b: Fraction): Fraction => frac(a.n * b.d + b.n * a.d, a.d * b.d);
export const mul = (a: Fraction, b: Fraction): Fraction => frac(a.n * b.n, a.d * b.d);
export const div = (a: Fraction, b: Fraction): Fraction => frac(a.n * b.d, a.d * b.n);
/** Basis points as a fraction: 1100 → 11/100. */
export const bp = (rateBp: number): Fraction => frac(BigInt(rateBp), 10_000n);

/**
 * Brings fractions to one denominator: returns integer weights w[i] = f[i] × common and the common
 * denominator, so Σ w / common is the exact sum and the w are proportional to the f (ready for allocate).
 */
export function commonDenominator(fs: readonly Fraction[]): { weights: bigint[]; denominator: bigint } {
  const denominator = fs.reduce((acc, f) => lcm(acc, f.d), 1n);
  return { weights: fs.map((f) => f.n * (denominator / f.d)), denominator };
}
