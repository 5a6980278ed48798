import { and, asc, desc, getTableColumns, gt, lt, eq, or, sql } from 'drizzle-orm';
import type { TxScope } from '../../platform/context.js';
import { preparedQuery } from '../../platform/prepared.js';
import { products, type Product, type Variant } from './catalog.schema.js';
import { productFilterSql, type ProductFilter, type ProductWithVariants } from './product.repository.js';
import { likeEscape, MIN_FUZZY_LENGTH, WORD_SIMILARITY_THRESHOLD, type SearchPosition } from './search.js';
import type { VariantWithBarcodes } from './variant.repository.js';
import { productJsonSql } from './product-page.repository.js';

export type LookupMatch = 'barcode' | 'variant_sku' | 'product_sku';

export interface LookupHit {
  matchedBy: LookupMatch;
  /** The variant the code names; for a product SKU, the product's only live variant if it has one. */
  variantId: string | null;
  product: ProductWithVariants;
}

// Rows that cross the wire as JSON (the lookup is one statement) come back snake_case with ISO timestamps.
type Json = Record<string, unknown>;
const date = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(String(v)));
const big = (v: unknown): bigint | null => (v === null || v === undefined ? null : BigInt(v as number));

function productFromJson(j: Json): Product {
  return {
    tenantId: j.tenant_id as string,
    id: j.id as string,
    name: j.name as string,
    description: (j.description as string | null) ?? null,
    sku: (j.sku as string | null) ?? null,
    categoryId: (j.category_id as string | null) ?? null,
    tags: (j.tags as string[]) ?? [],
    taxCategoryId: (j.tax_category_id as string | null) ?? null,
    type: j.type as Product['type'],
    trackStock: j.track_stock as boolean,
    active: j.active as boolean,
    archivedAt: date(j.archived_at),
    imageId: (j.image_id as string | null) ?? null,
    changeSeq: big(j.change_seq)!,
    createdAt: date(j.created_at)!,
    updatedAt: date(j.updated_at)!,
  };
}

function variantFromJson(j: Json): VariantWithBarcodes {
  const v: Variant = {
    tenantId: j.tenant_id as string,
    id: j.id as string,
    productId: j.product_id as string,
    name: j.name as string,
    sku: (j.sku as string | null) ?? null,
    options: (j.options as Record<string, string>) ?? {},
    cost: big(j.cost),
    weightBased: j.weight_based as boolean,
    sortOrder: j.sort_order as number,
    active: j.active as boolean,
    archivedAt: date(j.archived_at),
    changeSeq: big(j.change_seq)!,
    createdAt: date(j.created_at)!,
    updatedAt: date(j.updated_at)!,
  };
  return { ...v, barcodes: (j.barcodes as string[]) ?? [] };
}

const tenant = sql.placeholder('tenant');
const code = sql.placeholder('code');

/**
 * The lookup as a named prepared statement: it runs thousands of times a second at the tills, and planning
 * this statement costs ten times executing it; PostgreSQL keeps the plan per connection.
 */
/** The codes' hits, best first: barcode, then variant SKU, then product SKU (archived rows skipped). */
const hits = sql`(
        SELECT * FROM (
          SELECT 1 AS pri, 'barcode' AS matched_by, v.product_id, v.id AS variant_id
            FROM barcodes b JOIN variants v ON v.tenant_id = b.tenant_id AND v.id = b.variant_id AND v.archived_at IS NULL
           WHERE b.tenant_id = ${tenant} AND b.code = ${code}
          UNION ALL
          SELECT 2, 'variant_sku', v.product_id, v.id FROM variants v WHERE v.tenant_id = ${tenant} AND v.sku = ${code} AND v.archived_at IS NULL
          UNION ALL
          SELECT 3, 'product_sku', p.id, NULL::uuid FROM products p WHERE p.tenant_id = ${tenant} AND p.sku = ${code}
        ) h ORDER BY pri LIMIT 1
      ) hit JOIN products p ON p.tenant_id = ${tenant} AND p.id = hit.product_id AND p.archived_at IS NULL`;

