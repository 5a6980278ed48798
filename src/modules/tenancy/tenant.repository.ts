import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../../platform/db.js';
import { NIL_UUID, preparedQuery } from '../../platform/prepared.js';
import type { TxScope } from '../../platform/context.js';
import { outlets, tenants, terminals, type Outlet, type Tenant, type Terminal } from './tenancy.schema.js';

/** Tenants are the platform registry (no RLS): reached by id from credentials, or listed by the operator. */
export const tenantRepository = {
  async insert(db: Db, row: typeof tenants.$inferInsert): Promise<Tenant> {
    const [t] = await db.insert(tenants).values(row).returning();
    return t!;
  },
  async byId(db: Db, id: string): Promise<Tenant | undefined> {
    const [t] = await db.select().from(tenants).where(eq(tenants.id, id));
    return t;
  },
  async list(db: Db, limit: number, after: string | undefined, status?: Tenant['status']): Promise<Tenant[]> {
    return db
      .select()
      .from(tenants)
      .where(and(after ? gt(tenants.id, after) : undefined, status ? eq(tenants.status, status) : undefined))
      .orderBy(asc(tenants.id))
      .limit(limit + 1);
  },
  async update(db: Db, id: string, patch: Partial<typeof tenants.$inferInsert>): Promise<Tenant | undefined> {
    const [t] = await db
      .update(tenants)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(eq(tenants.id, id))
      .returning();
    return t;
  },
};

export const outletRepository = {
  async insert(ctx: TxScope, row: Omit<typeof outlets.$inferInsert, 'tenantId'>): Promise<Outlet> {
    const [o] = await ctx.db.insert(outlets).values({ ...row, tenantId: ctx.tenantId }).returning();
    return o!;
  },
  async byId(ctx: TxScope, id: string): Promise<Outlet | undefined> {
    const [o] = await ctx.db.select().from(outlets).where(and(eq(outlets.tenantId, ctx.tenantId), eq(outlets.id, id)));
    return o;
  },
  async list(ctx: TxScope, limit: number, after: string | undefined, active?: boolean): Promise<Outlet[]> {
    // The hottest read of the foundation (registers poll it): one prepared statement for every page and filter.
    const q = preparedQuery(ctx.db, 'outlets.list', () =>
      ctx.db
        .select()
        .from(outlets)
        .where(
          and(
            eq(outlets.tenantId, sql.placeholder('tenantId')),
            gt(outlets.id, sql.placeholder('after')),
            sql`(${sql.placeholder('active')}::boolean IS NULL OR ${outlets.active} = ${sql.placeholder('active')}::boolean)`,
          ),
        )
        .orderBy(asc(outlets.id))
        .limit(sql.placeholder('limit'))
        .prepare('kasir_outlets_list'),
    );
    return q.execute({ tenantId: ctx.tenantId, after: after ?? NIL_UUID, active: active ?? null, limit: limit + 1 });
  },
  async update(ctx: TxScope, id: string, patch: Partial<typeof outlets.$inferInsert>): Promise<Outlet | undefined> {
    const [o] = await ctx.db
      .update(outlets)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(and(eq(outlets.tenantId, ctx.tenantId), eq(outlets.id, id)))
      .returning();
    return o;
  },
  async insertTerminal(ctx: TxScope, row: Omit<typeof terminals.$inferInsert, 'tenantId'>): Promise<Terminal> {
    const [t] = await ctx.db.insert(terminals).values({ ...row, tenantId: ctx.tenantId }).returning();
    return t!;
  },
};
