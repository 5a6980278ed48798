import { requirePermission, withTransaction, type Ctx, type TxCtx } from '../../platform/context.js';
import { AppError, validationError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { readPage, toPage, type Page } from '../../platform/pagination.js';
import { parseInput } from '../../platform/validation.js';
import { CatalogErrors, variantsWithProducts } from '../catalog/index.js';
import { movableLocation, movableVariants } from './checks.js';
import { layerValue, switchCosting } from './fifo.js';
import { InventoryErrors } from './inventory.errors.js';
import {
  adjustStockInput, createLocationInput, inventorySettingsInput, movementListQuery, stockListQuery, stockThresholdsInput, updateLocationInput,
  type AdjustStockInput, type CreateLocationInput, type InventorySettingsInput, type MovementListQuery, type StockListQuery, type StockThresholdsInput, type UpdateLocationInput,
} from './inventory.inputs.js';
import { locationRepository, type LocationRow } from './location.repository.js';
import { milli } from './quantity.js';
import { settingsRepository, type InventorySettings } from './settings.repository.js';
import { postAndCheck } from './stock-guard.js';
import { stockRepository, type LevelRow, type MovementRow, type NewMovement } from './stock.repository.js';

const READ = 'pos:inventory:read';
const WRITE = 'pos:inventory:write';

/** A level as shown: the stored row, or zeros for a variant never stocked at the location. */
export const emptyLevel = (locationId: string, variantId: string): LevelRow => ({
  location_id: locationId, variant_id: variantId, on_hand: '0', reserved: '0', reorder_point: null, par_level: null, avg_cost: 0n, updated_at: null,
});

export const actorOf = (ctx: Ctx): string | null => ctx.actor.membershipId ?? null;

/** Locations, stock levels, manual movements, the ledger and settings. Sales move stock through InventorySaleHooks. */
export class InventoryService {
  async settings(ctx: Ctx): Promise<InventorySettings> {
    requirePermission(ctx, READ);
    return withTransaction(ctx, (tx) => settingsRepository.get(tx));
  }

  async updateSettings(ctx: Ctx, input: InventorySettingsInput): Promise<InventorySettings> {
    requirePermission(ctx, WRITE);
    const i = parseInput(inventorySettingsInput, input);
    return withTransaction(ctx, async (tx) => {
      const cur = await settingsRepository.get(tx);
      // A change of costing method carries the stock's value over (layers from the average, or back): fifo.ts.
      if (i.costing_method && i.costing_method !== cur.costing_method) await switchCosting(tx, i.costing_method);
      return settingsRepository.put(tx, {
        allow_negative_stock: i.allow_negative_stock ?? cur.allow_negative_stock,
        reservation_mode: i.reservation_mode ?? cur.reservation_mode,
        reservation_ttl_minutes: i.reservation_ttl_minutes ?? cur.reservation_ttl_minutes,
        costing_method: i.costing_method ?? cur.costing_method,
      });
    });
  }

  async createLocation(ctx: Ctx, input: CreateLocationInput): Promise<LocationRow> {
    requirePermission(ctx, WRITE);
    const i = parseInput(createLocationInput, input);
    if (i.kind === 'outlet' && !i.outlet_id) throw new AppError(InventoryErrors.STOCK_LOCATION_NOT_FOUND, { field: 'outlet_id' }, 'An outlet stock room needs outlet_id');
    return withTransaction(ctx, async (tx) => {
      if (i.outlet_id) {
        const outlet = await locationRepository.byId(tx, i.outlet_id);
        if (!outlet || !outlet.is_default) throw new AppError(InventoryErrors.STOCK_LOCATION_NOT_FOUND, { field: 'outlet_id', id: i.outlet_id }, 'No outlet with this id');
      }
      return locationRepository.insert(tx, { id: uuidv7(), name: i.name, kind: i.kind, outletId: i.outlet_id ?? null });
    });
  }

  async listLocations(ctx: Ctx, req: { page_size?: number | undefined; page_token?: string | undefined }): Promise<Page<LocationRow>> {
    requirePermission(ctx, READ);
    const { limit, after } = readPage(req);
    return toPage(await withTransaction(ctx, (tx) => locationRepository.list(tx, limit, after)), limit);
  }

  async getLocation(ctx: Ctx, id: string): Promise<LocationRow> {
    requirePermission(ctx, READ);
    const loc = await withTransaction(ctx, (tx) => locationRepository.byId(tx, id));
    if (!loc) throw new AppError(InventoryErrors.STOCK_LOCATION_NOT_FOUND, { id });
    return loc;
  }

  async updateLocation(ctx: Ctx, id: string, input: UpdateLocationInput): Promise<LocationRow> {
    requirePermission(ctx, WRITE);
    const i = parseInput(updateLocationInput, input);
    return withTransaction(ctx, async (tx) => {
      await locationRepository.ensure(tx, id);
      const loc = await locationRepository.update(tx, id, i);
      if (!loc) throw new AppError(InventoryErrors.STOCK_LOCATION_NOT_FOUND, { id });
      return loc;
    });
  }

  async getStock(ctx: Ctx, locationId: string, variantId: string): Promise<LevelRow> {
    requirePermission(ctx, READ);
    return withTransaction(ctx, async (tx) => {
      const level = await stockRepository.level(tx, locationId, variantId);
      if (level) return level;
      if (!(await locationRepository.byId(tx, locationId))) throw new AppError(InventoryErrors.STOCK_LOCATION_NOT_FOUND, { field: 'location_id', id: locationId });
      if ((await variantsWithProducts(tx, [variantId])).length === 0) throw new AppError(CatalogErrors.VARIANT_NOT_FOUND, { field: 'variant_id', id: variantId });
      return emptyLevel(locationId, variantId);
    });
  }

  async listStock(ctx: Ctx, query: StockListQuery): Promise<Page<LevelRow & { id: string }>> {
    requirePermission(ctx, READ);
    const q = parseInput(stockListQuery, query);
    const { limit, after } = readPage(q);
    const rows = await withTransaction(ctx, (tx) => stockRepository.levels(tx, q.location_id, limit, after, q.low_only ?? false));
    return toPage(rows.map((r) => ({ ...r, id: r.variant_id })), limit);
  }

  async setThresholds(ctx: Ctx, locationId: string, variantId: string, input: StockThresholdsInput): Promise<LevelRow> {
    requirePermission(ctx, WRITE);
    const i = parseInput(stockThresholdsInput, input);
    return withTransaction(ctx, async (tx) => {
      await this.movable(tx, locationId, variantId);
      return stockRepository.setThresholds(tx, locationId, variantId, { reorderPoint: i.reorder_point, parLevel: i.par_level });
    });
  }

  /** AdjustStock: one manual movement (adjustment, waste, production or a receipt without a purchase order). */
  async adjust(ctx: Ctx, input: AdjustStockInput): Promise<{ level: LevelRow; movement: MovementRow }> {
    requirePermission(ctx, WRITE);
    const i = parseInput(adjustStockInput, input);
    const incoming = milli(i.quantity) > 0n;
    if ((i.type === 'purchase_receipt' || i.type === 'production') && !incoming) throw validationError([{ field: 'quantity', message: `a ${i.type} brings stock in: must be positive` }]);
    if (i.type === 'waste' && incoming) throw validationError([{ field: 'quantity', message: 'waste takes stock out: must be negative' }]);
    if (i.unit_cost !== undefined && !incoming) throw validationError([{ field: 'unit_cost', message: 'only stock coming in (a positive quantity) carries a cost' }]);
    return withTransaction(ctx, async (tx) => {
      await this.movable(tx, i.location_id, i.variant_id);
      const settings = await settingsRepository.get(tx);
      const id = uuidv7();
      const move: NewMovement = {
        id, locationId: i.location_id, variantId: i.variant_id, type: i.type, quantity: i.quantity,
        unitCost: incoming && i.unit_cost !== undefined ? BigInt(i.unit_cost) : null,
        referenceType: null, referenceId: null, reason: i.reason ?? null, occurredAt: i.occurred_at ?? null, changedEventId: uuidv7(), lowEventId: uuidv7(),
      };
      const [level] = await postAndCheck(tx, [move], { allowNegative: settings.allow_negative_stock, actor: actorOf(ctx) });
      const movement = await stockRepository.movement(tx, id);
      return { level: level!, movement: movement! };
    });
  }

  async listMovements(ctx: Ctx, query: MovementListQuery): Promise<Page<MovementRow>> {
    requirePermission(ctx, READ);
    const q = parseInput(movementListQuery, query);
    const { limit, after } = readPage(q);
    const rows = await withTransaction(ctx, (tx) => stockRepository.movements(tx, { locationId: q.location_id, variantId: q.variant_id, referenceId: q.reference_id }, limit, after));
    return toPage(rows, limit);
  }

  async valuation(ctx: Ctx, locationId: string): Promise<{ location_id: string; variants: number; units: string; value: bigint }> {
    requirePermission(ctx, READ);
    return withTransaction(ctx, async (tx) => {
      if (!(await locationRepository.byId(tx, locationId))) throw new AppError(InventoryErrors.STOCK_LOCATION_NOT_FOUND, { field: 'location_id', id: locationId });
      const v = await stockRepository.valuation(tx, locationId);
      // FIFO: the value is what the remaining layers cost, not on hand × average.
      if ((await settingsRepository.get(tx)).costing_method === 'fifo') v.value = await layerValue(tx, locationId);
      return { location_id: locationId, ...v };
    });
  }

  /** Refuses a movement to a location or variant that cannot take one, naming the field. */
  async movable(tx: TxCtx, locationId: string, variantId: string): Promise<void> {
    await movableLocation(tx, locationId, 'location_id');
    await movableVariants(tx, [variantId], () => 'variant_id');
  }
}
