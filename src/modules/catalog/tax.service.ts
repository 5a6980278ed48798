import { requirePermission, withTransaction, type Ctx, type TxScope } from '../../platform/context.js';
import { uniqueViolation } from '../../platform/db-errors.js';
import { AppError, validationError, type FieldIssue } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { readPage, toPage, type Page, type PageRequest } from '../../platform/pagination.js';
import { parseInput } from '../../platform/validation.js';
import { recordTombstone, tickCatalogClock } from './catalog-clock.js';
import type { TaxCategory } from './catalog.schema.js';
import { pricingLookups as lookups } from './price.repository.js';
import { selectTaxRules, taxRuleProblems, type TaxQuery } from './tax.js';
import { TaxErrors } from './tax.errors.js';
import {
  applicableTaxRulesQuery,
  createTaxCategoryInput,
  createTaxRuleInput,
  updateTaxCategoryInput,
  updateTaxRuleInput,
  type ApplicableTaxRulesQuery,
  type CreateTaxCategoryInput,
  type CreateTaxRuleInput,
  type UpdateTaxCategoryInput,
  type UpdateTaxRuleInput,
} from './tax.inputs.js';
import { taxRepository as repo, type TaxRuleWithExemptions } from './tax.repository.js';

/**
 * The tax rules that apply to a line of a product in `taxCategoryId` (null: the product has none), sold at
 * `outletId` as `orderType`, in application order (non-compound by sequence, then compound by sequence).
 * For sales, inside its transaction; no permission check (the caller has checked its own).
 */
export async function applicableTaxRules(tx: TxScope, q: { taxCategoryId: string | null; outletId: string | null; orderType: string | null }): Promise<TaxRuleWithExemptions[]> {
  return selectTaxRules(await repo.liveRules(tx), q);
}

function rethrowCodeTaken(e: unknown): never {
  if (uniqueViolation(e)) throw new AppError(TaxErrors.TAX_CATEGORY_CODE_TAKEN, { field: 'code' });
  throw e;
}

/** Refuses references the tenant does not have, naming each field. */
async function assertRuleRefs(tx: TxScope, r: { taxCategoryId: string | null; outletId: string | null; exempt: readonly string[] }): Promise<void> {
  const known = await repo.existingCategories(tx, [...(r.taxCategoryId ? [r.taxCategoryId] : []), ...r.exempt]);
  const issues: FieldIssue[] = [];
  if (r.taxCategoryId && !known.has(r.taxCategoryId)) issues.push({ field: 'tax_category_id', message: 'no such tax category' });
  r.exempt.forEach((id, i) => !known.has(id) && issues.push({ field: `exempt_tax_category_ids.${i}`, message: 'no such tax category' }));
  if (r.outletId && !(await lookups.outlet(tx, r.outletId))) issues.push({ field: 'outlet_id', message: 'no such outlet' });
  if (issues.length) throw validationError(issues);
}

/** Tax categories and tax rules: configuration and validation. Sales computes the tax. */
export class TaxService {
  async createCategory(ctx: Ctx, input: CreateTaxCategoryInput): Promise<TaxCategory> {
    requirePermission(ctx, 'pos:catalog:write');
    const i = parseInput(createTaxCategoryInput, input);
    return withTransaction(ctx, async (tx) => {
      const seq = await tickCatalogClock(tx);
      return repo.insertCategory(tx, { id: uuidv7(), code: i.code, name: i.name, changeSeq: seq }).catch(rethrowCodeTaken);
    });
  }

  async getCategory(ctx: Ctx, id: string): Promise<TaxCategory> {
    requirePermission(ctx, 'pos:catalog:read');
    const c = await withTransaction(ctx, (tx) => repo.categoryById(tx, id));
    if (!c) throw new AppError(TaxErrors.TAX_CATEGORY_NOT_FOUND, { id });
    return c;
  }

