import type { Client } from '@grpc/grpc-js';
import { z } from 'zod';
import { pageView } from '../../src/adapters/shared/views/common.js';
import { calculationView, orderView, paymentResultView, refundResultView } from '../../src/adapters/shared/views/sales.views.js';
import { rpc, type Body, type TestGrpcServer } from '../support/grpc.js';
import { call } from '../support/server.js';
import { DESIGN_STATUS, type Creds, type Failure, type Input, type Result } from './driver.js';

/**
 * The sales part of the contract, once per transport. Inputs are written as REST JSON (money as integers,
 * discount types in lower case, null to empty a field); both drivers hand back REST's JSON shapes, so one
 * scenario checks both. The gRPC side reads its messages through the REST views themselves (restShape), so
 * what proto3 says differently (int64 as strings, upper-case enum names, unset for null) is undone in one place.
 */
export type Order = z.output<typeof orderView>;
export type PaymentResult = z.output<typeof paymentResultView>;
export type RefundResult = z.output<typeof refundResultView>;
export type Calculation = z.output<typeof calculationView>;

export interface SalesDriver {
  readonly name: string;
  status(kind: keyof typeof DESIGN_STATUS): number | string;
  createOrder(c: Creds, input?: Input): Promise<Result<Order>>;
  getOrder(c: Creds, id: string): Promise<Result<Order>>;
  listOrders(c: Creds, query?: Input): Promise<Result<{ items: Order[]; next_page_token: string }>>;
  calculate(c: Creds, input: Input): Promise<Result<Calculation>>;
  addItem(c: Creds, orderId: string, input: Input): Promise<Result<Order>>;
  updateItem(c: Creds, orderId: string, itemId: string, patch: Input): Promise<Result<Order>>;
  removeItem(c: Creds, orderId: string, itemId: string): Promise<Result<Order>>;
  applyDiscount(c: Creds, orderId: string, discount: Input | null): Promise<Result<Order>>;
  finalize(c: Creds, orderId: string, input?: Input): Promise<Result<Order>>;
  /** `idempotency_key` in input is the payment's own key (REST body; gRPC request key). */
  addPayment(c: Creds, orderId: string, input: Input): Promise<Result<PaymentResult>>;
  voidPayment(c: Creds, orderId: string, paymentId: string): Promise<Result<Order>>;
  complete(c: Creds, orderId: string, input?: Input): Promise<Result<Order>>;
  voidOrder(c: Creds, orderId: string, input: Input): Promise<Result<Order>>;
  refund(c: Creds, orderId: string, input: Input): Promise<Result<RefundResult>>;
  checkout(c: Creds, input: Input): Promise<Result<Order>>;
}

export function restSalesDriver(baseUrl: string): SalesDriver {
  const send = async <T>(method: string, path: string, c: Creds, body?: unknown): Promise<Result<T>> => {
    const r = await call(baseUrl, method, path, { headers: c, ...(body === undefined ? {} : { body }) });
    if (r.status < 400) return { ok: true, value: r.body as T };
    const e = r.body?.error ?? {};
    const fields = Array.isArray(e.details?.fields) ? e.details.fields.map((f: { field: string }) => f.field) : [];
    return { ok: false, error: { status: r.status, code: e.code, message: e.message, fields } };
  };
  const qs = (q: Input = {}) => {
    const p = new URLSearchParams(Object.entries(q).map(([k, v]): [string, string] => [k, String(v)]));
    return p.size ? `?${p}` : '';
  };
  const o = (id: string) => `/api/v1/orders/${id}`;
  return {
    name: 'REST',
    status: (kind) => DESIGN_STATUS[kind][0],
    createOrder: (c, input = {}) => send('POST', '/api/v1/orders', c, input),
    getOrder: (c, id) => send('GET', o(id), c),
    listOrders: (c, query) => send('GET', `/api/v1/orders${qs(query)}`, c),
    calculate: (c, input) => send('POST', '/api/v1/orders/calculate', c, input),
    addItem: (c, id, input) => send('POST', `${o(id)}/items`, c, input),
    updateItem: (c, id, itemId, patch) => send('PATCH', `${o(id)}/items/${itemId}`, c, patch),
    removeItem: (c, id, itemId) => send('DELETE', `${o(id)}/items/${itemId}`, c),
    applyDiscount: (c, id, discount) => send('POST', `${o(id)}/discount`, c, { discount }),
    finalize: (c, id, input = {}) => send('POST', `${o(id)}/finalize`, c, input),
    addPayment: (c, id, input) => send('POST', `${o(id)}/payments`, c, input),
    voidPayment: (c, id, paymentId) => send('POST', `${o(id)}/payments/${paymentId}/void`, c, {}),
    complete: (c, id, input = {}) => send('POST', `${o(id)}/complete`, c, input),
    voidOrder: (c, id, input) => send('POST', `${o(id)}/void`, c, input),
    refund: (c, id, input) => send('POST', `${o(id)}/refunds`, c, input),
    checkout: (c, input) => send('POST', '/api/v1/checkout', c, input),
  };
}

