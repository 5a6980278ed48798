import type { Rpc } from '../rpc-kit.js';
import { idArg } from '../wire.js';
import { couponCodesArg, orderIdArg, orderWire, paymentArg, paymentResultWire, refundArg, refundResultWire, versionArg, voidArg } from './sales-args.grpc.js';

/**
 * pos.v1.SalesService: the order's lifecycle and money, as POST /api/v1/orders/{id}/finalize, /payments,
 * /payments/{payment_id}/void, /complete, /void and /refunds. AddPayment and RefundOrder give the request's
 * idempotency key to the payment or refund they make (REST's body idempotency_key): a retry is charged once
 * even when it arrives through the other transport.
 */
export const salesLifecycleRpcs: Record<string, Rpc> = {
  FinalizeOrder: { write: true, handle: async (req, ctx, { services }) => ({ order: orderWire(await services.sales.finalize(ctx, orderIdArg(req), { ...versionArg(req), ...couponCodesArg(req) })) }) },
  AddPayment: {
    write: true,
    ownIdempotency: true,
    handle: async (req, ctx, { services }, call) => paymentResultWire(await services.sales.addPayment(ctx, orderIdArg(req), paymentArg(req, call.idempotencyKey))),
  },
  VoidPayment: {
    write: true,
    handle: async (req, ctx, { services }) => ({ order: orderWire(await services.sales.voidPayment(ctx, orderIdArg(req), idArg(req, 'payment_id'), versionArg(req))) }),
  },
  CompleteOrder: { write: true, handle: async (req, ctx, { services }) => ({ order: orderWire(await services.sales.complete(ctx, orderIdArg(req), versionArg(req))) }) },
  VoidOrder: { write: true, handle: async (req, ctx, { services }) => ({ order: orderWire(await services.sales.void(ctx, orderIdArg(req), voidArg(req))) }) },
  RefundOrder: {
    write: true,
    ownIdempotency: true,
    handle: async (req, ctx, { services }, call) => refundResultWire(await services.sales.refund(ctx, orderIdArg(req), refundArg(req, call.idempotencyKey))),
  },
};
