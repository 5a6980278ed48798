import { z } from 'zod';
import { requirePermission, withTransaction, type Ctx, type TxCtx } from '../../platform/context.js';
import { uniqueViolation } from '../../platform/db-errors.js';
import { AppError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { dropUndefined } from '../../platform/objects.js';
import { readPage, toPage, type Page, type PageRequest } from '../../platform/pagination.js';
import { nameField, parseInput, uuidField } from '../../platform/validation.js';
import { AccessErrors } from './access.errors.js';
import { accessRepository as repo } from './access.repository.js';
import type { ApiKey, Membership, Role } from './access.schema.js';
import { encodeApiKey, hashSecret, newApiKeySecret } from './api-key.js';
import { isPermission, SYSTEM_ROLES } from './permissions.js';
import { credentialsChangedLocally } from './credential-epoch.js';

const permissionList = z
  .array(z.string())
  .max(200)
  .superRefine((list, c) =>
    list.forEach((p, i) => {
      if (!isPermission(p)) c.addIssue({ code: 'custom', path: [i], message: `unknown permission ${JSON.stringify(p)}` });
    }),
  );

export const createRoleInput = z.strictObject({
  key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, 'lowercase letters, digits and underscores, starting with a letter'),
  name: nameField(100),
  level: z.number().int().min(0).max(99, 'levels 100 and above are reserved for owner and admin'),
  permissions: permissionList,
});
export const updateRoleInput = z.strictObject({ name: nameField(100).optional(), level: createRoleInput.shape.level.optional(), permissions: permissionList.optional() });

export const createMembershipInput = z.strictObject({
  user_id: uuidField().describe('The user id of the Auth service (JWT `sub`)'),
  role_id: uuidField(),
  display_name: nameField(),
  email: z.email('must be an e-mail address').max(254).optional(),
  active: z.boolean().optional(),
});
export const updateMembershipInput = z.strictObject({
  role_id: uuidField().optional(),
  display_name: nameField().optional(),
  email: z.email('must be an e-mail address').max(254).nullable().optional(),
  active: z.boolean().optional(),
});

export const createApiKeyInput = z.strictObject({
  name: nameField(100),
  permissions: permissionList.min(1, 'an API key needs at least one permission'),
  expires_at: z.iso
    .datetime({ offset: true, error: 'must be an RFC 3339 date-time' })
    .refine((v) => new Date(v).getTime() > Date.now(), 'must be in the future')
    .optional(),
});

export type CreateRoleInput = z.input<typeof createRoleInput>;
export type CreateMembershipInput = z.input<typeof createMembershipInput>;
export type CreateApiKeyInput = z.input<typeof createApiKeyInput>;

/** Credential changes (revocation, role edits) are announced so every node's auth cache drops them. */
export type CredentialsChanged = (tx: TxCtx) => Promise<void>;

export class AccessService {
  constructor(private readonly credentialsChanged: CredentialsChanged = async () => undefined) {}

  /** The tenant's system roles (owner, admin, manager, cashier); called when a tenant is provisioned. */
  async seedSystemRoles(tx: TxCtx): Promise<Map<string, Role>> {
    const out = new Map<string, Role>();
    for (const r of SYSTEM_ROLES) {
      const existing = await repo.roleByKey(tx, r.key);
      out.set(r.key, existing ?? (await repo.insertRole(tx, { id: uuidv7(), key: r.key, name: r.name, level: r.level, permissions: r.permissions, system: true })));
    }
    return out;
  }

  // ---- roles
  async listRoles(ctx: Ctx, req: PageRequest): Promise<Page<Role>> {
    requirePermission(ctx, 'pos:staff:read');
    const { limit, after } = readPage(req);
    return toPage(await withTransaction(ctx, (tx) => repo.roles(tx, limit, after)), limit);
  }

  async getRole(ctx: Ctx, id: string): Promise<Role> {
    requirePermission(ctx, 'pos:staff:read');
    const r = await withTransaction(ctx, (tx) => repo.role(tx, id));
    if (!r) throw new AppError(AccessErrors.ROLE_NOT_FOUND, { id });
    return r;
  }

  async createRole(ctx: Ctx, input: CreateRoleInput): Promise<Role> {
    requirePermission(ctx, 'pos:staff:write');
    const i = parseInput(createRoleInput, input);
    this.assertGrantable(ctx, i.permissions);
    return withTransaction(ctx, (tx) =>
      repo.insertRole(tx, { id: uuidv7(), key: i.key, name: i.name, level: i.level, permissions: i.permissions, system: false }).catch((e) => {
        if (uniqueViolation(e)) throw new AppError(AccessErrors.ROLE_KEY_TAKEN, { key: i.key });
        throw e;
      }),
    );
  }

  async updateRole(ctx: Ctx, id: string, input: z.input<typeof updateRoleInput>): Promise<Role> {
    requirePermission(ctx, 'pos:staff:write');
    const i = parseInput(updateRoleInput, input);
    if (i.permissions) this.assertGrantable(ctx, i.permissions);
    return this.changingCredentials(ctx, async (tx) => {
      const role = await repo.role(tx, id);
      if (!role) throw new AppError(AccessErrors.ROLE_NOT_FOUND, { id });
      if (role.key === 'owner') throw new AppError(AccessErrors.ROLE_IS_SYSTEM, { id });
      const updated = await repo.updateRole(tx, id, dropUndefined({ name: i.name, level: i.level, permissions: i.permissions }));
      await this.credentialsChanged(tx);
      return updated!;
    });
  }

