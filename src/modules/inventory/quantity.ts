import { z } from 'zod';

/**
 * Stock quantities are exact decimals with at most three places (numeric(14, 3) in the database, like order
 * lines): they travel to SQL as decimal text and are never floats in arithmetic. JSON shows them as numbers.
 */
const SIGNED_RE = /^-?\d{1,11}(?:\.\d{1,3})?$/;

/** The decimal text of a JSON number or string, or undefined when it is not one with ≤ 3 decimals. */
export function quantityText(v: number | string): string | undefined {
  let text: string;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return undefined;
    text = String(v);
    if (/e/i.test(text)) return undefined;
  } else text = v.trim();
  if (!SIGNED_RE.test(text)) return undefined;
  return normalize(text);
}

/** "1.500" → "1.5", "-0" → "0": the shortest exact text. */
export function normalize(text: string): string {
  let t = text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
  const neg = t.startsWith('-');
  if (neg) t = t.slice(1);
  t = t.replace(/^0+(?=\d)/, '');
  return neg && !/^0(\.0*)?$/.test(t) ? `-${t}` : t;
}

/** Thousandths as a bigint, for comparisons in TypeScript (never for money). */
export const milli = (text: string): bigint => {
  const neg = text.startsWith('-');
  const [w, f = ''] = (neg ? text.slice(1) : text).split('.');
  const m = BigInt(w!) * 1000n + BigInt(f.padEnd(3, '0'));
  return neg ? -m : m;
};

export const fromMilli = (m: bigint): string => {
  const neg = m < 0n;
  const a = neg ? -m : m;
  const frac = (a % 1000n).toString().padStart(3, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${a / 1000n}${frac ? `.${frac}` : ''}`;
};

/** A numeric column's text (PGlite and node-postgres both give strings) as JSON. */
export const quantityOut = (v: string | number | null): number | null => (v === null ? null : Number(normalize(String(v))));

type Sign = 'positive' | 'non_negative' | 'non_zero';

const SIGN_MESSAGE: Record<Sign, string> = {
  positive: 'must be a number greater than 0 with at most 3 decimals',
  non_negative: 'must be a number of 0 or more with at most 3 decimals',
  non_zero: 'must be a non-zero number with at most 3 decimals (negative takes stock out)',
};

/** A zod field for a quantity, as decimal text. */
export const quantityField = (sign: Sign) =>
  z.union([z.number(), z.string()]).transform((v, c) => {
    const t = quantityText(v);
    const m = t === undefined ? undefined : milli(t);
    const ok = m !== undefined && (sign === 'positive' ? m > 0n : sign === 'non_negative' ? m >= 0n : m !== 0n);
    if (!ok) {
      c.addIssue({ code: 'custom', message: SIGN_MESSAGE[sign] });
      return z.NEVER;
    }
    return t!;
  });
