import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { App } from '../../../app.js';
import { CatalogImportErrors, type CatalogExportService, type CatalogImportService, type UploadedFile } from '../../../modules/catalog/index.js';
import { AppError } from '../../../platform/errors.js';
import { registerMultipart } from '../multipart.js';
import { fastifyOf, tenantRawGet } from '../raw-route.js';
import type { RouteKit } from '../route-kit.js';

const tags = ['Catalog import/export'];
const CSV_TYPES = ['text/csv', 'application/csv'];

const importQuery = z.object({
  dry_run: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true')
    .describe('true (default): report what would change and every problem, write nothing. false: apply all rows in one transaction, or none.'),
});
const counts = (...keys: string[]) => z.object(Object.fromEntries(keys.map((k) => [k, z.number().int()])));
const importResultView = z.object({
  dry_run: z.boolean(),
  valid: z.boolean(),
  applied: z.boolean(),
  summary: z.object({
    rows: z.number().int(),
    products: counts('create', 'update', 'unchanged'),
    variants: counts('create', 'update', 'unchanged'),
    categories: counts('create'),
    prices: counts('set', 'unchanged'),
    barcodes: counts('variants_replaced'),
  }),
  errors: z.array(z.object({ row: z.number().int().describe('Line of the file; the header is 1'), column: z.string(), message: z.string() })),
  error_count: z.number().int(),
  changes: z.array(z.object({ row: z.number().int(), entity: z.string(), action: z.string(), key: z.string(), fields: z.array(z.string()).optional() })),
  change_seq: z.number().int().nullable(),
});

const FORMAT = [
  'One row per variant; the header names the columns (any order): product_id, product_sku, product_name, description, category (a path such as Drinks/Coffee, created when missing), tags (a|b), type,',
  'tax_category (its code), track_stock, active, variant_id, variant_sku, variant_name, barcodes (a|b), cost and price (major units of the tenant currency, e.g. 25000.00; price goes to the default price book),',
  'weight_based, variant_active, and option:<name> per option. Rows match products by product_id, else product_sku, and variants by variant_id, else variant_sku, else name.',
  'A column left out leaves that field alone; a blank cell clears it (a blank price leaves the price). Send text/csv, or multipart/form-data with a file field named file.',
].join(' ');

const registeredCsv = new WeakSet<FastifyInstance>();

/** Lets routes take a text/csv (or application/csv) body as a string, up to `maxBytes`. */
export function registerCsvParser(server: FastifyInstance, maxBytes: number): void {
  if (registeredCsv.has(server)) return;
  registeredCsv.add(server);
  server.addContentTypeParser(CSV_TYPES, { parseAs: 'string', bodyLimit: maxBytes }, (_req, body, done) => done(null, body));
}

function csvText(body: unknown, maxBytes: number): string {
  if (typeof body === 'string') return body;
  const file = (body as { file?: UploadedFile } | undefined)?.file;
  if (!file || !Buffer.isBuffer(file.data)) {
    throw new AppError(CatalogImportErrors.CATALOG_IMPORT_EMPTY, { field: 'file' }, 'Send the CSV as a text/csv body, or as a multipart/form-data file field named file');
  }
  if (file.truncated || file.data.length > maxBytes) throw new AppError(CatalogImportErrors.CATALOG_IMPORT_TOO_LARGE, { max_bytes: maxBytes });
  return file.data.toString('utf8');
}

/**
 * POST /api/v1/catalog/import (dry run by default) and GET /api/v1/catalog/export. Wire with
 * `catalogImportRoutes(kit, app, { imports, exports })`; it registers the text/csv and multipart parsers.
 */
export function catalogImportRoutes(r: RouteKit, app: Pick<App, 'gate' | 'database' | 'config'>, s: { imports: CatalogImportService; exports: CatalogExportService }): void {
  const server = fastifyOf(r);
  const maxBytes = app.config.POS_CATALOG_IMPORT_MAX_BYTES;
  registerMultipart(server, app.config);
  registerCsvParser(server, maxBytes);

  r.post(
    '/api/v1/catalog/import',
    {
      summary: 'Import products, variants, barcodes, categories and prices from CSV (dry run by default)',
      description: FORMAT,
      tags,
      query: importQuery,
      body: z.any().meta({ type: 'string', description: 'The CSV (text/csv), or multipart/form-data with a file field named file' }),
      response: importResultView,
    },
    async ({ query, body }, ctx) => s.imports.import(ctx, csvText(body, maxBytes), { dryRun: query.dry_run }),
  );

  tenantRawGet(
    r,
    app,
    '/api/v1/catalog/export',
    { summary: 'The catalog as CSV, in the import’s format (products that are not archived, with ids)', description: FORMAT, tags },
    async (_req, reply, ctx) => {
      const stream = await s.exports.stream(ctx);
      const day = new Date().toISOString().slice(0, 10);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="catalog-${day}.csv"`)
        .header('cache-control', 'no-store')
        .send(stream);
    },
  );
}
