import type { TxScope } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { CatalogErrors, variantsWithProducts } from '../catalog/index.js';
import { InventoryErrors } from './inventory.errors.js';
import { locationRepository, type LocationRow } from './location.repository.js';

/** A location stock may move at (written first if it is an outlet's default), refused naming `field`. */
export async function movableLocation(tx: TxScope, id: string, field: string): Promise<LocationRow> {
  const loc = await locationRepository.ensure(tx, id);
  if (!loc) throw new AppError(InventoryErrors.STOCK_LOCATION_NOT_FOUND, { field, id });
  if (loc.archived_at) throw new AppError(InventoryErrors.STOCK_LOCATION_ARCHIVED, { field, id });
  return loc;
}

/** Variants whose stock may move: they exist, are not archived and their products track stock; `fieldOf(i)` names the i-th. */
export async function movableVariants(tx: TxScope, ids: readonly string[], fieldOf: (i: number) => string): Promise<void> {
  const found = new Map((await variantsWithProducts(tx, [...new Set(ids)])).map((v) => [v.variant.id, v]));
  ids.forEach((id, i) => {
    const v = found.get(id);
    if (!v) throw new AppError(CatalogErrors.VARIANT_NOT_FOUND, { field: fieldOf(i), id });
    if (v.variant.archivedAt || v.product.archivedAt) throw new AppError(InventoryErrors.STOCK_VARIANT_ARCHIVED, { field: fieldOf(i), id });
    if (!v.product.trackStock) throw new AppError(InventoryErrors.STOCK_NOT_TRACKED, { field: fieldOf(i), id });
  });
}
