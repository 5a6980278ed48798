import { bigint, boolean, char, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

// Mirrors db/migrations/0001_platform.sql (the migration is the source of truth for DDL).
export const tenants = pgTable('tenants', {
  id: uuid().primaryKey(),
  slug: text().notNull(),
  name: text().notNull(),
  businessType: text().$type<BusinessType>().notNull(),
  posMode: text().$type<PosMode>().notNull(),
  currency: char({ length: 3 }).notNull(),
  timeZone: text().notNull(),
  taxRoundingMode: text().$type<'half_up' | 'half_even'>().notNull(),
  taxRoundingLevel: text().$type<'line' | 'order'>().notNull(),
  pricesIncludeTax: boolean().notNull(),
  cashRoundingUnit: bigint({ mode: 'bigint' }).notNull(),
  status: text().$type<'active' | 'suspended'>().notNull(),
  suspendedReason: text(),
  /** Printed above and below every receipt (db/migrations/0008_receipts.sql). */
  receiptHeader: text(),
  receiptFooter: text(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const outlets = pgTable(
  'outlets',
  {
    tenantId: uuid().notNull(),
    id: uuid().notNull(),
    code: text().notNull(),
    name: text().notNull(),
    addressLine1: text(),
    addressLine2: text(),
    city: text(),
    region: text(),
    postalCode: text(),
    country: char({ length: 2 }),
    phone: text(),
    timeZone: text().notNull(),
    businessDayCutoffMinutes: integer().notNull(),
    active: boolean().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const terminals = pgTable(
  'terminals',
  {
    tenantId: uuid().notNull(),
    id: uuid().notNull(),
    outletId: uuid().notNull(),
    code: text().notNull(),
    name: text().notNull(),
    active: boolean().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const BUSINESS_TYPES = ['fnb', 'retail', 'service', 'other'] as const;
export type BusinessType = (typeof BUSINESS_TYPES)[number];
export const POS_MODES = ['centralized', 'distributed', 'hybrid'] as const;
export type PosMode = (typeof POS_MODES)[number];

export type Tenant = typeof tenants.$inferSelect;
export type Outlet = typeof outlets.$inferSelect;
export type Terminal = typeof terminals.$inferSelect;
