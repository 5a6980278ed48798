import { and, asc, eq, gt, isNull, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import type { TxScope } from '../../platform/context.js';
import { rowsOf } from '../../platform/db.js';
import { categories, type Category } from './catalog.schema.js';

export interface CategoryFilter {
  /** A parent id, or null for top-level categories only; undefined for any. */
  parentId?: string | null | undefined;
  active?: boolean | undefined;
  includeArchived?: boolean | undefined;
}

/** SQL only; every query names the tenant (row-level security is the second wall, not the first). */
export const categoryRepository = {
  async insert(tx: TxScope, row: Omit<typeof categories.$inferInsert, 'tenantId'>): Promise<Category> {
    const [c] = await tx.db.insert(categories).values({ ...row, tenantId: tx.tenantId }).returning();
    return c!;
  },

  async byId(tx: TxScope, id: string): Promise<Category | undefined> {
    const [c] = await tx.db.select().from(categories).where(and(eq(categories.tenantId, tx.tenantId), eq(categories.id, id)));
    return c;
  },

  async list(tx: TxScope, f: CategoryFilter, limit: number, after: string | undefined): Promise<Category[]> {
    return tx.db
      .select()
      .from(categories)
      .where(
        and(
          eq(categories.tenantId, tx.tenantId),
          after ? gt(categories.id, after) : undefined,
          f.parentId === undefined ? undefined : f.parentId === null ? isNull(categories.parentId) : eq(categories.parentId, f.parentId),
          f.active === undefined ? undefined : eq(categories.active, f.active),
          f.includeArchived ? undefined : isNull(categories.archivedAt),
        ),
      )
      .orderBy(asc(categories.id))
      .limit(limit + 1);
  },

  async update(tx: TxScope, id: string, patch: PgUpdateSetSource<typeof categories>): Promise<Category | undefined> {
    const [c] = await tx.db
      .update(categories)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(and(eq(categories.tenantId, tx.tenantId), eq(categories.id, id)))
      .returning();
    return c;
  },

  /** `id` followed by its ancestors up to the root (see category.ts ancestorChain); empty if `id` is unknown. */
  async chain(tx: TxScope, id: string): Promise<string[]> {
    const r = await tx.db.execute(sql`
      WITH RECURSIVE up (id, parent_id, depth) AS (
        SELECT id, parent_id, 1 FROM categories WHERE tenant_id = ${tx.tenantId} AND id = ${id}
        UNION ALL
        SELECT c.id, c.parent_id, up.depth + 1 FROM categories c JOIN up ON c.tenant_id = ${tx.tenantId} AND c.id = up.parent_id
         WHERE up.depth < 100
      )
      SELECT id FROM up ORDER BY depth`);
    return rowsOf<{ id: string }>(r).map((x) => x.id);
  },

  /** Levels in the subtree rooted at `id` (1 for a category without children). */
  async subtreeHeight(tx: TxScope, id: string): Promise<number> {
    const r = await tx.db.execute(sql`
      WITH RECURSIVE down (id, depth) AS (
        SELECT ${id}::uuid, 1
        UNION ALL
        SELECT c.id, down.depth + 1 FROM categories c JOIN down ON c.tenant_id = ${tx.tenantId} AND c.parent_id = down.id
         WHERE down.depth < 100
      )
      SELECT max(depth) AS height FROM down`);
    return Number(rowsOf<{ height: number | string }>(r)[0]?.height ?? 1);
  },
};
