import type { CreateApiKeyInput, CreateMembershipInput, CreateRoleInput } from '../../../modules/access/index.js';
import type { AccessService } from '../../../modules/access/index.js';
import { SECRET_SHOWN_ONCE } from '../../http/routes/access.routes.js';
import { presentApiKey, presentMembership, presentRole } from '../../shared/views/access.views.js';
import type { Rpc } from '../rpc-kit.js';
import { registerRpcs } from './registers.grpc.js';
import { idArg, pageArg, pageOut, pick, type RpcRequest } from '../wire.js';

type UpdateRoleInput = Parameters<AccessService['updateRole']>[2];
type UpdateMembershipInput = Parameters<AccessService['updateMembership']>[2];

// The services validate these inputs (parseInput) exactly as for REST; the casts only hand them over.
const updateRole = (req: RpcRequest): UpdateRoleInput => {
  const permissions = req.clear_permissions ? [] : Array.isArray(req.permissions) && req.permissions.length > 0 ? req.permissions : undefined;
  return { ...pick(req, ['name', 'level'] as const), ...(permissions ? { permissions } : {}) } as UpdateRoleInput;
};
// proto3 cannot send null: an empty email clears it.
const updateMember = (req: RpcRequest): UpdateMembershipInput =>
  ({ ...pick(req, ['role_id', 'display_name', 'active'] as const), ...(req.email !== undefined ? { email: req.email === '' ? null : req.email } : {}) }) as UpdateMembershipInput;

/** pos.v1.StaffService: roles, staff members and API keys over the same services as /api/v1/roles, /staff, /api-keys. */
export const staffRpcs: Record<string, Rpc> = {
  ListRoles: { handle: async (req, ctx, { services }) => pageOut('roles', await services.access.listRoles(ctx, pageArg(req)), presentRole) },
  GetRole: { handle: async (req, ctx, { services }) => ({ role: presentRole(await services.access.getRole(ctx, idArg(req))) }) },
  CreateRole: {
    write: true,
    handle: async (req, ctx, { services }) => ({
      role: presentRole(await services.access.createRole(ctx, { permissions: [], ...pick(req, ['key', 'name', 'level', 'permissions'] as const) } as CreateRoleInput)),
    }),
  },
  UpdateRole: { write: true, handle: async (req, ctx, { services }) => ({ role: presentRole(await services.access.updateRole(ctx, idArg(req), updateRole(req))) }) },

  CreateStaffMember: {
    write: true,
    handle: async (req, ctx, { services }) => ({
      staff_member: presentMembership(await services.access.createMembership(ctx, pick(req, ['user_id', 'role_id', 'display_name', 'email', 'active'] as const) as CreateMembershipInput)),
    }),
  },
  GetStaffMember: { handle: async (req, ctx, { services }) => ({ staff_member: presentMembership(await services.access.getMembership(ctx, idArg(req))) }) },
  ListStaffMembers: {
    handle: async (req, ctx, { services }) =>
      pageOut('staff_members', await services.access.listMemberships(ctx, { ...pageArg(req), active: req.active as boolean | undefined }), presentMembership),
  },
  UpdateStaffMember: {
    write: true,
    handle: async (req, ctx, { services }) => ({ staff_member: presentMembership(await services.access.updateMembership(ctx, idArg(req), updateMember(req))) }),
  },

  CreateApiKey: {
    write: true,
    // An idempotent replay does not show the secret again: it is never kept at rest (as over REST).
    redactForReplay: (created) => ({ ...(created as object), secret: SECRET_SHOWN_ONCE }),
    handle: async (req, ctx, { services }) => {
      const { apiKey, secret } = await services.access.createApiKey(ctx, pick(req, ['name', 'permissions', 'expires_at'] as const) as CreateApiKeyInput);
      return { api_key: presentApiKey(apiKey), secret };
    },
  },
  ListApiKeys: { handle: async (req, ctx, { services }) => pageOut('api_keys', await services.access.listApiKeys(ctx, pageArg(req)), presentApiKey) },
  GetApiKey: { handle: async (req, ctx, { services }) => ({ api_key: presentApiKey(await services.access.getApiKey(ctx, idArg(req))) }) },
  RevokeApiKey: { write: true, handle: async (req, ctx, { services }) => ({ api_key: presentApiKey(await services.access.revokeApiKey(ctx, idArg(req))) }) },

  ...registerRpcs,
};
