import { z } from 'zod';
import type { ProvisionTenantInput } from '../../../flows/provision-tenant.js';
import { parseInput } from '../../../platform/validation.js';
import { presentMembership } from '../../shared/views/access.views.js';
import { presentOutlet, presentTenant, presentTerminal } from '../../shared/views/tenancy.views.js';
import type { Rpc } from '../rpc-kit.js';
import { idArg, int64Arg, pageArg, pageOut, pick } from '../wire.js';

const TENANT_FIELDS = [
  'id',
  'slug',
  'name',
  'business_type',
  'pos_mode',
  'currency',
  'time_zone',
  'tax_rounding_mode',
  'tax_rounding_level',
  'prices_include_tax',
  'owner',
  'outlet',
  'terminal',
  'api_key',
] as const;
const listFilter = z.object({ status: z.enum(['active', 'suspended']).optional() });
const suspendInput = z.object({ reason: z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters').optional() });
const platform = 'platform' as const;

/** pos.v1.PlatformService: the operator's tenant registry, over the same services as /api/v1/platform/tenants. */
export const platformRpcs: Record<string, Rpc> = {
  CreateTenant: {
    auth: platform,
    write: true,
    handle: async (req, _ctx, { services }) => {
      // provisionTenant validates the input (parseInput) exactly as for REST; the cast only hands it over.
      const input = { ...pick(req, TENANT_FIELDS), ...(req.cash_rounding_unit !== undefined ? { cash_rounding_unit: int64Arg(req.cash_rounding_unit) } : {}) } as ProvisionTenantInput;
      const p = await services.provisionTenant(input);
      return {
        tenant: presentTenant(p.tenant),
        outlet: presentOutlet(p.outlet),
        terminal: presentTerminal(p.terminal),
        owner: p.owner ? presentMembership(p.owner) : null,
        api_key: p.apiKey ?? null,
      };
    },
  },
  ListTenants: {
    auth: platform,
    handle: async (req, _ctx, { services }) => {
      const { status } = parseInput(listFilter, { status: req.status });
      return pageOut('tenants', await services.tenants.list({ ...pageArg(req), status }), presentTenant);
    },
  },
  GetTenant: { auth: platform, handle: async (req, _ctx, { services }) => ({ tenant: presentTenant(await services.tenants.byId(idArg(req))) }) },
  SuspendTenant: {
    auth: platform,
    write: true,
    handle: async (req, _ctx, { services }) => {
      const id = idArg(req);
      const { reason } = parseInput(suspendInput, { reason: req.reason });
      return { tenant: presentTenant(await services.tenants.setStatus(id, 'suspended', reason)) };
    },
  },
  ReactivateTenant: { auth: platform, write: true, handle: async (req, _ctx, { services }) => ({ tenant: presentTenant(await services.tenants.setStatus(idArg(req), 'active')) }) },
};
