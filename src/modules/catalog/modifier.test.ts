import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isAppError } from '../../platform/errors.js';
import { assertModifierSelection, effectiveMin, validateModifierSelection, type ModifierGroupRules, type ModifierRules, type SelectionResult } from './modifier.js';

const mod = (id: string, over: Partial<ModifierRules> = {}): ModifierRules => ({ id, name: id, priceDelta: 0n, linkedVariantId: null, maxQuantity: null, active: true, archivedAt: null, ...over });
const group = (id: string, modifiers: ModifierRules[], over: Partial<ModifierGroupRules> = {}): ModifierGroupRules => ({
  id,
  name: id,
  minSelections: 0,
  maxSelections: null,
  required: false,
  allowQuantities: false,
  active: true,
  archivedAt: null,
  modifiers,
  ...over,
});

// A café latte: pick exactly one size; milk optional (at most one); extra shots up to 3 in total, 2 per kind.
const size = group('size', [mod('small', { priceDelta: -300n }), mod('regular'), mod('large', { priceDelta: 500n })], { required: true, minSelections: 1, maxSelections: 1 });
const milk = group('milk', [mod('oat', { priceDelta: 700n }), mod('soy', { priceDelta: 600n, active: false }), mod('almond', { archivedAt: new Date() })], { maxSelections: 1 });
const shots = group('shots', [mod('espresso', { priceDelta: 800n, maxQuantity: 2, linkedVariantId: 'v-beans' }), mod('decaf', { priceDelta: 800n })], { allowQuantities: true, maxSelections: 3 });
const latte = [size, milk, shots];

const codes = (r: SelectionResult) => (r.ok ? [] : r.issues.map((i) => i.code));
const fields = (r: SelectionResult) => (r.ok ? [] : r.issues.map((i) => i.field));

