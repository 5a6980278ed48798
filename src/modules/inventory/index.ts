// The inventory module's public surface: other modules and the adapters import only from here.
import { InventorySaleHooks } from './inventory.hooks.js';
import { InventoryService } from './inventory.service.js';
import { CountService } from './count.service.js';
import { PurchasingService } from './purchasing.service.js';
import { TransferService } from './transfer.service.js';
import { RecipeService } from './recipe.service.js';

export { InventoryService } from './inventory.service.js';
export { InventorySaleHooks } from './inventory.hooks.js';
export { InventoryErrors } from './inventory.errors.js';
export * from './inventory.inputs.js';
export type { LocationRow } from './location.repository.js';
export type { LevelRow, MovementRow } from './stock.repository.js';
export { ledgerDriftQuery } from './stock.repository.js';
export type { InventorySettings } from './settings.repository.js';
export { releaseExpiredReservations } from './sale-stock.repository.js';
export { quantityOut } from './quantity.js';

export { INVENTORY_QUEUES, registerInventoryJobs } from './inventory.jobs.js';

export { PurchasingService, purchaseOrderTotal, type PurchaseOrder, type SupplierRow } from './purchasing.service.js';
export { TransferService, type Transfer } from './transfer.service.js';
export { CountService, type StockCount } from './count.service.js';
export { OperationErrors } from './inventory.errors.js';
export { RecipeService, RecipeErrors, recipeInput, stockUnitInput, type RecipeInput, type RecipeComponentRow, type OwnerType } from './recipe.service.js';
export { UNIT_NAMES, convertQuantity, type Unit } from './units.js';
export * from './operations.inputs.js';

export interface InventoryServices {
  inventory: InventoryService;
  purchasing: PurchasingService;
  transfers: TransferService;
  counts: CountService;
  recipes: RecipeService;
  /** Installed in the sales hooks by the composition root. */
  saleHooks: InventorySaleHooks;
}

export function createInventoryServices(): InventoryServices {
  return { inventory: new InventoryService(), purchasing: new PurchasingService(), transfers: new TransferService(), counts: new CountService(), recipes: new RecipeService(), saleHooks: new InventorySaleHooks() };
}