const lookupQuery = (tx: TxScope) =>
  tx.db
    .select({
      matchedBy: sql<LookupMatch>`hit.matched_by`,
      variantId: sql<string | null>`hit.variant_id`,
      product: sql<Json>`to_jsonb(p)`,
      variants: sql<Json[]>`coalesce((
        SELECT jsonb_agg(to_jsonb(v) || jsonb_build_object('barcodes', coalesce(
                 (SELECT jsonb_agg(b.code ORDER BY b.code) FROM barcodes b WHERE b.tenant_id = v.tenant_id AND b.variant_id = v.id), '[]'::jsonb))
               ORDER BY v.sort_order, v.id)
          FROM variants v WHERE v.tenant_id = p.tenant_id AND v.product_id = p.id AND v.archived_at IS NULL), '[]'::jsonb)`,
    })
    .from(hits)
    .prepare('catalog_lookup');

/**
 * The same lookup answered as the JSON text of the public lookup view ({matched_by, variant_id, product}),
 * rendered by the database: what the tills call thousands of times a second goes out without being mapped.
 */
const lookupJsonQuery = (tx: TxScope) =>
  tx.db
    .select({
      json: sql<string>`json_build_object('matched_by', hit.matched_by,
        'variant_id', coalesce(hit.variant_id, (SELECT CASE WHEN count(*) = 1 THEN min(v.id::text)::uuid END FROM variants v
                                                 WHERE v.tenant_id = p.tenant_id AND v.product_id = p.id AND v.archived_at IS NULL)),
        'product', ${productJsonSql(undefined)})::text`,
    })
    .from(hits)
    .prepare('catalog_lookup_json');

export const searchRepository = {
  /**
   * Finds a code as a barcode, else a variant SKU, else a product SKU — skipping archived rows — and returns
   * the product with its live variants, in one statement: three primary-key/unique-index probes and a join.
   */
  async lookup(tx: TxScope, code: string): Promise<LookupHit | undefined> {
    const [row] = await preparedQuery(tx.db, 'catalog.lookup', () => lookupQuery(tx)).execute({ tenant: tx.tenantId, code });
    if (!row) return undefined;
    const variants = row.variants.map(variantFromJson);
    const only = variants.length === 1 ? variants[0]!.id : null;
    return { matchedBy: row.matchedBy, variantId: row.variantId ?? only, product: { ...productFromJson(row.product), variants } };
  },

  /** lookup's answer as JSON text in the public lookup shape; undefined when nothing matches. */
  async lookupJson(tx: TxScope, code: string): Promise<string | undefined> {
    const [row] = await preparedQuery(tx.db, 'catalog.lookup_json', () => lookupJsonQuery(tx)).execute({ tenant: tx.tenantId, code });
    return row?.json;
  },

  /**
   * Products whose name matches `q` (normalised, see search.ts), best first, keyset-paged on (score, id).
   * Candidates come from the tenant-led indexes: the trigram GIN index (`<%`, ILIKE) and the lower(name)
   * prefix index; the score only orders them.
   */
  async search(tx: TxScope, q: string, f: ProductFilter, limit: number, after: SearchPosition | undefined): Promise<(Product & { score: number })[]> {
    const prefix = `${likeEscape(q)}%`;
    const contains = `%${likeEscape(q)}%`;
    const fuzzy = q.length >= MIN_FUZZY_LENGTH;
    if (fuzzy) await tx.db.execute(sql`SELECT set_config('pg_trgm.word_similarity_threshold', ${String(WORD_SIMILARITY_THRESHOLD)}, true)`);
    const startsWith = sql`lower(${products.name}) LIKE ${prefix}`;
    const score = fuzzy
      ? sql<number>`CASE WHEN ${startsWith} THEN 1000 WHEN ${products.name} ILIKE ${contains} THEN 900 ELSE round(1000 * word_similarity(${q}, ${products.name}))::int END`
      : sql<number>`1000`;
    const match = fuzzy ? or(startsWith, sql`${products.name} ILIKE ${contains}`, sql`${q} <% ${products.name}`) : startsWith;
    const ranked = tx.db
      .select({ ...getTableColumns(products), score: score.as('score') })
      .from(products)
      .where(and(productFilterSql(tx, f), match))
      .as('ranked');
    return tx.db
      .select()
      .from(ranked)
      .where(after ? or(lt(ranked.score, after.score), and(eq(ranked.score, after.score), gt(ranked.id, after.id))) : undefined)
      .orderBy(desc(ranked.score), asc(ranked.id))
      .limit(limit + 1);
  },
};
