/**
 * Quantities are exact decimals: an integer count for most goods, up to three decimals for weighed variants
 * (1.250 kg). In memory a quantity is `units / 10^scale` with bigint units, never a float; in the database it
 * is numeric(14, 3); on the wire it is a JSON number (2, 1.25) or a decimal string ("1.250").
 */
export const QUANTITY_SCALE = 3;
/** numeric(14, 3): 11 integer digits. */
const MAX_UNITS = 10n ** 14n - 1n;

export interface Quantity {
  /** Thousandths: 1.25 → 1250n. */
  readonly milli: bigint;
}

const DECIMAL_RE = /^(\d{1,11})(?:\.(\d{1,3}))?$/;

/** Parses a non-negative decimal with at most three decimals; undefined when it is anything else. */
export function parseQuantity(v: number | string): Quantity | undefined {
  const text = typeof v === 'number' ? (Number.isFinite(v) ? numberText(v) : '') : v.trim();
  const m = DECIMAL_RE.exec(text);
  if (!m) return undefined;
  const milli = BigInt(m[1]!) * 1000n + BigInt((m[2] ?? '').padEnd(3, '0'));
  return milli > MAX_UNITS ? undefined : { milli };
}

/** A JS number's plain decimal text (no exponent); numbers with more than three decimals fail the regex. */
function numberText(v: number): string {
  if (Number.isInteger(v)) return v < 0 ? '-' : BigInt(v).toString();
  return v.toFixed(Math.min(20, Math.max(0, (String(v).split('.')[1] ?? '').length)));
}

export const isWhole = (q: Quantity): boolean => q.milli % 1000n === 0n;
export const isPositive = (q: Quantity): boolean => q.milli > 0n;
export const fromMilli = (milli: bigint): Quantity => ({ milli });
export const wholeQuantity = (n: number | bigint): Quantity => ({ milli: BigInt(n) * 1000n });

/** "2", "1.25", "0.005": the shortest exact text, what numeric columns take and what JSON shows. */
export function formatQuantity(q: Quantity): string {
  const whole = q.milli / 1000n;
  const frac = (q.milli % 1000n).toString().padStart(3, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}` : whole.toString();
}

/** From a numeric column (a string on node-postgres and PGlite alike). */
export function quantityFromDb(v: string | number): Quantity {
  const q = parseQuantity(typeof v === 'number' ? v : v.replace(/(\.\d*?)0+$/, '$1').replace(/\.$/, ''));
  if (!q) throw new Error(`not a quantity: ${String(v)}`);
  return q;
}

/** JSON: an integer quantity as a number, a fractional one as a number too (three decimals are exact in a double's shortest form). */
export const quantityJson = (q: Quantity): number => Number(formatQuantity(q));

export const addQuantity = (a: Quantity, b: Quantity): Quantity => ({ milli: a.milli + b.milli });
export const subQuantity = (a: Quantity, b: Quantity): Quantity => ({ milli: a.milli - b.milli });
export const compareQuantity = (a: Quantity, b: Quantity): number => (a.milli < b.milli ? -1 : a.milli > b.milli ? 1 : 0);
