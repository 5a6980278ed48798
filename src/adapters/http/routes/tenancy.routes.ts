import { z } from 'zod';
import { createOutletInput, updateOutletInput, updateTenantSettingsInput } from '../../../modules/tenancy/index.js';
import type { Services } from '../../../services.js';
import { pageRequestSchema } from '../../../platform/pagination.js';
import { idParams, pageView, presentPage } from '../../shared/views/common.js';
import { outletView, presentOutlet, presentTenant, tenantView } from '../../shared/views/tenancy.views.js';
import type { RouteKit } from '../route-kit.js';

const tags = ['Tenancy'];
const outletListQuery = pageRequestSchema.extend({ active: z.enum(['true', 'false']).transform((v) => v === 'true').optional() });

export function tenancyRoutes(r: RouteKit, { tenants, outlets }: Services): void {
  r.get('/api/v1/tenant', { summary: 'The caller’s tenant (merchant) and its settings', tags, response: tenantView }, async (_, ctx) => presentTenant(await tenants.current(ctx)));
  r.patch('/api/v1/tenant', { summary: 'Change tenant settings (currency, time zone, tax rounding…)', tags, body: updateTenantSettingsInput, response: tenantView }, async ({ body }, ctx) =>
    presentTenant(await tenants.updateSettings(ctx, body)),
  );

  r.post('/api/v1/outlets', { summary: 'Create an outlet', tags, body: createOutletInput, response: outletView, status: 201 }, async ({ body }, ctx) => presentOutlet(await outlets.create(ctx, body)));
  r.get('/api/v1/outlets', { summary: 'List outlets', tags, query: outletListQuery, response: pageView(outletView) }, async ({ query }, ctx) => presentPage(await outlets.list(ctx, query), presentOutlet));
  r.get('/api/v1/outlets/:id', { summary: 'Get an outlet', tags, params: idParams, response: outletView }, async ({ params }, ctx) => presentOutlet(await outlets.get(ctx, params.id)));
  r.patch('/api/v1/outlets/:id', { summary: 'Update an outlet', tags, params: idParams, body: updateOutletInput, response: outletView }, async ({ params, body }, ctx) =>
    presentOutlet(await outlets.update(ctx, params.id, body)),
  );
}
