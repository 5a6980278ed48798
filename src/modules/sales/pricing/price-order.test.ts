import { describe, expect, it } from 'vitest';
import { priceOrder } from './price-order.js';
import { PricingInputError, type PricingInput, type PricingLineInput, type TaxRate } from './pricing.types.js';

const PB1: TaxRate = { id: 'pb1', name: 'PB1 10%', rateBp: 1000, inclusive: false, compound: false, sequence: 0 };
const one = { units: 1n, scale: 0 };
const order = (lines: PricingLineInput[], more: Partial<PricingInput> = {}): PricingInput => ({
  currency: 'IDR',
  taxRounding: { mode: 'half_up', level: 'line' },
  lines,
  ...more,
});
const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return e instanceof PricingInputError ? `${e.code} ${e.field}` : String(e);
  }
};

describe('priceOrder', () => {
  it('prices a weighed line once: 1.255 kg at 9 999 per kg is 12 548.745 → 12 549', () => {
    const p = priceOrder(order([{ key: 'a', unitPrice: 9_999n, quantity: { units: 1_255n, scale: 3 } }]));
    expect(p.lines[0]!.gross).toBe(12_549n);
  });

  it('adds modifiers per unit of the line, times their own quantity', () => {
    const p = priceOrder(
      order([{ key: 'a', unitPrice: 30_000n, quantity: { units: 2n, scale: 0 }, modifiers: [{ priceDelta: 5_000n, quantity: 2 }, { priceDelta: -1_000n }] }]),
    );
    expect(p.lines[0]).toMatchObject({ modifierUnitAmount: 9_000n, effectiveUnitPrice: 39_000n, gross: 78_000n });
  });

  it('applies line discounts one after another, each on what is left, and caps a fixed one at what is left', () => {
    const p = priceOrder(
      order([
        { key: 'a', unitPrice: 10_000n, quantity: one, discounts: [{ kind: 'percentage', rateBp: 1000 }, { kind: 'percentage', rateBp: 1000 }] },
        { key: 'b', unitPrice: 10_000n, quantity: one, discounts: [{ kind: 'fixed', amount: 4_000n }, { kind: 'fixed', amount: 9_000n }] },
      ]),
    );
    expect(p.lines[0]!.lineDiscounts.map((d) => d.amount)).toEqual([1_000n, 900n]);
    expect(p.lines[1]!.lineDiscounts.map((d) => [d.requested, d.amount, d.capped])).toEqual([
      [4_000n, 4_000n, false],
      [9_000n, 6_000n, true],
    ]);
    expect(p.lines[1]!.net).toBe(0n);
  });

  it('caps an order discount at the order and allocates it by what is left of each line', () => {
    const p = priceOrder(
      order([{ key: 'a', unitPrice: 1_000n, quantity: one }, { key: 'b', unitPrice: 2_000n, quantity: one }], {
        orderDiscounts: [{ kind: 'fixed', amount: 5_000n }],
      }),
    );
    expect(p.orderDiscounts[0]).toMatchObject({ requested: 5_000n, amount: 3_000n, capped: true });
    expect(p.lines.map((l) => l.net)).toEqual([0n, 0n]);
  });

  it('breaks an allocation tie toward the smaller key, whatever the input order', () => {
    const lines = [{ key: 'b', unitPrice: 100n, quantity: one }, { key: 'a', unitPrice: 100n, quantity: one }];
    const p = priceOrder(order(lines, { orderDiscounts: [{ kind: 'fixed', amount: 1n }] }));
    expect(p.lines.map((l) => [l.key, l.orderDiscountShare])).toEqual([
      ['b', 0n],
      ['a', 1n],
    ]);
  });

  it('computes an after-tax service charge on lines, taxes and before-tax charges, and does not tax it when not taxable', () => {
    const p = priceOrder(
      order([{ key: 'a', unitPrice: 100_000n, quantity: one, taxes: [PB1] }], {
        serviceCharges: [
          { id: 'svc', name: 'Service', kind: 'percentage', rateBp: 500, stage: 'before_tax', taxable: true, taxes: [PB1] },
          { id: 'del', name: 'Delivery', kind: 'percentage', rateBp: 1000, stage: 'after_tax', taxable: false, taxes: [PB1] },
          { id: 'bag', name: 'Bag', kind: 'fixed', amount: 2_000n, stage: 'after_tax', taxable: true, taxes: [PB1] },
        ],
      }),
    );
    // Lines 100 000 + PB1 10 000; service 5 000 + PB1 500 → 115 500 before after-tax charges.
    expect(p.serviceCharges.map((c) => [c.id, c.base, c.amount, c.taxTotal])).toEqual([
      ['svc', 100_000n, 5_000n, 500n],
      ['del', 115_500n, 11_550n, 0n],
      ['bag', 0n, 2_000n, 200n],
    ]);
    expect(p.total).toBe(115_500n + 11_550n + 2_200n);
  });

  it('keeps the tip out of tax and discounts and puts it in the cash-rounded total', () => {
    const p = priceOrder(
      order([{ key: 'a', unitPrice: 12_345n, quantity: one, taxes: [PB1] }], {
        orderDiscounts: [{ kind: 'percentage', rateBp: 10_000 }],
        tip: 5_050n,
        cashRounding: { unit: 100n, mode: 'half_up' },
      }),
    );
    expect([p.taxTotal, p.tip, p.totalBeforeRounding, p.roundingAdjustment, p.total]).toEqual([0n, 5_050n, 5_050n, 50n, 5_100n]);
    expect(p.rounding).toEqual({ unit: 100n, mode: 'half_up', amount: 50n });
  });

  it('has no rounding line when cash rounding is not asked for', () => {
    const p = priceOrder(order([{ key: 'a', unitPrice: 12_345n, quantity: one }]));
    expect([p.rounding, p.roundingAdjustment, p.total]).toEqual([null, 0n, 12_345n]);
  });

  it('refuses what it cannot price, naming the field', () => {
    const line = { key: 'a', unitPrice: 1n, quantity: one };
    expect(codeOf(() => priceOrder(order([line, line])))).toBe('PRICING_DUPLICATE_LINE_KEY lines[1].key');
    expect(codeOf(() => priceOrder(order([{ ...line, quantity: { units: 0n, scale: 0 } }])))).toBe('PRICING_INVALID_QUANTITY lines[0].quantity.units');
    expect(codeOf(() => priceOrder(order([{ ...line, quantity: { units: 1n, scale: 1.5 } }])))).toBe('PRICING_INVALID_QUANTITY lines[0].quantity.scale');
    expect(codeOf(() => priceOrder(order([{ ...line, unitPrice: -1n }])))).toBe('PRICING_NEGATIVE_PRICE lines[0].unitPrice');
    expect(codeOf(() => priceOrder(order([{ ...line, modifiers: [{ priceDelta: -2n }] }])))).toBe('PRICING_NEGATIVE_PRICE lines[0].modifiers');
    expect(codeOf(() => priceOrder(order([{ ...line, discounts: [{ kind: 'percentage', rateBp: 10_001 }] }])))).toBe('PRICING_INVALID_DISCOUNT lines[0].discounts[0]');
    expect(codeOf(() => priceOrder(order([line], { orderDiscounts: [{ kind: 'fixed', amount: -1n }] })))).toBe('PRICING_INVALID_DISCOUNT orderDiscounts[0]');
    expect(codeOf(() => priceOrder(order([{ ...line, taxes: [{ ...PB1, rateBp: 0.5 }] }])))).toBe('PRICING_INVALID_TAX_RATE lines[0].taxes[0].rateBp');
    expect(codeOf(() => priceOrder(order([{ ...line, taxes: [PB1] }, { ...line, key: 'b', taxes: [{ ...PB1, inclusive: true }] }])))).toBe(
      'PRICING_INVALID_TAX_RATE lines[1].taxes[0].id',
    );
    expect(codeOf(() => priceOrder(order([line], { serviceCharges: [{ id: 's', name: 's', kind: 'fixed', stage: 'before_tax', taxable: false }] })))).toBe(
      'PRICING_INVALID_SERVICE_CHARGE serviceCharges[0]',
    );
    expect(codeOf(() => priceOrder(order([line], { tip: -1n })))).toBe('PRICING_NEGATIVE_TIP tip');
    expect(codeOf(() => priceOrder(order([line], { cashRounding: { unit: -5n } })))).toBe('PRICING_INVALID_CASH_ROUNDING cashRounding.unit');
  });

  it('prices an empty order as zero', () => {
    expect(priceOrder(order([], { tip: 0n })).total).toBe(0n);
  });
});
