import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { requirePermission, withTransaction, type Ctx, type TxCtx } from '../../platform/context.js';
import { AppError, validationError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { dropUndefined } from '../../platform/objects.js';
import { readPage, toPage, type Page, type PageRequest } from '../../platform/pagination.js';
import { nameField, parseInput, uuidField } from '../../platform/validation.js';
import { sortOrderField } from './catalog-fields.js';
import { assertRefs } from './catalog-guards.js';
import { tickCatalogClock } from './catalog-clock.js';
import { CatalogErrors } from './catalog.errors.js';
import type { Category } from './catalog.schema.js';
import { colorField, createsCycle, depthAfterMove, MAX_CATEGORY_DEPTH } from './category.js';
import { categoryRepository, type CategoryFilter } from './category.repository.js';

const categoryFields = {
  name: nameField(100),
  parent_id: uuidField().nullable().optional().describe('Parent category; null or absent for a top-level category'),
  sort_order: sortOrderField().optional().describe('Position among siblings, ascending'),
  color: colorField().nullable().optional().describe('#RRGGBB'),
  image_id: uuidField().nullable().optional(),
  active: z.boolean().optional(),
};

export const createCategoryInput = z.strictObject(categoryFields);
export const updateCategoryInput = z.strictObject({ ...categoryFields, name: nameField(100).optional() });
export type CreateCategoryInput = z.input<typeof createCategoryInput>;
export type UpdateCategoryInput = z.input<typeof updateCategoryInput>;

export interface CategoryListRequest extends PageRequest, CategoryFilter {}

const toRow = (i: z.output<typeof updateCategoryInput>) => ({
  name: i.name,
  parentId: i.parent_id,
  sortOrder: i.sort_order,
  color: i.color,
  imageId: i.image_id,
  active: i.active,
});

export class CategoryService {
  async create(ctx: Ctx, input: CreateCategoryInput): Promise<Category> {
    requirePermission(ctx, 'pos:catalog:write');
    const i = parseInput(createCategoryInput, input);
    return withTransaction(ctx, async (tx) => {
      const seq = await tickCatalogClock(tx);
      const id = uuidv7();
      await this.assertPlacement(tx, id, i.parent_id ?? null, 1);
      await assertRefs(tx, { imageId: i.image_id });
      return categoryRepository.insert(tx, { ...dropUndefined(toRow(i)), id, name: i.name, sortOrder: i.sort_order ?? 0, active: i.active ?? true, changeSeq: seq });
    });
  }

  async get(ctx: Ctx, id: string): Promise<Category> {
    requirePermission(ctx, 'pos:catalog:read');
    const c = await withTransaction(ctx, (tx) => categoryRepository.byId(tx, id));
    if (!c) throw new AppError(CatalogErrors.CATEGORY_NOT_FOUND, { id });
    return c;
  }

  /** Archived categories are left out unless `includeArchived`. */
  async list(ctx: Ctx, req: CategoryListRequest): Promise<Page<Category>> {
    requirePermission(ctx, 'pos:catalog:read');
    const { limit, after } = readPage(req);
    const rows = await withTransaction(ctx, (tx) => categoryRepository.list(tx, req, limit, after));
    return toPage(rows, limit);
  }

  async update(ctx: Ctx, id: string, input: UpdateCategoryInput): Promise<Category> {
    requirePermission(ctx, 'pos:catalog:write');
    const i = parseInput(updateCategoryInput, input);
    return withTransaction(ctx, async (tx) => {
      const seq = await tickCatalogClock(tx);
      const current = await this.current(tx, id);
      if (current.archivedAt) throw new AppError(CatalogErrors.CATEGORY_ARCHIVED, { id });
      if (i.parent_id !== undefined && i.parent_id !== current.parentId) {
        await this.assertPlacement(tx, id, i.parent_id, await categoryRepository.subtreeHeight(tx, id));
      }
      await assertRefs(tx, { imageId: i.image_id });
      return (await categoryRepository.update(tx, id, { ...dropUndefined(toRow(i)), changeSeq: seq }))!;
    });
  }

  /** Archiving hides the category from lists and makes it inactive; it stays readable by id. Repeats are no-ops. */
  async archive(ctx: Ctx, id: string): Promise<Category> {
    requirePermission(ctx, 'pos:catalog:write');
    return withTransaction(ctx, async (tx) => {
      const seq = await tickCatalogClock(tx);
      const current = await this.current(tx, id);
      if (current.archivedAt) return current;
      return (await categoryRepository.update(tx, id, { archivedAt: sql`now()`, active: false, changeSeq: seq }))!;
    });
  }

  private async current(tx: TxCtx, id: string): Promise<Category> {
    const c = await categoryRepository.byId(tx, id);
    if (!c) throw new AppError(CatalogErrors.CATEGORY_NOT_FOUND, { id });
    return c;
  }

  /** The parent must exist, be live, not be the category or its descendant, and keep the tree shallow. */
  private async assertPlacement(tx: TxCtx, id: string, parentId: string | null, subtreeHeight: number): Promise<void> {
    if (parentId === null) return;
    const chain = await categoryRepository.chain(tx, parentId);
    if (chain.length === 0) throw validationError([{ field: 'parent_id', message: 'no such category' }]);
    if (createsCycle(id, parentId, chain)) {
      throw new AppError(CatalogErrors.CATEGORY_CYCLE, { field: 'parent_id', parent_id: parentId }, 'parent_id: a category cannot be placed under itself or one of its descendants');
    }
    const parent = await categoryRepository.byId(tx, parentId);
    if (parent?.archivedAt) throw validationError([{ field: 'parent_id', message: 'the parent category is archived' }]);
    if (depthAfterMove(chain, subtreeHeight) > MAX_CATEGORY_DEPTH) {
      throw validationError([{ field: 'parent_id', message: `categories nest at most ${MAX_CATEGORY_DEPTH} levels deep` }]);
    }
  }
}
