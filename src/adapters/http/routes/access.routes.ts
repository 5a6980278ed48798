import { z } from 'zod';
import { createApiKeyInput, createMembershipInput, createRoleInput, updateMembershipInput, updateRoleInput } from '../../../modules/access/index.js';
import { pageRequestSchema } from '../../../platform/pagination.js';
import type { Services } from '../../../services.js';
import { apiKeyView, createdApiKeyView, membershipView, presentApiKey, presentMembership, presentRole, roleView } from '../../shared/views/access.views.js';
import { idParams, pageView, presentPage } from '../../shared/views/common.js';
import type { RouteKit } from '../route-kit.js';

/** Replaces the secret in replays of a key's creation. */
export const SECRET_SHOWN_ONCE = '(shown once, in the first response)';

const meView = z.object({
  tenant_id: z.string(),
  actor_kind: z.string(),
  user_id: z.string().nullable(),
  membership_id: z.string().nullable(),
  api_key_id: z.string().nullable(),
  permissions: z.array(z.string()),
});
const activeQuery = pageRequestSchema.extend({ active: z.enum(['true', 'false']).transform((v) => v === 'true').optional() });

export function accessRoutes(r: RouteKit, { access }: Services): void {
  r.get('/api/v1/me', { summary: 'Who the credentials are: tenant, actor and effective permissions', tags: ['Access'], response: meView }, async (_, ctx) => ({
    tenant_id: ctx.tenantId,
    actor_kind: ctx.actor.kind,
    user_id: ctx.actor.userId ?? null,
    membership_id: ctx.actor.membershipId ?? null,
    api_key_id: ctx.actor.apiKeyId ?? null,
    permissions: [...ctx.actor.permissions].sort(),
  }));

  const roles = ['Roles'];
  r.get('/api/v1/roles', { summary: 'List roles', tags: roles, query: pageRequestSchema, response: pageView(roleView) }, async ({ query }, ctx) => presentPage(await access.listRoles(ctx, query), presentRole));
  r.post('/api/v1/roles', { summary: 'Create a custom role', tags: roles, body: createRoleInput, response: roleView, status: 201 }, async ({ body }, ctx) => presentRole(await access.createRole(ctx, body)));
  r.get('/api/v1/roles/:id', { summary: 'Get a role', tags: roles, params: idParams, response: roleView }, async ({ params }, ctx) => presentRole(await access.getRole(ctx, params.id)));
  r.patch('/api/v1/roles/:id', { summary: 'Update a role', tags: roles, params: idParams, body: updateRoleInput, response: roleView }, async ({ params, body }, ctx) =>
    presentRole(await access.updateRole(ctx, params.id, body)),
  );

  const staff = ['Staff'];
  r.get('/api/v1/staff', { summary: 'List staff memberships', tags: staff, query: activeQuery, response: pageView(membershipView) }, async ({ query }, ctx) =>
    presentPage(await access.listMemberships(ctx, query), presentMembership),
  );
  r.post('/api/v1/staff', { summary: 'Add a staff member (a user of the Auth service) with a role', tags: staff, body: createMembershipInput, response: membershipView, status: 201 }, async ({ body }, ctx) =>
    presentMembership(await access.createMembership(ctx, body)),
  );
  r.get('/api/v1/staff/:id', { summary: 'Get a staff membership', tags: staff, params: idParams, response: membershipView }, async ({ params }, ctx) => presentMembership(await access.getMembership(ctx, params.id)));
  r.patch('/api/v1/staff/:id', { summary: 'Change a staff member’s role, name or active flag', tags: staff, params: idParams, body: updateMembershipInput, response: membershipView }, async ({ params, body }, ctx) =>
    presentMembership(await access.updateMembership(ctx, params.id, body)),
  );

  const keys = ['API keys'];
  r.get('/api/v1/api-keys', { summary: 'List API keys (never their secrets)', tags: keys, query: pageRequestSchema, response: pageView(apiKeyView) }, async ({ query }, ctx) =>
    presentPage(await access.listApiKeys(ctx, query), presentApiKey),
  );
  r.post(
    '/api/v1/api-keys',
    {
      summary: 'Create an API key; the response is the only time its secret is shown',
      tags: keys,
      body: createApiKeyInput,
      response: createdApiKeyView,
      status: 201,
      // An idempotent replay does not show the secret again: it is never kept at rest.
      redactForReplay: (created) => ({ ...(created as object), secret: SECRET_SHOWN_ONCE }),
    },
    async ({ body }, ctx) => {
      const { apiKey, secret } = await access.createApiKey(ctx, body);
      return { ...presentApiKey(apiKey), secret };
    },
  );
  r.get('/api/v1/api-keys/:id', { summary: 'Get an API key', tags: keys, params: idParams, response: apiKeyView }, async ({ params }, ctx) => presentApiKey(await access.getApiKey(ctx, params.id)));
  r.post('/api/v1/api-keys/:id/revoke', { summary: 'Revoke an API key (refused on every node at once)', tags: keys, params: idParams, response: apiKeyView }, async ({ params }, ctx) =>
    presentApiKey(await access.revokeApiKey(ctx, params.id)),
  );
}