  async listCategories(ctx: Ctx, req: PageRequest): Promise<Page<TaxCategory>> {
    requirePermission(ctx, 'pos:catalog:read');
    const { limit, after } = readPage(req);
    return toPage(await withTransaction(ctx, (tx) => repo.listCategories(tx, limit, after)), limit);
  }

  async updateCategory(ctx: Ctx, id: string, input: UpdateTaxCategoryInput): Promise<TaxCategory> {
    requirePermission(ctx, 'pos:catalog:write');
    const i = parseInput(updateTaxCategoryInput, input);
    return withTransaction(ctx, async (tx) => {
      const seq = await tickCatalogClock(tx);
      const c = await repo.updateCategory(tx, id, { ...(i.code !== undefined ? { code: i.code } : {}), ...(i.name !== undefined ? { name: i.name } : {}), changeSeq: seq }).catch(rethrowCodeTaken);
      if (!c) throw new AppError(TaxErrors.TAX_CATEGORY_NOT_FOUND, { id });
      return c;
    });
  }

  /**
   * Deletes an unused tax category (the schema has no archive for categories: a category is a label, and one
   * still referenced by a product or rule, archived or not, is refused with TAX_CATEGORY_IN_USE).
   */
  async deleteCategory(ctx: Ctx, id: string): Promise<void> {
    requirePermission(ctx, 'pos:catalog:write');
    await withTransaction(ctx, async (tx) => {
      const seq = await tickCatalogClock(tx);
      if (!(await repo.categoryById(tx, id))) throw new AppError(TaxErrors.TAX_CATEGORY_NOT_FOUND, { id });
      const usage = await repo.categoryUsage(tx, id);
      if (usage.products + usage.rules + usage.exemptions > 0) {
        throw new AppError(TaxErrors.TAX_CATEGORY_IN_USE, { id, ...usage }, `The tax category is used by ${usage.products} product(s), ${usage.rules} rule(s) and ${usage.exemptions} exemption(s)`);
      }
      await repo.deleteCategory(tx, id);
      await recordTombstone(tx, 'tax_category', id, seq);
    });
  }

  async createRule(ctx: Ctx, input: CreateTaxRuleInput): Promise<TaxRuleWithExemptions> {
    requirePermission(ctx, 'pos:catalog:write');
    const i = parseInput(createTaxRuleInput, input);
    const shape = { inclusive: i.inclusive ?? false, compound: i.compound ?? false, taxCategoryId: i.tax_category_id ?? null, exemptTaxCategoryIds: i.exempt_tax_category_ids ?? [] };
    const problems = taxRuleProblems(shape);
    if (problems.length) throw validationError(problems);
    return withTransaction(ctx, async (tx) => {
      // The clock lock first: a category cannot be deleted between the check and the insert.
      const seq = await tickCatalogClock(tx);
      const outletId = i.outlet_id ?? null;
      await assertRuleRefs(tx, { taxCategoryId: shape.taxCategoryId, outletId, exempt: shape.exemptTaxCategoryIds });
      const rule = await repo.insertRule(tx, {
        id: uuidv7(),
        name: i.name,
        rateBp: i.rate_bps,
        inclusive: shape.inclusive,
        compound: shape.compound,
        taxCategoryId: shape.taxCategoryId,
        outletId,
        orderTypes: i.order_types ?? null,
        sequence: i.sequence ?? 0,
        active: i.active ?? true,
        changeSeq: seq,
      });
      await repo.replaceExemptions(tx, rule.id, shape.exemptTaxCategoryIds);
      return (await repo.ruleById(tx, rule.id))!;
    });
  }

  async getRule(ctx: Ctx, id: string): Promise<TaxRuleWithExemptions> {
    requirePermission(ctx, 'pos:catalog:read');
    const r = await withTransaction(ctx, (tx) => repo.ruleById(tx, id));
    if (!r) throw new AppError(TaxErrors.TAX_RULE_NOT_FOUND, { id });
    return r;
  }