describe('validateModifierSelection', () => {
  it('accepts a valid selection and prices it per unit, in the product’s group order', () => {
    const r = validateModifierSelection(latte, [{ modifierId: 'espresso', quantity: 2 }, { modifierId: 'large' }, { modifierId: 'oat', groupId: 'milk' }]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.selected.map((s) => [s.modifierId, s.quantity])).toEqual([['large', 1], ['oat', 1], ['espresso', 2]]);
    expect(r.priceDeltaTotal).toBe(500n + 700n + 1600n);
    expect(r.selected[2]).toMatchObject({ groupId: 'shots', linkedVariantId: 'v-beans' });
  });

  it('accepts negative deltas', () => {
    const r = validateModifierSelection(latte, [{ modifierId: 'small' }]);
    expect(r.ok && r.priceDeltaTotal).toBe(-300n);
  });

  it('refuses a selection missing a required group', () => {
    const r = validateModifierSelection(latte, [{ modifierId: 'oat' }]);
    expect(codes(r)).toEqual(['MODIFIER_GROUP_REQUIRED']);
    expect(!r.ok && r.issues[0]).toMatchObject({ field: 'modifiers', groupId: 'size' });
  });

  it('treats min_select > 0 as required even without the flag, and required with min 0 as at least one', () => {
    const g = group('g', [mod('a'), mod('b'), mod('c')], { minSelections: 2 });
    expect(codes(validateModifierSelection([g], []))).toEqual(['MODIFIER_GROUP_REQUIRED']);
    expect(codes(validateModifierSelection([g], [{ modifierId: 'a' }]))).toEqual(['MODIFIER_GROUP_BELOW_MIN']);
    expect(validateModifierSelection([g], [{ modifierId: 'a' }, { modifierId: 'b' }]).ok).toBe(true);
    const r = group('r', [mod('x')], { required: true, minSelections: 0 });
    expect(effectiveMin(r)).toBe(1);
    expect(codes(validateModifierSelection([r], []))).toEqual(['MODIFIER_GROUP_REQUIRED']);
    expect(effectiveMin(group('o', []))).toBe(0);
  });

  it('refuses more than max_select, counting quantities', () => {
    expect(codes(validateModifierSelection(latte, [{ modifierId: 'regular' }, { modifierId: 'large' }]))).toEqual(['MODIFIER_GROUP_ABOVE_MAX']);
    const r = validateModifierSelection(latte, [{ modifierId: 'regular' }, { modifierId: 'espresso', quantity: 2 }, { modifierId: 'decaf', quantity: 2 }]);
    expect(codes(r)).toEqual(['MODIFIER_GROUP_ABOVE_MAX']);
    expect(!r.ok && r.issues[0]!.message).toBe('shots allows at most 3, got 4');
  });

  it('refuses a quantity above 1 where the group does not allow quantities', () => {
    const r = validateModifierSelection(latte, [{ modifierId: 'large', quantity: 2 }]);
    expect(codes(r)).toEqual(['MODIFIER_QUANTITY_NOT_ALLOWED', 'MODIFIER_GROUP_REQUIRED']);
    expect(fields(r)[0]).toBe('modifiers.0.quantity');
  });

  it('refuses a quantity above the modifier’s max_quantity', () => {
    const r = validateModifierSelection(latte, [{ modifierId: 'regular' }, { modifierId: 'espresso', quantity: 3 }]);
    expect(codes(r)).toEqual(['MODIFIER_QUANTITY_ABOVE_MAX']);
    expect(fields(r)).toEqual(['modifiers.1.quantity']);
  });

  it('refuses zero, negative and fractional quantities', () => {
    for (const quantity of [0, -1, 1.5, Number.NaN]) {
      const r = validateModifierSelection(latte, [{ modifierId: 'regular' }, { modifierId: 'decaf', quantity }]);
      expect(codes(r), `quantity ${quantity}`).toEqual(['MODIFIER_QUANTITY_INVALID']);
    }
  });

  it('refuses a modifier that is not in any of the product’s groups', () => {
    const r = validateModifierSelection(latte, [{ modifierId: 'regular' }, { modifierId: 'whipped-cream' }]);
    expect(codes(r)).toEqual(['MODIFIER_UNKNOWN']);
    expect(fields(r)).toEqual(['modifiers.1.modifier_id']);
  });

  it('refuses a modifier named under the wrong group', () => {
    const r = validateModifierSelection(latte, [{ modifierId: 'regular', groupId: 'milk' }]);
    expect(codes(r)).toEqual(['MODIFIER_NOT_IN_GROUP', 'MODIFIER_GROUP_REQUIRED']);
  });

  it('refuses inactive and archived modifiers', () => {
    expect(codes(validateModifierSelection(latte, [{ modifierId: 'regular' }, { modifierId: 'soy' }]))).toEqual(['MODIFIER_INACTIVE']);
    expect(codes(validateModifierSelection(latte, [{ modifierId: 'regular' }, { modifierId: 'almond' }]))).toEqual(['MODIFIER_INACTIVE']);
  });

  it('refuses selections in an unavailable group, which then requires nothing', () => {
    const off = group('off', [mod('z')], { required: true, minSelections: 1, active: false });
    const gone = group('gone', [mod('y')], { required: true, minSelections: 1, archivedAt: new Date() });
    expect(validateModifierSelection([off, gone], []).ok).toBe(true);
    expect(codes(validateModifierSelection([off, gone], [{ modifierId: 'z' }, { modifierId: 'y' }]))).toEqual(['MODIFIER_GROUP_INACTIVE', 'MODIFIER_GROUP_INACTIVE']);
  });

  it('refuses the same modifier twice', () => {
    const r = validateModifierSelection(latte, [{ modifierId: 'regular' }, { modifierId: 'decaf' }, { modifierId: 'decaf' }]);
    expect(codes(r)).toEqual(['MODIFIER_DUPLICATE']);
    expect(fields(r)).toEqual(['modifiers.2.modifier_id']);
  });

  it('reports every problem at once, under the caller’s field prefix', () => {
    const r = validateModifierSelection(latte, [{ modifierId: 'nope' }, { modifierId: 'soy' }, { modifierId: 'espresso', quantity: 5 }], 'items.0.modifiers');
    expect(codes(r)).toEqual(['MODIFIER_UNKNOWN', 'MODIFIER_INACTIVE', 'MODIFIER_QUANTITY_ABOVE_MAX', 'MODIFIER_GROUP_REQUIRED']);
    expect(fields(r)).toEqual(['items.0.modifiers.0.modifier_id', 'items.0.modifiers.1.modifier_id', 'items.0.modifiers.2.quantity', 'items.0.modifiers']);
  });

  it('accepts no selection for a product without groups, and refuses any', () => {
    expect(validateModifierSelection([], [])).toEqual({ ok: true, selected: [], priceDeltaTotal: 0n });
    expect(codes(validateModifierSelection([], [{ modifierId: 'x' }]))).toEqual(['MODIFIER_UNKNOWN']);
  });

  it('assertModifierSelection throws a 400-kind error naming the fields', () => {
    try {
      assertModifierSelection(latte, [{ modifierId: 'regular' }, { modifierId: 'soy' }]);
      expect.unreachable();
    } catch (e) {
      expect(isAppError(e) && e.code).toBe('MODIFIER_SELECTION_INVALID');
      expect(isAppError(e) && e.kind).toBe('invalid');
      expect(isAppError(e) && e.details?.fields).toEqual([{ field: 'modifiers.1.modifier_id', message: 'soy is not available' }]);
    }
    expect(assertModifierSelection(latte, [{ modifierId: 'regular' }]).priceDeltaTotal).toBe(0n);
  });

  it('never accepts a selection that breaks a group’s bounds (property)', () => {
    const ids = ['a', 'b', 'c', 'd'];
    const arb = fc.record({
      min: fc.integer({ min: 0, max: 3 }),
      extra: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
      required: fc.boolean(),
      allowQuantities: fc.boolean(),
      picks: fc.array(fc.record({ modifierId: fc.constantFrom(...ids), quantity: fc.integer({ min: 0, max: 4 }) }), { maxLength: 5 }),
    });
    fc.assert(
      fc.property(arb, ({ min, extra, required, allowQuantities, picks }) => {
        const g = group('g', ids.map((id) => mod(id, { priceDelta: 100n, maxQuantity: 3 })), { minSelections: min, maxSelections: extra === null ? null : Math.max(1, min + extra), required, allowQuantities });
        const r = validateModifierSelection([g], picks);
        if (!r.ok) return;
        const total = r.selected.reduce((s, m) => s + m.quantity, 0);
        if (total > 0 || required || min > 0) expect(total).toBeGreaterThanOrEqual(effectiveMin(g));
        if (g.maxSelections !== null) expect(total).toBeLessThanOrEqual(g.maxSelections);
        if (!allowQuantities) expect(r.selected.every((m) => m.quantity === 1)).toBe(true);
        expect(new Set(r.selected.map((m) => m.modifierId)).size).toBe(r.selected.length);
        expect(r.priceDeltaTotal).toBe(BigInt(total) * 100n);
      }),
      { numRuns: 500 },
    );
  });
});
