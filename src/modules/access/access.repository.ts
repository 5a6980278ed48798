import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { TxScope } from '../../platform/context.js';
import { rowsOf } from '../../platform/db.js';
import { apiKeys, memberships, roles, type ApiKey, type Membership, type Role } from './access.schema.js';

type Insert<T extends { $inferInsert: object }> = Omit<T['$inferInsert'], 'tenantId'>;

export const accessRepository = {
  async insertRole(ctx: TxScope, row: Insert<typeof roles>): Promise<Role> {
    const [r] = await ctx.db.insert(roles).values({ ...row, tenantId: ctx.tenantId }).returning();
    return r!;
  },
  async role(ctx: TxScope, id: string): Promise<Role | undefined> {
    const [r] = await ctx.db.select().from(roles).where(and(eq(roles.tenantId, ctx.tenantId), eq(roles.id, id)));
    return r;
  },
  async roleByKey(ctx: TxScope, key: string): Promise<Role | undefined> {
    const [r] = await ctx.db.select().from(roles).where(and(eq(roles.tenantId, ctx.tenantId), eq(roles.key, key)));
    return r;
  },
  async roles(ctx: TxScope, limit: number, after?: string): Promise<Role[]> {
    return ctx.db
      .select()
      .from(roles)
      .where(and(eq(roles.tenantId, ctx.tenantId), after ? gt(roles.id, after) : undefined))
      .orderBy(asc(roles.id))
      .limit(limit + 1);
  },
  async updateRole(ctx: TxScope, id: string, patch: Partial<Insert<typeof roles>>): Promise<Role | undefined> {
    const [r] = await ctx.db
      .update(roles)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(and(eq(roles.tenantId, ctx.tenantId), eq(roles.id, id)))
      .returning();
    return r;
  },

  async insertMembership(ctx: TxScope, row: Insert<typeof memberships>): Promise<Membership> {
    const [m] = await ctx.db.insert(memberships).values({ ...row, tenantId: ctx.tenantId }).returning();
    return m!;
  },
  async membership(ctx: TxScope, id: string): Promise<Membership | undefined> {
    const [m] = await ctx.db.select().from(memberships).where(and(eq(memberships.tenantId, ctx.tenantId), eq(memberships.id, id)));
    return m;
  },
  /** A membership with its role's permissions, for authentication. */
  async membershipWithRole(ctx: TxScope, id: string): Promise<{ membership: Membership; role: Role } | undefined> {
    const [row] = await ctx.db
      .select({ membership: memberships, role: roles })
      .from(memberships)
      .innerJoin(roles, and(eq(roles.tenantId, memberships.tenantId), eq(roles.id, memberships.roleId)))
      .where(and(eq(memberships.tenantId, ctx.tenantId), eq(memberships.id, id)));
    return row;
  },
  async memberships(ctx: TxScope, limit: number, after?: string, active?: boolean): Promise<Membership[]> {
    return ctx.db
      .select()
      .from(memberships)
      .where(
        and(
          eq(memberships.tenantId, ctx.tenantId),
          after ? gt(memberships.id, after) : undefined,
          active === undefined ? undefined : eq(memberships.active, active),
        ),
      )
      .orderBy(asc(memberships.id))
      .limit(limit + 1);
  },
  async updateMembership(ctx: TxScope, id: string, patch: Partial<Insert<typeof memberships>>): Promise<Membership | undefined> {
    const [m] = await ctx.db
      .update(memberships)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(and(eq(memberships.tenantId, ctx.tenantId), eq(memberships.id, id)))
      .returning();
    return m;
  },

  async insertApiKey(ctx: TxScope, row: Insert<typeof apiKeys>): Promise<ApiKey> {
    const [k] = await ctx.db.insert(apiKeys).values({ ...row, tenantId: ctx.tenantId }).returning();
    return k!;
  },
  async apiKey(ctx: TxScope, id: string): Promise<ApiKey | undefined> {
    const [k] = await ctx.db.select().from(apiKeys).where(and(eq(apiKeys.tenantId, ctx.tenantId), eq(apiKeys.id, id)));
    return k;
  },
  /** The terminal (and its outlet) an API key acts as, when the key is an active paired device's credential. */
  async deviceBinding(ctx: TxScope, apiKeyId: string): Promise<{ terminalId: string; outletId: string } | undefined> {
    const [r] = rowsOf<{ terminal_id: string; outlet_id: string }>(
      await ctx.db.execute(sql`SELECT d.terminal_id, t.outlet_id FROM devices d JOIN terminals t ON t.tenant_id = d.tenant_id AND t.id = d.terminal_id
                                WHERE d.tenant_id = ${ctx.tenantId} AND d.api_key_id = ${apiKeyId} AND d.status = 'ACTIVE'`),
    );
    return r ? { terminalId: r.terminal_id, outletId: r.outlet_id } : undefined;
  },
  async apiKeys(ctx: TxScope, limit: number, after?: string): Promise<ApiKey[]> {
    return ctx.db
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.tenantId, ctx.tenantId), after ? gt(apiKeys.id, after) : undefined))
      .orderBy(asc(apiKeys.id))
      .limit(limit + 1);
  },
  async revokeApiKey(ctx: TxScope, id: string): Promise<ApiKey | undefined> {
    const [k] = await ctx.db
      .update(apiKeys)
      .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
      .where(and(eq(apiKeys.tenantId, ctx.tenantId), eq(apiKeys.id, id)))
      .returning();
    return k;
  },
  async touchApiKey(ctx: TxScope, id: string): Promise<void> {
    await ctx.db
      .update(apiKeys)
      .set({ lastUsedAt: sql`now()` })
      .where(and(eq(apiKeys.tenantId, ctx.tenantId), eq(apiKeys.id, id)));
  },
};
