import {
  createCountInput, createPurchaseOrderInput, recipeInput, stockUnitInput, createSupplierInput, createTransferInput, purchaseOrderListQuery, receivePurchaseOrderInput, receiveTransferInput, recordCountInput, updateSupplierInput,
} from '../../../modules/inventory/index.js';
import { pageRequestSchema } from '../../../platform/pagination.js';
import type { Services } from '../../../services.js';
import { idParams, pageView, presentPage } from '../../shared/views/common.js';
import { presentRecipe, recipeView, stockUnitView } from '../../shared/views/inventory.views.js';
import { presentPurchaseOrder, presentStockCount, presentSupplier, presentTransfer, purchaseOrderView, stockCountView, supplierView, transferView } from '../../shared/views/inventory.views.js';
import type { RouteKit } from '../route-kit.js';

const tags = ['Inventory'];

/** Suppliers, purchase orders, transfers and stock counts. */
export function inventoryOperationRoutes(r: RouteKit, { purchasing, transfers, stockCounts, recipes }: Pick<Services, 'purchasing' | 'transfers' | 'stockCounts' | 'recipes'>): void {
  r.put('/api/v1/inventory/stock-units/:id', { summary: 'Set the unit a variant’s stock is kept in (pcs, dozen, mg, g, kg, ml, l)', tags, params: idParams, body: stockUnitInput, response: stockUnitView }, async ({ params, body }, ctx) =>
    recipes.setStockUnit(ctx, params.id, body),
  );
  for (const owner of ['variant', 'modifier'] as const) {
    r.get(`/api/v1/inventory/recipes/${owner}s/:id`, { summary: `The recipe (bill of materials) of a ${owner}`, tags, params: idParams, response: recipeView }, async ({ params }, ctx) => presentRecipe(await recipes.get(ctx, owner, params.id)));
    r.put(`/api/v1/inventory/recipes/${owner}s/:id`, { summary: `Replace the recipe of a ${owner}: what one ${owner === 'variant' ? 'unit sold' : 'modifier chosen'} consumes`, tags, params: idParams, body: recipeInput, response: recipeView }, async ({ params, body }, ctx) =>
      presentRecipe(await recipes.set(ctx, owner, params.id, body)),
    );
  }

  r.post('/api/v1/suppliers', { summary: 'Create a supplier', tags, body: createSupplierInput, response: supplierView, status: 201 }, async ({ body }, ctx) => presentSupplier(await purchasing.createSupplier(ctx, body)));
  r.get('/api/v1/suppliers', { summary: 'List suppliers', tags, query: pageRequestSchema, response: pageView(supplierView) }, async ({ query }, ctx) => presentPage(await purchasing.listSuppliers(ctx, query), presentSupplier));
  r.get('/api/v1/suppliers/:id', { summary: 'Get a supplier', tags, params: idParams, response: supplierView }, async ({ params }, ctx) => presentSupplier(await purchasing.getSupplier(ctx, params.id)));
  r.patch('/api/v1/suppliers/:id', { summary: 'Update or archive a supplier', tags, params: idParams, body: updateSupplierInput, response: supplierView }, async ({ params, body }, ctx) =>
    presentSupplier(await purchasing.updateSupplier(ctx, params.id, body)),
  );

  r.post('/api/v1/purchase-orders', { summary: 'Create a purchase order (DRAFT)', tags, body: createPurchaseOrderInput, response: purchaseOrderView, status: 201 }, async ({ body }, ctx) => presentPurchaseOrder(await purchasing.create(ctx, body)));
  r.get('/api/v1/purchase-orders', { summary: 'List purchase orders', tags, query: purchaseOrderListQuery, response: pageView(purchaseOrderView) }, async ({ query }, ctx) => presentPage(await purchasing.list(ctx, query), presentPurchaseOrder));
  r.get('/api/v1/purchase-orders/:id', { summary: 'Get a purchase order', tags, params: idParams, response: purchaseOrderView }, async ({ params }, ctx) => presentPurchaseOrder(await purchasing.get(ctx, params.id)));
  r.post('/api/v1/purchase-orders/:id/order', { summary: 'Send a DRAFT purchase order to its supplier (ORDERED)', tags, params: idParams, response: purchaseOrderView }, async ({ params }, ctx) => presentPurchaseOrder(await purchasing.order(ctx, params.id)));
  r.post('/api/v1/purchase-orders/:id/receive', { summary: 'Receive stock against a purchase order (partial, full or, with allow_over_receipt, more)', tags, params: idParams, body: receivePurchaseOrderInput, response: purchaseOrderView }, async ({ params, body }, ctx) =>
    presentPurchaseOrder(await purchasing.receive(ctx, params.id, body)),
  );
  r.post('/api/v1/purchase-orders/:id/cancel', { summary: 'Cancel a DRAFT or ORDERED purchase order', tags, params: idParams, response: purchaseOrderView }, async ({ params }, ctx) => presentPurchaseOrder(await purchasing.cancel(ctx, params.id)));

  r.post('/api/v1/transfers', { summary: 'Create a stock transfer between locations (DRAFT)', tags, body: createTransferInput, response: transferView, status: 201 }, async ({ body }, ctx) => presentTransfer(await transfers.create(ctx, body)));
  r.get('/api/v1/transfers', { summary: 'List stock transfers', tags, query: pageRequestSchema, response: pageView(transferView) }, async ({ query }, ctx) => presentPage(await transfers.list(ctx, query), presentTransfer));
  r.get('/api/v1/transfers/:id', { summary: 'Get a stock transfer', tags, params: idParams, response: transferView }, async ({ params }, ctx) => presentTransfer(await transfers.get(ctx, params.id)));
  r.post('/api/v1/transfers/:id/ship', { summary: 'Ship a transfer: the units leave the sending location (IN_TRANSIT)', tags, params: idParams, response: transferView }, async ({ params }, ctx) => presentTransfer(await transfers.ship(ctx, params.id)));
  r.post('/api/v1/transfers/:id/receive', { summary: 'Receive a transfer, recording what did not arrive (RECEIVED)', tags, params: idParams, body: receiveTransferInput, response: transferView }, async ({ params, body }, ctx) =>
    presentTransfer(await transfers.receive(ctx, params.id, body)),
  );
  r.post('/api/v1/transfers/:id/cancel', { summary: 'Cancel a transfer; units in transit go back', tags, params: idParams, response: transferView }, async ({ params }, ctx) => presentTransfer(await transfers.cancel(ctx, params.id)));

  r.post('/api/v1/stock-counts', { summary: 'Start a stock count (full or partial, optionally blind)', tags, body: createCountInput, response: stockCountView, status: 201 }, async ({ body }, ctx) => presentStockCount(await stockCounts.create(ctx, body)));
  r.get('/api/v1/stock-counts', { summary: 'List stock counts', tags, query: pageRequestSchema, response: pageView(stockCountView) }, async ({ query }, ctx) => presentPage(await stockCounts.list(ctx, query), presentStockCount));
  r.get('/api/v1/stock-counts/:id', { summary: 'Get a stock count', tags, params: idParams, response: stockCountView }, async ({ params }, ctx) => presentStockCount(await stockCounts.get(ctx, params.id)));
  r.post('/api/v1/stock-counts/:id/lines', { summary: 'Record counted quantities', tags, params: idParams, body: recordCountInput, response: stockCountView }, async ({ params, body }, ctx) =>
    presentStockCount(await stockCounts.record(ctx, params.id, body)),
  );
  r.post('/api/v1/stock-counts/:id/post', { summary: 'Post a count: variances become count movements', tags, params: idParams, response: stockCountView }, async ({ params }, ctx) => presentStockCount(await stockCounts.post(ctx, params.id)));
  r.post('/api/v1/stock-counts/:id/cancel', { summary: 'Cancel an open stock count', tags, params: idParams, response: stockCountView }, async ({ params }, ctx) => presentStockCount(await stockCounts.cancel(ctx, params.id)));
}
