import { z } from 'zod';
import {
  addItemInput,
  addPaymentInput,
  checkoutInput,
  createOrderInput,
  finalizeInput,
  listOrdersQuery,
  orderDiscountInput,
  refundInput,
  updateItemInput,
  versionInput,
  voidInput,
  type SalesServices,
} from '../../../modules/sales/index.js';
import { idParams, pageView, presentPage } from '../../shared/views/common.js';
import * as v from '../../shared/views/sales.views.js';
import type { RouteKit } from '../route-kit.js';

const tags = ['Sales'];
const uuid = () => z.string().uuid('must be a UUID').transform((s) => s.toLowerCase());
const itemParams = z.object({ id: uuid(), item_id: uuid() });
const paymentParams = z.object({ id: uuid(), payment_id: uuid() });
const versionQuery = z.object({ expected_version: z.coerce.number().int().min(1).optional() });
const optionalVersion = versionInput.optional();

/** Orders from DRAFT to COMPLETED, payments, refunds, queries and the one-request checkout (issue 4). */
export function salesRoutes(r: RouteKit, { sales }: Pick<SalesServices, 'sales'>): void {
  r.post('/api/v1/orders', { summary: 'Create an order (DRAFT); `{}` opens one at the caller’s default outlet', tags, body: createOrderInput, response: v.orderView, status: 201 }, async ({ body }, ctx) =>
    v.presentOrder((await sales.create(ctx, body ?? {})).graph),
  );
  r.post('/api/v1/orders/calculate', { summary: 'Every figure of an order from the same body as create; nothing is written', tags, body: createOrderInput, response: v.calculationView }, async ({ body }, ctx) =>
    v.presentCalculation(await sales.calculate(ctx, body ?? {})),
  );
  r.get('/api/v1/orders', { summary: 'List and search orders (status, payment status, outlet, cashier, customer, business dates, receipt number)', tags, query: listOrdersQuery, response: pageView(v.orderView) }, async ({ query }, ctx) =>
    presentPage(await sales.list(ctx, query), v.presentOrder),
  );
  r.get('/api/v1/orders/:id', { summary: 'Get an order with its items, payments and refunds', tags, params: idParams, response: v.orderView }, async ({ params }, ctx) => v.presentOrder(await sales.get(ctx, params.id)));

  r.post('/api/v1/orders/:id/items', { summary: 'Add an item (DRAFT only)', tags, params: idParams, body: addItemInput, response: v.orderView, status: 201 }, async ({ params, body }, ctx) =>
    v.presentOrder(await sales.addItem(ctx, params.id, body)),
  );
  r.patch('/api/v1/orders/:id/items/:item_id', { summary: 'Change an item’s quantity, modifiers, discount, seat or notes (DRAFT only)', tags, params: itemParams, body: updateItemInput, response: v.orderView }, async ({ params, body }, ctx) =>
    v.presentOrder(await sales.updateItem(ctx, params.id, params.item_id, body)),
  );
  r.delete('/api/v1/orders/:id/items/:item_id', { summary: 'Remove an item (DRAFT only)', tags, params: itemParams, response: v.orderView }, async ({ params }, ctx) =>
    v.presentOrder(await sales.removeItem(ctx, params.id, params.item_id)),
  );
  r.post('/api/v1/orders/:id/discount', { summary: 'Set or remove the order discount (DRAFT only; pos:sale:discount)', tags, params: idParams, body: orderDiscountInput, response: v.orderView }, async ({ params, body }, ctx) =>
    v.presentOrder(await sales.applyDiscount(ctx, params.id, body)),
  );
  r.post('/api/v1/orders/:id/finalize', { summary: 'Finalize: snapshot prices, taxes, modifiers and discounts; DRAFT → OPEN', tags, params: idParams, body: finalizeInput.optional(), response: v.orderView }, async ({ params, body }, ctx) =>
    v.presentOrder(await sales.finalize(ctx, params.id, body ?? {})),
  );
  r.post('/api/v1/orders/:id/payments', { summary: 'Add a payment (OPEN only): cash with change, card, external; split across any number', tags, params: idParams, body: addPaymentInput, response: v.paymentResultView, status: 201, bodyIdempotencyKey: 'idempotency_key' }, async ({ params, body }, ctx) =>
    v.presentPaymentResult(await sales.addPayment(ctx, params.id, body)),
  );
  r.post('/api/v1/orders/:id/payments/:payment_id/void', { summary: 'Take a captured payment off an OPEN order (pos:sale:void)', tags, params: paymentParams, body: optionalVersion, response: v.orderView }, async ({ params, body }, ctx) =>
    v.presentOrder(await sales.voidPayment(ctx, params.id, params.payment_id, body ?? {})),
  );
  r.post('/api/v1/orders/:id/complete', { summary: 'Complete a fully paid order: receipt number, order.completed; OPEN → COMPLETED', tags, params: idParams, body: optionalVersion, response: v.orderView }, async ({ params, body }, ctx) =>
    v.presentOrder(await sales.complete(ctx, params.id, body ?? {})),
  );
  r.post('/api/v1/orders/:id/void', { summary: 'Void a DRAFT or OPEN order with a reason (pos:sale:void)', tags, params: idParams, body: voidInput, response: v.orderView }, async ({ params, body }, ctx) =>
    v.presentOrder(await sales.void(ctx, params.id, body)),
  );
  r.post('/api/v1/orders/:id/refunds', { summary: 'Refund a completed order: by items and quantities, or by amount', tags, params: idParams, body: refundInput, response: v.refundResultView, status: 201, bodyIdempotencyKey: 'idempotency_key' }, async ({ params, body }, ctx) =>
    v.presentRefundResult(await sales.refund(ctx, params.id, body)),
  );
  r.post('/api/v1/checkout', { summary: 'One-request checkout: order, items and tenders, completed in one transaction', tags, body: checkoutInput, response: v.orderView, status: 201 }, async ({ body }, ctx) =>
    v.presentOrder((await sales.checkout(ctx, body)).graph),
  );
  void versionQuery;
}
