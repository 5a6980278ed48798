import { describe, expect, it } from 'vitest';
import { ancestorChain, colorField, createsCycle, depthAfterMove } from './category.js';

// drinks ─┬─ coffee ─── espresso
//         └─ tea
const parents: Record<string, string | null> = { drinks: null, coffee: 'drinks', espresso: 'coffee', tea: 'drinks' };
const parentOf = (id: string) => parents[id];
const chain = (id: string) => ancestorChain(id, parentOf);

describe('category cycle check', () => {
  it('walks from a category up to its root', () => {
    expect(chain('espresso')).toEqual(['espresso', 'coffee', 'drinks']);
    expect(chain('drinks')).toEqual(['drinks']);
    expect(chain('unknown')).toEqual(['unknown']);
  });

  it('refuses making a category its own parent', () => {
    expect(createsCycle('coffee', 'coffee', chain('coffee'))).toBe(true);
  });

  it('refuses placing a category under its child or any deeper descendant', () => {
    expect(createsCycle('drinks', 'coffee', chain('coffee'))).toBe(true);
    expect(createsCycle('drinks', 'espresso', chain('espresso'))).toBe(true);
    expect(createsCycle('coffee', 'espresso', chain('espresso'))).toBe(true);
  });

  it('allows moves to siblings, cousins and the top level', () => {
    expect(createsCycle('espresso', 'tea', chain('tea'))).toBe(false);
    expect(createsCycle('tea', 'coffee', chain('coffee'))).toBe(false);
    expect(createsCycle('coffee', null, [])).toBe(false);
  });

  it('stops on a cycle already in the data instead of looping', () => {
    const loop: Record<string, string> = { a: 'b', b: 'c', c: 'a' };
    expect(ancestorChain('a', (id) => loop[id])).toEqual(['a', 'b', 'c']);
    expect(ancestorChain('a', (id) => loop[id], 2)).toEqual(['a', 'b']);
  });

  it('measures the depth a subtree reaches after a move', () => {
    // Moving coffee (2 levels: coffee, espresso) under tea (chain tea, drinks): espresso ends 4 deep.
    expect(depthAfterMove(chain('tea'), 2)).toBe(4);
  });
});

describe('category colour', () => {
  it('accepts #RRGGBB in any case and stores it upper-case', () => {
    expect(colorField().parse('#1e88e5')).toBe('#1E88E5');
  });

  it('refuses other notations', () => {
    for (const bad of ['red', '#FFF', '1E88E5', '#1E88E5FF', '#GGGGGG']) expect(colorField().safeParse(bad).success, bad).toBe(false);
  });
});
