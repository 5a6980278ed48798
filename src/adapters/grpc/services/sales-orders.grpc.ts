import { presentCalculation } from '../../shared/views/sales.views.js';
import type { Rpc } from '../rpc-kit.js';
import { pageOut } from '../wire.js';
import { checkoutArg, listArg, orderArg, orderIdArg, orderWire } from './sales-args.grpc.js';

/** pos.v1.SalesService: creating, reading, pricing and one-request checkout, as POST/GET /api/v1/orders, /orders/calculate and /checkout. */
export const salesOrderRpcs: Record<string, Rpc> = {
  CreateOrder: { write: true, handle: async (req, ctx, { services }) => ({ order: orderWire((await services.sales.create(ctx, orderArg(req))).graph) }) },
  GetOrder: { handle: async (req, ctx, { services }) => ({ order: orderWire(await services.sales.get(ctx, orderIdArg(req))) }) },
  ListOrders: { handle: async (req, ctx, { services }) => pageOut('orders', await services.sales.list(ctx, listArg(req)), orderWire) },
  CalculateOrder: { handle: async (req, ctx, { services }) => ({ calculation: presentCalculation(await services.sales.calculate(ctx, orderArg(req))) }) },
  Checkout: { write: true, handle: async (req, ctx, { services }) => ({ order: orderWire((await services.sales.checkout(ctx, checkoutArg(req))).graph) }) },
};