  async listRules(ctx: Ctx, req: PageRequest & { include_archived?: boolean | undefined; tax_category_id?: string | undefined; outlet_id?: string | undefined }): Promise<Page<TaxRuleWithExemptions>> {
    requirePermission(ctx, 'pos:catalog:read');
    const { limit, after } = readPage(req);
    const rows = await withTransaction(ctx, (tx) =>
      repo.listRules(tx, limit, after, { includeArchived: req.include_archived ?? false, taxCategoryId: req.tax_category_id, outletId: req.outlet_id }),
    );
    return toPage(rows, limit);
  }

  async updateRule(ctx: Ctx, id: string, input: UpdateTaxRuleInput): Promise<TaxRuleWithExemptions> {
    requirePermission(ctx, 'pos:catalog:write');
    const i = parseInput(updateTaxRuleInput, input);
    return withTransaction(ctx, async (tx) => {
      const seq = await tickCatalogClock(tx);
      const r = await repo.ruleById(tx, id);
      if (!r) throw new AppError(TaxErrors.TAX_RULE_NOT_FOUND, { id });
      if (r.archivedAt) throw new AppError(TaxErrors.TAX_RULE_ARCHIVED, { id });
      const merged = {
        inclusive: i.inclusive ?? r.inclusive,
        compound: i.compound ?? r.compound,
        taxCategoryId: i.tax_category_id === undefined ? r.taxCategoryId : i.tax_category_id,
        outletId: i.outlet_id === undefined ? r.outletId : i.outlet_id,
        exemptTaxCategoryIds: i.exempt_tax_category_ids ?? r.exemptTaxCategoryIds,
      };
      const problems = taxRuleProblems(merged);
      if (problems.length) throw validationError(problems);
      await assertRuleRefs(tx, {
        taxCategoryId: i.tax_category_id ?? null,
        outletId: i.outlet_id ?? null,
        exempt: i.exempt_tax_category_ids ?? [],
      });
      await repo.updateRule(tx, id, {
        ...(i.name !== undefined ? { name: i.name } : {}),
        ...(i.rate_bps !== undefined ? { rateBp: i.rate_bps } : {}),
        ...(i.sequence !== undefined ? { sequence: i.sequence } : {}),
        ...(i.order_types !== undefined ? { orderTypes: i.order_types } : {}),
        ...(i.active !== undefined ? { active: i.active } : {}),
        inclusive: merged.inclusive,
        compound: merged.compound,
        taxCategoryId: merged.taxCategoryId,
        outletId: merged.outletId,
        changeSeq: seq,
      });
      if (i.exempt_tax_category_ids !== undefined) await repo.replaceExemptions(tx, id, i.exempt_tax_category_ids);
      return (await repo.ruleById(tx, id))!;
    });
  }

  /** Archives a rule: it stops applying to new sales at once; completed sales keep their snapshot. Idempotent. */
  async archiveRule(ctx: Ctx, id: string): Promise<TaxRuleWithExemptions> {
    requirePermission(ctx, 'pos:catalog:write');
    return withTransaction(ctx, async (tx) => {
      const seq = await tickCatalogClock(tx);
      const r = await repo.ruleById(tx, id);
      if (!r) throw new AppError(TaxErrors.TAX_RULE_NOT_FOUND, { id });
      if (!r.archivedAt) await repo.updateRule(tx, id, { archivedAt: new Date(), changeSeq: seq });
      return (await repo.ruleById(tx, id))!;
    });
  }

  /** The rules that would apply to a line, in application order (what sales will use), for back-office checks. */
  async applicable(ctx: Ctx, query: ApplicableTaxRulesQuery): Promise<TaxRuleWithExemptions[]> {
    requirePermission(ctx, 'pos:catalog:read');
    const i = parseInput(applicableTaxRulesQuery, query);
    const q: TaxQuery = { taxCategoryId: i.tax_category_id ?? null, outletId: i.outlet_id ?? null, orderType: i.order_type ?? null };
    return withTransaction(ctx, (tx) => applicableTaxRules(tx, q));
  }
}
