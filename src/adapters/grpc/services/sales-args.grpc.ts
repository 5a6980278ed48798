import type { CheckoutInput, CreateOrderInput, ListOrdersQuery, OrderGraph, PaymentResult, Refund } from '../../../modules/sales/index.js';
import * as v from '../../shared/views/sales.views.js';
import { idArg, pageArg, pick, type RpcRequest } from '../wire.js';
import { patchOf } from './catalog-args.grpc.js';

/**
 * What pos.v1.SalesService handlers share: turning a decoded request into the wire-shaped input the sales
 * service takes from REST (snake_case, the same field names), and a REST presenter's output into the proto
 * messages. The service validates every input (parseInput), so both transports refuse the same input alike;
 * the casts below only hand the fields over. The proto differs from the REST JSON in three places only: enum
 * names are upper case (Discount.type PERCENTAGE, Refund.kind ITEMS), proto3 cannot send null (unset means
 * null; an update names what to empty in clear_fields), and there is no zero/unset distinction for scalars.
 */

const DISCOUNT_TYPES: Readonly<Record<string, string>> = { PERCENTAGE: 'percentage', FIXED: 'fixed' };

/** A Discount message as REST's {type: percentage, rate_bp} | {type: fixed, amount}; an unknown type stays unset, refused naming discount.type. */
function discountArg(d: RpcRequest): Record<string, unknown> {
  const type = typeof d.type === 'string' ? DISCOUNT_TYPES[d.type] : undefined;
  return { ...(type ? { type } : {}), ...pick(d, ['rate_bp', 'amount', 'reason'] as const) };
}

const modifierArg = (m: RpcRequest) => pick(m, ['modifier_id', 'group_id', 'quantity'] as const);

/** The item fields of NewOrderItem and AddOrderItemRequest. */
function itemArg(i: RpcRequest): Record<string, unknown> {
  return {
    ...pick(i, ['product_id', 'variant_id', 'quantity', 'seat', 'notes'] as const),
    ...(Array.isArray(i.modifiers) ? { modifiers: (i.modifiers as RpcRequest[]).map(modifierArg) } : {}),
    ...(i.discount !== undefined ? { discount: discountArg(i.discount as RpcRequest) } : {}),
  };
}

/** expected_version when set: 0 (proto3's unset) checks nothing, as versions start at 1. */
export const versionArg = (req: RpcRequest): { expected_version?: number } => (typeof req.expected_version === 'number' && req.expected_version !== 0 ? { expected_version: req.expected_version } : {});

export const orderIdArg = (req: RpcRequest): string => idArg(req, 'order_id');

/** AddOrderItem's input. */
export const addItemArg = (req: RpcRequest): Record<string, unknown> => ({ ...itemArg(req), ...versionArg(req) });

/** UpdateOrderItem's patch: the fields set, plus those named in clear_fields emptied. */
export function itemPatchArg(req: RpcRequest): Record<string, unknown> {
  const patch: Record<string, unknown> = patchOf(req, ['quantity', 'modifiers', 'discount', 'seat', 'notes'] as const, { modifiers: [], discount: null, seat: null, notes: null });
  if (Array.isArray(patch.modifiers)) patch.modifiers = (patch.modifiers as RpcRequest[]).map(modifierArg);
  if (patch.discount) patch.discount = discountArg(patch.discount as RpcRequest);
  return { ...patch, ...versionArg(req) };
}

/** ApplyDiscount's input: an unset discount removes the order discount (REST's null). */
export const orderDiscountArg = (req: RpcRequest): Record<string, unknown> => ({ discount: req.discount === undefined ? null : discountArg(req.discount as RpcRequest), ...versionArg(req) });

/** coupon_codes when any (an empty repeated field is not on the wire). */
export const couponCodesArg = (req: RpcRequest): { coupon_codes?: string[] } => (Array.isArray(req.coupon_codes) && req.coupon_codes.length ? { coupon_codes: req.coupon_codes as string[] } : {});

const ORDER_FIELDS = ['client_id', 'outlet_id', 'terminal_id', 'customer_id', 'table_id', 'order_type', 'channel', 'notes', 'currency', 'tip'] as const;

