import { z } from 'zod';

/** Colours are #RRGGBB, stored upper-case so two spellings of one colour compare equal. */
export const colorField = () =>
  z
    .string()
    .regex(/^#[0-9A-Fa-f]{6}$/, 'must be #RRGGBB, e.g. #1E88E5')
    .transform((c) => c.toUpperCase());

/** Deeper trees are refused: a till screen cannot show them, and it bounds every ancestor walk. */
export const MAX_CATEGORY_DEPTH = 10;

/**
 * Walks from `start` up through `parentOf` and returns the chain [start, parent, grandparent, …]. Stops at a
 * root, at an unknown id, at a repeated id (a cycle already in the data never loops forever) or after
 * `limit` steps.
 */
export function ancestorChain(start: string, parentOf: (id: string) => string | null | undefined, limit = 100): string[] {
  const chain: string[] = [];
  const seen = new Set<string>();
  let current: string | null | undefined = start;
  while (current && !seen.has(current) && chain.length < limit) {
    chain.push(current);
    seen.add(current);
    current = parentOf(current);
  }
  return chain;
}

/**
 * Whether making `newParentId` the parent of `categoryId` would make the category its own ancestor.
 * `chainOfNewParent` is the new parent followed by its ancestors (see ancestorChain).
 */
export function createsCycle(categoryId: string, newParentId: string | null, chainOfNewParent: readonly string[]): boolean {
  if (newParentId === null) return false;
  return newParentId === categoryId || chainOfNewParent.includes(categoryId);
}

/**
 * Depth of a category placed under a parent whose chain is `chainOfNewParent` and whose own subtree is
 * `subtreeHeight` levels tall (1 for a leaf): the depth of its deepest descendant afterwards.
 */
export const depthAfterMove = (chainOfNewParent: readonly string[], subtreeHeight: number): number => chainOfNewParent.length + subtreeHeight;