/**
 * A gRPC message read as the REST view `schema` describes it: only the view's fields, int64 strings as
 * numbers, enum names matched to the view's values whatever their case, unset optional fields as null,
 * unset lists as empty.
 */
export function restShape(schema: z.ZodType, v: unknown): unknown {
  if (schema instanceof z.ZodNullable) return v === undefined || v === null ? null : restShape(schema.unwrap() as z.ZodType, v);
  if (schema instanceof z.ZodOptional) return v === undefined || v === null ? undefined : restShape(schema.unwrap() as z.ZodType, v);
  if (schema instanceof z.ZodObject) {
    const out: Record<string, unknown> = {};
    for (const [k, s] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
      const r = restShape(s, (v as Record<string, unknown> | undefined)?.[k]);
      if (r !== undefined) out[k] = r;
    }
    return out;
  }
  if (schema instanceof z.ZodArray) return ((v as unknown[] | undefined) ?? []).map((x) => restShape(schema.element as z.ZodType, x));
  if (schema instanceof z.ZodNumber) return typeof v === 'string' ? Number(v) : (v ?? 0);
  if (schema instanceof z.ZodEnum) return (schema.options as string[]).find((o) => o.toUpperCase() === String(v).toUpperCase()) ?? v;
  return v;
}

const INT64 = ['amount', 'tendered', 'tip'];

/** REST JSON input → a request message: int64 as decimal strings, enum names upper case, at every level. */
function toRequest(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(toRequest);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (INT64.includes(k) && typeof x === 'number') out[k] = String(x);
    else if (k === 'type' && typeof x === 'string') out[k] = x.toUpperCase();
    else out[k] = toRequest(x);
  }
  return out;
}

/** An update patch: null fields go to clear_fields (proto3 cannot send null). */
function patchRequest(patch: Input): Input {
  const set = Object.fromEntries(Object.entries(patch).filter(([, x]) => x !== null));
  const cleared = Object.keys(patch).filter((k) => patch[k] === null);
  return { ...(toRequest(set) as Input), ...(cleared.length ? { clear_fields: cleared } : {}) };
}

export function grpcSalesDriver(server: TestGrpcServer): SalesDriver {
  let client: Client | undefined;
  const send = async <T>(method: string, c: Creds, request: Input, out: (b: Body) => unknown): Promise<Result<T>> => {
    client ??= server.client('SalesService');
    const r = await rpc(client, method, request, c);
    if (r.ok) return { ok: true, value: out(r.body) as T };
    const failure: Failure = { status: r.codeName, code: r.details?.errorInfo?.reason ?? '', message: r.message, fields: (r.details?.fieldViolations ?? []).map((f) => f.field) };
    return { ok: false, error: failure };
  };
  const order = (b: Body) => restShape(orderView, b.order);
  const req = (orderId: string, input: Input = {}) => ({ order_id: orderId, ...(toRequest(input) as Input) });
  return {
    name: 'gRPC',
    status: (kind) => DESIGN_STATUS[kind][1],
    createOrder: (c, input = {}) => send('CreateOrder', c, toRequest(input) as Input, order),
    getOrder: (c, id) => send('GetOrder', c, { order_id: id }, order),
    listOrders: (c, query = {}) =>
      send('ListOrders', c, toRequest(query) as Input, (b) => {
        const page = restShape(pageView(orderView), { items: b.orders, ...b.pagination }) as { items: Order[]; next_page_token: string };
        return { items: page.items, next_page_token: page.next_page_token };
      }),
    calculate: (c, input) => send('CalculateOrder', c, toRequest(input) as Input, (b) => restShape(calculationView, b.calculation)),
    addItem: (c, id, input) => send('AddOrderItem', c, req(id, input), order),
    updateItem: (c, id, itemId, patch) => send('UpdateOrderItem', c, { order_id: id, item_id: itemId, ...patchRequest(patch) }, order),
    removeItem: (c, id, itemId) => send('RemoveOrderItem', c, { order_id: id, item_id: itemId }, order),
    applyDiscount: (c, id, discount) => send('ApplyDiscount', c, req(id, discount === null ? {} : { discount }), order),
    finalize: (c, id, input = {}) => send('FinalizeOrder', c, req(id, input), order),
    addPayment: (c, id, input) => send('AddPayment', c, req(id, input), (b) => restShape(paymentResultView, b)),
    voidPayment: (c, id, paymentId) => send('VoidPayment', c, { order_id: id, payment_id: paymentId }, order),
    complete: (c, id, input = {}) => send('CompleteOrder', c, req(id, input), order),
    voidOrder: (c, id, input) => send('VoidOrder', c, req(id, input), order),
    refund: (c, id, input) => send('RefundOrder', c, req(id, input), (b) => restShape(refundResultView, b)),
    checkout: (c, input) => send('Checkout', c, toRequest(input) as Input, order),
  };
}
