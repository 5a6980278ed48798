import { requirePermission, withTransaction, type Ctx, type TxCtx, type TxScope } from '../../platform/context.js';
import { AppError, validationError, type FieldIssue } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { readPage, toPage, type Page, type PageRequest } from '../../platform/pagination.js';
import { parseInput } from '../../platform/validation.js';
import { recordTombstone, tickCatalogClock } from './catalog-clock.js';
import { CatalogErrors } from './catalog.errors.js';
import type { Modifier, ModifierGroup } from './catalog.schema.js';
import type { ModifierGroupRules } from './modifier.js';
import { ModifierErrors } from './modifier.errors.js';
import {
  attachModifierGroupInput,
  createModifierGroupInput,
  createModifierInput,
  groupProblems,
  setProductModifierGroupsInput,
  updateModifierGroupInput,
  updateModifierInput,
  type AttachModifierGroupInput,
  type CreateModifierGroupInput,
  type CreateModifierInput,
  type SetProductModifierGroupsInput,
  type UpdateModifierGroupInput,
  type UpdateModifierInput,
} from './modifier.inputs.js';
import { modifierRepository as repo } from './modifier.repository.js';
import { minorUnits } from './price.js';
import { pricingLookups as lookups } from './price.repository.js';

export interface GroupWithModifiers extends ModifierGroup {
  modifiers: Modifier[];
}

/**
 * Feed tombstone type for "links of this product were removed" (entity id = the product): every remaining link
 * of the product is re-stamped with the same seq, so a register drops its links of the product older than it.
 */
export const PRODUCT_MODIFIER_GROUPS_TOMBSTONE = 'product_modifier_groups';

async function withModifiers(tx: TxScope, groups: ModifierGroup[], includeArchived: boolean): Promise<GroupWithModifiers[]> {
  const mods = await repo.modifiersOf(tx, groups.map((g) => g.id), includeArchived);
  return groups.map((g) => ({ ...g, modifiers: mods.filter((m) => m.groupId === g.id) }));
}

async function assertLinkedVariants(tx: TxScope, refs: { id: string | null | undefined; field: string }[]): Promise<void> {
  const ids = refs.flatMap((r) => (r.id ? [r.id] : []));
  const known = await lookups.existingVariants(tx, ids);
  const issues: FieldIssue[] = refs.filter((r) => r.id && !known.has(r.id)).map((r) => ({ field: r.field, message: 'no such variant' }));
  if (issues.length) throw validationError(issues);
}

async function liveGroup(tx: TxScope, id: string): Promise<ModifierGroup> {
  const g = await repo.groupById(tx, id);
  if (!g) throw new AppError(ModifierErrors.MODIFIER_GROUP_NOT_FOUND, { id });
  if (g.archivedAt) throw new AppError(ModifierErrors.MODIFIER_GROUP_ARCHIVED, { id });
  return g;
}

async function assertProduct(tx: TxScope, productId: string): Promise<void> {
  if (!(await lookups.productExists(tx, productId))) throw new AppError(CatalogErrors.PRODUCT_NOT_FOUND, { id: productId });
}

const modifierRow = (m: ReturnType<typeof createModifierInput.parse>, groupId: string, seq: bigint, sortOrder: number) => ({
  id: uuidv7(),
  groupId,
  name: m.name,
  priceDelta: m.price_delta === undefined ? 0n : minorUnits(m.price_delta),
  linkedVariantId: m.linked_variant_id ?? null,
  maxQuantity: m.max_quantity ?? null,
  sortOrder: m.sort_order ?? sortOrder,
  active: m.active ?? true,
  changeSeq: seq,
});

/**
 * The attached groups of each product with all their modifiers (inactive and archived included, so the
 * validator can say "not available" rather than "unknown"), in the product's order: what sales passes to
 * validateModifierSelection. One query for links and groups' modifiers each.
 */
