import { z } from 'zod';
import { minorUnitsField } from '../catalog/index.js';
import { pageRequestSchema } from '../../platform/pagination.js';
import { uuidField } from '../../platform/validation.js';
import { formatQuantity, isPositive, parseQuantity, type Quantity } from './quantity.js';
import { ORDER_CHANNELS, ORDER_TYPES, TENDER_TYPES } from './sales.schema.js';

/** Wire shapes of sales requests (snake_case, as REST JSON and gRPC messages both are). */

export const MAX_ITEMS_PER_ORDER = 200;
export const MAX_TENDERS = 20;

const currencyCode = () => z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as IDR');
const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);

/** 13–19 digits (spaces or dashes between allowed) passing the Luhn check: a full card number. */
export function containsCardNumber(s: string): boolean {
  for (const m of s.matchAll(/(?<![0-9])(?:[0-9][ -]?){12,18}[0-9](?![0-9])/g)) {
    const d = m[0].replace(/[ -]/g, '');
    if (/^0|^(\d)\1+$/.test(d)) continue; // no card number starts with 0 or is one repeated digit
    let sum = 0;
    for (let i = 0; i < d.length; i++) {
      let x = d.charCodeAt(d.length - 1 - i) - 48;
      if (i % 2 === 1 && (x *= 2) > 9) x -= 9;
      sum += x;
    }
    if (sum % 10 === 0) return true;
  }
  return false;
}
/**
 * A full card number as people write one: 13–19 digits in one run or in groups of four (Amex 4-6-5), starting
 * with a card issuer's prefix, passing Luhn. Stricter than containsCardNumber, for free-text references, which
 * are often long numbers of other shapes (QRIS-20261121-000123 reads as 14 Luhn-valid digits to the loose scan).
 */
export function containsWrittenCardNumber(s: string): boolean {
  for (const m of s.matchAll(/(?<![0-9])(?:[0-9]{13,19}|[0-9]{4}(?:[ -][0-9]{4}){2}[ -][0-9]{1,7}|[0-9]{4}[ -][0-9]{6}[ -][0-9]{5})(?![0-9])/g)) {
    const d = m[0].replace(/[ -]/g, '');
    if (d.length <= 19 && /^(?:4|5[1-5]|2[2-7]|3[0478]|35|6)/.test(d) && containsCardNumber(d)) return true;
  }
  return false;
}
/** Card fields never hold a full card number (found by the fuzzer's card scan: card_reference stored one). */
const cardSafeText = (max: number) => text(max).refine((s) => !containsCardNumber(s), 'must not contain a full card number (only card_last4 is kept)');

/** 2, 1.25, "1.250": positive, at most three decimals (weighed variants only may have decimals). */
export const quantityField = () =>
  z
    .union([z.number(), z.string()], { error: 'must be a number such as 2 or 1.25' })
    .transform((v, c): string => {
      const q = parseQuantity(v);
      if (!q) {
        c.addIssue({ code: 'custom', message: typeof v === 'number' && v <= 0 ? 'must be greater than 0' : 'must be a positive number with at most three decimals' });
        return z.NEVER;
      }
      if (!isPositive(q)) {
        c.addIssue({ code: 'custom', message: 'must be greater than 0' });
        return z.NEVER;
      }
      return formatQuantity(q);
    })
    .describe('Positive; an integer, or up to three decimals for weighed variants (1.25 kg)');

/** A parsed quantityField value (canonical decimal text, so parsing twice is harmless) as a Quantity. */
export const toQuantity = (canonical: string): Quantity => parseQuantity(canonical)!;

/** Percentage in basis points (1000 = 10 %), or a fixed amount in minor units. */
export const discountInput = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('percentage'), rate_bp: z.number().int('must be an integer').min(0).max(10_000, 'at most 10000 (100 %)'), reason: text(200).optional() }),
    z.strictObject({ type: z.literal('fixed'), amount: minorUnitsField(), reason: text(200).optional() }),
  ])
  .describe('{type: percentage, rate_bp} (1000 = 10 %) or {type: fixed, amount} in minor units');
export type DiscountWire = z.output<typeof discountInput>;

export const modifierSelectionInput = z.strictObject({
  modifier_id: uuidField(),
  group_id: uuidField().optional(),
  quantity: z.number().int('must be an integer').min(1, 'must be at least 1').max(99).optional(),
});

const itemFields = {
  product_id: uuidField().optional().describe('The product; its only sellable variant is sold when variant_id is left out'),
  variant_id: uuidField().optional(),
  quantity: quantityField().optional().describe('Default 1'),
  modifiers: z.array(modifierSelectionInput).max(50).optional(),
  discount: discountInput.nullable().optional().describe('Line discount (needs pos:sale:discount)'),
  seat: z.number().int().min(0).max(999).nullable().optional(),
  notes: text(500).nullable().optional(),
};

