import { z } from 'zod';
import {
  CHANNELS,
  daysFromMask,
  WEEKDAYS,
  type BookPricesResult,
  type CandidateReport,
  type ConditionCheck,
  type GroupWithModifiers,
  type Modifier,
  type Price,
  type PriceBook,
  type PricedVariant,
  type PriceResolution,
  type ResolvedVariantPrice,
  type TaxCategory,
  type TaxRuleWithExemptions,
} from '../../../modules/catalog/index.js';
import { formatClock } from '../../../platform/time.js';
import { iso, timestamp } from './common.js';

/** Money is integer minor units (a JSON integer), beside its ISO 4217 currency. */
const minor = () => z.number().int().describe('Integer minor units');

// ---- prices and price books --------------------------------------------------------------------------

export const priceView = z.object({
  variant_id: z.string(),
  price_book_id: z.string(),
  price_book_name: z.string(),
  is_default: z.boolean(),
  outlet_id: z.string().nullable(),
  amount: minor(),
  currency: z.string(),
  updated_at: timestamp(),
});
export const presentPrice = ({ price, book }: PricedVariant) => ({
  variant_id: price.variantId,
  price_book_id: book.id,
  price_book_name: book.name,
  is_default: book.isDefault,
  outlet_id: book.outletId,
  amount: price.amount,
  currency: price.currency,
  updated_at: iso(price.updatedAt)!,
});
export const variantPricesView = z.object({ variant_id: z.string(), prices: z.array(priceView.extend({ book_active: z.boolean(), book_archived: z.boolean() })) });
export const presentVariantPrices = (variantId: string, list: PricedVariant[]) => ({
  variant_id: variantId,
  prices: list.map((p) => ({ ...presentPrice(p), book_active: p.book.active, book_archived: p.book.archivedAt !== null })),
});

export const priceBookView = z.object({
  id: z.string(),
  name: z.string(),
  is_default: z.boolean(),
  currency: z.string(),
  priority: z.number().int(),
  outlet_id: z.string().nullable(),
  channel: z.enum(CHANNELS).nullable(),
  customer_group_id: z.string().nullable(),
  starts_at: timestamp().nullable(),
  ends_at: timestamp().nullable(),
  days_of_week: z.array(z.enum(WEEKDAYS)).nullable(),
  hours_start: z.string().nullable().describe('HH:MM, outlet local time'),
  hours_end: z.string().nullable().describe('HH:MM, outlet local time; earlier than hours_start spans midnight'),
  active: z.boolean(),
  archived_at: timestamp().nullable(),
  created_at: timestamp(),
  updated_at: timestamp(),
});
export const presentPriceBook = (b: PriceBook) => ({
  id: b.id,
  name: b.name,
  is_default: b.isDefault,
  currency: b.currency,
  priority: b.priority,
  outlet_id: b.outletId,
  channel: b.channel,
  customer_group_id: b.customerGroupId,
  starts_at: iso(b.startsAt),
  ends_at: iso(b.endsAt),
  days_of_week: b.daysOfWeek === null ? null : daysFromMask(b.daysOfWeek),
  hours_start: b.startMinute === null ? null : formatClock(b.startMinute),
  hours_end: b.endMinute === null ? null : formatClock(b.endMinute),
  active: b.active,
  archived_at: iso(b.archivedAt),
  created_at: iso(b.createdAt)!,
  updated_at: iso(b.updatedAt)!,
});

export const bookPriceView = z.object({ variant_id: z.string(), amount: minor(), currency: z.string(), updated_at: timestamp() });
export const presentBookPrice = (p: Price) => ({ variant_id: p.variantId, amount: p.amount, currency: p.currency, updated_at: iso(p.updatedAt)! });
export const bookPricesResultView = z.object({ price_book_id: z.string(), set: z.array(bookPriceView), removed: z.array(z.string()).describe('Variant ids whose price was removed') });
export const presentBookPricesResult = (r: BookPricesResult) => ({ price_book_id: r.book.id, set: r.set.map(presentBookPrice), removed: r.removed });

// ---- resolution ----------------------------------------------------------------------------------------

const conditionView = z.object({ condition: z.string(), matched: z.boolean(), detail: z.string() });
const presentCondition = (c: ConditionCheck) => ({ condition: c.condition, matched: c.matched, detail: c.detail });
const candidateView = z.object({
  price_book_id: z.string(),
  price_book_name: z.string(),
  is_default: z.boolean(),
  priority: z.number().int(),
  specificity: z.number().int().describe('Number of conditions the book sets'),
  amount: minor(),
  currency: z.string(),
  outcome: z.string().describe('won, lower_priority, less_specific, created_earlier, tie_broken_by_id, fallback_not_needed, not_matching, inactive, archived'),
  detail: z.string(),
  conditions: z.array(conditionView),
});
const presentCandidate = (c: CandidateReport) => ({
  price_book_id: c.priceBookId,
  price_book_name: c.priceBookName,
  is_default: c.isDefault,
  priority: c.priority,
  specificity: c.specificity,
  amount: c.amount,
  currency: c.currency,
  outcome: c.outcome,
  detail: c.detail,
  conditions: c.conditions.map(presentCondition),
});

