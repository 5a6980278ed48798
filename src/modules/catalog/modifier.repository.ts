import { and, asc, eq, gt, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import type { TxScope } from '../../platform/context.js';
import { modifierGroups, modifiers, productModifierGroups, type Modifier, type ModifierGroup } from './catalog.schema.js';

type GroupPatch = Partial<Omit<typeof modifierGroups.$inferInsert, 'tenantId' | 'id' | 'createdAt'>>;
type ModifierPatch = Partial<Omit<typeof modifiers.$inferInsert, 'tenantId' | 'id' | 'groupId' | 'createdAt'>>;

const modifierOrder = [asc(modifiers.groupId), asc(modifiers.sortOrder), asc(modifiers.id)];

/** Modifier groups, their modifiers, and their attachment to products. SQL only; every query names the tenant. */
export const modifierRepository = {
  async insertGroup(tx: TxScope, row: Omit<typeof modifierGroups.$inferInsert, 'tenantId'>): Promise<ModifierGroup> {
    const [g] = await tx.db.insert(modifierGroups).values({ ...row, tenantId: tx.tenantId }).returning();
    return g!;
  },

  async groupById(tx: TxScope, id: string): Promise<ModifierGroup | undefined> {
    const [g] = await tx.db.select().from(modifierGroups).where(and(eq(modifierGroups.tenantId, tx.tenantId), eq(modifierGroups.id, id)));
    return g;
  },

  async groupsByIds(tx: TxScope, ids: readonly string[]): Promise<ModifierGroup[]> {
    if (ids.length === 0) return [];
    return tx.db.select().from(modifierGroups).where(and(eq(modifierGroups.tenantId, tx.tenantId), inArray(modifierGroups.id, [...ids])));
  },

  async listGroups(tx: TxScope, limit: number, after: string | undefined, includeArchived: boolean): Promise<ModifierGroup[]> {
    return tx.db
      .select()
      .from(modifierGroups)
      .where(and(eq(modifierGroups.tenantId, tx.tenantId), after ? gt(modifierGroups.id, after) : undefined, includeArchived ? undefined : isNull(modifierGroups.archivedAt)))
      .orderBy(asc(modifierGroups.id))
      .limit(limit + 1);
  },

  async updateGroup(tx: TxScope, id: string, patch: GroupPatch): Promise<ModifierGroup | undefined> {
    const [g] = await tx.db
      .update(modifierGroups)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(and(eq(modifierGroups.tenantId, tx.tenantId), eq(modifierGroups.id, id)))
      .returning();
    return g;
  },

  async insertModifiers(tx: TxScope, rows: Omit<typeof modifiers.$inferInsert, 'tenantId'>[]): Promise<Modifier[]> {
    if (rows.length === 0) return [];
    return tx.db.insert(modifiers).values(rows.map((r) => ({ ...r, tenantId: tx.tenantId }))).returning();
  },

  async modifierById(tx: TxScope, id: string): Promise<Modifier | undefined> {
    const [m] = await tx.db.select().from(modifiers).where(and(eq(modifiers.tenantId, tx.tenantId), eq(modifiers.id, id)));
    return m;
  },

  /** The modifiers of `groupIds`, by group, then sort order, then creation. */
  async modifiersOf(tx: TxScope, groupIds: readonly string[], includeArchived: boolean): Promise<Modifier[]> {
    if (groupIds.length === 0) return [];
    return tx.db
      .select()
      .from(modifiers)
      .where(and(eq(modifiers.tenantId, tx.tenantId), inArray(modifiers.groupId, [...groupIds]), includeArchived ? undefined : isNull(modifiers.archivedAt)))
      .orderBy(...modifierOrder);
  },

  async updateModifier(tx: TxScope, id: string, patch: ModifierPatch): Promise<Modifier | undefined> {
    const [m] = await tx.db
      .update(modifiers)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(and(eq(modifiers.tenantId, tx.tenantId), eq(modifiers.id, id)))
      .returning();
    return m;
  },

  /** The groups attached to `productIds`, in each product's order. */
  async links(tx: TxScope, productIds: readonly string[]): Promise<{ productId: string; groupId: string; sortOrder: number }[]> {
    if (productIds.length === 0) return [];
    return tx.db
      .select({ productId: productModifierGroups.productId, groupId: productModifierGroups.groupId, sortOrder: productModifierGroups.sortOrder })
      .from(productModifierGroups)
      .where(and(eq(productModifierGroups.tenantId, tx.tenantId), inArray(productModifierGroups.productId, [...productIds])))
      .orderBy(asc(productModifierGroups.productId), asc(productModifierGroups.sortOrder), asc(productModifierGroups.groupId));
  },

  /** Makes `groupIds` (in this order) the product's groups, stamping every link with `seq`; returns the groups detached. */
  async replaceLinks(tx: TxScope, productId: string, groupIds: readonly string[], seq: bigint): Promise<string[]> {
    const removed = await tx.db
      .delete(productModifierGroups)
      .where(
        and(
          eq(productModifierGroups.tenantId, tx.tenantId),
          eq(productModifierGroups.productId, productId),
          groupIds.length ? notInArray(productModifierGroups.groupId, [...groupIds]) : undefined,
        ),
      )
      .returning({ groupId: productModifierGroups.groupId });
    if (groupIds.length) {
      await tx.db
        .insert(productModifierGroups)
        .values(groupIds.map((groupId, i) => ({ tenantId: tx.tenantId, productId, groupId, sortOrder: i, changeSeq: seq })))
        .onConflictDoUpdate({
          target: [productModifierGroups.tenantId, productModifierGroups.productId, productModifierGroups.groupId],
          set: { sortOrder: sql`excluded.sort_order`, changeSeq: seq },
        });
    }
    return removed.map((r) => r.groupId);
  },

  async insertLink(tx: TxScope, productId: string, groupId: string, sortOrder: number, seq: bigint): Promise<void> {
    await tx.db.insert(productModifierGroups).values({ tenantId: tx.tenantId, productId, groupId, sortOrder, changeSeq: seq });
  },

  async deleteLink(tx: TxScope, productId: string, groupId: string): Promise<boolean> {
    const r = await tx.db
      .delete(productModifierGroups)
      .where(and(eq(productModifierGroups.tenantId, tx.tenantId), eq(productModifierGroups.productId, productId), eq(productModifierGroups.groupId, groupId)))
      .returning({ groupId: productModifierGroups.groupId });
    return r.length > 0;
  },

  /** Re-stamps the product's remaining links (see the `product_modifier_groups` tombstone in modifier.service.ts). */
  async restampLinks(tx: TxScope, productId: string, seq: bigint): Promise<void> {
    await tx.db
      .update(productModifierGroups)
      .set({ changeSeq: seq })
      .where(and(eq(productModifierGroups.tenantId, tx.tenantId), eq(productModifierGroups.productId, productId)));
  },
};
