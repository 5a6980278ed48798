import { bigint, boolean, char, date, integer, jsonb, numeric, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { ORDER_TYPES, type OrderType } from '../catalog/index.js';
import type { OrderStatus, PaymentStatus } from './order-state.js';

// Mirrors db/migrations/0007_sales.sql (the migration is the source of truth for DDL).
const ts = () => timestamp({ withTimezone: true });
const money = () => bigint({ mode: 'bigint' });

/** Order types are the catalog's (price-book channels and tax-rule order types use the same list). */
export { ORDER_TYPES, type OrderType };
export const ORDER_CHANNELS = ['pos', 'kiosk', 'qr', 'web', 'app', 'api', 'integration'] as const;
export type OrderChannel = (typeof ORDER_CHANNELS)[number];
export const TENDER_TYPES = ['CASH', 'CARD', 'EXTERNAL', 'STORE_CREDIT', 'LOYALTY_POINTS'] as const;
export type TenderType = (typeof TENDER_TYPES)[number];
export const PAYMENT_STATES = ['PENDING', 'AUTHORIZED', 'CAPTURED', 'FAILED', 'VOIDED'] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];
export type DiscountType = 'percentage' | 'fixed';

/** A modifier on a line: the selection while DRAFT, plus names and prices once finalized. */
export interface LineModifier {
  modifier_id: string;
  group_id: string | null;
  quantity: number;
  name?: string;
  group_name?: string;
  /** Minor units per modifier unit, as a decimal string (jsonb keeps no bigint). */
  price_delta?: string;
  linked_variant_id?: string | null;
}

export const orders = pgTable(
  'orders',
  {
    tenantId: uuid().notNull(),
    id: uuid().notNull(),
    outletId: uuid().notNull(),
    terminalId: uuid(),
    cashierMembershipId: uuid(),
    customerId: uuid(),
    tableId: uuid(),
    orderType: text().$type<OrderType>().notNull(),
    channel: text().$type<OrderChannel>().notNull(),
    notes: text(),
    clientId: uuid(),
    status: text().$type<OrderStatus>().notNull(),
    paymentStatus: text().$type<PaymentStatus>().notNull(),
    version: integer().notNull(),
    currency: char({ length: 3 }).notNull(),
    discountType: text().$type<DiscountType>(),
    discountValue: money(),
    discountReason: text(),
    subtotal: money().notNull(),
    discountTotal: money().notNull(),
    serviceChargeTotal: money().notNull(),
    taxTotal: money().notNull(),
    tipTotal: money().notNull(),
    roundingAdjustment: money().notNull(),
    total: money().notNull(),
    paidTotal: money().notNull(),
    changeTotal: money().notNull(),
    refundedTotal: money().notNull(),
    pricing: jsonb().$type<Record<string, unknown>>(),
    receiptNumber: text(),
    receiptSeq: money(),
    businessDate: date({ mode: 'string' }).notNull(),
    voidReason: text(),
    voidedBy: uuid(),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
    finalizedAt: ts(),
    completedAt: ts(),
    voidedAt: ts(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const orderItems = pgTable(
  'order_items',
  {
    tenantId: uuid().notNull(),
    orderId: uuid().notNull(),
    id: uuid().notNull(),
    lineNo: integer().notNull(),
    productId: uuid().notNull(),
    variantId: uuid().notNull(),
    quantity: numeric({ precision: 14, scale: 3 }).notNull(),
    modifiers: jsonb().$type<LineModifier[]>().notNull(),
    discountType: text().$type<DiscountType>(),
    discountValue: money(),
    discountReason: text(),
    seat: integer(),
    notes: text(),
    name: text().notNull(),
    variantName: text().notNull(),
    sku: text(),
    taxCategoryId: uuid(),
    trackStock: boolean().notNull(),
    unitPrice: money().notNull(),
    priceBookId: uuid(),
    subtotal: money().notNull(),
    discountTotal: money().notNull(),
    taxTotal: money().notNull(),
    total: money().notNull(),
    taxes: jsonb().$type<Record<string, unknown>[]>().notNull(),
    discounts: jsonb().$type<Record<string, unknown>[]>().notNull(),
    refundedQuantity: numeric({ precision: 14, scale: 3 }).notNull(),
    refundedAmount: money().notNull(),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.orderId, t.id] })],
);

export const payments = pgTable(
  'payments',
  {
    tenantId: uuid().notNull(),
    id: uuid().notNull(),
    orderId: uuid().notNull(),
    tenderType: text().$type<TenderType>().notNull(),
    status: text().$type<PaymentState>().notNull(),
    currency: char({ length: 3 }).notNull(),
    amount: money().notNull(),
    tendered: money(),
    change: money(),
    refundedAmount: money().notNull().default(0n),
    cardBrand: text(),
    cardLast4: text(),
    cardReference: text(),
    provider: text(),
    providerReference: text(),
    failureReason: text(),
    idempotencyKey: text().notNull(),
    requestHash: text().notNull(),
    createdBy: uuid(),
    createdAt: ts().notNull().defaultNow(),
    updatedAt: ts().notNull().defaultNow(),
    capturedAt: ts(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const refunds = pgTable(
  'refunds',
  {
    tenantId: uuid().notNull(),
    id: uuid().notNull(),
    orderId: uuid().notNull(),
    outletId: uuid().notNull(),
    kind: text().$type<'items' | 'amount' | 'full'>().notNull(),
    currency: char({ length: 3 }).notNull(),
    amount: money().notNull(),
    reason: text().notNull(),
    receiptNumber: text().notNull(),
    receiptSeq: money().notNull(),
    businessDate: date({ mode: 'string' }).notNull(),
    idempotencyKey: text(),
    createdBy: uuid(),
    createdAt: ts().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const refundLines = pgTable(
  'refund_lines',
  {
    tenantId: uuid().notNull(),
    refundId: uuid().notNull(),
    orderId: uuid().notNull(),
    orderItemId: uuid().notNull(),
    quantity: numeric({ precision: 14, scale: 3 }).notNull(),
    amount: money().notNull(),
    taxAmount: money().notNull(),
    restock: boolean().notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.refundId, t.orderItemId] })],
);

export const refundTenders = pgTable(
  'refund_tenders',
  {
    tenantId: uuid().notNull(),
    refundId: uuid().notNull(),
    paymentId: uuid().notNull(),
    tenderType: text().$type<TenderType>().notNull(),
    amount: money().notNull(),
    status: text().$type<'PENDING' | 'SUCCEEDED' | 'FAILED'>().notNull(),
    providerReference: text(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.refundId, t.paymentId] })],
);

export const receiptCounters = pgTable(
  'receipt_counters',
  {
    tenantId: uuid().notNull(),
    outletId: uuid().notNull(),
    series: text().$type<'sale' | 'refund'>().notNull(),
    lastValue: money().notNull(),
    updatedAt: ts().notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.outletId, t.series] })],
);

export type Order = typeof orders.$inferSelect;
export type OrderItem = typeof orderItems.$inferSelect;
export type Payment = typeof payments.$inferSelect;
export type Refund = typeof refunds.$inferSelect;
export type RefundLine = typeof refundLines.$inferSelect;
export type RefundTender = typeof refundTenders.$inferSelect;
