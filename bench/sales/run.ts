/**
 * Sales performance (issue 4): `npx tsx bench/sales/run.ts [--duration 15] [--connections 32] [--pglite]`
 *
 *  The load is spread over --outlets outlets (default 32, see outlets() below).
 *  1. one-request checkout (3 lines, cash), POST /api/v1/checkout flat out, on PostgreSQL (target ≥ 1,500/s,
 *     p99 ≤ 25 ms) and, with --pglite, on PGlite (target ≥ 300/s);
 *  2. the interactive flow (create, 3 × add item, finalize, pay, complete = 7 requests a sale) on PostgreSQL
 *     (target ≥ 400 sales/s);
 *  3. a raw-SQL script writing the same rows (receipt counter, order, 3 lines, payment, outbox event) in one
 *     round trip each, through pg directly: the ceiling the checkout is compared with.
 * The load generator, the server and the database share this machine, so the figures are lower bounds.
 * Results: bench/results/sales-<date>.json; the figures also go to the one report (`npm run bench`,
 * report-kit.ts). --quick: 3 s runs over 8 outlets, to prove it runs (not a measurement).
 */
import autocannon from 'autocannon';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { freshPostgresDatabase } from '../../test/support/database.js';
import { emitFigures, figure, postgresLabel, QUICK_OPTION, type BenchFigure } from '../report-kit.js';
import { measureCpu, memoryOf, ROOT, round, startServer, type RunningServer } from '../server.js';

const { values: opt } = parseArgs({
  options: {
    duration: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    'flow-concurrency': { type: 'string', default: '32' },
    pool: { type: 'string', default: '20' },
    outlets: { type: 'string', default: '32' },
    pglite: { type: 'boolean', default: false },
    only: { type: 'string', default: 'checkout,flow,raw' },
    ...QUICK_OPTION,
  },
  strict: true,
});
if (opt.quick) Object.assign(opt, { duration: '3', warmup: '1', outlets: '8', connections: '16', 'flow-concurrency': '8' });
const n = (k: 'duration' | 'warmup' | 'connections' | 'flow-concurrency' | 'pool' | 'outlets') => Number(opt[k]);
const only = new Set(opt.only.split(','));
const say = (m: string) => console.log(m);
const DEV = { 'x-dev-tenant-id': '00000000-0000-0000-0000-000000000001', 'content-type': 'application/json' };

async function boot(env: Record<string, string>): Promise<{ server: RunningServer; base: string }> {
  const server = await startServer({ mode: 'tsx', args: ['--import', 'tsx', join(ROOT, 'bench', 'sales', 'server-main.ts')] }, {
    POS_MIGRATE_ON_START: 'true',
    POS_AUTH_ENABLED: 'false',
    POS_DEV_TENANT: 'true',
    POS_JOBS_ENABLED: 'false',
    POS_LOG_LEVEL: 'warn',
    POS_DB_POOL_SIZE: String(n('pool')),
    POS_RATE_LIMIT_IP_PER_MINUTE: '100000000',
    POS_RATE_LIMIT_TENANT_PER_MINUTE: '100000000',
    ...env,
  });
  return { server, base: `http://127.0.0.1:${server.httpPort}` };
}

async function post(base: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const r = await fetch(`${base}${path}`, { method: 'POST', headers: DEV, body: JSON.stringify(body) });
  const j = (await r.json()) as Record<string, unknown>;
  if (r.status >= 300) throw new Error(`${path}: ${r.status} ${JSON.stringify(j)}`);
  return j;
}

/**
 * The registers' outlets. Receipt numbers are gap-free per outlet, so the completions of one outlet take its
 * counter one after the other (each holding it through its commit's WAL flush): one outlet does a few
 * hundred sales a second at most, far above any real shop. The load is spread over a chain's outlets.
 */
async function outlets(base: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await post(base, '/api/v1/outlets', { code: `B${String(i).padStart(3, '0')}`, name: `Bench outlet ${i}` })).id as string);
  return ids;
}

