import { sql } from 'drizzle-orm';
import type { Log, TxScope } from '../../platform/context.js';
import { uuidv7 } from '../../platform/ids.js';
import { jsonPayload } from '../../platform/jobs.js';
import { OUTBOX_CHANNEL } from '../../platform/outbox.js';
import { recordTombstone } from './catalog-clock.js';
import type { Plan, ProductColumns, Snapshot, VariantColumns } from './catalog-import.model.js';
import { variantRepository } from './variant.repository.js';

/** Rows per statement: large enough that 10,000 rows take a few statements, small enough to log progress. */
export const IMPORT_BATCH = 2000;

const json = (rows: unknown[]) => jsonPayload(rows);
const uuidArray = (ids: string[]) => sql`${sql.param(ids)}::uuid[]`;

function* batches<T>(rows: T[]): Generator<T[]> {
  for (let i = 0; i < rows.length; i += IMPORT_BATCH) yield rows.slice(i, i + IMPORT_BATCH);
}

const productRecord = (p: ProductColumns) => ({
  id: p.id,
  sku: p.sku,
  name: p.name,
  description: p.description,
  category_id: p.categoryId,
  tags: p.tags,
  tax_category_id: p.taxCategoryId,
  type: p.type,
  track_stock: p.trackStock,
  active: p.active,
});
const PRODUCT_RECORD = sql.raw('x(id uuid, sku text, name text, description text, category_id uuid, tags text[], tax_category_id uuid, type text, track_stock boolean, active boolean)');

const variantRecord = (v: VariantColumns) => ({
  id: v.id,
  product_id: v.productId,
  sku: v.sku,
  name: v.name,
  options: v.options,
  cost: v.cost === null ? null : v.cost.toString(),
  weight_based: v.weightBased,
  sort_order: v.sortOrder,
  active: v.active,
});
const VARIANT_RECORD = sql.raw('x(id uuid, product_id uuid, sku text, name text, options jsonb, cost bigint, weight_based boolean, sort_order integer, active boolean)');

/**
 * Writes a plan that has no errors, set-based: each kind of row goes in a few INSERT … SELECT FROM
 * jsonb_to_recordset or UPDATE … FROM statements, every row stamped with `seq`. The caller holds the catalog
 * clock (taken before the snapshot was loaded), so nothing moved between planning and writing.
 */
