import type { CreateOutletInput, UpdateOutletInput, UpdateTenantSettingsInput } from '../../../modules/tenancy/index.js';
import { presentOutlet, presentTenant } from '../../shared/views/tenancy.views.js';
import type { Rpc } from '../rpc-kit.js';
import { idArg, int64Arg, pageArg, pageOut, pick, type RpcRequest } from '../wire.js';

const OUTLET_FIELDS = [
  'code',
  'name',
  'address_line1',
  'address_line2',
  'city',
  'region',
  'postal_code',
  'country',
  'phone',
  'time_zone',
  'business_day_cutoff',
  'active',
] as const;
const SETTINGS_FIELDS = ['name', 'business_type', 'pos_mode', 'currency', 'time_zone', 'tax_rounding_mode', 'tax_rounding_level', 'prices_include_tax'] as const;

const RECEIPT_TEXTS = ['receipt_header', 'receipt_footer'] as const;
/** proto3 sends no null: an empty receipt text removes it, as null does over REST. */
const receiptTexts = (req: RpcRequest) => Object.fromEntries(Object.entries(pick(req, RECEIPT_TEXTS)).map(([k, v]) => [k, v === '' ? null : v]));

// The services validate these inputs (parseInput) exactly as for REST; the casts only hand them over.
const settings = (req: RpcRequest) =>
  ({
    ...pick(req, SETTINGS_FIELDS),
    ...receiptTexts(req),
    ...(req.cash_rounding_unit !== undefined ? { cash_rounding_unit: int64Arg(req.cash_rounding_unit) } : {}),
  }) as UpdateTenantSettingsInput;

/** pos.v1.TenantService: the caller's tenant and its outlets, over the same services as /api/v1/tenant and /outlets. */
export const tenantRpcs: Record<string, Rpc> = {
  GetTenant: { handle: async (_req, ctx, { services }) => ({ tenant: presentTenant(await services.tenants.current(ctx)) }) },
  UpdateTenantSettings: {
    write: true,
    handle: async (req, ctx, { services }) => ({ tenant: presentTenant(await services.tenants.updateSettings(ctx, settings(req))) }),
  },
  CreateOutlet: {
    write: true,
    handle: async (req, ctx, { services }) => ({ outlet: presentOutlet(await services.outlets.create(ctx, pick(req, OUTLET_FIELDS) as CreateOutletInput)) }),
  },
  GetOutlet: { handle: async (req, ctx, { services }) => ({ outlet: presentOutlet(await services.outlets.get(ctx, idArg(req))) }) },
  ListOutlets: {
    handle: async (req, ctx, { services }) => pageOut('outlets', await services.outlets.list(ctx, { ...pageArg(req), active: req.active as boolean | undefined }), presentOutlet),
  },
  UpdateOutlet: {
    write: true,
    handle: async (req, ctx, { services }) => ({ outlet: presentOutlet(await services.outlets.update(ctx, idArg(req), pick(req, OUTLET_FIELDS) as UpdateOutletInput)) }),
  },
};