const needsProductOrVariant = (i: { product_id?: string | undefined; variant_id?: string | undefined }, c: z.RefinementCtx) => {
  if (!i.product_id && !i.variant_id) c.addIssue({ code: 'custom', path: ['variant_id'], message: 'give variant_id, or product_id to sell the product’s only variant' });
};

export const itemInput = z.strictObject(itemFields).superRefine(needsProductOrVariant);
export type ItemWire = z.output<typeof itemInput>;

// max: versions are PostgreSQL integers; a larger number was a 500 (integer out of range), found by fuzzing
const versioned = { expected_version: z.number().int().min(1).max(2_147_483_647).optional().describe('Refuse with ORDER_CONCURRENT_UPDATE unless the order is at this version') };

export const addItemInput = z.strictObject({ ...itemFields, ...versioned, order_id: uuidField().optional().describe('Ignored over REST (the path names the order); accepted so seed 000 bodies work') }).superRefine(needsProductOrVariant);
export const updateItemInput = z.strictObject({
  quantity: quantityField().optional(),
  modifiers: itemFields.modifiers,
  discount: itemFields.discount,
  seat: itemFields.seat,
  notes: itemFields.notes,
  ...versioned,
});
export const versionInput = z.strictObject({ ...versioned, order_id: uuidField().optional() });
export const finalizeInput = z.strictObject({ ...versioned, order_id: uuidField().optional(), coupon_codes: couponCodes() });
export const orderDiscountInput = z.strictObject({ discount: discountInput.nullable().describe('null removes the order discount'), ...versioned });

const orderFields = {
  client_id: uuidField().optional().describe('The register’s UUID for an order created offline; a replay returns the same order'),
  outlet_id: uuidField().optional().describe('Default: the terminal’s outlet, else the tenant’s first active outlet'),
  terminal_id: uuidField().optional(),
  customer_id: uuidField().optional(),
  table_id: uuidField().optional(),
  order_type: z.enum(ORDER_TYPES).optional().describe('Default takeaway'),
  channel: z.enum(ORDER_CHANNELS).optional().describe('Default pos'),
  notes: text(1000).optional(),
  currency: currencyCode().optional().describe('Must be the tenant’s currency when given'),
  items: z.array(itemInput).max(MAX_ITEMS_PER_ORDER, `at most ${MAX_ITEMS_PER_ORDER} items`).optional(),
  discount: discountInput.optional().describe('Order discount (needs pos:sale:discount)'),
  tip: minorUnitsField().optional(),
  coupon_codes: couponCodes(),
};

export const createOrderInput = z.strictObject(orderFields);
export type CreateOrderInput = z.input<typeof createOrderInput>;
export type CreateOrderWire = z.output<typeof createOrderInput>;

const tenderFields = {
  tender_type: z.enum(TENDER_TYPES).optional(),
  payment_type: z.enum(TENDER_TYPES).optional().describe('Seed 000’s name for tender_type'),
  amount: minorUnitsField().describe('Cash: what the customer handed over, or with tendered, what to apply. Others: what to charge'),
  currency: currencyCode().optional(),
  tendered: minorUnitsField().optional().describe('Cash only: what the customer handed over, when amount is what to apply'),
  card_brand: cardSafeText(30).optional(),
  card_last4: z.string().regex(/^\d{4}$/, 'must be the last four digits only').optional(),
  card_reference: cardSafeText(100).optional().describe('The card terminal’s approval code or reference'),
  provider: text(40).optional().describe('A registered payment provider to charge (CARD/EXTERNAL)'),
  // free text, so a card number could be typed here: refused, naming the field (issue 8's card scan)
  reference: text(200)
    .refine((v) => !containsWrittenCardNumber(v), 'must not contain a full card number')
    .optional()
    .describe('External/provider reference; never a full card number'),
  idempotency_key: z.string().regex(/^[\x21-\x7e]{1,255}$/, 'must be 1 to 255 printable ASCII characters').optional().describe('This payment’s own key: a retry with it is charged once'),
};