export const resolvedPriceView = z.object({
  variant_id: z.string(),
  amount: minor(),
  currency: z.string(),
  price_book_id: z.string(),
  price_book_name: z.string(),
  reason: z.object({ summary: z.string(), local_time: z.string(), matched: z.array(conditionView), candidates: z.array(candidateView) }),
});
export const presentResolution = (variantId: string, r: PriceResolution) => ({
  variant_id: variantId,
  amount: r.amount,
  currency: r.currency,
  price_book_id: r.priceBookId,
  price_book_name: r.priceBookName,
  reason: { summary: r.reason.summary, local_time: r.reason.localTime, matched: r.reason.matched.map(presentCondition), candidates: r.reason.candidates.map(presentCandidate) },
});

export const resolvedPricesView = z.object({
  items: z.array(
    z.object({
      variant_id: z.string(),
      price: z.object({ amount: minor(), currency: z.string(), price_book_id: z.string(), price_book_name: z.string(), matched: z.array(z.string()) }).nullable().describe('null when no book has an applicable price'),
    }),
  ),
});
export const presentResolvedPrices = (list: ResolvedVariantPrice[]) => ({
  items: list.map(({ variantId, resolution: r }) => ({
    variant_id: variantId,
    price: r ? { amount: r.amount, currency: r.currency, price_book_id: r.priceBookId, price_book_name: r.priceBookName, matched: r.reason.matched.map((c) => c.condition) } : null,
  })),
});

// ---- modifiers -------------------------------------------------------------------------------------------

export const modifierView = z.object({
  id: z.string(),
  modifier_group_id: z.string(),
  name: z.string(),
  price_delta: minor().describe('Added to the line’s unit price per quantity; may be negative'),
  linked_variant_id: z.string().nullable(),
  max_quantity: z.number().int().nullable(),
  sort_order: z.number().int(),
  active: z.boolean(),
  archived_at: timestamp().nullable(),
  created_at: timestamp(),
  updated_at: timestamp(),
});
export const presentModifier = (m: Modifier) => ({
  id: m.id,
  modifier_group_id: m.groupId,
  name: m.name,
  price_delta: m.priceDelta,
  linked_variant_id: m.linkedVariantId,
  max_quantity: m.maxQuantity,
  sort_order: m.sortOrder,
  active: m.active,
  archived_at: iso(m.archivedAt),
  created_at: iso(m.createdAt)!,
  updated_at: iso(m.updatedAt)!,
});

export const modifierGroupView = z.object({
  id: z.string(),
  name: z.string(),
  min_select: z.number().int(),
  max_select: z.number().int().nullable(),
  required: z.boolean(),
  allow_quantities: z.boolean(),
  active: z.boolean(),
  archived_at: timestamp().nullable(),
  modifiers: z.array(modifierView),
  created_at: timestamp(),
  updated_at: timestamp(),
});
export const presentModifierGroup = (g: GroupWithModifiers) => ({
  id: g.id,
  name: g.name,
  min_select: g.minSelections,
  max_select: g.maxSelections,
  required: g.required,
  allow_quantities: g.allowQuantities,
  active: g.active,
  archived_at: iso(g.archivedAt),
  modifiers: g.modifiers.map(presentModifier),
  created_at: iso(g.createdAt)!,
  updated_at: iso(g.updatedAt)!,
});
export const productModifierGroupsView = z.object({ product_id: z.string(), modifier_groups: z.array(modifierGroupView).describe('In the product’s order') });
export const presentProductModifierGroups = (productId: string, groups: GroupWithModifiers[]) => ({ product_id: productId, modifier_groups: groups.map(presentModifierGroup) });

// ---- tax -------------------------------------------------------------------------------------------------

export const taxCategoryView = z.object({ id: z.string(), code: z.string(), name: z.string(), created_at: timestamp(), updated_at: timestamp() });
export const presentTaxCategory = (c: TaxCategory) => ({ id: c.id, code: c.code, name: c.name, created_at: iso(c.createdAt)!, updated_at: iso(c.updatedAt)! });

export const taxRuleView = z.object({
  id: z.string(),
  name: z.string(),
  rate_bps: z.number().int().describe('Basis points: 1100 = 11%'),
  inclusive: z.boolean(),
  compound: z.boolean(),
  sequence: z.number().int(),
  tax_category_id: z.string().nullable(),
  outlet_id: z.string().nullable(),
  order_types: z.array(z.string()).nullable(),
  exempt_tax_category_ids: z.array(z.string()),
  active: z.boolean(),
  archived_at: timestamp().nullable(),
  created_at: timestamp(),
  updated_at: timestamp(),
});
export const presentTaxRule = (r: TaxRuleWithExemptions) => ({
  id: r.id,
  name: r.name,
  rate_bps: r.rateBp,
  inclusive: r.inclusive,
  compound: r.compound,
  sequence: r.sequence,
  tax_category_id: r.taxCategoryId,
  outlet_id: r.outletId,
  order_types: r.orderTypes,
  exempt_tax_category_ids: r.exemptTaxCategoryIds,
  active: r.active,
  archived_at: iso(r.archivedAt),
  created_at: iso(r.createdAt)!,
  updated_at: iso(r.updatedAt)!,
});
export const taxRuleListView = z.object({ items: z.array(taxRuleView) });
