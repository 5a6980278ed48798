import { z } from 'zod';
import type { ServiceChargeRule } from '../../../modules/sales/index.js';
import { iso, timestamp } from './common.js';

export const serviceChargeView = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['percentage', 'fixed']),
  rate_bps: z.number().int().nullable().describe('Percentage charges: basis points (500 = 5%)'),
  amount: z.number().int().nullable().describe('Fixed charges: minor units'),
  stage: z.enum(['before_tax', 'after_tax']),
  taxable: z.boolean(),
  tax_category_id: z.string().nullable(),
  order_types: z.array(z.string()).nullable(),
  outlet_id: z.string().nullable(),
  sort_order: z.number().int(),
  active: z.boolean(),
  archived_at: timestamp().nullable(),
  created_at: timestamp(),
  updated_at: timestamp(),
});

export const presentServiceCharge = (r: ServiceChargeRule): z.input<typeof serviceChargeView> => ({
  id: r.id,
  name: r.name,
  kind: r.kind,
  rate_bps: r.rateBp,
  amount: r.amount === null ? null : Number(r.amount),
  stage: r.stage,
  taxable: r.taxable,
  tax_category_id: r.taxCategoryId,
  order_types: r.orderTypes,
  outlet_id: r.outletId,
  sort_order: r.sortOrder,
  active: r.active,
  archived_at: iso(r.archivedAt),
  created_at: iso(r.createdAt)!,
  updated_at: iso(r.updatedAt)!,
});
