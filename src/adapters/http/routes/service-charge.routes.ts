import { z } from 'zod';
import { createServiceChargeInput, updateServiceChargeInput, type ServiceChargeService } from '../../../modules/sales/index.js';
import { pageRequestSchema } from '../../../platform/pagination.js';
import { idParams, pageView, presentPage } from '../../shared/views/common.js';
import { presentServiceCharge, serviceChargeView } from '../../shared/views/service-charge.views.js';
import type { RouteKit } from '../route-kit.js';

const tags = ['Sales settings'];
const listQuery = pageRequestSchema.extend({ include_archived: z.enum(['true', 'false']).transform((s) => s === 'true').optional() });

/** The tenant's service-charge rules, applied by the pricing engine to new orders. */
export function serviceChargeRoutes(r: RouteKit, charges: ServiceChargeService): void {
  r.post('/api/v1/service-charges', { summary: 'Create a service charge (percentage or fixed; before or after tax; taxable or not)', tags, body: createServiceChargeInput, response: serviceChargeView, status: 201 }, async ({ body }, ctx) =>
    presentServiceCharge(await charges.create(ctx, body)),
  );
  r.get('/api/v1/service-charges', { summary: 'List service charges', tags, query: listQuery, response: pageView(serviceChargeView) }, async ({ query }, ctx) => presentPage(await charges.list(ctx, query), presentServiceCharge));
  r.get('/api/v1/service-charges/:id', { summary: 'Get a service charge', tags, params: idParams, response: serviceChargeView }, async ({ params }, ctx) => presentServiceCharge(await charges.get(ctx, params.id)));
  r.patch('/api/v1/service-charges/:id', { summary: 'Update a service charge (new orders only)', tags, params: idParams, body: updateServiceChargeInput, response: serviceChargeView }, async ({ params, body }, ctx) =>
    presentServiceCharge(await charges.update(ctx, params.id, body)),
  );
  r.post('/api/v1/service-charges/:id/archive', { summary: 'Archive a service charge: new orders no longer get it', tags, params: idParams, response: serviceChargeView }, async ({ params }, ctx) =>
    presentServiceCharge(await charges.archive(ctx, params.id)),
  );
}