/** CreateOrder's and CalculateOrder's body. */
export function orderArg(req: RpcRequest): CreateOrderInput {
  return {
    ...pick(req, ORDER_FIELDS),
    ...(Array.isArray(req.items) ? { items: (req.items as RpcRequest[]).map(itemArg) } : {}),
    ...(req.discount !== undefined ? { discount: discountArg(req.discount as RpcRequest) } : {}),
    ...couponCodesArg(req),
  } as CreateOrderInput;
}

const TENDER_FIELDS = ['payment_type', 'amount', 'currency', 'tendered', 'card_brand', 'card_last4', 'card_reference', 'reference', 'idempotency_key'] as const;

/**
 * Checkout's body. Empty lists are not on the wire, so an absent items or tenders list is sent as empty:
 * the service then refuses it with its own message ("a checkout needs at least one item").
 */
export const checkoutArg = (req: RpcRequest): CheckoutInput =>
  ({
    ...orderArg(req),
    items: Array.isArray(req.items) ? (req.items as RpcRequest[]).map(itemArg) : [],
    tenders: Array.isArray(req.tenders) ? (req.tenders as RpcRequest[]).map((t) => pick(t, TENDER_FIELDS)) : [],
  }) as CheckoutInput;

/** AddPayment's input: the payment's own idempotency key is the request's, as REST's body idempotency_key. */
export const paymentArg = (req: RpcRequest, key: string | undefined): Record<string, unknown> => ({
  ...pick(req, [...TENDER_FIELDS.filter((f) => f !== 'idempotency_key'), 'provider'] as const),
  ...versionArg(req),
  ...(key !== undefined ? { idempotency_key: key } : {}),
});

/** RefundOrder's input; the refund's own idempotency key is the request's. proto3 sends no empty reason, so unset is "". */
export const refundArg = (req: RpcRequest, key: string | undefined): Record<string, unknown> => ({
  reason: req.reason ?? '',
  ...(Array.isArray(req.items) ? { items: (req.items as RpcRequest[]).map((i) => pick(i, ['item_id', 'quantity', 'restock'] as const)) } : {}),
  ...pick(req, ['amount'] as const),
  ...(Array.isArray(req.tenders) ? { tenders: (req.tenders as RpcRequest[]).map((t) => pick(t, ['payment_id', 'amount'] as const)) } : {}),
  ...(key !== undefined ? { idempotency_key: key } : {}),
});

/** VoidOrder's input; proto3 sends no empty reason, so unset is "" (refused as "a void needs a reason"). */
export const voidArg = (req: RpcRequest): Record<string, unknown> => ({ reason: req.reason ?? '', ...versionArg(req) });

const LIST_FILTERS = ['status', 'payment_status', 'outlet_id', 'cashier_membership_id', 'customer_id', 'business_date_from', 'business_date_to', 'receipt_number', 'include_items'] as const;

/** ListOrders' filters and page, as REST's query string. */
export const listArg = (req: RpcRequest): ListOrdersQuery => ({ ...pick(req, LIST_FILTERS), ...pageArg(req) }) as ListOrdersQuery;

// ---- REST presenters → proto messages ------------------------------------------------------------------

type Presented = ReturnType<typeof v.presentOrder>;
type PresentedDiscount = Presented['discount'];

const discountWire = (d: PresentedDiscount) => (d === null ? null : { ...d, type: d.type.toUpperCase() });
const refundWire = (r: ReturnType<typeof v.presentRefund>) => ({ ...r, kind: r.kind.toUpperCase() });

function orderWireOf(o: Presented) {
  return { ...o, discount: discountWire(o.discount), items: o.items.map((i) => ({ ...i, discount: discountWire(i.discount) })), refunds: o.refunds.map(refundWire) };
}

/** An Order message: presentOrder's fields, enum names upper case. */
export const orderWire = (g: OrderGraph) => orderWireOf(v.presentOrder(g));

export const paymentResultWire = (r: PaymentResult) => ({ order: orderWire(r.graph), payment: v.presentPayment(r.payment), replayed: r.replayed });

export function refundResultWire(r: { graph: OrderGraph; refund: Refund; replayed: boolean }) {
  const p = v.presentRefundResult(r);
  return { order: orderWireOf(p.order), refund: refundWire(p.refund), replayed: p.replayed };
}
