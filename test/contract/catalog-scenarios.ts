import { expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { createTenant } from '../support/server.js';
import type { CatalogDriver, CatalogResult } from './catalog-driver.js';

/** The value of a success; fails the test with the error otherwise. */
function value<T>(r: CatalogResult<T>): T {
  if (!r.ok) throw new Error(`expected success, got ${r.error.status} ${r.error.code}: ${r.error.message}`);
  return r.value;
}
function failure<T>(r: CatalogResult<T>) {
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.value)}`);
  return r.error;
}

/** SKUs and barcodes are unique per tenant; a suffix keeps scenarios readable without relying on that. */
const tag = () => uuidv7().slice(-6).toUpperCase();

/** The catalog scenarios, written once and run through REST and gRPC (each makes its own tenants). */
export function catalogScenarios(ctx: () => { d: CatalogDriver; app: App }): void {
  it('creates a category, a product in it and a variant that replaces the default one, and reads them back alike', async () => {
    const { d, app } = ctx();
    const t = await createTenant(app);
    const cat = value(await d.createCategory(t.devHeaders, { name: 'Beverages', sort_order: 1 }));
    expect(cat).toMatchObject({ name: 'Beverages', sort_order: 1, parent_id: null, active: true, archived_at: null });
    expect(value(await d.getCategory(t.devHeaders, cat.id))).toEqual(cat);

    const product = value(await d.createProduct(t.devHeaders, { name: 'Iced Latte', sku: 'ICE-LATTE-001', category_id: cat.id }));
    expect(product).toMatchObject({ name: 'Iced Latte', sku: 'ICE-LATTE-001', category_id: cat.id, type: 'standard', active: true, archived_at: null });
    expect(product.variants).toEqual([expect.objectContaining({ name: 'Regular', sku: null })]);

    const variant = value(await d.createVariant(t.devHeaders, product.id, { name: 'Regular', sku: 'ICE-LATTE-001-REG' }));
    expect(variant).toMatchObject({ product_id: product.id, name: 'Regular', sku: 'ICE-LATTE-001-REG', barcodes: [], cost: null, active: true });
    expect(value(await d.getVariant(t.devHeaders, variant.id))).toEqual(variant);
    const after = value(await d.getProduct(t.devHeaders, product.id));
    expect(after.variants).toEqual([variant]);
    expect(Object.keys(after).sort()).toEqual(
      ['active', 'archived_at', 'category_id', 'created_at', 'description', 'id', 'image_id', 'name', 'sku', 'tags', 'tax_category_id', 'track_stock', 'type', 'updated_at', 'variants'].sort(),
    );

    const price = value(await d.setPrice(t.devHeaders, { variant_id: variant.id, amount: 2500000, currency: 'IDR' }));
    expect(price).toMatchObject({ variant_id: variant.id, amount: 2500000, currency: 'IDR', is_default: true, outlet_id: null });
  });

  it('refuses a duplicate SKU as already-exists with SKU_TAKEN naming sku, and changes nothing', async () => {
    const { d, app } = ctx();
    const t = await createTenant(app);
    const sku = `DUP-${tag()}`;
    const first = value(await d.createProduct(t.devHeaders, { name: 'First', sku }));
    const again = failure(await d.createProduct(t.devHeaders, { name: 'Second', sku }));
    expect([again.status, again.code, again.field]).toEqual([d.status('already_exists'), 'SKU_TAKEN', 'sku']);
    const variant = failure(await d.createVariant(t.devHeaders, first.id, { name: 'Clash', sku }));
    expect([variant.status, variant.code, variant.field]).toEqual([d.status('already_exists'), 'SKU_TAKEN', 'sku']);
    expect(value(await d.getProduct(t.devHeaders, first.id)).variants).toHaveLength(1);
    expect(value(await d.listProducts(t.devHeaders)).items.map((p) => p.name)).toEqual(['First']);
  });

  it('refuses a price in a currency other than the tenant’s as invalid with PRICE_CURRENCY_MISMATCH naming currency', async () => {
    const { d, app } = ctx();
    const t = await createTenant(app);
    const product = value(await d.createProduct(t.devHeaders, { name: 'Tea', variants: [{ name: 'Cup' }] }));
    const variantId = product.variants[0]!.id;
    const wrong = failure(await d.setPrice(t.devHeaders, { variant_id: variantId, amount: 1500, currency: 'USD' }));
    expect([wrong.status, wrong.code, wrong.field, wrong.fields]).toEqual([d.status('invalid'), 'PRICE_CURRENCY_MISMATCH', 'currency', ['currency']]);
    expect(wrong.message).toMatch(/currency/);
    const negative = failure(await d.setPrice(t.devHeaders, { variant_id: variantId, amount: -1, currency: 'IDR' }));
    expect([negative.status, negative.code, negative.fields]).toEqual([d.status('invalid'), 'VALIDATION_FAILED', ['amount']]);
    expect(value(await d.setPrice(t.devHeaders, { variant_id: variantId, amount: 1500000, currency: 'IDR' }))).toMatchObject({ amount: 1500000, currency: 'IDR' });
  });

  it('finds a variant by its barcode and a product by its SKU, and answers an unknown code not found', async () => {
    const { d, app } = ctx();
    const t = await createTenant(app);
    const [barcode, sku] = [`899${Date.now() % 1e10}`, `BC-${tag()}`];
    const product = value(await d.createProduct(t.devHeaders, { name: 'Mineral Water', sku, variants: [{ name: '600 ml', barcodes: [barcode] }] }));
    const byBarcode = value(await d.lookup(t.devHeaders, barcode));
    expect(byBarcode).toMatchObject({ matched_by: 'barcode', variant_id: product.variants[0]!.id, product: { id: product.id, name: 'Mineral Water' } });
    expect(value(await d.lookup(t.devHeaders, sku))).toMatchObject({ matched_by: 'product_sku', product: { id: product.id } });
    const missing = failure(await d.lookup(t.devHeaders, 'NO-SUCH-CODE'));
    expect([missing.status, missing.code]).toEqual([d.status('not_found'), 'CATALOG_CODE_NOT_FOUND']);
    const taken = failure(await d.createVariant(t.devHeaders, product.id, { name: '1.5 l', barcodes: [barcode] }));
    expect([taken.status, taken.code, taken.field]).toEqual([d.status('already_exists'), 'BARCODE_TAKEN', 'barcodes']);
  });

  it('archives a product: it leaves the list and stays readable by id', async () => {
    const { d, app } = ctx();
    const t = await createTenant(app);
    const product = value(await d.createProduct(t.devHeaders, { name: 'Seasonal', variants: [{ name: 'Cup' }] }));
    const archived = value(await d.archiveProduct(t.devHeaders, product.id));
    expect(archived).toMatchObject({ id: product.id, archived_at: expect.any(String) });
    expect(value(await d.getProduct(t.devHeaders, product.id))).toMatchObject({ id: product.id, name: 'Seasonal', archived_at: archived.archived_at });
    expect(value(await d.getVariant(t.devHeaders, product.variants[0]!.id))).toMatchObject({ product_id: product.id, name: 'Cup' });
    expect(value(await d.listProducts(t.devHeaders)).items.map((p) => p.id)).not.toContain(product.id);
  });

  it('shows nothing of another tenant’s catalog: its category, product and variant are not found, cannot be priced, extended or referred to', async () => {
    const { d, app } = ctx();
    const [a, b] = [await createTenant(app), await createTenant(app)];
    const cat = value(await d.createCategory(a.devHeaders, { name: 'Secret' }));
    const product = value(await d.createProduct(a.devHeaders, { name: 'Secret recipe', category_id: cat.id, variants: [{ name: 'Cup' }] }));
    const variantId = product.variants[0]!.id;
    const expectNotFound = (r: CatalogResult<unknown>, code: string) => {
      const e = failure(r);
      expect([e.status, e.code]).toEqual([d.status('not_found'), code]);
    };
    expectNotFound(await d.getCategory(b.devHeaders, cat.id), 'CATEGORY_NOT_FOUND');
    expectNotFound(await d.getProduct(b.devHeaders, product.id), 'PRODUCT_NOT_FOUND');
    expectNotFound(await d.getVariant(b.devHeaders, variantId), 'VARIANT_NOT_FOUND');
    expectNotFound(await d.createVariant(b.devHeaders, product.id, { name: 'Stolen' }), 'PRODUCT_NOT_FOUND');
    expectNotFound(await d.setPrice(b.devHeaders, { variant_id: variantId, amount: 1, currency: 'IDR' }), 'VARIANT_NOT_FOUND');
    // Referring to it is an input error naming the field, exactly as for an id that never existed.
    const borrowed = failure(await d.createProduct(b.devHeaders, { name: 'Borrowed category', category_id: cat.id }));
    expect([borrowed.status, borrowed.code, borrowed.fields]).toEqual([d.status('invalid'), 'VALIDATION_FAILED', ['category_id']]);
    expect(value(await d.getProduct(a.devHeaders, product.id)).variants).toHaveLength(1);
    expect(value(await d.listProducts(b.devHeaders)).items).toEqual([]);
  });
}
