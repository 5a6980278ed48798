import * as v from '../../shared/views/inventory.views.js';
import type { Rpc } from '../rpc-kit.js';
import { idArg, pageArg, pageOut, pick, type RpcRequest } from '../wire.js';
import { patchOf } from './catalog-args.grpc.js';
import { inventoryOperationRpcs } from './inventory-operations.grpc.js';

/**
 * pos.v1.InventoryService over app.services.inventory, the service the REST routes call, answering with the REST
 * presenters' fields. Enum names are upper case on the wire (RESERVE_ON_ADD, WASTE) and lower case in the
 * service; an unset (…_UNSPECIFIED) enum is an absent field, a name the service does not know is refused naming it.
 */
const lower = (v: unknown): string | undefined => (typeof v === 'string' && !v.endsWith('UNSPECIFIED') ? v.toLowerCase() : undefined);
const upper = (v: string): string => v.toUpperCase();
const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined));

const settingsWire = (s: ReturnType<typeof v.presentSettings>) => ({ ...s, reservation_mode: upper(s.reservation_mode), costing_method: upper(s.costing_method) });
const locationWire = (l: ReturnType<typeof v.presentLocation>) => ({ ...l, kind: upper(l.kind) });
const movementWire = (m: ReturnType<typeof v.presentMovement>) => ({ ...m, type: upper(m.type) });
const levelOf = (req: RpcRequest) => ({ location: idArg(req, 'location_id'), variant: idArg(req, 'variant_id') });

export const inventoryRpcs: Record<string, Rpc> = {
  GetInventorySettings: { handle: async (_req, ctx, { services }) => ({ settings: settingsWire(v.presentSettings(await services.inventory.settings(ctx))) }) },
  UpdateInventorySettings: {
    write: true,
    handle: async (req, ctx, { services }) => ({
      settings: settingsWire(
        v.presentSettings(
          await services.inventory.updateSettings(ctx, defined({ ...pick(req, ['allow_negative_stock', 'reservation_ttl_minutes'] as const), reservation_mode: lower(req.reservation_mode), costing_method: lower(req.costing_method) })),
        ),
      ),
    }),
  },

  CreateLocation: {
    write: true,
    handle: async (req, ctx, { services }) => ({ location: locationWire(v.presentLocation(await services.inventory.createLocation(ctx, defined({ ...pick(req, ['name', 'outlet_id'] as const), kind: lower(req.kind) }) as never))) }),
  },
  ListLocations: { handle: async (req, ctx, { services }) => pageOut('locations', await services.inventory.listLocations(ctx, pageArg(req)), (l) => locationWire(v.presentLocation(l))) },
  GetLocation: { handle: async (req, ctx, { services }) => ({ location: locationWire(v.presentLocation(await services.inventory.getLocation(ctx, idArg(req)))) }) },
  UpdateLocation: {
    write: true,
    handle: async (req, ctx, { services }) => ({ location: locationWire(v.presentLocation(await services.inventory.updateLocation(ctx, idArg(req), pick(req, ['name', 'archived'] as const) as never))) }),
  },
  GetLocationValuation: { handle: async (req, ctx, { services }) => v.presentValuation(await services.inventory.valuation(ctx, idArg(req, 'location_id'))) },

  GetStockLevel: {
    handle: async (req, ctx, { services }) => {
      const { location, variant } = levelOf(req);
      return { stock_level: v.presentLevel(await services.inventory.getStock(ctx, location, variant)) };
    },
  },
  ListStockLevels: {
    handle: async (req, ctx, { services }) =>
      pageOut('stock_levels', await services.inventory.listStock(ctx, { ...pageArg(req), location_id: idArg(req, 'location_id'), low_only: req.low_only === true }), v.presentLevel),
  },
  SetStockThresholds: {
    write: true,
    handle: async (req, ctx, { services }) => {
      const { location, variant } = levelOf(req);
      const patch = patchOf(req, ['reorder_point', 'par_level'] as const, { reorder_point: null, par_level: null });
      return { stock_level: v.presentLevel(await services.inventory.setThresholds(ctx, location, variant, patch as never)) };
    },
  },
  AdjustStock: {
    write: true,
    handle: async (req, ctx, { services }) => {
      const input = defined({
        ...pick(req, ['location_id', 'variant_id', 'quantity', 'unit_cost'] as const),
        type: lower(req.type),
        reason: req.reason || undefined,
        occurred_at: req.occurred_at || undefined,
      });
      const r = v.presentAdjustment(await services.inventory.adjust(ctx, input as never));
      return { stock_level: r.stock_level, movement: movementWire(r.movement) };
    },
  },
  ListStockMovements: {
    handle: async (req, ctx, { services }) =>
      pageOut(
        'movements',
        await services.inventory.listMovements(ctx, { ...pageArg(req), ...defined({ location_id: req.location_id || undefined, variant_id: req.variant_id || undefined, reference_id: req.reference_id || undefined }) }),
        (m) => movementWire(v.presentMovement(m)),
      ),
  },
  ...inventoryOperationRpcs,
};
