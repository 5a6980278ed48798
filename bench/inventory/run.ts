/**
 * Inventory performance (issue 5): `npx tsx bench/inventory/run.ts [--duration 10] [--rounds 2] [--connections 32]`
 *
 *  1. one-request checkout (3 lines, cash) flat out on PostgreSQL with the lines' products tracking stock
 *     (negative stock forbidden, so every sale runs the guarded take) and not tracking it, alternating
 *     off/on for --rounds rounds: stock tracking on should stay within 15 % of off;
 *  2. the stock of 1,000 variants at one location, read through GET /api/v1/inventory/stock (10 pages of 100):
 *     target ≤ 20 ms for all of it (median of 30);
 *  3. a location's stock valuation with 1,000,000 movements in its ledger (generated with generate_series),
 *     GET /api/v1/inventory/locations/:id/valuation: target ≤ 200 ms (median of 30); and, for the record, the
 *     ledger-invariant check over the same million rows;
 *  4. (--only …,fifo, with checkout) the same tracked checkout with the tenant switched to FIFO costing (three
 *     statements per sale instead of one): for the record, FIFO throughput relative to the moving average.
 * The load generator, the server and the database share this (noisy, shared) machine: the figures are lower bounds.
 * Results: bench/results/inventory-<date>.json as {figure, target, measured, unit, database, date, met} records.
 */
import autocannon from 'autocannon';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { freshPostgresDatabase } from '../../test/support/database.js';
import { median, ROOT, round, startServer } from '../server.js';
import { emitRecords } from '../report-kit.js';

const { values: opt } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    rounds: { type: 'string', default: '2' },
    connections: { type: 'string', default: '32' },
    pool: { type: 'string', default: '20' },
    outlets: { type: 'string', default: '32' },
    only: { type: 'string', default: 'checkout,stock,valuation' },
  },
  strict: true,
});
// --quick (npm run bench:quick): small and short, to prove it runs; not a measurement.
if (opt.quick) Object.assign(opt, { duration: '2', warmup: '1', rounds: '1' });
const n = (k: 'duration' | 'warmup' | 'rounds' | 'connections' | 'pool' | 'outlets') => Number(opt[k]);
const only = new Set(opt.only.split(','));
const say = (m: string) => console.log(m);
const TENANT = '00000000-0000-0000-0000-000000000001';
const DEV = { 'x-dev-tenant-id': TENANT, 'content-type': 'application/json' };

