import { z } from 'zod';
import { purchaseOrderTotal, quantityOut, type InventorySettings, type LevelRow, type LocationRow, type MovementRow, type PurchaseOrder, type StockCount, type SupplierRow, type Transfer } from '../../../modules/inventory/index.js';
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

// Suppliers, purchase orders, transfers and counts.
const money = () => z.number().int().describe('Minor units');
const qtyOrNull = (v: string | null) => quantityOut(v);

export const supplierView = z.object({ id: z.string(), name: z.string(), email: z.string().nullable(), phone: z.string().nullable(), notes: z.string().nullable(), archived: z.boolean(), created_at: timestamp(), updated_at: timestamp() });
export const presentSupplier = (s: SupplierRow) => ({ id: s.id, name: s.name, email: s.email, phone: s.phone, notes: s.notes, archived: s.archived_at !== null, created_at: when(s.created_at)!, updated_at: when(s.updated_at)! });

export const purchaseOrderView = z.object({
  id: z.string(), supplier_id: z.string(), location_id: z.string(), status: z.enum(['DRAFT', 'ORDERED', 'PARTIALLY_RECEIVED', 'RECEIVED', 'CANCELLED']), currency: z.string(), notes: z.string().nullable(),
  lines: z.array(z.object({ variant_id: z.string(), quantity_ordered: z.number(), quantity_received: z.number(), unit_cost: money(), over_received: z.boolean() })),
  total_cost: money().describe('Σ quantity ordered × expected unit cost'),
  created_at: timestamp(), updated_at: timestamp(), ordered_at: timestamp().nullable(), received_at: timestamp().nullable(), cancelled_at: timestamp().nullable(),
});
export const presentPurchaseOrder = (p: PurchaseOrder) => ({
  id: p.id, supplier_id: p.supplier_id, location_id: p.location_id, status: p.status, currency: p.currency, notes: p.notes,
  lines: p.lines.map((l) => ({ variant_id: l.variant_id, quantity_ordered: quantityOut(l.quantity_ordered)!, quantity_received: quantityOut(l.quantity_received)!, unit_cost: int(l.unit_cost), over_received: l.over_received })),
  total_cost: Number(purchaseOrderTotal(p)),
  created_at: when(p.created_at)!, updated_at: when(p.updated_at)!, ordered_at: when(p.ordered_at), received_at: when(p.received_at), cancelled_at: when(p.cancelled_at),
});

export const transferView = z.object({
  id: z.string(), from_location_id: z.string(), to_location_id: z.string(), status: z.enum(['DRAFT', 'IN_TRANSIT', 'RECEIVED', 'CANCELLED']), notes: z.string().nullable(),
  lines: z.array(z.object({ variant_id: z.string(), quantity: z.number(), unit_cost: money().nullable(), quantity_received: z.number().nullable(), discrepancy: z.number().nullable().describe('Sent − received: lost (or found, when negative) in transit') })),
  created_at: timestamp(), updated_at: timestamp(), shipped_at: timestamp().nullable(), received_at: timestamp().nullable(),
});
export const presentTransfer = (t: Transfer) => ({
  id: t.id, from_location_id: t.from_location_id, to_location_id: t.to_location_id, status: t.status, notes: t.notes,
  lines: t.lines.map((l) => ({ variant_id: l.variant_id, quantity: quantityOut(l.quantity)!, unit_cost: l.unit_cost === null ? null : int(l.unit_cost), quantity_received: qtyOrNull(l.quantity_received), discrepancy: qtyOrNull(l.discrepancy) })),
  created_at: when(t.created_at)!, updated_at: when(t.updated_at)!, shipped_at: when(t.shipped_at), received_at: when(t.received_at),
});

export const stockCountView = z.object({
  id: z.string(), location_id: z.string(), scope: z.enum(['full', 'partial']), blind: z.boolean(), status: z.enum(['OPEN', 'POSTED', 'CANCELLED']),
  lines: z.array(z.object({ variant_id: z.string(), expected: z.number().nullable().describe('Hidden (null) while a blind count is open'), counted: z.number().nullable(), variance: z.number().nullable() })),
  created_at: timestamp(), updated_at: timestamp(), posted_at: timestamp().nullable(),
});
export const presentStockCount = (c: StockCount) => {
  const hide = c.blind && c.status === 'OPEN';
  return {
    id: c.id, location_id: c.location_id, scope: c.scope, blind: c.blind, status: c.status,
    lines: c.lines.map((l) => {
      const expected = quantityOut(l.expected)!;
      const counted = qtyOrNull(l.counted);
      return { variant_id: l.variant_id, expected: hide ? null : expected, counted, variance: hide || counted === null ? null : Number((counted - expected).toFixed(3)) };
    }),
    created_at: when(c.created_at)!, updated_at: when(c.updated_at)!, posted_at: when(c.posted_at),
  };
};

export const stockUnitView = z.object({ variant_id: z.string(), unit: z.string() });
export const recipeView = z.object({
  owner_type: z.enum(['variant', 'modifier']),
  owner_id: z.string(),
  components: z.array(z.object({ component_variant_id: z.string(), quantity: z.number().describe('In the component’s stock unit'), unit: z.string(), replaces_variant_id: z.string().nullable() })),
});
export const presentRecipe = (r: { owner_type: 'variant' | 'modifier'; owner_id: string; components: { component_variant_id: string; quantity: string; unit: string; replaces_variant_id: string | null }[] }) => ({
  ...r,
  components: r.components.map((c) => ({ ...c, quantity: quantityOut(c.quantity)! })),
});
