import { join } from 'node:path';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { POS_PROTO_FILES, PROTO_DIR } from '../../src/adapters/grpc/protos.js';
import { catalogRpcs } from '../../src/adapters/grpc/services/catalog.grpc.js';
import { categoryView, productView, variantView } from '../../src/adapters/shared/views/catalog.views.js';
import * as pricing from '../../src/adapters/shared/views/pricing.views.js';

const root = new protobuf.Root();
root.resolvePath = (_origin, target) => join(PROTO_DIR, target);
root.loadSync(POS_PROTO_FILES, { keepCase: true }).resolveAll();
const fields = (message: string) => Object.keys(root.lookupType(`pos.v1.${message}`).fields).sort();

describe('pos.v1.CatalogService contract', () => {
  it('implements every RPC it declares, and nothing else', () => {
    expect(Object.keys(catalogRpcs).sort()).toEqual(Object.keys(root.lookupService('pos.v1.CatalogService').methods).sort());
  });

  it('sends the same fields as the REST presenters', () => {
    const pairs: [string, z.ZodObject][] = [
      ['Category', categoryView],
      ['Product', productView],
      ['Variant', variantView],
      ['Price', pricing.priceView],
      ['PriceBook', pricing.priceBookView],
      ['BookPrice', pricing.bookPriceView],
      ['ModifierGroup', pricing.modifierGroupView],
      ['Modifier', pricing.modifierView],
      ['TaxCategory', pricing.taxCategoryView],
      ['TaxRule', pricing.taxRuleView],
    ];
    for (const [message, view] of pairs) expect(fields(message), message).toEqual(Object.keys(view.shape).sort());
    expect(fields('PriceInBook')).toEqual(Object.keys(pricing.variantPricesView.shape.prices.element.shape).sort());
    expect(fields('SetPriceBookPricesResponse')).toEqual(Object.keys(pricing.bookPricesResultView.shape).sort());
  });

  it('carries money as int64 minor units', () => {
    for (const [message, field] of [
      ['Price', 'amount'],
      ['PriceInBook', 'amount'],
      ['BookPrice', 'amount'],
      ['AppliedPrice', 'amount'],
      ['Modifier', 'price_delta'],
      ['Variant', 'cost'],
      ['SetPriceRequest', 'amount'],
      ['AddModifierRequest', 'price_delta'],
    ] as const) {
      expect(root.lookupType(`pos.v1.${message}`).fields[field]!.type, `${message}.${field}`).toBe('int64');
    }
  });

  it('takes the seed’s request fields by their names', () => {
    const seed: Record<string, string[]> = {
      CreateCategoryRequest: ['name', 'sort_order'],
      CreateProductRequest: ['name', 'sku', 'category_id'],
      CreateVariantRequest: ['product_id', 'name', 'sku'],
      SetPriceRequest: ['variant_id', 'amount', 'currency'],
    };
    for (const [message, names] of Object.entries(seed)) expect(fields(message)).toEqual(expect.arrayContaining(names));
    // Not proto3 `optional`: the seed's requests decode to exactly the JSON sent, without presence markers.
    for (const [message, names] of Object.entries(seed)) {
      for (const n of names) expect(root.lookupType(`pos.v1.${message}`).fields[n]!.partOf, `${message}.${n}`).toBeNull();
    }
  });

  it('lets every update empty its nullable fields through clear_fields', () => {
    const service = root.lookupService('pos.v1.CatalogService');
    const updates = Object.values(service.methods).filter((m) => m.name.startsWith('Update'));
    const withClear = updates.filter((m) => root.lookupType(`pos.v1.${m.requestType}`).fields.clear_fields);
    expect(withClear.map((m) => m.name).sort()).toEqual(['UpdateCategory', 'UpdateModifier', 'UpdateModifierGroup', 'UpdatePriceBook', 'UpdateProduct', 'UpdateTaxRule', 'UpdateVariant']);
  });
});
