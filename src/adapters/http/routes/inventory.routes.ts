import { z } from 'zod';
import { adjustStockInput, createLocationInput, inventorySettingsInput, movementListQuery, stockListQuery, stockThresholdsInput, updateLocationInput } from '../../../modules/inventory/index.js';
import { pageRequestSchema } from '../../../platform/pagination.js';
import { uuidField } from '../../../platform/validation.js';
import type { Services } from '../../../services.js';
import { idParams, pageView, presentPage } from '../../shared/views/common.js';
import {
  adjustmentView, inventorySettingsView, locationView, movementView, presentAdjustment, presentLevel, presentLocation, presentMovement, presentSettings, presentValuation,
  stockLevelView, valuationView,
} from '../../shared/views/inventory.views.js';
import type { RouteKit } from '../route-kit.js';

const tags = ['Inventory'];
const levelParams = z.object({ location_id: uuidField(), variant_id: uuidField() });

export function inventoryRoutes(r: RouteKit, { inventory }: Pick<Services, 'inventory'>): void {
  r.get('/api/v1/inventory/settings', { summary: 'Inventory settings: negative stock, reservations, costing', tags, response: inventorySettingsView }, async (_, ctx) => presentSettings(await inventory.settings(ctx)));
  r.put('/api/v1/inventory/settings', { summary: 'Change inventory settings', tags, body: inventorySettingsInput, response: inventorySettingsView }, async ({ body }, ctx) =>
    presentSettings(await inventory.updateSettings(ctx, body)),
  );

  r.post('/api/v1/inventory/locations', { summary: 'Create a stock location (warehouse or outlet stock room)', tags, body: createLocationInput, response: locationView, status: 201 }, async ({ body }, ctx) =>
    presentLocation(await inventory.createLocation(ctx, body)),
  );
  r.get('/api/v1/inventory/locations', { summary: 'List stock locations (every outlet has a default selling location)', tags, query: pageRequestSchema, response: pageView(locationView) }, async ({ query }, ctx) =>
    presentPage(await inventory.listLocations(ctx, query), presentLocation),
  );
  r.get('/api/v1/inventory/locations/:id', { summary: 'Get a stock location', tags, params: idParams, response: locationView }, async ({ params }, ctx) => presentLocation(await inventory.getLocation(ctx, params.id)));
  r.patch('/api/v1/inventory/locations/:id', { summary: 'Rename or archive a stock location', tags, params: idParams, body: updateLocationInput, response: locationView }, async ({ params, body }, ctx) =>
    presentLocation(await inventory.updateLocation(ctx, params.id, body)),
  );
  r.get('/api/v1/inventory/locations/:id/valuation', { summary: 'Units and value of a location’s stock (moving-average cost, or the remaining FIFO layers for a FIFO tenant)', tags, params: idParams, response: valuationView }, async ({ params }, ctx) =>
    presentValuation(await inventory.valuation(ctx, params.id)),
  );

  r.get('/api/v1/inventory/stock', { summary: 'Stock levels at a location', tags, query: stockListQuery, response: pageView(stockLevelView) }, async ({ query }, ctx) =>
    presentPage(await inventory.listStock(ctx, query), presentLevel),
  );
  r.get('/api/v1/inventory/stock/:location_id/:variant_id', { summary: 'Stock of one variant at one location', tags, params: levelParams, response: stockLevelView }, async ({ params }, ctx) =>
    presentLevel(await inventory.getStock(ctx, params.location_id, params.variant_id)),
  );
  r.patch('/api/v1/inventory/stock/:location_id/:variant_id', { summary: 'Set reorder point and par level', tags, params: levelParams, body: stockThresholdsInput, response: stockLevelView }, async ({ params, body }, ctx) =>
    presentLevel(await inventory.setThresholds(ctx, params.location_id, params.variant_id, body)),
  );
  r.post('/api/v1/inventory/adjustments', { summary: 'Adjust stock (adjustment, waste, production, receipt): one ledger movement', tags, body: adjustStockInput, response: adjustmentView, status: 201 }, async ({ body }, ctx) =>
    presentAdjustment(await inventory.adjust(ctx, body)),
  );
  r.get('/api/v1/inventory/movements', { summary: 'The stock movement ledger', tags, query: movementListQuery, response: pageView(movementView) }, async ({ query }, ctx) =>
    presentPage(await inventory.listMovements(ctx, query), presentMovement),
  );
}
