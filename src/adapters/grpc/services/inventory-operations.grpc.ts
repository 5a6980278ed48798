import * as v from '../../shared/views/inventory.views.js';
import type { Rpc } from '../rpc-kit.js';
import { idArg, pageArg, pageOut, pick, type RpcRequest } from '../wire.js';
import { patchOf } from './catalog-args.grpc.js';

/** pos.v1.InventoryService: suppliers, purchase orders, transfers and counts, as /api/v1/suppliers, /purchase-orders, /transfers, /stock-counts. */
const lines = (req: RpcRequest, keys: readonly string[]) => (Array.isArray(req.lines) ? (req.lines as RpcRequest[]).map((l) => pick(l, keys)) : undefined);
const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, x]) => x !== undefined));
const po = (p: Parameters<typeof v.presentPurchaseOrder>[0]) => ({ purchase_order: v.presentPurchaseOrder(p) });
const transfer = (t: Parameters<typeof v.presentTransfer>[0]) => ({ transfer: v.presentTransfer(t) });
const count = (c: Parameters<typeof v.presentStockCount>[0]) => ({ stock_count: v.presentStockCount(c) });

export const inventoryOperationRpcs: Record<string, Rpc> = {
  CreateSupplier: { write: true, handle: async (req, ctx, { services }) => ({ supplier: v.presentSupplier(await services.purchasing.createSupplier(ctx, pick(req, ['name', 'email', 'phone', 'notes'] as const) as never)) }) },
  ListSuppliers: { handle: async (req, ctx, { services }) => pageOut('suppliers', await services.purchasing.listSuppliers(ctx, pageArg(req)), v.presentSupplier) },
  GetSupplier: { handle: async (req, ctx, { services }) => ({ supplier: v.presentSupplier(await services.purchasing.getSupplier(ctx, idArg(req))) }) },
  UpdateSupplier: {
    write: true,
    handle: async (req, ctx, { services }) => ({
      supplier: v.presentSupplier(await services.purchasing.updateSupplier(ctx, idArg(req), patchOf(req, ['name', 'email', 'phone', 'notes', 'archived'] as const, { email: null, phone: null, notes: null }) as never)),
    }),
  },

  CreatePurchaseOrder: {
    write: true,
    handle: async (req, ctx, { services }) => po(await services.purchasing.create(ctx, defined({ ...pick(req, ['supplier_id', 'location_id', 'notes'] as const), lines: lines(req, ['variant_id', 'quantity', 'unit_cost']) }) as never)),
  },
  GetPurchaseOrder: { handle: async (req, ctx, { services }) => po(await services.purchasing.get(ctx, idArg(req))) },
  ListPurchaseOrders: {
    handle: async (req, ctx, { services }) =>
      pageOut('purchase_orders', await services.purchasing.list(ctx, { ...pageArg(req), ...(typeof req.status === 'string' && req.status !== 'STATUS_UNSPECIFIED' ? { status: req.status as never } : {}) }), v.presentPurchaseOrder),
  },
  OrderPurchaseOrder: { write: true, handle: async (req, ctx, { services }) => po(await services.purchasing.order(ctx, idArg(req, 'purchase_order_id'))) },
  ReceivePurchaseOrder: {
    write: true,
    handle: async (req, ctx, { services }) =>
      po(await services.purchasing.receive(ctx, idArg(req, 'purchase_order_id'), defined({ lines: lines(req, ['variant_id', 'quantity', 'unit_cost']), allow_over_receipt: req.allow_over_receipt === true, occurred_at: req.occurred_at || undefined }) as never)),
  },
  CancelPurchaseOrder: { write: true, handle: async (req, ctx, { services }) => po(await services.purchasing.cancel(ctx, idArg(req, 'purchase_order_id'))) },

  CreateTransfer: {
    write: true,
    handle: async (req, ctx, { services }) => transfer(await services.transfers.create(ctx, defined({ ...pick(req, ['from_location_id', 'to_location_id', 'notes'] as const), lines: lines(req, ['variant_id', 'quantity']) }) as never)),
  },
  GetTransfer: { handle: async (req, ctx, { services }) => transfer(await services.transfers.get(ctx, idArg(req))) },
  ListTransfers: { handle: async (req, ctx, { services }) => pageOut('transfers', await services.transfers.list(ctx, pageArg(req)), v.presentTransfer) },
  ShipTransfer: { write: true, handle: async (req, ctx, { services }) => transfer(await services.transfers.ship(ctx, idArg(req, 'transfer_id'))) },
  ReceiveTransfer: {
    write: true,
    handle: async (req, ctx, { services }) => {
      const got = lines(req, ['variant_id', 'quantity']);
      return transfer(await services.transfers.receive(ctx, idArg(req, 'transfer_id'), got && got.length > 0 ? { lines: got as never } : {}));
    },
  },
  CancelTransfer: { write: true, handle: async (req, ctx, { services }) => transfer(await services.transfers.cancel(ctx, idArg(req, 'transfer_id'))) },

  CreateStockCount: {
    write: true,
    handle: async (req, ctx, { services }) => {
      const ids = Array.isArray(req.variant_ids) && req.variant_ids.length > 0 ? req.variant_ids : undefined;
      return count(await services.stockCounts.create(ctx, defined({ location_id: req.location_id, scope: req.scope || undefined, variant_ids: ids, blind: req.blind === true }) as never));
    },
  },
  GetStockCount: { handle: async (req, ctx, { services }) => count(await services.stockCounts.get(ctx, idArg(req))) },
  ListStockCounts: { handle: async (req, ctx, { services }) => pageOut('stock_counts', await services.stockCounts.list(ctx, pageArg(req)), v.presentStockCount) },
  RecordStockCount: { write: true, handle: async (req, ctx, { services }) => count(await services.stockCounts.record(ctx, idArg(req, 'stock_count_id'), { lines: (lines(req, ['variant_id', 'counted']) ?? []) as never })) },
  PostStockCount: { write: true, handle: async (req, ctx, { services }) => count(await services.stockCounts.post(ctx, idArg(req, 'stock_count_id'))) },
  CancelStockCount: { write: true, handle: async (req, ctx, { services }) => count(await services.stockCounts.cancel(ctx, idArg(req, 'stock_count_id'))) },
};
