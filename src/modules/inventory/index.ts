// The inventory module's public surface: other modules and the adapters import only from here.
//
// Costing (inventory_settings.costing_method, per tenant):
// - moving_average (default): each level's avg_cost moves with every inbound movement that carries a cost; an
//   outbound movement and a sale line's COGS (sale_costs) take the level's average. No cost layers, no extra work.
// - fifo: cost layers (cost_layers, migration 0020) per (location, variant). Every inbound movement opens one —
//   purchase receipts and positive adjustments at their unit_cost, transfers in at the cost the units left with,
//   refund restocks at the unit cost the sale line took, count gains and uncosted adjustments at the last known
//   cost. Outbound movements (sale, waste, negative adjustment, transfer out, count loss) take the oldest layers
//   first; the movement's unit_cost / the sale line's COGS is the weighted cost of what was taken, and the exact
//   value goes in stock_movements.total_cost / sale_costs.total_cost. Each line of a sale takes its own slice.
//   Valuation of a FIFO location is the sum of its remaining layers (round(remaining × unit_cost) each).
// - Negative stock under FIFO: the layers always hold max(on_hand, 0). Units taken beyond them are costed at the
//   LAST KNOWN cost (the newest layer's, else the average); a later inbound movement first fills that deficit
//   (those units open no layer, they were already sold) and only the rest opens a layer. Past sales are never
//   re-costed, so with negative stock the value is conserved only up to the difference between the last known
//   cost and the refilling cost.
// - Concurrency: layer work runs after the posting statement has updated (so row-locked) the level, in the same
//   transaction: the level lock serialises every layer change of that level; a FIFO sale is three statements
//   (take, read layers, write layers + costs), a moving-average sale stays one.
// - Switching method (PUT /api/v1/inventory/settings) is allowed at any time and carries the value over: to FIFO,
//   every level with stock gets one layer of its on-hand at its average cost; back to the moving average, each
//   level's average becomes its remaining layers' weighted cost and the layers are dropped. The switch locks the
//   tenant's levels in (location, variant) order. A posting whose statement read the method just before the
//   switch committed is costed by the old method; the next FIFO posting of that level reconciles its layers
//   with on hand first (units that left are taken from the oldest layers, units that came in open a layer at
//   the last known cost), so the layers always end up holding max(on_hand, 0). Best done outside trading hours.
// Details and the arithmetic: fifo.ts.
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
