import { z } from 'zod';
import type { Outlet, Tenant, Terminal } from '../../../modules/tenancy/index.js';
import { formatClock } from '../../../platform/time.js';
import { iso, timestamp } from './common.js';

export const tenantView = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  business_type: z.string(),
  pos_mode: z.string(),
  currency: z.string(),
  time_zone: z.string(),
  tax_rounding_mode: z.string(),
  tax_rounding_level: z.string(),
  prices_include_tax: z.boolean(),
  cash_rounding_unit: z.number().int(),
  status: z.enum(['active', 'suspended']),
  suspended_reason: z.string().nullable(),
  receipt_header: z.string().nullable(),
  receipt_footer: z.string().nullable(),
  created_at: timestamp(),
  updated_at: timestamp(),
});

export const presentTenant = (t: Tenant) => ({
  id: t.id,
  slug: t.slug,
  name: t.name,
  business_type: t.businessType,
  pos_mode: t.posMode,
  currency: t.currency,
  time_zone: t.timeZone,
  tax_rounding_mode: t.taxRoundingMode,
  tax_rounding_level: t.taxRoundingLevel,
  prices_include_tax: t.pricesIncludeTax,
  cash_rounding_unit: t.cashRoundingUnit,
  status: t.status,
  suspended_reason: t.suspendedReason,
  receipt_header: t.receiptHeader,
  receipt_footer: t.receiptFooter,
  created_at: iso(t.createdAt)!,
  updated_at: iso(t.updatedAt)!,
});

export const outletView = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  address_line1: z.string().nullable(),
  address_line2: z.string().nullable(),
  city: z.string().nullable(),
  region: z.string().nullable(),
  postal_code: z.string().nullable(),
  country: z.string().nullable(),
  phone: z.string().nullable(),
  time_zone: z.string(),
  business_day_cutoff: z.string().describe('HH:MM local time'),
  active: z.boolean(),
  created_at: timestamp(),
  updated_at: timestamp(),
});

export const presentOutlet = (o: Outlet) => ({
  id: o.id,
  code: o.code,
  name: o.name,
  address_line1: o.addressLine1,
  address_line2: o.addressLine2,
  city: o.city,
  region: o.region,
  postal_code: o.postalCode,
  country: o.country,
  phone: o.phone,
  time_zone: o.timeZone,
  business_day_cutoff: formatClock(o.businessDayCutoffMinutes),
  active: o.active,
  created_at: iso(o.createdAt)!,
  updated_at: iso(o.updatedAt)!,
});

export const terminalView = z.object({ id: z.string(), outlet_id: z.string(), code: z.string(), name: z.string(), active: z.boolean() });
export const presentTerminal = (t: Terminal) => ({ id: t.id, outlet_id: t.outletId, code: t.code, name: t.name, active: t.active });