/** Three products priced 25,000 / 18,000 / 32,000 IDR: the checkout's lines. */
async function menu(base: string): Promise<string[]> {
  const ids: string[] = [];
  for (const [i, amount] of [2_500_000, 1_800_000, 3_200_000].entries()) {
    const p = await post(base, '/api/v1/products', { name: `Bench item ${i}`, sku: `BENCH-${i}-${Date.now()}` });
    const v = (p.variants as { id: string }[])[0]!.id;
    await post(base, '/api/v1/prices', { variant_id: v, amount, currency: 'IDR' });
    ids.push(v);
  }
  return ids;
}

const checkoutBody = (v: string[], outletId: string) => ({ outlet_id: outletId, items: [{ variant_id: v[0], quantity: 2 }, { variant_id: v[1], quantity: 1 }, { variant_id: v[2], quantity: 1 }], tenders: [{ tender_type: 'CASH', amount: 15_000_000 }] });

function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => autocannon(opts, (e, r) => (e ? reject(e) : resolve(r))));
}

async function loadCheckout(server: RunningServer, base: string, variants: string[], outletIds: string[]) {
  const requests = outletIds.map((o) => ({ method: 'POST' as const, path: '/api/v1/checkout', headers: DEV, body: JSON.stringify(checkoutBody(variants, o)) }));
  const common = { url: base, requests, connections: n('connections'), pipelining: 1, timeout: 10 };
  await cannon({ ...common, duration: n('warmup') });
  const { result: r, cpu } = await measureCpu(server.pid, () => cannon({ ...common, duration: n('duration') }), (x) => x.requests.total);
  return {
    connections: n('connections'),
    outlets: outletIds.length,
    sales_per_s: round(r.requests.total / r.duration),
    latency_ms: { p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max },
    non_2xx: r.non2xx,
    errors: r.errors,
    cpu,
  };
}

/** The interactive flow, `concurrency` registers each ringing up sales back to back. */
async function loadFlow(base: string, variants: string[], outletIds: string[], seconds: number, concurrency: number) {
  const until = performance.now() + seconds * 1000;
  let sales = 0;
  let failures = 0;
  const latencies: number[] = [];
  const register = async (_: unknown, r: number) => {
    while (performance.now() < until) {
      const t0 = performance.now();
      try {
        const o = await post(base, '/api/v1/orders', { outlet_id: outletIds[r % outletIds.length] });
        for (const v of variants) await post(base, `/api/v1/orders/${o.id}/items`, { variant_id: v, quantity: 1 });
        const f = await post(base, `/api/v1/orders/${o.id}/finalize`, {});
        await post(base, `/api/v1/orders/${o.id}/payments`, { tender_type: 'CASH', amount: f.total });
        await post(base, `/api/v1/orders/${o.id}/complete`, {});
        sales++;
        latencies.push(performance.now() - t0);
      } catch {
        failures++;
      }
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: concurrency }, register));
  const s = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  return { concurrency, sales_per_s: round(sales / s), requests_per_s: round((sales * 7) / s), sale_p50_ms: round(latencies[Math.floor(latencies.length / 2)] ?? 0, 1), sale_p99_ms: round(latencies[Math.floor(latencies.length * 0.99)] ?? 0, 1), failures };
}

