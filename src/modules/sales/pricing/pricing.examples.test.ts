/**
 * The worked examples: numbers asserted here by hand, and docs/pricing.md's tables compared with what the
 * engine computes (UPDATE_PRICING_DOC=1 rewrites the tables after a deliberate rule change).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { EXAMPLES, renderNamedExample } from './pricing.examples.js';
import { priceOrder } from './price-order.js';

const DOC = fileURLToPath(new URL('../../../../docs/pricing.md', import.meta.url));
const BLOCK = /<!-- pricing-example: ([\w-]+) -->\n([\s\S]*?)<!-- \/pricing-example -->/g;
const priced = (name: string) => priceOrder(EXAMPLES[name]!.input);

describe('worked examples in IDR', () => {
  it('PPN 11 % exclusive: 11 % added per line, half-up', () => {
    const p = priced('ppn-exclusive');
    expect(p.lines.map((l) => l.taxes[0]!.amount)).toEqual([1_595_000n, 207_900n, 233_613n]); // 233 612.5 → up
    expect([p.subtotal, p.taxTotal, p.total]).toEqual([18_513_750n, 2_036_513n, 20_550_263n]);
  });

  it('PPN 11 % inclusive: 11/111 of each price extracted, the customer pays the shelf price', () => {
    const p = priced('ppn-inclusive');
    expect(p.lines.map((l) => [l.taxes[0]!.amount, l.taxBase])).toEqual([
      [1_436_937n, 13_063_063n], // 14 500 000 × 11/111 = 1 436 936.9…
      [187_297n, 1_702_703n],
      [210_462n, 1_913_288n],
    ]);
    expect([p.taxTotal, p.exclusiveTaxTotal, p.total]).toEqual([1_834_696n, 0n, p.subtotal]);
  });

  it('restaurant: 5 % service before tax, PB1 10 % on food and service, cash to Rp 100', () => {
    const p = priced('restaurant-pb1-service');
    expect(p.subtotal).toBe(14_050_000n); // 70 000 + 24 000 + (42 500 + 4 000) rupiah
    expect(p.serviceCharges[0]).toMatchObject({ base: 14_050_000n, amount: 702_500n, taxTotal: 70_250n });
    expect(p.taxes).toMatchObject([{ id: 'pb1', amount: 1_475_250n, taxableAmount: 14_752_500n }]);
    expect([p.totalBeforeRounding, p.roundingAdjustment, p.total]).toEqual([16_227_750n, 2_250n, 16_230_000n]);
  });

  it('a compound levy is computed on the price plus PB1', () => {
    const p = priced('compound');
    expect(p.lines[0]!.taxes.map((t) => [t.id, t.amount])).toEqual([
      ['pb1', 1_000_000n],
      ['levy', 220_000n],
    ]);
    expect(p.total).toBe(11_220_000n);
  });

  it('caps a voucher at its line and allocates the order discount over what is left', () => {
    const p = priced('discounts-capped');
    expect(p.lines[1]!.lineDiscounts[0]).toMatchObject({ requested: 2_000_000n, amount: 1_500_000n, capped: true });
    // 1 000 000 × 2 200 000 / 5 950 000 = 369 747.9 → 369 748; 630 252.1 → 630 252.
    expect(p.lines.map((l) => l.orderDiscountShare)).toEqual([369_748n, 0n, 630_252n]);
    expect(p.total).toBe(4_950_000n);
  });

  it('line level, order level half-up and order level half-even differ on three exact halves', () => {
    expect(['weighed-line-half-up', 'weighed-order-half-up', 'weighed-order-half-even'].map((n) => priced(n).taxTotal)).toEqual([
      148_650n,
      148_649n,
      148_648n,
    ]);
  });
});

describe('docs/pricing.md', () => {
  it('shows exactly the tables the engine computes for every example, and no other', () => {
    const doc = readFileSync(DOC, 'utf8');
    const rendered = (name: string) => `<!-- pricing-example: ${name} -->\n\n${renderNamedExample(name)}\n\n<!-- /pricing-example -->`;
    if (process.env.UPDATE_PRICING_DOC) {
      writeFileSync(DOC, doc.replace(BLOCK, (_m, name: string) => (EXAMPLES[name] ? rendered(name) : _m)));
    }
    const current = readFileSync(DOC, 'utf8');
    const names = [...current.matchAll(BLOCK)].map((m) => m[1]!);
    expect(names.sort()).toEqual(Object.keys(EXAMPLES).sort());
    for (const m of current.matchAll(BLOCK)) expect(m[0], `docs/pricing.md example ${m[1]}`).toBe(rendered(m[1]!));
  });
});
