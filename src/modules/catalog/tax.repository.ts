import { and, asc, eq, gt, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import type { TxScope } from '../../platform/context.js';
import { rowsOf } from '../../platform/db.js';
import { taxCategories, taxExemptions, taxRules, type TaxCategory, type TaxRule } from './catalog.schema.js';

export interface TaxRuleWithExemptions extends TaxRule {
  /** Sorted. */
  exemptTaxCategoryIds: string[];
}

/** A rule's exemptions, computed in the same query as the rule (text[] parses the same on pg and PGlite). */
const exemptions: SQL<string[]> = sql<string[]>`coalesce((SELECT array_agg(e.tax_category_id::text ORDER BY e.tax_category_id) FROM tax_exemptions e WHERE e.tenant_id = ${taxRules.tenantId} AND e.tax_rule_id = ${taxRules.id}), '{}')`;
const withExemptions = (tx: TxScope) => tx.db.select({ r: taxRules, exempt: exemptions }).from(taxRules);
const flatten = (rows: { r: TaxRule; exempt: string[] }[]): TaxRuleWithExemptions[] => rows.map((x) => ({ ...x.r, exemptTaxCategoryIds: x.exempt ?? [] }));

type RulePatch = Partial<Omit<typeof taxRules.$inferInsert, 'tenantId' | 'id' | 'createdAt'>>;

/** Tax categories, tax rules and exemptions. SQL only; every query names the tenant. */
export const taxRepository = {
  async insertCategory(tx: TxScope, row: Omit<typeof taxCategories.$inferInsert, 'tenantId'>): Promise<TaxCategory> {
    const [c] = await tx.db.insert(taxCategories).values({ ...row, tenantId: tx.tenantId }).returning();
    return c!;
  },

  async categoryById(tx: TxScope, id: string): Promise<TaxCategory | undefined> {
    const [c] = await tx.db.select().from(taxCategories).where(and(eq(taxCategories.tenantId, tx.tenantId), eq(taxCategories.id, id)));
    return c;
  },

  async existingCategories(tx: TxScope, ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const rows = await tx.db
      .select({ id: taxCategories.id })
      .from(taxCategories)
      .where(and(eq(taxCategories.tenantId, tx.tenantId), inArray(taxCategories.id, [...new Set(ids)])));
    return new Set(rows.map((r) => r.id));
  },

  async listCategories(tx: TxScope, limit: number, after: string | undefined): Promise<TaxCategory[]> {
    return tx.db
      .select()
      .from(taxCategories)
      .where(and(eq(taxCategories.tenantId, tx.tenantId), after ? gt(taxCategories.id, after) : undefined))
      .orderBy(asc(taxCategories.id))
      .limit(limit + 1);
  },

  async updateCategory(tx: TxScope, id: string, patch: Partial<Pick<TaxCategory, 'code' | 'name' | 'changeSeq'>>): Promise<TaxCategory | undefined> {
    const [c] = await tx.db
      .update(taxCategories)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(and(eq(taxCategories.tenantId, tx.tenantId), eq(taxCategories.id, id)))
      .returning();
    return c;
  },

  /** What still refers to a tax category (archived products and rules included: their history needs it). */
  async categoryUsage(tx: TxScope, id: string): Promise<{ products: number; rules: number; exemptions: number }> {
    const t = tx.tenantId;
    const [row] = rowsOf<{ products: string | number; rules: string | number; exemptions: string | number }>(
      await tx.db.execute(sql`SELECT
        (SELECT count(*) FROM products WHERE tenant_id = ${t} AND tax_category_id = ${id}) AS products,
        (SELECT count(*) FROM tax_rules WHERE tenant_id = ${t} AND tax_category_id = ${id}) AS rules,
        (SELECT count(*) FROM tax_exemptions WHERE tenant_id = ${t} AND tax_category_id = ${id}) AS exemptions`),
    );
    return { products: Number(row?.products ?? 0), rules: Number(row?.rules ?? 0), exemptions: Number(row?.exemptions ?? 0) };
  },

  async deleteCategory(tx: TxScope, id: string): Promise<boolean> {
    const r = await tx.db
      .delete(taxCategories)
      .where(and(eq(taxCategories.tenantId, tx.tenantId), eq(taxCategories.id, id)))
      .returning({ id: taxCategories.id });
    return r.length > 0;
  },

  async insertRule(tx: TxScope, row: Omit<typeof taxRules.$inferInsert, 'tenantId'>): Promise<TaxRule> {
    const [r] = await tx.db.insert(taxRules).values({ ...row, tenantId: tx.tenantId }).returning();
    return r!;
  },

  async ruleById(tx: TxScope, id: string): Promise<TaxRuleWithExemptions | undefined> {
    return flatten(await withExemptions(tx).where(and(eq(taxRules.tenantId, tx.tenantId), eq(taxRules.id, id))))[0];
  },

  async listRules(tx: TxScope, limit: number, after: string | undefined, f: { includeArchived: boolean; taxCategoryId?: string | undefined; outletId?: string | undefined }): Promise<TaxRuleWithExemptions[]> {
    return flatten(
      await withExemptions(tx)
        .where(
          and(
            eq(taxRules.tenantId, tx.tenantId),
            after ? gt(taxRules.id, after) : undefined,
            f.includeArchived ? undefined : isNull(taxRules.archivedAt),
            f.taxCategoryId === undefined ? undefined : eq(taxRules.taxCategoryId, f.taxCategoryId),
            f.outletId === undefined ? undefined : eq(taxRules.outletId, f.outletId),
          ),
        )
        .orderBy(asc(taxRules.id))
        .limit(limit + 1),
    );
  },

  /** Every active, live rule of the tenant (a handful): filtered and ordered in TypeScript by the pure rules. */
  async liveRules(tx: TxScope): Promise<TaxRuleWithExemptions[]> {
    return flatten(await withExemptions(tx).where(and(eq(taxRules.tenantId, tx.tenantId), eq(taxRules.active, true), isNull(taxRules.archivedAt))));
  },

  async updateRule(tx: TxScope, id: string, patch: RulePatch): Promise<TaxRule | undefined> {
    const [r] = await tx.db
      .update(taxRules)
      .set({ ...patch, updatedAt: sql`now()` })
      .where(and(eq(taxRules.tenantId, tx.tenantId), eq(taxRules.id, id)))
      .returning();
    return r;
  },

  async replaceExemptions(tx: TxScope, ruleId: string, categoryIds: readonly string[]): Promise<void> {
    await tx.db.delete(taxExemptions).where(and(eq(taxExemptions.tenantId, tx.tenantId), eq(taxExemptions.taxRuleId, ruleId)));
    if (categoryIds.length === 0) return;
    await tx.db.insert(taxExemptions).values(categoryIds.map((taxCategoryId) => ({ tenantId: tx.tenantId, taxRuleId: ruleId, taxCategoryId })));
  },
};
