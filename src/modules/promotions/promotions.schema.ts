import { bigint, boolean, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

// Mirrors db/migrations/0012_promotions.sql (the migration is the source of truth for DDL).
const ts = () => timestamp({ withTimezone: true });
const money = () => bigint({ mode: 'bigint' });

export interface StoredScope {
  product_ids?: string[];
  variant_ids?: string[];
  category_ids?: string[];
}

export const promotions = pgTable(
  'promotions',
  {
    tenantId: uuid().notNull(),
    id: uuid().notNull(),
    name: text().notNull(),
    description: text(),
    kind: text().notNull(),
    priority: integer().notNull().default(0),
    exclusive: boolean().notNull().default(false),
    rateBp: integer(),
    amount: money(),
    scope: jsonb().$type<StoredScope>().notNull(),
    buyQuantity: integer(),
    getQuantity: integer(),
    getScope: jsonb().$type<StoredScope | null>(),
    bundle: jsonb().$type<{ scope: StoredScope; quantity: number }[]>().notNull(),
    minSubtotal: money().notNull().default(0n),
    outletIds: jsonb().$type<string[]>().notNull(),
    channels: jsonb().$type<string[]>().notNull(),
    orderTypes: jsonb().$type<string[]>().notNull(),
    customerGroupIds: jsonb().$type<string[]>().notNull(),
    startsAt: ts(),
    endsAt: ts(),
    daysOfWeek: jsonb().$type<number[]>().notNull(),
    startMinute: integer(),
    endMinute: integer(),
    couponOnly: boolean().notNull().default(false),
    usageLimit: integer(),
    usageCount: integer().notNull().default(0),
    active: boolean().notNull().default(true),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);
export type Promotion = typeof promotions.$inferSelect;

export const coupons = pgTable(
  'coupons',
  {
    tenantId: uuid().notNull(),
    id: uuid().notNull(),
    promotionId: uuid().notNull(),
    code: text().notNull(),
    batchId: uuid(),
    maxRedemptions: integer(),
    perCustomerLimit: integer(),
    firstOrderOnly: boolean().notNull().default(false),
    startsAt: ts(),
    expiresAt: ts(),
    redeemedCount: integer().notNull().default(0),
    active: boolean().notNull().default(true),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);
export type Coupon = typeof coupons.$inferSelect;

export const discountLimits = pgTable(
  'discount_limits',
  {
    tenantId: uuid().notNull(),
    roleKey: text().notNull(),
    maxRateBp: integer(),
    maxAmount: money(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.roleKey] })],
);
export type DiscountLimit = typeof discountLimits.$inferSelect;