/** The same rows as one checkout, written by one statement per sale straight through pg (owner role, no RLS work). */
async function loadRaw(url: string, variants: string[], outletIds: string[], seconds: number, concurrency: number) {
  const pool = new pg.Pool({ connectionString: url, max: concurrency });
  const t = '00000000-0000-0000-0000-000000000001';
  const all = (await pool.query(`SELECT id, code FROM outlets WHERE tenant_id = $1 AND id = ANY($2::uuid[])`, [t, outletIds])).rows as { id: string; code: string }[];
  const [product] = (await pool.query(`SELECT product_id FROM variants WHERE tenant_id = $1 AND id = $2`, [t, variants[0]])).rows as { product_id: string }[];
  const statement = `
    WITH c AS (INSERT INTO receipt_counters (tenant_id, outlet_id, series, last_value) VALUES ($1, $2, 'sale', 1)
               ON CONFLICT (tenant_id, outlet_id, series) DO UPDATE SET last_value = receipt_counters.last_value + 1 RETURNING last_value),
    o AS (INSERT INTO orders (tenant_id, id, outlet_id, status, payment_status, currency, subtotal, total, paid_total, receipt_number, receipt_seq, business_date, completed_at)
          SELECT $1, gen_random_uuid(), $2, 'COMPLETED', 'PAID', 'IDR', 10000000, 10000000, 10000000, $3 || '-' || c.last_value, c.last_value, current_date, now() FROM c RETURNING id),
    i AS (INSERT INTO order_items (tenant_id, order_id, id, line_no, product_id, variant_id, quantity, name, variant_name, unit_price, subtotal, total)
          SELECT $1, o.id, gen_random_uuid(), x.n, $4, $5, 1, 'Bench', 'Regular', 2500000, 2500000, 2500000 FROM o, generate_series(1, 3) AS x(n)),
    p AS (INSERT INTO payments (tenant_id, id, order_id, tender_type, status, currency, amount, tendered, change, idempotency_key, request_hash)
          SELECT $1, gen_random_uuid(), o.id, 'CASH', 'CAPTURED', 'IDR', 10000000, 15000000, 5000000, gen_random_uuid()::text, 'x' FROM o)
    INSERT INTO outbox_events (tenant_id, id, type, aggregate_type, aggregate_id, payload) SELECT $1, gen_random_uuid(), 'order.completed', 'order', o.id, '{}' FROM o`;
  const until = performance.now() + seconds * 1000;
  let done = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, c) => {
      let k = c;
      while (performance.now() < until) {
        const outlet = all[k++ % all.length]!;
        await pool.query({ name: 'raw_checkout', text: statement, values: [t, outlet.id, outlet.code, product!.product_id, variants[0]] });
        done++;
      }
    }),
  );
  const s = (performance.now() - t0) / 1000;
  await pool.end();
  return { concurrency, sales_per_s: round(done / s) };
}

