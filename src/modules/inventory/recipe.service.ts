import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { requirePermission, withTransaction, type Ctx, type TxScope } from '../../platform/context.js';
import { rowsOf } from '../../platform/db.js';
import { AppError, defineError, validationError } from '../../platform/errors.js';
import { TtlCache } from '../../platform/ttl-cache.js';
import { parseInput, uuidField } from '../../platform/validation.js';
import { CatalogErrors, variantsWithProducts } from '../catalog/index.js';
import { movableVariants } from './checks.js';
import { quantityField } from './quantity.js';
import { convertQuantity, UNIT_NAMES, type Unit } from './units.js';

export const RecipeErrors = {
  STOCK_UNIT_CONVERSION_UNKNOWN: defineError('STOCK_UNIT_CONVERSION_UNKNOWN', 'invalid', 'No conversion exists between these units (e.g. grams to millilitres)'),
  MODIFIER_NOT_FOUND_FOR_RECIPE: defineError('MODIFIER_NOT_FOUND_FOR_RECIPE', 'not_found', 'Modifier not found'),
} as const;

export const stockUnitInput = z.strictObject({ unit: z.enum(UNIT_NAMES) });
const component = z.strictObject({
  variant_id: uuidField(),
  quantity: quantityField('positive').describe('Per unit sold (or per modifier chosen), in `unit`'),
  unit: z.enum(UNIT_NAMES).optional().describe('Defaults to the component’s own stock unit'),
  replaces_variant_id: uuidField().optional().describe('Modifiers only: the component of the line’s recipe this one replaces (oat milk for milk)'),
});
export const recipeInput = z.strictObject({ components: z.array(component).max(50, 'at most 50 components') });
export type RecipeInput = z.input<typeof recipeInput>;
export type OwnerType = 'variant' | 'modifier';
export interface RecipeComponentRow { component_variant_id: string; quantity: string; unit: Unit; replaces_variant_id: string | null }

/**
 * Whether a tenant has any recipe, remembered for a few seconds per process: a sale of untracked lines skips
 * the stock statement altogether unless recipes could apply. A recipe written on this node is seen at once;
 * one written on another node within RECIPE_FLAG_TTL_MS.
 */
const RECIPE_FLAG_TTL_MS = 5_000;
const recipeFlags = new TtlCache<string, boolean>(RECIPE_FLAG_TTL_MS);

export async function tenantHasRecipes(tx: TxScope): Promise<boolean> {
  const known = recipeFlags.get(tx.tenantId);
  if (known !== undefined) return known;
  const [r] = rowsOf<{ any: boolean }>(await tx.db.execute(sql`SELECT EXISTS (SELECT 1 FROM recipe_components WHERE tenant_id = ${tx.tenantId}) AS any`));
  recipeFlags.set(tx.tenantId, r!.any);
  return r!.any;
}

async function stockUnits(tx: TxScope, ids: readonly string[]): Promise<Map<string, Unit>> {
  if (ids.length === 0) return new Map();
  const rows = rowsOf<{ variant_id: string; unit: Unit }>(
    await tx.db.execute(sql`SELECT variant_id, unit FROM variant_stock_units WHERE tenant_id = ${tx.tenantId} AND variant_id IN (${sql.join(ids.map((i) => sql`${i}::uuid`), sql`, `)})`),
  );
  return new Map(rows.map((r) => [r.variant_id, r.unit]));
}

/** Recipes (bill of materials) of variants and modifiers, and the unit each variant's stock is kept in. */
export class RecipeService {
  async setStockUnit(ctx: Ctx, variantId: string, input: z.input<typeof stockUnitInput>): Promise<{ variant_id: string; unit: Unit }> {
    requirePermission(ctx, 'pos:inventory:write');
    const i = parseInput(stockUnitInput, input);
    return withTransaction(ctx, async (tx) => {
      if ((await variantsWithProducts(tx, [variantId])).length === 0) throw new AppError(CatalogErrors.VARIANT_NOT_FOUND, { id: variantId });
      await tx.db.execute(sql`INSERT INTO variant_stock_units (tenant_id, variant_id, unit) VALUES (${tx.tenantId}, ${variantId}, ${i.unit}) ON CONFLICT (tenant_id, variant_id) DO UPDATE SET unit = excluded.unit`);
      return { variant_id: variantId, unit: i.unit };
    });
  }