export async function loadModifierRules(tx: TxScope, productIds: readonly string[]): Promise<Map<string, ModifierGroupRules[]>> {
  const links = await repo.links(tx, productIds);
  const groups = await withModifiers(tx, await repo.groupsByIds(tx, [...new Set(links.map((l) => l.groupId))]), true);
  const byId = new Map(groups.map((g) => [g.id, g]));
  const out = new Map<string, ModifierGroupRules[]>(productIds.map((p) => [p, []]));
  for (const l of links) {
    const g = byId.get(l.groupId)!;
    out.get(l.productId)!.push({ ...g, modifiers: g.modifiers.map((m) => ({ ...m })) });
  }
  return out;
}

/** Modifier groups, modifiers and their attachment to products. */
export class ModifierService {
  async createGroup(ctx: Ctx, input: CreateModifierGroupInput): Promise<GroupWithModifiers> {
    requirePermission(ctx, 'pos:catalog:write');
    const i = parseInput(createModifierGroupInput, input);
    const shape = { minSelections: i.min_select ?? 0, maxSelections: i.max_select ?? null, required: i.required ?? (i.min_select ?? 0) > 0 };
    const problems = groupProblems(shape);
    if (problems.length) throw validationError(problems);
    return withTransaction(ctx, async (tx) => {
      const seq = await tickCatalogClock(tx);
      const mods = i.modifiers ?? [];
      await assertLinkedVariants(tx, mods.map((m, n) => ({ id: m.linked_variant_id, field: `modifiers.${n}.linked_variant_id` })));
      const group = await repo.insertGroup(tx, { id: uuidv7(), name: i.name, ...shape, allowQuantities: i.allow_quantities ?? false, active: i.active ?? true, changeSeq: seq });
      const modifiers = await repo.insertModifiers(tx, mods.map((m, n) => modifierRow(m, group.id, seq, n)));
      return { ...group, modifiers };
    });
  }

  async getGroup(ctx: Ctx, id: string): Promise<GroupWithModifiers> {
    requirePermission(ctx, 'pos:catalog:read');
    return withTransaction(ctx, async (tx) => {
      const g = await repo.groupById(tx, id);
      if (!g) throw new AppError(ModifierErrors.MODIFIER_GROUP_NOT_FOUND, { id });
      return (await withModifiers(tx, [g], false))[0]!;
    });
  }

  async listGroups(ctx: Ctx, req: PageRequest & { include_archived?: boolean | undefined }): Promise<Page<GroupWithModifiers>> {
    requirePermission(ctx, 'pos:catalog:read');
    const { limit, after } = readPage(req);
    return withTransaction(ctx, async (tx) => {
      const page = toPage(await repo.listGroups(tx, limit, after, req.include_archived ?? false), limit);
      return { ...page, items: await withModifiers(tx, page.items, false) };
    });
  }

  async updateGroup(ctx: Ctx, id: string, input: UpdateModifierGroupInput): Promise<GroupWithModifiers> {
    requirePermission(ctx, 'pos:catalog:write');
    const i = parseInput(updateModifierGroupInput, input);
    return withTransaction(ctx, async (tx) => {
      const seq = await tickCatalogClock(tx);
      const g = await liveGroup(tx, id);
      const minSelections = i.min_select ?? g.minSelections;
      // Raising min_select above 0 on a group that was optional makes it required unless the caller says otherwise.
      const required = i.required ?? (g.required || (i.min_select !== undefined && minSelections > 0));
      const shape = { minSelections, maxSelections: i.max_select === undefined ? g.maxSelections : i.max_select, required };
      const problems = groupProblems(shape);
      if (problems.length) throw validationError(problems);
      const updated = await repo.updateGroup(tx, id, {
        ...shape,
        ...(i.name !== undefined ? { name: i.name } : {}),
        ...(i.allow_quantities !== undefined ? { allowQuantities: i.allow_quantities } : {}),
        ...(i.active !== undefined ? { active: i.active } : {}),
        changeSeq: seq,
      });
      return (await withModifiers(tx, [updated!], false))[0]!;
    });
  }

