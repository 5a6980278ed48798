import type { Rpc } from '../rpc-kit.js';
import { idArg } from '../wire.js';
import { addItemArg, itemPatchArg, orderDiscountArg, orderIdArg, orderWire, versionArg } from './sales-args.grpc.js';

/** pos.v1.SalesService: editing a DRAFT's items and discount, as /api/v1/orders/{id}/items and /orders/{id}/discount. */
export const salesItemRpcs: Record<string, Rpc> = {
  AddOrderItem: { write: true, handle: async (req, ctx, { services }) => ({ order: orderWire(await services.sales.addItem(ctx, orderIdArg(req), addItemArg(req))) }) },
  UpdateOrderItem: {
    write: true,
    handle: async (req, ctx, { services }) => ({ order: orderWire(await services.sales.updateItem(ctx, orderIdArg(req), idArg(req, 'item_id'), itemPatchArg(req))) }),
  },
  RemoveOrderItem: {
    write: true,
    handle: async (req, ctx, { services }) => ({ order: orderWire(await services.sales.removeItem(ctx, orderIdArg(req), idArg(req, 'item_id'), versionArg(req))) }),
  },
  ApplyDiscount: { write: true, handle: async (req, ctx, { services }) => ({ order: orderWire(await services.sales.applyDiscount(ctx, orderIdArg(req), orderDiscountArg(req))) }) },
};
