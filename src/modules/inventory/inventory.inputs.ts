import { z } from 'zod';
import { minorUnitsField } from '../catalog/index.js';
import { pageRequestSchema } from '../../platform/pagination.js';
import { nameField, uuidField } from '../../platform/validation.js';
import { quantityField } from './quantity.js';

/** Movement types a person may post by hand; sales, refunds, transfers, receipts and counts post their own. */
export const MANUAL_MOVEMENT_TYPES = ['adjustment', 'waste', 'production', 'purchase_receipt'] as const;
export const MOVEMENT_TYPES = ['sale', 'refund', 'void', 'purchase_receipt', 'transfer_out', 'transfer_in', 'adjustment', 'count', 'waste', 'production'] as const;
export type MovementType = (typeof MOVEMENT_TYPES)[number];
export const RESERVATION_MODES = ['consume_on_completion', 'reserve_on_add'] as const;
export const COSTING_METHODS = ['moving_average', 'fifo'] as const;

const isoTime = z.iso.datetime({ offset: true, message: 'must be an RFC 3339 date-time such as 2026-11-21T09:30:00Z' });

export const createLocationInput = z.strictObject({
  name: nameField(),
  kind: z.enum(['outlet', 'warehouse']).default('warehouse'),
  outlet_id: uuidField().optional().describe('The outlet this stock room belongs to (none for a warehouse)'),
});
export const updateLocationInput = z.strictObject({
  name: nameField().optional(),
  archived: z.boolean().optional().describe('true archives the location (no more movements); false restores it'),
});

export const adjustStockInput = z.strictObject({
  location_id: uuidField(),
  variant_id: uuidField(),
  quantity: quantityField('non_zero').describe('Signed change: negative takes stock out'),
  type: z.enum(MANUAL_MOVEMENT_TYPES).default('adjustment'),
  unit_cost: minorUnitsField().optional().describe('Unit cost in minor units of stock coming in (sets the moving average)'),
  reason: z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters').optional(),
  occurred_at: isoTime.optional().describe('When it happened at the till (offline clients); defaults to now'),
});

export const stockThresholdsInput = z.strictObject({
  reorder_point: quantityField('non_negative').nullable().optional().describe('stock.low is raised when available falls to or below it; null clears it'),
  par_level: quantityField('non_negative').nullable().optional(),
});

export const stockListQuery = pageRequestSchema.extend({
  location_id: uuidField(),
  low_only: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).optional().describe('Only levels at or below their reorder point'),
});

export const movementListQuery = pageRequestSchema.extend({
  location_id: uuidField().optional(),
  variant_id: uuidField().optional(),
  reference_id: uuidField().optional(),
});

export const inventorySettingsInput = z.strictObject({
  allow_negative_stock: z.boolean().optional(),
  reservation_mode: z.enum(RESERVATION_MODES).optional(),
  reservation_ttl_minutes: z.number().int('must be a whole number of minutes').min(1, 'must be at least 1').max(10080, 'must be at most 10080 (7 days)').optional(),
  costing_method: z.enum(COSTING_METHODS).optional(),
});

export type CreateLocationInput = z.input<typeof createLocationInput>;
export type UpdateLocationInput = z.input<typeof updateLocationInput>;
export type AdjustStockInput = z.input<typeof adjustStockInput>;
export type StockThresholdsInput = z.input<typeof stockThresholdsInput>;
export type StockListQuery = z.input<typeof stockListQuery>;
export type MovementListQuery = z.input<typeof movementListQuery>;
export type InventorySettingsInput = z.input<typeof inventorySettingsInput>;
