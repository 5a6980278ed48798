import { fromMilli, milli } from './quantity.js';

/** Units of measure a stock unit or a recipe quantity may be in, with their dimension and size in the dimension's smallest unit. */
export const UNITS = {
  pcs: { dimension: 'count', size: 1n },
  dozen: { dimension: 'count', size: 12n },
  mg: { dimension: 'mass', size: 1n },
  g: { dimension: 'mass', size: 1_000n },
  kg: { dimension: 'mass', size: 1_000_000n },
  ml: { dimension: 'volume', size: 1n },
  l: { dimension: 'volume', size: 1_000n },
} as const;
export type Unit = keyof typeof UNITS;
export const UNIT_NAMES = Object.keys(UNITS) as [Unit, ...Unit[]];

/**
 * `quantity` (decimal text) in `from` expressed in `to`, rounded half up to three decimals; undefined when no
 * conversion exists (another dimension) or the result rounds to nothing.
 */
export function convertQuantity(quantity: string, from: Unit, to: Unit): string | undefined {
  const a = UNITS[from];
  const b = UNITS[to];
  if (a.dimension !== b.dimension) return undefined;
  const scaled = milli(quantity) * a.size;
  const out = (scaled * 2n + b.size) / (2n * b.size);
  return out > 0n ? fromMilli(out) : undefined;
}