  // ---- memberships (staff)
  async listMemberships(ctx: Ctx, req: PageRequest & { active?: boolean | undefined }): Promise<Page<Membership>> {
    requirePermission(ctx, 'pos:staff:read');
    const { limit, after } = readPage(req);
    return toPage(await withTransaction(ctx, (tx) => repo.memberships(tx, limit, after, req.active)), limit);
  }

  async getMembership(ctx: Ctx, id: string): Promise<Membership> {
    requirePermission(ctx, 'pos:staff:read');
    const m = await withTransaction(ctx, (tx) => repo.membership(tx, id));
    if (!m) throw new AppError(AccessErrors.MEMBERSHIP_NOT_FOUND, { id });
    return m;
  }

  async createMembership(ctx: Ctx, input: CreateMembershipInput, id: string = uuidv7()): Promise<Membership> {
    requirePermission(ctx, 'pos:staff:write');
    const i = parseInput(createMembershipInput, input);
    return withTransaction(ctx, async (tx) => {
      await this.assertRoleGrantable(tx, i.role_id);
      return repo
        .insertMembership(tx, { id, userId: i.user_id, roleId: i.role_id, displayName: i.display_name, email: i.email ?? null, active: i.active ?? true })
        .catch((e) => {
          if (uniqueViolation(e)) throw new AppError(AccessErrors.MEMBERSHIP_EXISTS, { user_id: i.user_id });
          throw e;
        });
    });
  }

  async updateMembership(ctx: Ctx, id: string, input: z.input<typeof updateMembershipInput>): Promise<Membership> {
    requirePermission(ctx, 'pos:staff:write');
    const i = parseInput(updateMembershipInput, input);
    return this.changingCredentials(ctx, async (tx) => {
      if (i.role_id) await this.assertRoleGrantable(tx, i.role_id);
      const m = await repo.updateMembership(tx, id, dropUndefined({ roleId: i.role_id, displayName: i.display_name, email: i.email, active: i.active }));
      if (!m) throw new AppError(AccessErrors.MEMBERSHIP_NOT_FOUND, { id });
      await this.credentialsChanged(tx);
      return m;
    });
  }

  // ---- API keys
  async listApiKeys(ctx: Ctx, req: PageRequest): Promise<Page<ApiKey>> {
    requirePermission(ctx, 'pos:apikey:manage');
    const { limit, after } = readPage(req);
    return toPage(await withTransaction(ctx, (tx) => repo.apiKeys(tx, limit, after)), limit);
  }

  async getApiKey(ctx: Ctx, id: string): Promise<ApiKey> {
    requirePermission(ctx, 'pos:apikey:manage');
    const k = await withTransaction(ctx, (tx) => repo.apiKey(tx, id));
    if (!k) throw new AppError(AccessErrors.API_KEY_NOT_FOUND, { id });
    return k;
  }

  /** Creates a key; the returned `secret` is the only time the full key is ever shown. */
  async createApiKey(ctx: Ctx, input: CreateApiKeyInput): Promise<{ apiKey: ApiKey; secret: string }> {
    requirePermission(ctx, 'pos:apikey:manage');
    const i = parseInput(createApiKeyInput, input);
    this.assertGrantable(ctx, i.permissions);
    return withTransaction(ctx, (tx) => this.insertApiKey(tx, i.name, i.permissions, i.expires_at ? new Date(i.expires_at) : null));
  }

  async insertApiKey(tx: TxCtx, name: string, permissions: string[], expiresAt: Date | null = null): Promise<{ apiKey: ApiKey; secret: string }> {
    const id = uuidv7();
    const secretPart = newApiKeySecret();
    const apiKey = await repo.insertApiKey(tx, {
      id,
      name,
      secretHash: hashSecret(secretPart),
      last4: secretPart.slice(-4),
      permissions,
      createdBy: tx.actor.membershipId ?? null,
      expiresAt,
    });
    return { apiKey, secret: encodeApiKey(tx.tenantId, id, secretPart) };
  }

  async revokeApiKey(ctx: Ctx, id: string): Promise<ApiKey> {
    requirePermission(ctx, 'pos:apikey:manage');
    return this.changingCredentials(ctx, async (tx) => {
      const k = await repo.revokeApiKey(tx, id);
      if (!k) throw new AppError(AccessErrors.API_KEY_NOT_FOUND, { id });
      await this.credentialsChanged(tx);
      return k;
    });
  }

  /**
   * A credential change: announced in its transaction (NOTIFY, for every node) and, once it has returned,
   * to this process's authenticators directly, so the change holds on this node by the time the client hears
   * of it. (Joined into an outer transaction, the local notice comes just before that commits; NOTIFY still
   * follows the commit.)
   */
  private async changingCredentials<T>(ctx: Ctx, work: (tx: TxCtx) => Promise<T>): Promise<T> {
    const result = await withTransaction(ctx, work);
    credentialsChangedLocally(ctx.database);
    return result;
  }

  /** Nobody hands out a permission they do not hold themselves. */
  private assertGrantable(ctx: Ctx, permissions: string[]): void {
    const missing = permissions.filter((p) => !ctx.actor.permissions.has(p));
    if (missing.length > 0) throw new AppError(AccessErrors.PERMISSION_ESCALATION, { permissions: missing });
  }

  private async assertRoleGrantable(tx: TxCtx, roleId: string): Promise<void> {
    const role = await repo.role(tx, roleId);
    if (!role) throw new AppError(AccessErrors.ROLE_NOT_FOUND, { id: roleId }, 'role_id: no such role');
    this.assertGrantable(tx, role.permissions);
  }
}