const results: Record<string, unknown> = { machine: { cpus: cpus().length, loadavg_before: loadavg() }, options: opt };
const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kasir_bench';
const url = await freshPostgresDatabase(base, 'sales');
const database = await postgresLabel(url);
const dataDir = mkdtempSync(join(tmpdir(), 'kasir-bench-sales-'));
try {
  const { server, base: api } = await boot({ DATABASE_URL: url, POS_DATA_DIR: dataDir });
  try {
    const variants = await menu(api);
    const outletIds = await outlets(api, n('outlets'));
    if (only.has('checkout')) {
      say(`PostgreSQL: POST /api/v1/checkout (3 lines, cash), ${n('connections')} connections, ${n('duration')} s …`);
      const r = await loadCheckout(server, api, variants, outletIds);
      say(`  ${r.sales_per_s} sales/s, p50 ${r.latency_ms.p50} ms, p99 ${r.latency_ms.p99} ms, non-2xx ${r.non_2xx}, errors ${r.errors}, server ${r.cpu.server_cpu_us_per_op} µs CPU a sale`);
      results.checkout_postgres = r;
    }
    if (only.has('flow')) {
      say(`PostgreSQL: interactive flow (7 requests a sale), ${n('flow-concurrency')} registers, ${n('duration')} s …`);
      const r = await loadFlow(api, variants, outletIds, n('duration'), n('flow-concurrency'));
      say(`  ${r.sales_per_s} sales/s (${r.requests_per_s} req/s), sale p50 ${r.sale_p50_ms} ms, p99 ${r.sale_p99_ms} ms, failures ${r.failures}`);
      results.flow_postgres = r;
    }
    results.server_memory = memoryOf(server.pid);
    if (only.has('raw')) {
      await server.stop();
      say(`PostgreSQL: raw SQL, the same rows in one round trip a sale, ${n('pool')} connections, ${n('duration')} s …`);
      const r = await loadRaw(url, variants, outletIds, n('duration'), n('pool'));
      say(`  ${r.sales_per_s} sales/s`);
      results.raw_sql_postgres = r;
      const c = results.checkout_postgres as { sales_per_s: number } | undefined;
      if (c) results.checkout_to_raw_ratio = round(c.sales_per_s / r.sales_per_s, 2);
      if (c) say(`  checkout / raw = ${results.checkout_to_raw_ratio as number}`);
    }
  } finally {
    await server.stop().catch(() => undefined);
  }
  if (opt.pglite) {
    const dir = mkdtempSync(join(tmpdir(), 'kasir-bench-sales-pglite-'));
    const { server, base: api } = await boot({ POS_DATA_DIR: dir });
    try {
      const variants = await menu(api);
      say(`PGlite: POST /api/v1/checkout (3 lines, cash), ${n('connections')} connections …`);
      const r = await loadCheckout(server, api, variants, await outlets(api, n('outlets')));
      say(`  ${r.sales_per_s} sales/s, p50 ${r.latency_ms.p50} ms, p99 ${r.latency_ms.p99} ms, non-2xx ${r.non_2xx}`);
      results.checkout_pglite = r;
    } finally {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
  const admin = new pg.Client({ connectionString: url.replace(/\/[^/?]*(\?|$)/, '/postgres$1') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}" WITH (FORCE)`);
  await admin.end();
}
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
const file = join(ROOT, 'bench', 'results', `sales-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}Z${opt.quick ? '-quick' : ''}.json`);
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
say(`results: ${file}`);

type Checkout = { sales_per_s: number; latency_ms: { p50: number; p99: number }; non_2xx: number };
const checkout = results.checkout_postgres as Checkout | undefined;
const flow = results.flow_postgres as { sales_per_s: number; requests_per_s: number; sale_p99_ms: number; failures: number } | undefined;
const raw = results.raw_sql_postgres as { sales_per_s: number; concurrency: number } | undefined;
const pgl = results.checkout_pglite as Checkout | undefined;
const figures: BenchFigure[] = [];
if (only.has('checkout'))
  figures.push(
    figure({
      figure: 'sales: one-request checkout (3 lines, cash)',
      measured: checkout?.sales_per_s,
      unit: 'sales/s',
      atLeast: 1500,
      also: { ok: checkout ? checkout.latency_ms.p99 <= 25 && checkout.non_2xx === 0 : null, target: 'p99 ≤ 25 ms' },
      database,
      detail: checkout ? `p99 ${checkout.latency_ms.p99} ms, ${n('connections')} connections, non-2xx ${checkout.non_2xx}` : undefined,
    }),
  );
if (only.has('raw'))
  figures.push(
    figure({
      figure: 'sales: raw SQL writing the same rows, one round trip a sale (baseline)',
      measured: raw?.sales_per_s,
      unit: 'sales/s',
      database,
      detail: results.checkout_to_raw_ratio !== undefined ? `checkout / raw = ${String(results.checkout_to_raw_ratio)}` : undefined,
    }),
    figure({ figure: 'sales: checkout ÷ raw-SQL baseline', measured: (results.checkout_to_raw_ratio as number | undefined) ?? null, unit: '×', database }),
  );
if (only.has('flow'))
  figures.push(
    figure({
      figure: 'sales: interactive flow (create, 3 × add, finalize, pay, complete)',
      measured: flow?.sales_per_s,
      unit: 'sales/s',
      atLeast: 400,
      database,
      detail: flow ? `${flow.requests_per_s} req/s, sale p99 ${flow.sale_p99_ms} ms, failures ${flow.failures}` : undefined,
    }),
  );
if (opt.pglite) figures.push(figure({ figure: 'sales: one-request checkout (3 lines, cash)', measured: pgl?.sales_per_s, unit: 'sales/s', atLeast: 300, database: 'PGlite', detail: pgl ? `p99 ${pgl.latency_ms.p99} ms` : undefined }));
emitFigures('sales', figures);