  /** Archives a group: it stops being offered and validated everywhere it is attached. Idempotent. */
  async archiveGroup(ctx: Ctx, id: string): Promise<GroupWithModifiers> {
    requirePermission(ctx, 'pos:catalog:write');
    return withTransaction(ctx, async (tx) => {
      const seq = await tickCatalogClock(tx);
      const g = await repo.groupById(tx, id);
      if (!g) throw new AppError(ModifierErrors.MODIFIER_GROUP_NOT_FOUND, { id });
      const archived = g.archivedAt ? g : (await repo.updateGroup(tx, id, { archivedAt: new Date(), changeSeq: seq }))!;
      return (await withModifiers(tx, [archived], true))[0]!;
    });
  }

  async addModifier(ctx: Ctx, groupId: string, input: CreateModifierInput): Promise<Modifier> {
    requirePermission(ctx, 'pos:catalog:write');
    const i = parseInput(createModifierInput, input);
    return withTransaction(ctx, async (tx) => {
      const seq = await tickCatalogClock(tx);
      await liveGroup(tx, groupId);
      await assertLinkedVariants(tx, [{ id: i.linked_variant_id, field: 'linked_variant_id' }]);
      const existing = await repo.modifiersOf(tx, [groupId], true);
      const [m] = await repo.insertModifiers(tx, [modifierRow(i, groupId, seq, existing.length)]);
      return m!;
    });
  }

  async getModifier(ctx: Ctx, id: string): Promise<Modifier> {
    requirePermission(ctx, 'pos:catalog:read');
    const m = await withTransaction(ctx, (tx) => repo.modifierById(tx, id));
    if (!m) throw new AppError(ModifierErrors.MODIFIER_NOT_FOUND, { id });
    return m;
  }

  async updateModifier(ctx: Ctx, id: string, input: UpdateModifierInput): Promise<Modifier> {
    requirePermission(ctx, 'pos:catalog:write');
    const i = parseInput(updateModifierInput, input);
    return withTransaction(ctx, async (tx) => {
      const seq = await tickCatalogClock(tx);
      const m = await this.liveModifier(tx, id);
      await assertLinkedVariants(tx, [{ id: i.linked_variant_id, field: 'linked_variant_id' }]);
      return (await repo.updateModifier(tx, m.id, {
        ...(i.name !== undefined ? { name: i.name } : {}),
        ...(i.price_delta !== undefined ? { priceDelta: minorUnits(i.price_delta) } : {}),
        ...(i.linked_variant_id !== undefined ? { linkedVariantId: i.linked_variant_id } : {}),
        ...(i.max_quantity !== undefined ? { maxQuantity: i.max_quantity } : {}),
        ...(i.sort_order !== undefined ? { sortOrder: i.sort_order } : {}),
        ...(i.active !== undefined ? { active: i.active } : {}),
        changeSeq: seq,
      }))!;
    });
  }

  async archiveModifier(ctx: Ctx, id: string): Promise<Modifier> {
    requirePermission(ctx, 'pos:catalog:write');
    return withTransaction(ctx, async (tx) => {
      const seq = await tickCatalogClock(tx);
      const m = await repo.modifierById(tx, id);
      if (!m) throw new AppError(ModifierErrors.MODIFIER_NOT_FOUND, { id });
      return m.archivedAt ? m : (await repo.updateModifier(tx, id, { archivedAt: new Date(), changeSeq: seq }))!;
    });
  }

  /** The product's groups in order (archived groups and modifiers left out): what a register shows. */
  async productGroups(ctx: Ctx, productId: string): Promise<GroupWithModifiers[]> {
    requirePermission(ctx, 'pos:catalog:read');
    return withTransaction(ctx, (tx) => this.attached(tx, productId));
  }