  async get(ctx: Ctx, ownerType: OwnerType, ownerId: string): Promise<{ owner_type: OwnerType; owner_id: string; components: RecipeComponentRow[] }> {
    requirePermission(ctx, 'pos:inventory:read');
    return withTransaction(ctx, async (tx) => {
      await this.owner(tx, ownerType, ownerId);
      return { owner_type: ownerType, owner_id: ownerId, components: await this.components(tx, ownerType, ownerId) };
    });
  }

  /** Replaces the recipe of a variant or modifier; quantities are converted into each component's stock unit. */
  async set(ctx: Ctx, ownerType: OwnerType, ownerId: string, input: RecipeInput): Promise<{ owner_type: OwnerType; owner_id: string; components: RecipeComponentRow[] }> {
    requirePermission(ctx, 'pos:inventory:write');
    const i = parseInput(recipeInput, input);
    return withTransaction(ctx, async (tx) => {
      await this.owner(tx, ownerType, ownerId);
      const seen = new Set<string>();
      i.components.forEach((c, n) => {
        if (seen.has(c.variant_id)) throw validationError([{ field: `components.${n}.variant_id`, message: 'names a component already in the recipe' }]);
        seen.add(c.variant_id);
        if (c.replaces_variant_id && ownerType !== 'modifier') throw validationError([{ field: `components.${n}.replaces_variant_id`, message: 'only a modifier’s component replaces another' }]);
      });
      await movableVariants(tx, i.components.map((c) => c.variant_id), (n) => `components.${n}.variant_id`);
      const units = await stockUnits(tx, i.components.map((c) => c.variant_id));
      const rows = i.components.map((c, n) => {
        const to = units.get(c.variant_id) ?? 'pcs';
        const qty = convertQuantity(c.quantity, c.unit ?? to, to);
        if (qty === undefined) throw new AppError(RecipeErrors.STOCK_UNIT_CONVERSION_UNKNOWN, { field: `components.${n}.unit`, from: c.unit, to }, `Cannot express ${c.quantity} ${c.unit} in ${to}, the unit variant ${c.variant_id} is stocked in`);
        return { variant_id: c.variant_id, qty, replaces: c.replaces_variant_id ?? null };
      });
      await tx.db.execute(sql`
        WITH gone AS (DELETE FROM recipe_components WHERE tenant_id = ${tx.tenantId} AND owner_type = ${ownerType} AND owner_id = ${ownerId})
        INSERT INTO recipe_components (tenant_id, owner_type, owner_id, component_variant_id, quantity, replaces_variant_id)
        SELECT ${tx.tenantId}, ${ownerType}, ${ownerId}, x.variant_id, x.qty, x.replaces FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS x(variant_id uuid, qty numeric, replaces uuid)`);
      recipeFlags.delete(tx.tenantId);
      return { owner_type: ownerType, owner_id: ownerId, components: await this.components(tx, ownerType, ownerId) };
    });
  }

  private async components(tx: TxScope, ownerType: OwnerType, ownerId: string): Promise<RecipeComponentRow[]> {
    return rowsOf<RecipeComponentRow>(
      await tx.db.execute(sql`
        SELECT r.component_variant_id, r.quantity, coalesce(u.unit, 'pcs') AS unit, r.replaces_variant_id FROM recipe_components r
          LEFT JOIN variant_stock_units u ON u.tenant_id = r.tenant_id AND u.variant_id = r.component_variant_id
         WHERE r.tenant_id = ${tx.tenantId} AND r.owner_type = ${ownerType} AND r.owner_id = ${ownerId} ORDER BY r.component_variant_id`),
    );
  }

  /** The recipe's owner exists (a variant of the catalog, or a modifier: read from the catalog's table). */
  private async owner(tx: TxScope, ownerType: OwnerType, ownerId: string): Promise<void> {
    if (ownerType === 'variant') {
      if ((await variantsWithProducts(tx, [ownerId])).length === 0) throw new AppError(CatalogErrors.VARIANT_NOT_FOUND, { id: ownerId });
      return;
    }
    const [m] = rowsOf(await tx.db.execute(sql`SELECT 1 FROM modifiers WHERE tenant_id = ${tx.tenantId} AND id = ${ownerId}`));
    if (!m) throw new AppError(RecipeErrors.MODIFIER_NOT_FOUND_FOR_RECIPE, { id: ownerId });
  }
}
