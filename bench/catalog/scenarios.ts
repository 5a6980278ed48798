/** The catalog bench's client-side scenarios that are not a steady load: paging, full sync, CSV imports. */
import { round } from '../server.js';

export interface Api {
  baseUrl: string;
  headers: Record<string, string>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the bench reads a few fields of each JSON response
async function json(api: Api, method: string, path: string, body?: string, contentType = 'application/json'): Promise<{ status: number; body: any; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(`${api.baseUrl}${path}`, { method, headers: { ...api.headers, ...(body !== undefined ? { 'content-type': contentType } : {}) }, body });
  const text = await res.text();
  const ms = performance.now() - t0;
  if (res.status >= 400) throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 500)}`);
  return { status: res.status, body: text ? JSON.parse(text) : undefined, ms };
}

/** Walks every page of GET /api/v1/products (100 per page): the page tokens, and each page's variant ids. */
export async function walkProductPages(api: Api): Promise<{ tokens: string[]; variantIdsByPage: string[][]; seconds: number; slowest_page_ms: number }> {
  const tokens = [''];
  const variantIdsByPage: string[][] = [];
  let slowest = 0;
  const t0 = performance.now();
  for (;;) {
    const token = tokens[tokens.length - 1]!;
    const r = await json(api, 'GET', `/api/v1/products?page_size=100${token ? `&page_token=${token}` : ''}`);
    slowest = Math.max(slowest, r.ms);
    variantIdsByPage.push((r.body.items as { variants: { id: string }[] }[]).flatMap((p) => p.variants.map((v) => v.id)));
    if (!r.body.next_page_token) break;
    tokens.push(r.body.next_page_token as string);
  }
  return { tokens, variantIdsByPage, seconds: round((performance.now() - t0) / 1000, 2), slowest_page_ms: round(slowest, 1) };
}

/** A register's full sync: GET /api/v1/catalog/changes from the start until has_more is false. */
export async function fullSync(api: Api, limit: number) {
  const t0 = performance.now();
  let since = '0';
  let changes = 0;
  let pages = 0;
  let slowest = 0;
  let bytes = 0;
  for (;;) {
    const t = performance.now();
    const res = await fetch(`${api.baseUrl}/api/v1/catalog/changes?since=${encodeURIComponent(since)}&limit=${limit}`, { headers: api.headers });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`changes → ${res.status}: ${text.slice(0, 300)}`);
    const page = JSON.parse(text) as { changes: unknown[]; next_cursor: string; has_more: boolean };
    slowest = Math.max(slowest, performance.now() - t);
    bytes += text.length;
    changes += page.changes.length;
    pages++;
    since = page.next_cursor;
    if (!page.has_more) break;
  }
  const seconds = (performance.now() - t0) / 1000;
  return { seconds: round(seconds, 2), changes, pages, limit, changes_per_s: round(changes / seconds), slowest_page_ms: round(slowest, 1), megabytes: round(bytes / 1e6, 1) };
}

/**
 * An import file of `rows` rows. New products: rows / 3 products × 3 variants with barcodes, cost, prices,
 * an option and a two-level category. With `existing`, a price list for the generated products P<n> (only
 * product_sku, variant_sku and price columns, so nothing else changes).
 */
export function importCsv(rows: number, opts: { prefix: string; existing?: boolean; seed?: number }): string {
  const sizes = ['Small', 'Medium', 'Large'];
  const lines = [opts.existing ? 'product_sku,variant_sku,price' : 'product_sku,product_name,category,tags,variant_sku,variant_name,option:size,barcodes,cost,price'];
  for (let i = 0; lines.length <= rows; i++) {
    for (let k = 0; k < 3 && lines.length <= rows; k++) {
      const price = (12000 + ((i + (opts.seed ?? 0)) % 400) * 100 + k * 4000).toFixed(2);
      if (opts.existing) lines.push(`P${i},P${i}-${k},${price}`);
      else {
        const sku = `${opts.prefix}${i}`;
        const barcode = `77${String(i * 3 + k).padStart(11, '0')}`;
        lines.push(`${sku},Imported ${i},Imported/Shelf ${i % 20},new|bench,${sku}-${k},${sizes[k]},${sizes[k]![0]},${barcode},${(5000 + k * 1000).toFixed(2)},${price}`);
      }
    }
  }
  return lines.join('\n') + '\n';
}

/** POSTs a CSV to the import route; returns the wall time and the summary. */
export async function timedImport(api: Api, csv: string, dryRun: boolean) {
  const r = await json(api, 'POST', `/api/v1/catalog/import?dry_run=${dryRun}`, csv, 'text/csv');
  return { seconds: round(r.ms / 1000, 2), dry_run: dryRun, megabytes: round(csv.length / 1e6, 2), valid: r.body.valid as boolean, error_count: r.body.error_count as number, summary: r.body.summary as unknown };
}
