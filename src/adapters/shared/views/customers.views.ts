import { z } from 'zod';
import type { BalanceChange, Customer, CustomerGroup, LedgerEntry, LoyaltySettings } from '../../../modules/customers/index.js';
import { iso, timestamp } from './common.js';

const minor = () => z.number().int().describe('Integer minor units');

export const customerView = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable().describe('E.164'),
  birthday: z.string().nullable(),
  tags: z.array(z.string()),
  notes: z.string().nullable(),
  marketing_consent: z.boolean(),
  group_ids: z.array(z.string()),
  tier: z.string().nullable(),
  points_balance: z.number().int(),
  store_credit_balance: minor(),
  orders_count: z.number().int(),
  lifetime_spend: minor(),
  average_order_value: minor(),
  last_order_at: timestamp().nullable(),
  merged_into: z.string().nullable(),
  archived_at: timestamp().nullable(),
  created_at: timestamp(),
  updated_at: timestamp(),
});

export const presentCustomer = (c: Customer) => ({
  id: c.id,
  name: c.name,
  email: c.email,
  phone: c.phone,
  birthday: c.birthday,
  tags: c.tags,
  notes: c.notes,
  marketing_consent: c.marketingConsent,
  group_ids: c.groupIds,
  tier: c.tier,
  points_balance: c.pointsBalance,
  store_credit_balance: c.creditBalance,
  orders_count: c.ordersCount,
  lifetime_spend: c.lifetimeSpend,
  average_order_value: c.ordersCount > 0 ? c.lifetimeSpend / BigInt(c.ordersCount) : 0n,
  last_order_at: iso(c.lastOrderAt),
  merged_into: c.mergedInto,
  archived_at: iso(c.archivedAt),
  created_at: iso(c.createdAt)!,
  updated_at: iso(c.updatedAt)!,
});

export const customerGroupView = z.object({ id: z.string(), name: z.string(), description: z.string().nullable(), created_at: timestamp(), updated_at: timestamp() });
export const presentCustomerGroup = (g: CustomerGroup) => ({ id: g.id, name: g.name, description: g.description, created_at: iso(g.createdAt)!, updated_at: iso(g.updatedAt)! });

export const ledgerEntryView = z.object({
  id: z.string(),
  customer_id: z.string(),
  account: z.enum(['points', 'credit']),
  kind: z.string(),
  amount: z.number().int().describe('Signed: points, or minor units of store credit'),
  remaining: z.number().int().describe('Points of this entry not yet spent or expired'),
  expires_at: timestamp().nullable(),
  money: z.number().int().nullable(),
  order_id: z.string().nullable(),
  payment_id: z.string().nullable(),
  refund_id: z.string().nullable(),
  note: z.string().nullable(),
  created_at: timestamp(),
});

export const presentLedgerEntry = (e: LedgerEntry) => ({
  id: e.id,
  customer_id: e.customerId,
  account: e.account,
  kind: e.kind,
  amount: e.amount,
  remaining: e.remaining,
  expires_at: iso(e.expiresAt),
  money: e.money,
  order_id: e.orderId,
  payment_id: e.paymentId,
  refund_id: e.refundId,
  note: e.note,
  created_at: iso(e.createdAt)!,
});

export const balanceChangeView = z.object({ customer: customerView, entry: ledgerEntryView, value: minor().optional(), replayed: z.boolean() });
export const presentBalanceChange = (b: BalanceChange) => ({ customer: presentCustomer(b.customer), entry: presentLedgerEntry(b.entry), ...(b.value !== undefined ? { value: b.value } : {}), replayed: b.replayed });

export const loyaltySettingsView = z.object({
  phone_country: z.string(),
  loyalty_enabled: z.boolean(),
  earn_per_amount: minor(),
  earn_points: z.number().int(),
  points_per_visit: z.number().int(),
  item_rules: z.array(z.object({ product_id: z.string().optional(), category_id: z.string().optional(), points: z.number().int() })),
  tiers: z.array(z.object({ name: z.string(), threshold: minor(), multiplier_percent: z.number().int() })),
  point_value: minor(),
  points_expire_days: z.number().int().nullable(),
});

export const presentLoyaltySettings = (s: LoyaltySettings) => ({
  phone_country: s.phoneCountry,
  loyalty_enabled: s.loyaltyEnabled,
  earn_per_amount: s.earnPerAmount,
  earn_points: s.earnPoints,
  points_per_visit: s.pointsPerVisit,
  item_rules: s.itemRules.map((r) => ({ ...(r.productId ? { product_id: r.productId } : {}), ...(r.categoryId ? { category_id: r.categoryId } : {}), points: r.points })),
  tiers: s.tiers.map((t) => ({ name: t.name, threshold: t.threshold, multiplier_percent: t.multiplierPercent })),
  point_value: s.pointValue,
  points_expire_days: s.pointsExpireDays,
});
