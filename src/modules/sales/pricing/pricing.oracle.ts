/**
 * An independent statement of the tax rules for the property tests: it runs the tax chain on a base of one
 * (non-compound taxes on the base, then each compound tax on the running amount) rather than building
 * coefficients, and keeps every figure as an exact fraction. It shares no code with tax.ts.
 */
import type { TaxRate } from './pricing.types.js';

export interface Exact {
  n: bigint;
  d: bigint;
}

const g = (a: bigint, b: bigint): bigint => (b === 0n ? (a < 0n ? -a : a) : g(b, a % b));
const norm = (n: bigint, d: bigint): Exact => {
  const k = g(n, d) || 1n;
  return { n: n / k, d: d / k };
};
const plus = (a: Exact, b: Exact): Exact => norm(a.n * b.d + b.n * a.d, a.d * b.d);
const times = (a: Exact, b: Exact): Exact => norm(a.n * b.n, a.d * b.d);

/** Exact tax of each rate (by id) on an item whose price, inclusive taxes inside, is `net`. */
export function exactTaxes(net: bigint, rates: readonly TaxRate[]): Map<string, Exact> {
  const order = [...rates].sort((a, b) =>
    a.compound !== b.compound ? (a.compound ? 1 : -1) : a.sequence - b.sequence || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  // Taxes on a base of 1.
  const perUnit = new Map<string, Exact>();
  let running: Exact = { n: 1n, d: 1n };
  for (const r of order.filter((x) => !x.compound)) perUnit.set(r.id, { n: BigInt(r.rateBp), d: 10_000n });
  for (const t of perUnit.values()) running = plus(running, t);
  for (const r of order.filter((x) => x.compound)) {
    const t = times({ n: BigInt(r.rateBp), d: 10_000n }, running);
    perUnit.set(r.id, t);
    running = plus(running, t);
  }
  // Price of a base of 1: the base plus its inclusive taxes. base = net / that.
  let price: Exact = { n: 1n, d: 1n };
  for (const r of order) if (r.inclusive) price = plus(price, perUnit.get(r.id)!);
  const base = norm(net * price.d, price.n);
  return new Map(order.map((r) => [r.id, times(perUnit.get(r.id)!, base)]));
}

export const exactBase = (net: bigint, rates: readonly TaxRate[]): Exact => {
  let incl: Exact = { n: 0n, d: 1n };
  const taxes = exactTaxes(net, rates);
  for (const r of rates) if (r.inclusive) incl = plus(incl, taxes.get(r.id)!);
  return norm(net * incl.d - incl.n, incl.d);
};

export const sumExact = (xs: readonly Exact[]): Exact => xs.reduce(plus, { n: 0n, d: 1n });

/** |x − e| <= 1/2 (a correct rounding to the nearest integer, either way at a tie). */
export const withinHalf = (x: bigint, e: Exact): boolean => {
  const diff = 2n * (x * e.d - e.n);
  return (diff < 0n ? -diff : diff) <= e.d;
};