async function call(base: string, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const r = await fetch(`${base}${path}`, { method, headers: DEV, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const j = (await r.json()) as Record<string, unknown>;
  if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(j)}`);
  return j;
}

async function menu(base: string, trackStock: boolean): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, amount] of [2_500_000, 1_800_000, 3_200_000].entries()) {
    const p = await call(base, 'POST', '/api/v1/products', { name: `Bench ${trackStock ? 'tracked' : 'untracked'} ${i}`, track_stock: trackStock });
    const v = (p.variants as { id: string }[])[0]!.id;
    await call(base, 'POST', '/api/v1/prices', { variant_id: v, amount, currency: 'IDR' });
    ids.push(v);
  }
  return ids;
}

const checkoutBody = (v: string[], outletId: string) => ({ outlet_id: outletId, items: [{ variant_id: v[0], quantity: 2 }, { variant_id: v[1], quantity: 1 }, { variant_id: v[2], quantity: 1 }], tenders: [{ tender_type: 'CASH', amount: 15_000_000 }] });

function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => autocannon(opts, (e, r) => (e ? reject(e) : resolve(r))));
}

async function loadCheckout(base: string, variants: string[], outletIds: string[]) {
  const requests = outletIds.map((o) => ({ method: 'POST' as const, path: '/api/v1/checkout', headers: DEV, body: JSON.stringify(checkoutBody(variants, o)) }));
  const common = { url: base, requests, connections: n('connections'), pipelining: 1, timeout: 10 };
  await cannon({ ...common, duration: n('warmup') });
  const r = await cannon({ ...common, duration: n('duration') });
  return { sales_per_s: round(r.requests.total / r.duration), p50_ms: r.latency.p50, p99_ms: r.latency.p99, non_2xx: r.non2xx, errors: r.errors };
}

async function timeMedian(times: number, work: () => Promise<unknown>): Promise<number> {
  const out: number[] = [];
  for (let i = 0; i < 3; i++) await work();
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    await work();
    out.push(performance.now() - t0);
  }
  return round(median(out), 2);
}

type Figure = { figure: string; target: string; measured: number; unit: string; database: string; date: string; met: boolean | null; detail?: unknown };
const figures: Figure[] = [];
const date = new Date().toISOString();
const record = (f: Omit<Figure, 'database' | 'date'>) => figures.push({ ...f, database: 'postgresql', date });

const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kasir_bench';
const url = await freshPostgresDatabase(base, 'inventory');
const dataDir = mkdtempSync(join(tmpdir(), 'kasir-bench-inventory-'));
const owner = new pg.Client({ connectionString: url });
try {
  const server = await startServer({ mode: 'tsx', args: ['--import', 'tsx', join(ROOT, 'bench', 'sales', 'server-main.ts')] }, {
    DATABASE_URL: url, POS_DATA_DIR: dataDir, POS_MIGRATE_ON_START: 'true', POS_AUTH_ENABLED: 'false', POS_DEV_TENANT: 'true', POS_JOBS_ENABLED: 'false',
    POS_LOG_LEVEL: 'warn', POS_DB_POOL_SIZE: String(n('pool')), POS_RATE_LIMIT_IP_PER_MINUTE: '100000000', POS_RATE_LIMIT_TENANT_PER_MINUTE: '100000000',
  });
  const api = `http://127.0.0.1:${server.httpPort}`;
  await owner.connect();
  try {
    if (only.has('checkout')) {
      await call(api, 'PUT', '/api/v1/inventory/settings', { allow_negative_stock: false });
      const outletIds: string[] = [];
      for (let i = 0; i < n('outlets'); i++) outletIds.push((await call(api, 'POST', '/api/v1/outlets', { code: `B${String(i).padStart(3, '0')}`, name: `Bench outlet ${i}` })).id as string);
      const tracked = await menu(api, true);
      const untracked = await menu(api, false);
      for (const o of outletIds) for (const v of tracked) await call(api, 'POST', '/api/v1/inventory/adjustments', { location_id: o, variant_id: v, quantity: 100_000_000, type: 'purchase_receipt', unit_cost: 1_000_000 });
      const off: number[] = [];
      const on: number[] = [];
      const runs: unknown[] = [];
      for (let r = 0; r < n('rounds'); r++) {
        say(`round ${r + 1}: checkout, stock tracking off …`);
        const a = await loadCheckout(api, untracked, outletIds);
        say(`  ${a.sales_per_s} sales/s, p50 ${a.p50_ms} ms, p99 ${a.p99_ms} ms, non-2xx ${a.non_2xx}`);
        say(`round ${r + 1}: checkout, stock tracking on (3 tracked lines, negative stock forbidden) …`);
        const b = await loadCheckout(api, tracked, outletIds);
        say(`  ${b.sales_per_s} sales/s, p50 ${b.p50_ms} ms, p99 ${b.p99_ms} ms, non-2xx ${b.non_2xx}`);
        off.push(a.sales_per_s);
        on.push(b.sales_per_s);
        runs.push({ off: a, on: b });
      }
      const ratio = round(median(on) / median(off), 3);
      say(`checkout with tracking on / off = ${ratio}`);
      record({ figure: 'checkout throughput, stock tracking on relative to off', target: '>= 0.85', measured: ratio, unit: 'ratio', met: ratio >= 0.85, detail: { off_sales_per_s: off, on_sales_per_s: on, runs } });
      if (only.has('fifo')) {
        await call(api, 'PUT', '/api/v1/inventory/settings', { costing_method: 'fifo' });
        const fifo: number[] = [];
        const fifoRuns: unknown[] = [];
        for (let r = 0; r < n('rounds'); r++) {
          say(`round ${r + 1}: checkout, stock tracking on, FIFO costing …`);
          const c = await loadCheckout(api, tracked, outletIds);
          say(`  ${c.sales_per_s} sales/s, p50 ${c.p50_ms} ms, p99 ${c.p99_ms} ms, non-2xx ${c.non_2xx}`);
          fifo.push(c.sales_per_s);
          fifoRuns.push(c);
        }
        const fifoRatio = round(median(fifo) / median(on), 3);
        await new Promise((r) => setTimeout(r, 3_000)); // requests still in flight when the load generator stopped
        // one statement, one snapshot: the layers and the levels they must match
        const both = await owner.query(`SELECT (SELECT sum(remaining) FROM cost_layers WHERE tenant_id = $1)::text AS layer_units, (SELECT sum(greatest(on_hand, 0)) FROM stock_levels WHERE tenant_id = $1)::text AS level_units`, [TENANT]);
        const units = both.rows[0] as { layer_units: string; level_units: string };
        say(`FIFO / moving average (tracking on) = ${fifoRatio}; layers hold ${units.layer_units} units, levels ${units.level_units}`);
        record({ figure: 'checkout throughput, FIFO costing relative to moving average (tracking on)', target: 'none (for the record)', measured: fifoRatio, unit: 'ratio', met: null,
          detail: { fifo_sales_per_s: fifo, moving_average_sales_per_s: on, runs: fifoRuns, layer_units: units.layer_units, level_units: units.level_units } });
        await call(api, 'PUT', '/api/v1/inventory/settings', { costing_method: 'moving_average' });
      }
      const drift = await owner.query(`SELECT count(*)::int AS n FROM stock_levels s WHERE s.on_hand <> (SELECT coalesce(sum(quantity), 0) FROM stock_movements m WHERE m.tenant_id = s.tenant_id AND m.location_id = s.location_id AND m.variant_id = s.variant_id)`);
      say(`levels not explained by their ledger after the load: ${drift.rows[0].n}`);
    }

    // A warehouse with 1,000 variants (copies of one bench variant) and 1,000,000 movements over them.
    const wh = (await call(api, 'POST', '/api/v1/inventory/locations', { name: 'Bench warehouse' })).id as string;
    const product = await call(api, 'POST', '/api/v1/products', { name: 'Bench bulk' });
    const template = (product.variants as { id: string }[])[0]!.id;
    say('generating 1,000 variants and 1,000,000 movements with generate_series …');
    await owner.query(
      `INSERT INTO variants SELECT (jsonb_populate_record(v, to_jsonb(v) || jsonb_build_object('id', gen_random_uuid(), 'sku', NULL, 'name', 'Bulk ' || g))).*
         FROM variants v, generate_series(1, 999) g WHERE v.tenant_id = $1 AND v.id = $2`,
      [TENANT, template],
    );
    await owner.query(
      `WITH lv AS (
         INSERT INTO stock_levels (tenant_id, location_id, variant_id, on_hand, avg_cost)
         SELECT $1, $2, id, 1700, 1250 FROM variants WHERE tenant_id = $1 AND product_id = $3)
       INSERT INTO stock_movements (tenant_id, id, location_id, variant_id, type, quantity, unit_cost, occurred_at)
       SELECT $1, gen_random_uuid(), $2, v.id, CASE WHEN g % 10 = 0 THEN 'sale' ELSE 'purchase_receipt' END, CASE WHEN g % 10 = 0 THEN -1 ELSE 2 END, 1000 + g % 500, now()
         FROM (SELECT id FROM variants WHERE tenant_id = $1 AND product_id = $3) v, generate_series(1, 1000) g`,
      [TENANT, wh, product.id],
    );
    await owner.query('ANALYZE stock_levels; ANALYZE stock_movements');
    const count = (await owner.query(`SELECT count(*)::int AS n FROM stock_movements WHERE tenant_id = $1 AND location_id = $2`, [TENANT, wh])).rows[0].n as number;
    say(`  ${count} movements at the warehouse`);

    if (only.has('stock')) {
      const all = async () => {
        let token = '';
        let total = 0;
        do {
          const page = await call(api, 'GET', `/api/v1/inventory/stock?location_id=${wh}&page_size=100${token ? `&page_token=${token}` : ''}`);
          total += (page.items as unknown[]).length;
          token = page.next_page_token as string;
        } while (token);
        if (total !== 1000) throw new Error(`expected 1000 levels, got ${total}`);
      };
      const ms = await timeMedian(30, all);
      const onePage = await timeMedian(30, () => call(api, 'GET', `/api/v1/inventory/stock?location_id=${wh}&page_size=100`));
      const sqlAll = await timeMedian(30, () => owner.query(`SELECT location_id, variant_id, on_hand, reserved, reorder_point, par_level, avg_cost FROM stock_levels WHERE tenant_id = $1 AND location_id = $2 ORDER BY variant_id LIMIT 1001`, [TENANT, wh]));
      say(`stock of 1,000 variants at one location: ${ms} ms through REST (10 pages of 100; one page ${onePage} ms), ${sqlAll} ms as one SQL query`);
      record({ figure: 'stock of 1,000 variants at one location (REST, 10 pages of 100, sequential)', target: '<= 20', measured: ms, unit: 'ms', met: ms <= 20, detail: { one_page_ms: onePage, one_sql_query_all_1000_ms: sqlAll } });
    }
    if (only.has('valuation')) {
      const ms = await timeMedian(30, () => call(api, 'GET', `/api/v1/inventory/locations/${wh}/valuation`));
      const v = await call(api, 'GET', `/api/v1/inventory/locations/${wh}/valuation`);
      say(`valuation of a location with ${count} movements: ${ms} ms (${JSON.stringify(v)})`);
      record({ figure: 'stock valuation of a location over 1,000,000 movements (REST)', target: '<= 200', measured: ms, unit: 'ms', met: ms <= 200, detail: { movements: count, valuation: v } });
      const t0 = performance.now();
      const drift = await owner.query(
        `SELECT count(*)::int AS n FROM stock_levels s LEFT JOIN (SELECT location_id, variant_id, sum(quantity) AS q FROM stock_movements WHERE tenant_id = $1 AND location_id = $2 GROUP BY 1, 2) m USING (location_id, variant_id)
          WHERE s.tenant_id = $1 AND s.location_id = $2 AND s.on_hand <> coalesce(m.q, 0)`,
        [TENANT, wh],
      );
      const checkMs = round(performance.now() - t0, 1);
      say(`ledger invariant over the million movements: ${drift.rows[0].n} levels drift, checked in ${checkMs} ms`);
      record({ figure: 'ledger invariant check over 1,000,000 movements (SQL, for the record)', target: 'none', measured: checkMs, unit: 'ms', met: null, detail: { drifting_levels: drift.rows[0].n } });
    }
  } finally {
    await server.stop().catch(() => undefined);
  }
} finally {
  await owner.end().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
  const admin = new pg.Client({ connectionString: url.replace(/\/[^/?]*(\?|$)/, '/postgres$1') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}" WITH (FORCE)`);
  await admin.end();
}
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
const file = join(ROOT, 'bench', 'results', `inventory-${date.replace(/[:.]/g, '-').slice(0, 19)}Z.json`);
writeFileSync(file, `${JSON.stringify({ machine: { cpus: cpus().length, loadavg: loadavg() }, options: opt, figures }, null, 2)}\n`);
emitRecords('inventory', figures);
say(`results: ${file}`);
