import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderTaxRules, selectTaxRules, taxRuleApplies, taxRuleProblems, type TaxRuleRules } from './tax.js';

let n = 0;
const rule = (over: Partial<TaxRuleRules> = {}): TaxRuleRules => ({
  id: `r${String(++n).padStart(3, '0')}`,
  name: `rule ${n}`,
  rateBp: 1000,
  inclusive: false,
  compound: false,
  sequence: 0,
  taxCategoryId: null,
  outletId: null,
  orderTypes: null,
  exemptTaxCategoryIds: [],
  active: true,
  archivedAt: null,
  createdAt: new Date(1_700_000_000_000 + n * 1000),
  ...over,
});
const q = { taxCategoryId: 'food', outletId: 'o1', orderType: 'dine_in' };

describe('taxRuleApplies', () => {
  it('applies a rule with no limits to everything, including products without a tax category', () => {
    const r = rule();
    expect(taxRuleApplies(r, q)).toBe(true);
    expect(taxRuleApplies(r, { taxCategoryId: null, outletId: null, orderType: null })).toBe(true);
  });

  it('limits by tax category, outlet and order type', () => {
    expect(taxRuleApplies(rule({ taxCategoryId: 'food' }), q)).toBe(true);
    expect(taxRuleApplies(rule({ taxCategoryId: 'alcohol' }), q)).toBe(false);
    expect(taxRuleApplies(rule({ taxCategoryId: 'food' }), { ...q, taxCategoryId: null })).toBe(false);
    expect(taxRuleApplies(rule({ outletId: 'o2' }), q)).toBe(false);
    expect(taxRuleApplies(rule({ outletId: 'o1' }), { ...q, outletId: null })).toBe(false);
    expect(taxRuleApplies(rule({ orderTypes: ['dine_in', 'bar_tab'] }), q)).toBe(true);
    expect(taxRuleApplies(rule({ orderTypes: ['takeaway'] }), q)).toBe(false);
    expect(taxRuleApplies(rule({ orderTypes: ['takeaway'] }), { ...q, orderType: null })).toBe(false);
  });

  it('skips exempt categories, inactive and archived rules', () => {
    expect(taxRuleApplies(rule({ exemptTaxCategoryIds: ['food'] }), q)).toBe(false);
    expect(taxRuleApplies(rule({ exemptTaxCategoryIds: ['food'] }), { ...q, taxCategoryId: 'drinks' })).toBe(true);
    expect(taxRuleApplies(rule({ exemptTaxCategoryIds: ['food'] }), { ...q, taxCategoryId: null })).toBe(true);
    expect(taxRuleApplies(rule({ active: false }), q)).toBe(false);
    expect(taxRuleApplies(rule({ archivedAt: new Date() }), q)).toBe(false);
  });
});

describe('orderTaxRules', () => {
  it('puts non-compound rules first, then compound, each by sequence, then creation', () => {
    const ppn = rule({ name: 'PPN', sequence: 2 });
    const service = rule({ name: 'Service', sequence: 1 });
    const pb1 = rule({ name: 'PB1 on top', compound: true, sequence: 0 });
    const extra = rule({ name: 'Extra on top', compound: true, sequence: 0 });
    expect(orderTaxRules([extra, pb1, ppn, service]).map((r) => r.name)).toEqual(['Service', 'PPN', 'PB1 on top', 'Extra on top']);
  });

  it('is a total order: the result does not depend on the input order (property)', () => {
    const arb = fc.array(fc.record({ id: fc.uuid(), compound: fc.boolean(), sequence: fc.integer({ min: -2, max: 2 }), createdAt: fc.constantFrom(new Date(1), new Date(2)) }), { maxLength: 8 });
    fc.assert(
      fc.property(arb, (rules) => {
        const a = orderTaxRules(rules).map((r) => r.id);
        const b = orderTaxRules([...rules].reverse()).map((r) => r.id);
        expect(b).toEqual(a);
        const firstCompound = orderTaxRules(rules).findIndex((r) => r.compound);
        if (firstCompound >= 0) expect(orderTaxRules(rules).slice(firstCompound).every((r) => r.compound)).toBe(true);
      }),
    );
  });
});

describe('selectTaxRules', () => {
  it('filters then orders', () => {
    const vat = rule({ name: 'VAT', sequence: 5 });
    const takeaway = rule({ name: 'Takeaway levy', orderTypes: ['takeaway'] });
    const compound = rule({ name: 'Compound', compound: true });
    expect(selectTaxRules([compound, takeaway, vat], q).map((r) => r.name)).toEqual(['VAT', 'Compound']);
  });
});

describe('taxRuleProblems', () => {
  it('refuses an inclusive compound rule, naming compound', () => {
    expect(taxRuleProblems({ inclusive: true, compound: true, taxCategoryId: null, exemptTaxCategoryIds: [] })).toEqual([
      { field: 'compound', message: 'an inclusive tax cannot be compound: make it exclusive, or not compound' },
    ]);
    expect(taxRuleProblems({ inclusive: true, compound: false, taxCategoryId: null, exemptTaxCategoryIds: [] })).toEqual([]);
    expect(taxRuleProblems({ inclusive: false, compound: true, taxCategoryId: null, exemptTaxCategoryIds: [] })).toEqual([]);
  });

  it('refuses exempting the rule’s own category', () => {
    expect(taxRuleProblems({ inclusive: false, compound: false, taxCategoryId: 'food', exemptTaxCategoryIds: ['drinks', 'food'] })).toEqual([
      { field: 'exempt_tax_category_ids.1', message: 'a rule cannot exempt the tax category it is limited to' },
    ]);
  });
});
