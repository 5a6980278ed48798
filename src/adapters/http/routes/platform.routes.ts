import { z } from 'zod';
import { provisionTenantInput } from '../../../flows/provision-tenant.js';
import { pageRequestSchema } from '../../../platform/pagination.js';
import type { Services } from '../../../services.js';
import { membershipView, presentMembership } from '../../shared/views/access.views.js';
import { idParams, pageView, presentPage } from '../../shared/views/common.js';
import { outletView, presentOutlet, presentTenant, presentTerminal, tenantView, terminalView } from '../../shared/views/tenancy.views.js';
import type { RouteKit } from '../route-kit.js';

const tags = ['Platform operator'];
const provisionedView = z.object({
  tenant: tenantView,
  outlet: outletView,
  terminal: terminalView,
  owner: membershipView.nullable(),
  api_key: z.object({ id: z.string(), secret: z.string() }).nullable(),
});
const suspendBody = z.strictObject({ reason: z.string().trim().min(1).max(500).optional() }).optional();

export function platformRoutes(r: RouteKit, s: Services): void {
  const auth = 'platform' as const;
  r.post('/api/v1/platform/tenants', { summary: 'Provision a tenant (merchant) with roles, an outlet, a register, an owner and optionally an API key', tags, auth, body: provisionTenantInput, response: provisionedView, status: 201 }, async ({ body }) => {
    const p = await s.provisionTenant(body);
    return {
      tenant: presentTenant(p.tenant),
      outlet: presentOutlet(p.outlet),
      terminal: presentTerminal(p.terminal),
      owner: p.owner ? presentMembership(p.owner) : null,
      api_key: p.apiKey ?? null,
    };
  });
  r.get('/api/v1/platform/tenants', { summary: 'List tenants', tags, auth, query: pageRequestSchema.extend({ status: z.enum(['active', 'suspended']).optional() }), response: pageView(tenantView) }, async ({ query }) =>
    presentPage(await s.tenants.list(query), presentTenant),
  );
  r.get('/api/v1/platform/tenants/:id', { summary: 'Get a tenant', tags, auth, params: idParams, response: tenantView }, async ({ params }) => presentTenant(await s.tenants.byId(params.id)));
  r.post('/api/v1/platform/tenants/:id/suspend', { summary: 'Suspend a tenant: every credential of it is refused at once', tags, auth, params: idParams, body: suspendBody, response: tenantView }, async ({ params, body }) =>
    presentTenant(await s.tenants.setStatus(params.id, 'suspended', body?.reason)),
  );
  r.post('/api/v1/platform/tenants/:id/reactivate', { summary: 'Reactivate a suspended tenant', tags, auth, params: idParams, response: tenantView }, async ({ params }) =>
    presentTenant(await s.tenants.setStatus(params.id, 'active')),
  );
}
