import type { TxScope } from '../../platform/context.js';
import type { Product } from './catalog.schema.js';
import { productRepository } from './product.repository.js';
import { variantRepository, type VariantWithBarcodes } from './variant.repository.js';

/**
 * What pricing, modifiers, tax, sales and inventory read of products and variants, inside the caller's
 * transaction (no permission checks: the caller's use case made them). Archived rows are included: prices,
 * order lines and stock outlive an archive; callers that sell check `active` and `archivedAt` themselves.
 */
export const productById = (tx: TxScope, id: string): Promise<Product | undefined> => productRepository.byId(tx, id);

export const productsByIds = (tx: TxScope, ids: readonly string[]): Promise<Product[]> => productRepository.byIds(tx, ids);

export const variantsByIds = (tx: TxScope, ids: readonly string[]): Promise<VariantWithBarcodes[]> => variantRepository.byIds(tx, ids);

export const variantExists = (tx: TxScope, id: string): Promise<boolean> => variantRepository.exists(tx, id);

/** Each variant with its product, e.g. for an order line: name, SKU, tax category, track_stock. Two queries. */
export async function variantsWithProducts(tx: TxScope, ids: readonly string[]): Promise<{ variant: VariantWithBarcodes; product: Product }[]> {
  const vs = await variantRepository.byIds(tx, ids);
  const ps = new Map((await productRepository.byIds(tx, [...new Set(vs.map((v) => v.productId))])).map((p) => [p.id, p]));
  return vs.map((variant) => ({ variant, product: ps.get(variant.productId)! }));
}