type TenderShape = { tender_type?: string | undefined; payment_type?: string | undefined; amount: string; tendered?: string | undefined; card_brand?: string | undefined; card_last4?: string | undefined; card_reference?: string | undefined };
function tenderRules(t: TenderShape, c: z.RefinementCtx): void {
  if (!t.tender_type && !t.payment_type) c.addIssue({ code: 'custom', path: ['tender_type'], message: 'is required' });
  if (t.tender_type && t.payment_type && t.tender_type !== t.payment_type) c.addIssue({ code: 'custom', path: ['payment_type'], message: 'differs from tender_type' });
  const type = t.tender_type ?? t.payment_type;
  if (type !== 'CASH' && t.tendered !== undefined) c.addIssue({ code: 'custom', path: ['tendered'], message: 'only cash has an amount tendered' });
  if (type !== 'CARD' && (t.card_brand || t.card_last4 || t.card_reference)) c.addIssue({ code: 'custom', path: ['card_last4'], message: 'card details only for CARD' });
  if (BigInt(t.amount) === 0n) c.addIssue({ code: 'custom', path: ['amount'], message: 'must be greater than 0' });
}

export const tenderInput = z.strictObject(tenderFields).superRefine(tenderRules);
export type TenderWire = z.output<typeof tenderInput>;

export const addPaymentInput = z.strictObject({ ...tenderFields, ...versioned, order_id: uuidField().optional() }).superRefine(tenderRules);
export type AddPaymentWire = z.output<typeof addPaymentInput>;

export const voidInput = z.strictObject({ reason: z.string().trim().min(1, 'a void needs a reason').max(500), ...versioned, order_id: uuidField().optional() });

export const refundLineInput = z.strictObject({
  item_id: uuidField(),
  quantity: quantityField().optional().describe('Default: all that is left of the line'),
  restock: z.boolean().optional().describe('Return the goods to stock (default false)'),
});
export const refundTenderInput = z.strictObject({ payment_id: uuidField(), amount: minorUnitsField() });
export const refundInput = z
  .strictObject({
    reason: z.string().trim().min(1, 'a refund needs a reason').max(500),
    items: z.array(refundLineInput).min(1).max(MAX_ITEMS_PER_ORDER).optional().describe('Refund these lines and quantities'),
    amount: minorUnitsField().optional().describe('Refund this amount (no items)'),
    tenders: z.array(refundTenderInput).min(1).max(MAX_TENDERS).optional().describe('Where the money goes; default: back to the original tenders, non-cash first'),
    idempotency_key: z.string().regex(/^[\x21-\x7e]{1,255}$/).optional(),
    order_id: uuidField().optional(),
    terminal_id: uuidField().optional().describe('The register paying the refund out (a cash refund leaves its drawer)'),
  })
  .superRefine((r, c) => {
    if (r.items && r.amount !== undefined) c.addIssue({ code: 'custom', path: ['amount'], message: 'give items or amount, not both' });
    if (r.amount !== undefined && BigInt(r.amount) === 0n) c.addIssue({ code: 'custom', path: ['amount'], message: 'must be greater than 0' });
  });
export type RefundWire = z.output<typeof refundInput>;

export const checkoutInput = z.strictObject({
  ...orderFields,
  items: z.array(itemInput).min(1, 'a checkout needs at least one item').max(MAX_ITEMS_PER_ORDER),
  tenders: z.array(tenderInput).min(1, 'a checkout needs at least one tender').max(MAX_TENDERS),
});
export type CheckoutInput = z.input<typeof checkoutInput>;
export type CheckoutWire = z.output<typeof checkoutInput>;

/** Coupon codes, case-insensitive (compared upper case); the promotions module checks them. */
function couponCodes() {
  return z
    .array(z.string().trim().regex(/^[A-Za-z0-9_-]{3,40}$/, 'must be 3 to 40 letters, digits, - or _').transform((s) => s.toUpperCase()))
    .max(5, 'at most 5 coupons')
    .optional()
    .describe('Coupon codes to apply (promotions module)');
}

const flag = () => z.union([z.boolean(), z.enum(['true', 'false']).transform((s) => s === 'true')]);
const day = () => z.iso.date({ error: 'must be a date such as 2024-05-03' });
export const listOrdersQuery = pageRequestSchema.extend({
  status: z.enum(['DRAFT', 'OPEN', 'COMPLETED', 'VOIDED']).optional(),
  payment_status: z.enum(['UNPAID', 'PARTIALLY_PAID', 'PAID', 'PARTIALLY_REFUNDED', 'REFUNDED']).optional(),
  outlet_id: uuidField().optional(),
  cashier_membership_id: uuidField().optional(),
  customer_id: uuidField().optional(),
  business_date_from: day().optional(),
  business_date_to: day().optional(),
  receipt_number: z.string().trim().min(1).max(60).optional(),
  include_items: flag().optional(),
});
export type ListOrdersQuery = z.input<typeof listOrdersQuery>;

/** A parsed minorUnitsField value (a canonical decimal string) as bigint minor units. */
export const minorUnits = (canonical: string): bigint => BigInt(canonical);
