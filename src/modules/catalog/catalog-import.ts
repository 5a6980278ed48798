import { CsvError, parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import { requirePermission, withTransaction, type Ctx, type TxCtx } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { rowsOf } from '../../platform/db.js';
import { uuidv7 } from '../../platform/ids.js';
import { currencyExponent } from '../../platform/money.js';
import { tickCatalogClock } from './catalog-clock.js';
import { parseHeader } from './catalog-csv.js';
import { CatalogImportErrors } from './catalog-import.errors.js';
import { importEvents } from './catalog-import.events.js';
import { MAX_REPORTED_ERRORS, summarize, type ImportSummary, type Plan, type PlannedChange } from './catalog-import.model.js';
import { planImport } from './catalog-import.plan.js';
import { loadSnapshot } from './catalog-import.repository.js';
import { parseRow, type ImportRow, type RowIssue } from './catalog-import.rows.js';
import { recordEventsInBulk, writePlan } from './catalog-import.writer.js';

/** More rows than this are refused before parsing them: one import is one transaction. */
export const MAX_IMPORT_ROWS = 100_000;

export interface ImportResult {
  dry_run: boolean;
  /** No errors: a dry run that could be applied, or an applied import. */
  valid: boolean;
  applied: boolean;
  summary: ImportSummary;
  /** The first MAX_REPORTED_ERRORS problems, by row. */
  errors: RowIssue[];
  error_count: number;
  /** What would change (dry run) or changed: the first 500 creations and updates. */
  changes: PlannedChange[];
  /** The change_seq every written row carries; null for a dry run or an import that changed nothing. */
  change_seq: number | null;
}

interface Table {
  header: string[];
  records: { line: number; cells: string[] }[];
}

/** CSV text → cells, with the file line each record starts on (quoted newlines counted). */
export function readCsv(text: string): Table {
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    parsed = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true, record_delimiter: ['\r\n', '\n', '\r'] }) as unknown as typeof parsed;
  } catch (e) {
    if (!(e instanceof CsvError)) throw e;
    const line = (e as CsvError & { lines?: number }).lines;
    throw new AppError(CatalogImportErrors.CATALOG_IMPORT_MALFORMED, { line, reason: e.message }, `The body is not readable CSV: ${e.message}`);
  }
  const [head, ...rest] = parsed;
  if (!head || rest.length === 0) throw new AppError(CatalogImportErrors.CATALOG_IMPORT_EMPTY);
  if (rest.length > MAX_IMPORT_ROWS) throw new AppError(CatalogImportErrors.CATALOG_IMPORT_TOO_LARGE, { max_rows: MAX_IMPORT_ROWS, rows: rest.length }, `One import takes at most ${MAX_IMPORT_ROWS} rows`);
  const startLine = (r: { record: string[]; info: { lines: number } }) => r.info.lines - r.record.join('').split(/\r\n|\r|\n/).length + 1;
  return { header: head.record, records: rest.map((r) => ({ line: startLine(r), cells: r.record })) };
}

/**
 * CSV import of products, variants, barcodes, categories and default-book prices (format: catalog-csv.ts).
 * A dry run reads and plans and writes nothing; an import takes the catalog clock, plans again against what
 * is there now, and applies the whole file in that one transaction, or nothing when any row has a problem.
 */
export class CatalogImportService {
  async import(ctx: Ctx, csv: string, opts: { dryRun: boolean }): Promise<ImportResult> {
    requirePermission(ctx, 'pos:catalog:write');
    const started = performance.now();
    const table = readCsv(csv);
    ctx.log.info({ rows: table.records.length, dry_run: opts.dryRun }, 'catalog import started');
    const result = await withTransaction(ctx, async (tx) => {
      const seq = opts.dryRun ? null : await tickCatalogClock(tx);
      const { plan, snap } = await this.plan(tx, table);
      if (opts.dryRun) return this.result(plan, { dryRun: true, seq: null });
      if (plan.errors.length) {
        const r = this.result(plan, { dryRun: false, seq: null });
        throw new AppError(CatalogImportErrors.CATALOG_IMPORT_INVALID, { error_count: r.error_count, errors: r.errors, summary: r.summary }, `${r.error_count} problem(s) in the CSV; nothing was written`);
      }
      await writePlan(tx, plan, snap, seq!, ctx.log);
      await recordEventsInBulk(tx, importEvents(plan, snap));
      return this.result(plan, { dryRun: false, seq });
    });
    ctx.log.info({ ...result.summary, dry_run: opts.dryRun, errors: result.error_count, duration_ms: Math.round(performance.now() - started) }, 'catalog import finished');
    return result;
  }

  private async plan(tx: TxCtx, table: Table) {
    const [tenant] = rowsOf<{ currency: string }>(await tx.db.execute(sql`SELECT currency FROM tenants WHERE id = ${tx.tenantId}`));
    const exponent = currencyExponent(tenant!.currency);
    const { header, issues: headerIssues } = parseHeader(table.header);
    const issues: RowIssue[] = headerIssues.map((i) => ({ row: 1, ...i }));
    const rows: ImportRow[] = [];
    if (headerIssues.length === 0) {
      for (const rec of table.records) {
        if (rec.cells.length !== table.header.length) {
          issues.push({ row: rec.line, column: '', message: `has ${rec.cells.length} cells; the header has ${table.header.length}` });
          continue;
        }
        const r = parseRow(header, rec.cells, rec.line, exponent);
        rows.push(r.row);
        issues.push(...r.issues);
      }
    }
    const snap = await loadSnapshot(tx, rows);
    const plan = planImport(rows, issues, snap, uuidv7);
    plan.rows = table.records.length;
    tx.log.info({ rows: plan.rows, errors: plan.errors.length }, 'catalog import planned');
    return { plan, snap };
  }

  private result(plan: Plan, o: { dryRun: boolean; seq: bigint | null }): ImportResult {
    const wrote = o.seq !== null && (plan.productInserts.length + plan.productUpdates.length + plan.variantInserts.length + plan.variantUpdates.length + plan.prices.length + plan.categories.length + plan.barcodeSets.length) > 0;
    return {
      dry_run: o.dryRun,
      valid: plan.errors.length === 0,
      applied: !o.dryRun && plan.errors.length === 0,
      summary: summarize(plan),
      errors: plan.errors.slice(0, MAX_REPORTED_ERRORS),
      error_count: plan.errors.length,
      changes: plan.changes,
      change_seq: wrote ? Number(o.seq) : null,
    };
  }
}