  /** Replaces the product's groups with `modifier_group_ids`, in that order. */
  async setProductGroups(ctx: Ctx, productId: string, input: SetProductModifierGroupsInput): Promise<GroupWithModifiers[]> {
    requirePermission(ctx, 'pos:catalog:write');
    const i = parseInput(setProductModifierGroupsInput, input);
    return withTransaction(ctx, async (tx) => {
      const seq = await tickCatalogClock(tx);
      await assertProduct(tx, productId);
      const found = new Map((await repo.groupsByIds(tx, i.modifier_group_ids)).map((g) => [g.id, g]));
      const issues = i.modifier_group_ids.flatMap((id, n): FieldIssue[] => {
        const g = found.get(id);
        if (!g) return [{ field: `modifier_group_ids.${n}`, message: 'no such modifier group' }];
        return g.archivedAt ? [{ field: `modifier_group_ids.${n}`, message: 'the modifier group is archived' }] : [];
      });
      if (issues.length) throw validationError(issues);
      const removed = await repo.replaceLinks(tx, productId, i.modifier_group_ids, seq);
      if (removed.length) await recordTombstone(tx, PRODUCT_MODIFIER_GROUPS_TOMBSTONE, productId, seq);
      return this.attached(tx, productId);
    });
  }

  /** Attaches one group after the others (or at sort_order); attaching it again is 409. */
  async attachGroup(ctx: Ctx, productId: string, input: AttachModifierGroupInput): Promise<GroupWithModifiers[]> {
    requirePermission(ctx, 'pos:catalog:write');
    const i = parseInput(attachModifierGroupInput, input);
    return withTransaction(ctx, async (tx) => {
      const seq = await tickCatalogClock(tx);
      await assertProduct(tx, productId);
      const g = await repo.groupById(tx, i.modifier_group_id);
      if (!g) throw validationError([{ field: 'modifier_group_id', message: 'no such modifier group' }]);
      if (g.archivedAt) throw validationError([{ field: 'modifier_group_id', message: 'the modifier group is archived' }]);
      const links = await repo.links(tx, [productId]);
      if (links.some((l) => l.groupId === g.id)) {
        throw new AppError(ModifierErrors.MODIFIER_GROUP_ALREADY_ATTACHED, { field: 'modifier_group_id', product_id: productId, modifier_group_id: g.id }, `${g.name} is already attached to this product`);
      }
      await repo.insertLink(tx, productId, g.id, i.sort_order ?? Math.max(-1, ...links.map((l) => l.sortOrder)) + 1, seq);
      return this.attached(tx, productId);
    });
  }

  async detachGroup(ctx: Ctx, productId: string, groupId: string): Promise<GroupWithModifiers[]> {
    requirePermission(ctx, 'pos:catalog:write');
    return withTransaction(ctx, async (tx) => {
      const seq = await tickCatalogClock(tx);
      await assertProduct(tx, productId);
      if (!(await repo.deleteLink(tx, productId, groupId))) {
        throw new AppError(ModifierErrors.MODIFIER_GROUP_NOT_FOUND, { product_id: productId, modifier_group_id: groupId }, 'The modifier group is not attached to this product');
      }
      await recordTombstone(tx, PRODUCT_MODIFIER_GROUPS_TOMBSTONE, productId, seq);
      await repo.restampLinks(tx, productId, seq);
      return this.attached(tx, productId);
    });
  }

  private async attached(tx: TxScope, productId: string): Promise<GroupWithModifiers[]> {
    await assertProduct(tx, productId);
    const links = await repo.links(tx, [productId]);
    const groups = new Map((await repo.groupsByIds(tx, links.map((l) => l.groupId))).map((g) => [g.id, g]));
    const live = links.map((l) => groups.get(l.groupId)!).filter((g) => !g.archivedAt);
    return withModifiers(tx, live, false);
  }

  private async liveModifier(tx: TxCtx, id: string): Promise<Modifier> {
    const m = await repo.modifierById(tx, id);
    if (!m) throw new AppError(ModifierErrors.MODIFIER_NOT_FOUND, { id });
    return m;
  }
}