export async function writePlan(tx: TxScope, plan: Plan, snap: Snapshot, seq: bigint, log: Log): Promise<void> {
  const t = tx.tenantId;
  const progress = (stage: string, done: number, total: number) => {
    if (total > IMPORT_BATCH) log.info({ stage, done, total }, 'catalog import progress');
  };

  for (const rows of batches(plan.categories)) {
    // Parents come before their children in the plan; one statement sees the rows it inserted earlier.
    await tx.db.execute(sql`
      INSERT INTO categories (tenant_id, id, parent_id, name, sort_order, active, change_seq)
      SELECT ${t}, x.id, x.parent_id, x.name, 0, true, ${seq} FROM jsonb_to_recordset(${json(rows.map((c) => ({ id: c.id, parent_id: c.parentId, name: c.name })))}::jsonb) AS x(id uuid, parent_id uuid, name text)`);
  }

  // SKUs that move are cleared first, so two rows may swap SKUs within one import.
  if (plan.skuMoves.products.length) await tx.db.execute(sql`UPDATE products SET sku = NULL WHERE tenant_id = ${t} AND id = ANY(${uuidArray(plan.skuMoves.products)})`);
  if (plan.skuMoves.variants.length) await tx.db.execute(sql`UPDATE variants SET sku = NULL WHERE tenant_id = ${t} AND id = ANY(${uuidArray(plan.skuMoves.variants)})`);

  let done = 0;
  for (const rows of batches(plan.productInserts)) {
    await tx.db.execute(sql`
      INSERT INTO products (tenant_id, id, sku, name, description, category_id, tags, tax_category_id, type, track_stock, active, change_seq)
      SELECT ${t}, x.id, x.sku, x.name, x.description, x.category_id, coalesce(x.tags, '{}'), x.tax_category_id, x.type, x.track_stock, x.active, ${seq}
      FROM jsonb_to_recordset(${json(rows.map(productRecord))}::jsonb) AS ${PRODUCT_RECORD}`);
    progress('products created', (done += rows.length), plan.productInserts.length);
  }
  done = 0;
  for (const rows of batches(plan.productUpdates)) {
    await tx.db.execute(sql`
      UPDATE products p SET sku = x.sku, name = x.name, description = x.description, category_id = x.category_id, tags = coalesce(x.tags, '{}'),
        tax_category_id = x.tax_category_id, type = x.type, track_stock = x.track_stock, active = x.active, change_seq = ${seq}, updated_at = now()
      FROM jsonb_to_recordset(${json(rows.map(productRecord))}::jsonb) AS ${PRODUCT_RECORD}
      WHERE p.tenant_id = ${t} AND p.id = x.id`);
    progress('products updated', (done += rows.length), plan.productUpdates.length);
  }

  done = 0;
  for (const rows of batches(plan.variantInserts)) {
    await tx.db.execute(sql`
      INSERT INTO variants (tenant_id, id, product_id, sku, name, options, cost, weight_based, sort_order, active, change_seq)
      SELECT ${t}, x.id, x.product_id, x.sku, x.name, x.options, x.cost, x.weight_based, x.sort_order, x.active, ${seq}
      FROM jsonb_to_recordset(${json(rows.map(variantRecord))}::jsonb) AS ${VARIANT_RECORD}`);
    progress('variants created', (done += rows.length), plan.variantInserts.length);
  }
  done = 0;
  for (const rows of batches(plan.variantUpdates)) {
    await tx.db.execute(sql`
      UPDATE variants v SET sku = x.sku, name = x.name, options = x.options, cost = x.cost, weight_based = x.weight_based,
        sort_order = x.sort_order, active = x.active, change_seq = ${seq}, updated_at = now()
      FROM jsonb_to_recordset(${json(rows.map(variantRecord))}::jsonb) AS ${VARIANT_RECORD}
      WHERE v.tenant_id = ${t} AND v.id = x.id`);
    progress('variants updated', (done += rows.length), plan.variantUpdates.length);
  }

  // The default-variant rule (variant.service.ts): claimed placeholders are the user's now; replaced ones go
  // unless something references them, as when a variant is created through the API.
  if (plan.placeholders.claim.length) await tx.db.execute(sql`UPDATE variants SET auto_created = false WHERE tenant_id = ${t} AND id = ANY(${uuidArray(plan.placeholders.claim)})`);
  for (const id of plan.placeholders.replace) {
    if (await variantRepository.deleteIfUnreferenced(tx, id)) await recordTombstone(tx, 'variant', id, seq);
    else await variantRepository.clearAutoCreated(tx, id);
  }

  for (const sets of batches(plan.barcodeSets)) {
    await tx.db.execute(sql`DELETE FROM barcodes WHERE tenant_id = ${t} AND variant_id = ANY(${uuidArray(sets.map((s) => s.variantId))})`);
    const rows = sets.flatMap((s) => s.codes.map((code) => ({ code, variant_id: s.variantId })));
    if (rows.length) {
      await tx.db.execute(sql`
        INSERT INTO barcodes (tenant_id, code, variant_id)
        SELECT ${t}, x.code, x.variant_id FROM jsonb_to_recordset(${json(rows)}::jsonb) AS x(code text, variant_id uuid)`);
    }
  }

  if (plan.prices.length) {
    let bookId = snap.defaultBookId;
    if (!bookId) {
      bookId = uuidv7();
      await tx.db.execute(sql`
        INSERT INTO price_books (tenant_id, id, name, is_default, currency, priority, active, change_seq)
        VALUES (${t}, ${bookId}, 'Default', true, ${snap.currency}, 0, true, ${seq})`);
      snap.defaultBookId = bookId;
    }
    done = 0;
    for (const rows of batches(plan.prices)) {
      await tx.db.execute(sql`
        INSERT INTO prices (tenant_id, price_book_id, variant_id, amount, currency, change_seq)
        SELECT ${t}, ${bookId}, x.variant_id, x.amount, ${snap.currency}, ${seq}
        FROM jsonb_to_recordset(${json(rows.map((p) => ({ variant_id: p.variantId, amount: p.amount.toString() })))}::jsonb) AS x(variant_id uuid, amount bigint)
        ON CONFLICT (tenant_id, price_book_id, variant_id) DO UPDATE SET amount = excluded.amount, currency = excluded.currency, change_seq = excluded.change_seq, updated_at = now()`);
      progress('prices set', (done += rows.length), plan.prices.length);
    }
  }
}

export interface ImportEvent {
  type: string;
  aggregateType: string;
  aggregateId: string;
  payload: unknown;
}

/**
 * Records many outbox events in a few statements (recordEvent in platform/outbox.ts writes one per call, which
 * for 10,000 products is 20,000 round trips). Same rows, same notification.
 */
export async function recordEventsInBulk(tx: TxScope, events: ImportEvent[]): Promise<void> {
  if (events.length === 0) return;
  for (const rows of batches(events)) {
    const records = rows.map((e) => ({ id: uuidv7(), type: e.type, aggregate_type: e.aggregateType, aggregate_id: e.aggregateId, payload: e.payload }));
    await tx.db.execute(sql`
      INSERT INTO outbox_events (tenant_id, id, type, aggregate_type, aggregate_id, payload)
      SELECT ${tx.tenantId}, x.id, x.type, x.aggregate_type, x.aggregate_id, x.payload
      FROM jsonb_to_recordset(${json(records)}::jsonb) AS x(id uuid, type text, aggregate_type text, aggregate_id text, payload jsonb)`);
  }
  await tx.db.execute(sql`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`);
}
