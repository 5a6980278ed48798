import { z } from 'zod';
import { quantityOut, type InventorySettings, type LevelRow, type LocationRow, type MovementRow } from '../../../modules/inventory/index.js';
import { timestamp } from './common.js';

const when = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());
const int = (v: bigint | string | number): number => Number(v);

export const locationView = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['outlet', 'warehouse']),
  outlet_id: z.string().nullable(),
  is_default: z.boolean().describe('The outlet’s default selling location (its id is the outlet’s)'),
  archived: z.boolean(),
  created_at: timestamp(),
});

export const presentLocation = (l: LocationRow) => ({
  id: l.id, name: l.name, kind: l.kind, outlet_id: l.outlet_id, is_default: l.is_default, archived: l.archived_at !== null, created_at: when(l.created_at)!,
});

export const stockLevelView = z.object({
  location_id: z.string(),
  variant_id: z.string(),
  on_hand: z.number(),
  reserved: z.number(),
  available: z.number().describe('on_hand − reserved'),
  reorder_point: z.number().nullable(),
  par_level: z.number().nullable(),
  unit_cost: z.number().int().describe('Moving-average unit cost, minor units'),
  updated_at: timestamp().nullable(),
});

export const presentLevel = (l: LevelRow) => {
  const onHand = quantityOut(l.on_hand)!;
  const reserved = quantityOut(l.reserved)!;
  return {
    location_id: l.location_id, variant_id: l.variant_id, on_hand: onHand, reserved, available: Number((onHand - reserved).toFixed(3)),
    reorder_point: quantityOut(l.reorder_point), par_level: quantityOut(l.par_level), unit_cost: int(l.avg_cost), updated_at: when(l.updated_at),
  };
};

export const movementView = z.object({
  id: z.string(),
  location_id: z.string(),
  variant_id: z.string(),
  type: z.string(),
  quantity: z.number().describe('Signed: negative took stock out'),
  unit_cost: z.number().int(),
  reference_type: z.string().nullable(),
  reference_id: z.string().nullable(),
  actor_membership_id: z.string().nullable(),
  reason: z.string().nullable(),
  occurred_at: timestamp(),
  recorded_at: timestamp(),
});

export const presentMovement = (m: MovementRow) => ({
  id: m.id, location_id: m.location_id, variant_id: m.variant_id, type: m.type, quantity: quantityOut(m.quantity)!, unit_cost: int(m.unit_cost),
  reference_type: m.reference_type, reference_id: m.reference_id, actor_membership_id: m.actor_membership_id, reason: m.reason,
  occurred_at: when(m.occurred_at)!, recorded_at: when(m.recorded_at)!,
});

export const adjustmentView = z.object({ stock_level: stockLevelView, movement: movementView });
export const presentAdjustment = (r: { level: LevelRow; movement: MovementRow }) => ({ stock_level: presentLevel(r.level), movement: presentMovement(r.movement) });

export const inventorySettingsView = z.object({
  allow_negative_stock: z.boolean(),
  reservation_mode: z.enum(['consume_on_completion', 'reserve_on_add']),
  reservation_ttl_minutes: z.number().int(),
  costing_method: z.enum(['moving_average', 'fifo']),
});
export const presentSettings = (s: InventorySettings) => ({ ...s });

export const valuationView = z.object({ location_id: z.string(), variants: z.number().int(), units: z.number(), value: z.number().int().describe('Minor units') });
export const presentValuation = (v: { location_id: string; variants: number; units: string; value: bigint }) => ({ location_id: v.location_id, variants: v.variants, units: quantityOut(v.units)!, value: Number(v.value) });
