import { bigint, boolean, char, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uuid } from 'drizzle-orm/pg-core';

// Mirrors db/migrations/0003_catalog.sql (the migration is the source of truth for DDL).
const ts = () => timestamp({ withTimezone: true });
const seq = () => bigint({ mode: 'bigint' }).notNull();

export const categories = pgTable(
  'categories',
  {
    tenantId: uuid().notNull(),
    id: uuid().notNull(),
    parentId: uuid(),
    name: text().notNull(),
    sortOrder: integer().notNull(),
    color: text(),
    imageId: uuid(),
    active: boolean().notNull(),
    archivedAt: ts(),
    changeSeq: seq(),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const taxCategories = pgTable(
  'tax_categories',
  {
    tenantId: uuid().notNull(),
    id: uuid().notNull(),
    code: text().notNull(),
    name: text().notNull(),
    changeSeq: seq(),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const PRODUCT_TYPES = ['standard', 'service', 'combo'] as const;
export type ProductType = (typeof PRODUCT_TYPES)[number];

export const products = pgTable(
  'products',
  {
    tenantId: uuid().notNull(),
    id: uuid().notNull(),
    name: text().notNull(),
    description: text(),
    sku: text(),
    categoryId: uuid(),
    tags: text().array().notNull(),
    taxCategoryId: uuid(),
    type: text().$type<ProductType>().notNull(),
    trackStock: boolean().notNull(),
    active: boolean().notNull(),
    archivedAt: ts(),
    imageId: uuid(),
    changeSeq: seq(),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const variants = pgTable(
  'variants',
  {
    tenantId: uuid().notNull(),
    id: uuid().notNull(),
    productId: uuid().notNull(),
    name: text().notNull(),
    sku: text(),
    options: jsonb().$type<Record<string, string>>().notNull(),
    cost: bigint({ mode: 'bigint' }),
    weightBased: boolean().notNull(),
    sortOrder: integer().notNull(),
    active: boolean().notNull(),
    archivedAt: ts(),
    changeSeq: seq(),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const barcodes = pgTable(
  'barcodes',
  {
    tenantId: uuid().notNull(),
    code: text().notNull(),
    variantId: uuid().notNull(),
    createdAt: ts().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.code] })],
);

export const productOutletAvailability = pgTable(
  'product_outlet_availability',
  {
    tenantId: uuid().notNull(),
    productId: uuid().notNull(),
    outletId: uuid().notNull(),
    available: boolean().notNull(),
    reason: text(),
    changeSeq: seq(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.productId, t.outletId] })],
);

export const modifierGroups = pgTable(
  'modifier_groups',
  {
    tenantId: uuid().notNull(),
    id: uuid().notNull(),
    name: text().notNull(),
    minSelections: integer().notNull(),
    maxSelections: integer(),
    required: boolean().notNull(),
    allowQuantities: boolean().notNull(),
    active: boolean().notNull(),
    archivedAt: ts(),
    changeSeq: seq(),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const modifiers = pgTable(
  'modifiers',
  {
    tenantId: uuid().notNull(),
    id: uuid().notNull(),
    groupId: uuid().notNull(),
    name: text().notNull(),
    priceDelta: bigint({ mode: 'bigint' }).notNull(),
    linkedVariantId: uuid(),
    maxQuantity: integer(),
    sortOrder: integer().notNull(),
    active: boolean().notNull(),
    archivedAt: ts(),
    changeSeq: seq(),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const productModifierGroups = pgTable(
  'product_modifier_groups',
  {
    tenantId: uuid().notNull(),
    productId: uuid().notNull(),
    groupId: uuid().notNull(),
    sortOrder: integer().notNull(),
    changeSeq: seq(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.productId, t.groupId] })],
);

export const taxRules = pgTable(
  'tax_rules',
  {
    tenantId: uuid().notNull(),
    id: uuid().notNull(),
    name: text().notNull(),
    rateBp: integer().notNull(),
    inclusive: boolean().notNull(),
    compound: boolean().notNull(),
    taxCategoryId: uuid(),
    outletId: uuid(),
    orderTypes: text().array(),
    sequence: integer().notNull(),
    active: boolean().notNull(),
    archivedAt: ts(),
    changeSeq: seq(),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const taxExemptions = pgTable(
  'tax_exemptions',
  {
    tenantId: uuid().notNull(),
    taxRuleId: uuid().notNull(),
    taxCategoryId: uuid().notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.taxRuleId, t.taxCategoryId] })],
);

export const priceBooks = pgTable(
  'price_books',
  {
    tenantId: uuid().notNull(),
    id: uuid().notNull(),
    name: text().notNull(),
    isDefault: boolean().notNull(),
    currency: char({ length: 3 }).notNull(),
    priority: integer().notNull(),
    outletId: uuid(),
    channel: text(),
    customerGroupId: uuid(),
    startsAt: ts(),
    endsAt: ts(),
    daysOfWeek: smallint(),
    startMinute: integer(),
    endMinute: integer(),
    active: boolean().notNull(),
    archivedAt: ts(),
    changeSeq: seq(),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const prices = pgTable(
  'prices',
  {
    tenantId: uuid().notNull(),
    priceBookId: uuid().notNull(),
    variantId: uuid().notNull(),
    amount: bigint({ mode: 'bigint' }).notNull(),
    currency: char({ length: 3 }).notNull(),
    changeSeq: seq(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.priceBookId, t.variantId] })],
);

export const images = pgTable(
  'images',
  {
    tenantId: uuid().notNull(),
    id: uuid().notNull(),
    ownerType: text().$type<'product' | 'variant' | 'category'>().notNull(),
    ownerId: uuid().notNull(),
    contentType: text().$type<'image/jpeg' | 'image/png' | 'image/webp'>().notNull(),
    byteSize: integer().notNull(),
    width: integer().notNull(),
    height: integer().notNull(),
    storageKey: text().notNull(),
    sortOrder: integer().notNull(),
    changeSeq: seq(),
    createdAt: ts().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export type Category = typeof categories.$inferSelect;
export type Product = typeof products.$inferSelect;
export type Variant = typeof variants.$inferSelect;
export type ModifierGroup = typeof modifierGroups.$inferSelect;
export type Modifier = typeof modifiers.$inferSelect;
export type TaxCategory = typeof taxCategories.$inferSelect;
export type TaxRule = typeof taxRules.$inferSelect;
export type PriceBook = typeof priceBooks.$inferSelect;
export type Price = typeof prices.$inferSelect;
export type Image = typeof images.$inferSelect;
