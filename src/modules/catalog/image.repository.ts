import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { TxScope } from '../../platform/context.js';
import { categories, images, products, variants, type Image } from './catalog.schema.js';
import type { ImageOwnerType } from './image.js';

const owners = { product: products, variant: variants, category: categories } as const;

/** SQL only; every query is scoped to the transaction's tenant. */
export const imageRepository = {
  async ownerExists(tx: TxScope, type: ImageOwnerType, id: string): Promise<boolean> {
    const t = owners[type];
    const [row] = await tx.db
      .select({ id: t.id })
      .from(t)
      .where(and(eq(t.tenantId, tx.tenantId), eq(t.id, id)));
    return row !== undefined;
  },

  async insert(tx: TxScope, row: Omit<typeof images.$inferInsert, 'tenantId'>): Promise<Image> {
    const [image] = await tx.db
      .insert(images)
      .values({ ...row, tenantId: tx.tenantId })
      .returning();
    return image!;
  },

  async byId(tx: TxScope, id: string): Promise<Image | undefined> {
    const [image] = await tx.db
      .select()
      .from(images)
      .where(and(eq(images.tenantId, tx.tenantId), eq(images.id, id)));
    return image;
  },

  /** Images of one owner in upload order (ids are time-ordered), keyset-paged by id; clients order by sort_order. */
  async listByOwner(tx: TxScope, type: ImageOwnerType, ownerId: string, limit: number, after: string | undefined): Promise<Image[]> {
    return tx.db
      .select()
      .from(images)
      .where(and(eq(images.tenantId, tx.tenantId), eq(images.ownerType, type), eq(images.ownerId, ownerId), after ? gt(images.id, after) : undefined))
      .orderBy(asc(images.id))
      .limit(limit + 1);
  },

  /** Products and categories showing this image as their main one stop pointing at it (stamped `seq`). */
  async clearMainImage(tx: TxScope, id: string, seq: bigint): Promise<void> {
    await tx.db.update(products).set({ imageId: null, changeSeq: seq, updatedAt: sql`now()` }).where(and(eq(products.tenantId, tx.tenantId), eq(products.imageId, id)));
    await tx.db.update(categories).set({ imageId: null, changeSeq: seq, updatedAt: sql`now()` }).where(and(eq(categories.tenantId, tx.tenantId), eq(categories.imageId, id)));
  },

  async delete(tx: TxScope, id: string): Promise<Image | undefined> {
    const [image] = await tx.db
      .delete(images)
      .where(and(eq(images.tenantId, tx.tenantId), eq(images.id, id)))
      .returning();
    return image;
  },
};
