import { describe, expect, it } from 'vitest';
import { parseHeader } from './catalog-csv.js';
import type { ExistingProduct, ExistingVariant, Snapshot } from './catalog-import.model.js';
import { planImport } from './catalog-import.plan.js';
import { parseRow } from './catalog-import.rows.js';

const P1 = '00000000-0000-7000-8000-000000000001';
const P2 = '00000000-0000-7000-8000-000000000002';
const V1 = '00000000-0000-7000-8000-0000000000a1';
const V2 = '00000000-0000-7000-8000-0000000000a2';
const V3 = '00000000-0000-7000-8000-0000000000b1';

const product = (id: string, sku: string, name: string): ExistingProduct => ({ id, sku, name, description: null, categoryId: null, tags: [], taxCategoryId: null, type: 'standard', trackStock: true, active: true, archived: false });
const variant = (id: string, productId: string, sku: string | null, name: string, extra: Partial<ExistingVariant> = {}): ExistingVariant => ({
  id, productId, sku, name, options: {}, cost: null, weightBased: false, sortOrder: 0, active: true, archived: false, autoCreated: false, barcodes: [], price: null, ...extra,
});

function snapshot(): Snapshot {
  const products = [product(P1, 'LATTE', 'Latte'), product(P2, 'TEA', 'Tea')];
  const variants = [variant(V1, P1, null, 'Regular', { cost: 800n, price: 2_500_000n, barcodes: ['111'] }), variant(V2, P1, 'LATTE-L', 'Large', { sortOrder: 1 }), variant(V3, P2, 'TEA-1', 'Regular')];
  return {
    currency: 'IDR',
    exponent: 2,
    products: new Map(products.map((p) => [p.id, p])),
    productBySku: new Map(products.map((p) => [p.sku!, p.id])),
    variants: new Map(variants.map((v) => [v.id, v])),
    variantBySku: new Map(variants.filter((v) => v.sku).map((v) => [v.sku!, v.id])),
    variantsOfProduct: new Map([[P1, [V1, V2]], [P2, [V3]]]),
    barcodeOwner: new Map([['111', V1]]),
    categories: [],
    taxCategoryByCode: new Map(),
    defaultBookId: 'book',
  };
}

function plan(...lines: string[][]) {
  const [head, ...rest] = lines;
  const { header } = parseHeader(head!);
  const parsed = rest.map((cells, i) => parseRow(header, cells, i + 2, 2));
  let n = 0;
  return planImport(parsed.map((p) => p.row), parsed.flatMap((p) => p.issues), snapshot(), () => `new-${++n}`);
}

describe('planImport', () => {
  it('matches variants by SKU, else by name case-insensitively (blank name = Regular)', () => {
    const p = plan(['product_sku', 'variant_sku', 'variant_name', 'price'], ['latte', 'latte-l', '', '30000'], ['LATTE', '', 'REGULAR', '25000'], ['LATTE', '', 'Small', '20000']);
    expect(p.errors).toEqual([]);
    expect(p.variantInserts.map((v) => [v.name, v.sortOrder])).toEqual([['Small', 2]]);
    // The match ignores case; the name then takes the file's spelling.
    expect(p.variantUpdates.map((v) => [v.id, v.name])).toEqual([[V1, 'REGULAR']]);
    expect(p.variantsUnchanged).toBe(1);
    expect(p.prices.map((x) => [x.variantId, x.amount, x.previous])).toEqual([[V2, 3_000_000n, null], ['new-1', 2_000_000n, null]]);
    expect(p.pricesUnchanged).toBe(1);
  });

  it('leaves fields of absent columns alone; blank cells clear them, except a blank price', () => {
    const absent = plan(['product_sku', 'variant_name'], ['LATTE', 'Regular']);
    expect(absent.variantsUnchanged).toBe(1);
    const blanks = plan(['product_sku', 'variant_name', 'cost', 'barcodes', 'price'], ['LATTE', 'Regular', '', '', '']);
    expect(blanks.variantUpdates).toEqual([expect.objectContaining({ id: V1, cost: null })]);
    expect(blanks.barcodeSets).toEqual([{ variantId: V1, codes: [] }]);
    expect(blanks.prices).toEqual([]);
  });

  it('lets a file swap SKUs between its own products, and refuses taking one it does not release', () => {
    const swap = plan(['product_id', 'product_sku'], [P1, 'TEA'], [P2, 'LATTE']);
    expect(swap.errors).toEqual([]);
    expect(swap.skuMoves.products.sort()).toEqual([P1, P2].sort());
    const take = plan(['product_id', 'product_sku'], [P1, 'TEA']);
    expect(take.errors).toEqual([{ row: 2, column: 'product_sku', message: 'SKU TEA is also used by product "Tea"' }]);
    const variantSku = plan(['product_sku', 'product_name'], ['LATTE-L', 'Another']);
    expect(variantSku.errors).toEqual([{ row: 2, column: 'product_sku', message: 'SKU LATTE-L is also used by variant "Large"' }]);
  });

  it('refuses a variant of another product, the same variant twice, and product cells that disagree', () => {
    const p = plan(
      ['product_sku', 'product_name', 'variant_id', 'variant_sku'],
      ['TEA', 'Tea', V1, ''],
      ['LATTE', 'Latte', '', 'LATTE-L'],
      ['LATTE', 'Latte!', '', 'latte-l'],
      ['TEA', '', '', 'TEA-1'],
    );
    expect(p.errors.map((e) => `${e.row}:${e.column}:${e.message}`)).toEqual([
      '2:variant_id:this id belongs to a variant of another product',
      '4:product_name:differs from row 3 of the same product ("Latte")',
      '4:variant_sku:the same variant as row 3',
    ]);
  });

  it('creates a product with its variants in file order, and new categories once per path', () => {
    const p = plan(['product_sku', 'product_name', 'category', 'variant_name'], ['MOCHA', 'Mocha', 'Drinks/Coffee', 'Small'], ['MOCHA', '', 'drinks/coffee', 'Large'], ['CHAI', 'Chai', 'Drinks', '']);
    expect(p.errors).toEqual([]);
    expect(p.categories).toEqual([{ id: 'new-2', parentId: null, name: 'Drinks' }, { id: 'new-3', parentId: 'new-2', name: 'Coffee' }]);
    expect(p.productInserts.map((x) => [x.sku, x.categoryId])).toEqual([['MOCHA', 'new-3'], ['CHAI', 'new-2']]);
    expect(p.variantInserts.map((v) => [v.productId, v.name, v.sortOrder])).toEqual([['new-1', 'Small', 0], ['new-1', 'Large', 1], ['new-4', 'Regular', 0]]);
  });
});
