/**
 * `npm run bench:catalog`: issue 3's catalog performance targets, measured against a running server.
 *
 *  1. A fresh PostgreSQL database (from BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432) gets
 *     one tenant with --products products × 3 variants, barcodes and default-book prices (generate.ts).
 *  2. The server (server-main.ts: the app with the catalog route modules) starts as a child process.
 *  3. Measured, with the targets of the issue:
 *     - a page of 100 products with their variants (GET /api/v1/products) at a fixed --rate: p99 ≤ 15 ms;
 *       their prices come from POST /api/v1/prices/resolve (≤ 100 variants a call), measured the same way;
 *     - barcode lookup (GET /api/v1/catalog/lookup) flat out: ≥ 8,000 req/s;
 *     - a register's full change-feed sync of the whole catalog: ≤ 5 s;
 *     - CSV import of 10,000 rows: ≤ 10 s (new products; also a dry run and a price update).
 *  Results: bench/results/catalog-<date>.json. The load generator shares the machine with the server and
 *  the database, so the figures are lower bounds of what separate machines would give.
 *
 * Options: --products 100000 --chunk 5000 --rate 1000 --duration 20 --warmup 5 --lookup-connections 64
 *          --sync-limit 5000 --import-rows 10000 --keep (leave the database for inspection)
 *          --quick (2,000 products, 1,000 import rows, 3 s runs: proves it runs, not a measurement)
 * The figures also go to the one report (`npm run bench`, report-kit.ts).
 *          --reuse (use the database a --keep run left, skipping generation: before/after runs on the same data)
 *          --only list,resolve,lookup,sync,import (a subset) --label <name> (in the result file's name)
 *          --cpu-prof (profile the server; the summary is printed and saved beside the results)
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { freshPostgresDatabase } from '../../test/support/database.js';
import { measureCpu, memoryOf, ROOT, round, startServer } from '../server.js';
import { emitFigures, figure, postgresLabel, QUICK_OPTION } from '../report-kit.js';
import { summarize } from '../profile.js';
import { generateCatalog, reuseCatalog, type GeneratedCatalog } from './generate.js';
import { load, type LoadResult } from './load.js';
import { fullSync, importCsv, timedImport, walkProductPages, type Api } from './scenarios.js';

const TARGETS = { list_page_p99_ms: 15, list_rate_per_s: 1000, lookup_per_s: 8000, full_sync_s: 5, import_10k_rows_s: 10 };

const { values: opt } = parseArgs({
  options: {
    products: { type: 'string', default: '100000' },
    chunk: { type: 'string', default: '5000' },
    rate: { type: 'string', default: '1000' },
    duration: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '5' },
    'lookup-connections': { type: 'string', default: '64' },
    'sync-limit': { type: 'string', default: '5000' },
    'import-rows': { type: 'string', default: '10000' },
    keep: { type: 'boolean', default: false },
    ...QUICK_OPTION,
    reuse: { type: 'boolean', default: false },
    only: { type: 'string', default: 'list,resolve,lookup,sync,import' },
    label: { type: 'string', default: '' },
    'cpu-prof': { type: 'boolean', default: false },
  },
  strict: true,
});
if (opt.quick) Object.assign(opt, { products: '2000', chunk: '1000', rate: '200', duration: '3', warmup: '1', 'import-rows': '1000' });
const n = (k: keyof typeof opt) => Number(opt[k]);
const say = (m: string) => console.log(m);

const only = new Set(opt.only.split(','));
const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kasir_bench';
const reused = opt.reuse ? await reuseCatalog(base, 'catalog') : undefined;
const url = reused?.url ?? (await freshPostgresDatabase(base, 'catalog'));
const database = await postgresLabel(url);
say(`database ${url.replace(/\/\/[^@]*@/, '//')}`);
let gen: GeneratedCatalog;
if (reused) {
  gen = reused.catalog;
  say(`reusing ${gen.products} products × 3 variants`);
} else {
  say(`generating ${n('products')} products × 3 variants …`);
  gen = await generateCatalog(url, n('products'), n('chunk'), say);
  say(`generated in ${gen.seconds.toFixed(1)} s`);
}
const profileDir = opt['cpu-prof'] ? mkdtempSync(join(tmpdir(), 'kasir-bench-prof-')) : undefined;

const dataDir = mkdtempSync(join(tmpdir(), 'kasir-bench-catalog-'));
const server = await startServer({ mode: 'tsx', args: ['--import', 'tsx', join(ROOT, 'bench', 'catalog', 'server-main.ts')] }, {
  DATABASE_URL: url,
  POS_DATA_DIR: dataDir,
  POS_MIGRATE_ON_START: 'false',
  POS_AUTH_ENABLED: 'false',
  POS_DEV_TENANT: 'false',
  POS_JOBS_ENABLED: 'false',
  POS_LOG_LEVEL: 'warn',
  POS_DB_POOL_SIZE: '20',
  POS_RATE_LIMIT_IP_PER_MINUTE: '100000000',
  POS_RATE_LIMIT_TENANT_PER_MINUTE: '100000000',
}, profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);
const api: Api = { baseUrl: `http://127.0.0.1:${server.httpPort}`, headers: gen.devHeaders };
const results: Record<string, unknown> = {};
const notMeasured: { what: string; why: string }[] = [];
const common = { pid: server.pid, baseUrl: api.baseUrl, headers: api.headers, warmupS: n('warmup'), durationS: n('duration') };
const show = (r: LoadResult) =>
  say(`  ${r.name}: ${r.requests_per_s} req/s, p50 ${r.latency_ms.p50} ms, p99 ${r.latency_ms.p99} ms, max ${r.latency_ms.max} ms, non-2xx ${r.non_2xx}, errors ${r.errors}`);

try {
  const paths = new Set(Object.keys(((await (await fetch(`${api.baseUrl}/openapi.json`)).json()) as { paths: Record<string, unknown> }).paths));
  const has = (p: string) => paths.has(p);

  if (has('/api/v1/products') && (only.has('list') || only.has('resolve'))) {
    say('walking every page of GET /api/v1/products?page_size=100 …');
    const walk = await walkProductPages(api);
    results.list_walk = { pages: walk.tokens.length, seconds: walk.seconds, slowest_page_ms: walk.slowest_page_ms };
    say(`  ${walk.tokens.length} pages in ${walk.seconds} s`);
    // The issue's figure: a page of 100 products with their variants and resolved prices, in one request.
    if (only.has('list')) {
      const list = await load({ ...common, name: 'GET /api/v1/products?page_size=100&with_prices=true (random pages)', connections: 50, rate: n('rate'), requests: walk.tokens.map((t) => ({ method: 'GET', path: `/api/v1/products?page_size=100&with_prices=true${t ? `&page_token=${t}` : ''}` })) });
      show(list);
      results.list_page = list;
    }
    if (!only.has('resolve')) {
      /* not asked for */
    } else if (has('/api/v1/prices/resolve')) {
      const bodies = walk.variantIdsByPage.flatMap((ids) => [0, 100, 200].map((i) => ids.slice(i, i + 100)).filter((b) => b.length)).map((ids) => ({ method: 'POST' as const, path: '/api/v1/prices/resolve', body: JSON.stringify({ variant_ids: ids }) }));
      const resolve = await load({ ...common, name: 'POST /api/v1/prices/resolve (100 variants)', connections: 50, rate: n('rate'), requests: bodies });
      show(resolve);
      results.resolve_prices = resolve;
    } else notMeasured.push({ what: 'resolved prices of a page', why: 'POST /api/v1/prices/resolve is not served' });
  } else notMeasured.push({ what: 'product page list', why: 'GET /api/v1/products is not served' });

  if (!only.has('lookup')) {
    /* not asked for */
  } else if (has('/api/v1/catalog/lookup')) {
    const codes = Array.from({ length: 20_000 }, () => gen.barcodeOf(Math.floor(Math.random() * gen.products), Math.floor(Math.random() * 3)));
    const lookup = await load({ ...common, name: 'GET /api/v1/catalog/lookup?code=<barcode>', connections: n('lookup-connections'), requests: codes.map((c) => ({ method: 'GET', path: `/api/v1/catalog/lookup?code=${c}` })) });
    show(lookup);
    results.lookup = lookup;
  } else notMeasured.push({ what: 'barcode lookup', why: 'GET /api/v1/catalog/lookup is not served' });

  if (!only.has('sync')) {
    /* not asked for */
  } else if (has('/api/v1/catalog/changes')) {
    const syncs = [];
    for (const round_ of [1, 2]) {
      const { result: s, cpu } = await measureCpu(server.pid, () => fullSync(api, n('sync-limit')), (x) => x.pages);
      say(`  full sync #${round_}: ${s.changes} changes in ${s.pages} pages, ${s.seconds} s (${s.megabytes} MB), server CPU ${cpu.server_cpu_ms} ms, machine busy ${cpu.machine_busy_share}`);
      syncs.push({ ...s, cpu });
    }
    results.full_sync = { first: syncs[0], second: syncs[1] };
  } else notMeasured.push({ what: 'full change-feed sync', why: 'GET /api/v1/catalog/changes is not served' });

  if (!only.has('import') || reused) {
    if (only.has('import')) notMeasured.push({ what: 'CSV import', why: 'not on a reused database (the first run imported these rows already)' });
  } else if (has('/api/v1/catalog/import')) {
    const rows = n('import-rows');
    const fresh = importCsv(rows, { prefix: 'IMP' });
    const dry = await timedImport(api, fresh, true);
    say(`  import ${rows} new rows, dry run: ${dry.seconds} s`);
    const apply = await timedImport(api, fresh, false);
    say(`  import ${rows} new rows, applied: ${apply.seconds} s`);
    const update = await timedImport(api, importCsv(rows, { prefix: '', existing: true, seed: 7 }), false);
    say(`  import ${rows} price updates of existing variants, applied: ${update.seconds} s`);
    results.import = { rows, dry_run_new: dry, apply_new: apply, apply_price_update: update };
  } else notMeasured.push({ what: 'CSV import', why: 'POST /api/v1/catalog/import is not served' });

  results.server_memory = memoryOf(server.pid);
} finally {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
  if (profileDir) {
    const file = readdirSync(profileDir).find((f) => f.endsWith('.cpuprofile'));
    if (file) {
      const summary = summarize(JSON.parse(readFileSync(join(profileDir, file), 'utf8')));
      results.cpu_profile = summary;
      say(`cpu profile: ${JSON.stringify(summary.by_package.slice(0, 12))}`);
      for (const f of summary.top_functions.slice(0, 25)) say(`  ${f.self_ms} ms ${f.share}% ${f.name} ${f.where}`);
    }
    rmSync(profileDir, { recursive: true, force: true });
  }
  if (!opt.keep && !opt.reuse) {
    const admin = new pg.Client({ connectionString: url.replace(/\/[^/?]*(\?|$)/, '/postgres$1') });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}" WITH (FORCE)`);
    await admin.end();
  }
}

const r = results as { list_page?: LoadResult; resolve_prices?: LoadResult; lookup?: LoadResult; full_sync?: { first: { seconds: number }; second: { seconds: number } }; import?: { apply_new: { seconds: number } } };
const verdict = (value: number | undefined, ok: (v: number) => boolean) => (value === undefined ? 'not measured' : ok(value) ? 'met' : 'missed');
const report = {
  name: 'catalog',
  at: new Date().toISOString(),
  machine: { os: `${type()} ${release()}`, cpus: cpus().length, cpu_model: cpus()[0]?.model, memory_gb: round(totalmem() / 1e9, 1), load_avg_1m: loadavg()[0], node: process.version },
  label: opt.label || null,
  only: [...only],
  setup: { reused_database: Boolean(reused), products: gen.products, variants: gen.variants, barcodes: gen.variants, prices: gen.variants, generate_seconds: round(gen.seconds, 1), database: 'postgresql', server: 'bench/catalog/server-main.ts (tsx), auth off, one process' },
  targets: TARGETS,
  verdicts: {
    list_page_p99: verdict(r.list_page?.latency_ms.p99, (v) => v <= TARGETS.list_page_p99_ms && (r.list_page?.non_2xx ?? 1) === 0),
    resolve_prices_p99: verdict(r.resolve_prices?.latency_ms.p99, (v) => v <= TARGETS.list_page_p99_ms),
    lookup_per_s: verdict(r.lookup?.requests_per_s, (v) => v >= TARGETS.lookup_per_s && (r.lookup?.non_2xx ?? 1) === 0),
    full_sync_s: verdict(r.full_sync?.second.seconds, (v) => v <= TARGETS.full_sync_s),
    import_10k_rows_s: verdict(r.import?.apply_new.seconds, (v) => v <= TARGETS.import_10k_rows_s),
  },
  results,
  not_measured: notMeasured,
};
// with the time, so that a run (a --quick one above all) never overwrites an earlier day's figures
const out = join(ROOT, 'bench', 'results', `catalog-${report.at.replace(/[:.]/g, '-').slice(0, 19)}Z${opt.quick ? '-quick' : ''}${opt.label ? `-${opt.label}` : ''}.json`);
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
say(`\nverdicts: ${JSON.stringify(report.verdicts)}`);
say(`wrote ${out}`);

const at = report.at;
const size = `${gen.products.toLocaleString('en-US')} products × 3`;
/** A latency of a load that completed no request is not a measurement. */
const p99Of = (l: LoadResult | undefined) => (l && l.requests_total > 0 ? l.latency_ms.p99 : undefined);
const p99 = (l: LoadResult | undefined) => (l ? `p99 ${l.latency_ms.p99} ms, p50 ${l.latency_ms.p50} ms, non-2xx ${l.non_2xx}` : undefined);
const fs = r.full_sync as { second: { seconds: number; changes?: number; megabytes?: number } } | undefined;
emitFigures('catalog', [
  figure({
    figure: 'catalog: page of 100 products with variants and resolved prices, p99',
    measured: p99Of(r.list_page),
    unit: 'ms',
    atMost: TARGETS.list_page_p99_ms,
    also: { ok: r.list_page ? r.list_page.requests_per_s >= TARGETS.list_rate_per_s * 0.95 && r.list_page.non_2xx === 0 : null, target: `at ${TARGETS.list_rate_per_s.toLocaleString('en-US')} req/s` },
    database: `${database}, ${size}`,
    date: at,
    detail: r.list_page ? `${r.list_page.requests_per_s} req/s achieved of ${opt.rate} asked; p50 ${r.list_page.latency_ms.p50} ms` : undefined,
  }),
  figure({ figure: 'catalog: resolve 100 variants’ prices, p99', measured: p99Of(r.resolve_prices), unit: 'ms', database, date: at, detail: r.resolve_prices ? `${r.resolve_prices.requests_per_s} req/s` : undefined }),
  figure({ figure: 'catalog: barcode lookup', measured: r.lookup?.requests_per_s, unit: 'req/s', atLeast: TARGETS.lookup_per_s, database: `${database}, ${size}`, date: at, detail: p99(r.lookup) }),
  figure({ figure: 'catalog: full change-feed sync of the whole catalog', measured: fs?.second.seconds, unit: 's', atMost: TARGETS.full_sync_s, database: `${database}, ${size}`, date: at, detail: fs?.second.changes ? `${fs.second.changes.toLocaleString('en-US')} changes, ${fs.second.megabytes ?? '?'} MB` : undefined }),
  figure({ figure: `catalog: CSV import of ${n('import-rows').toLocaleString('en-US')} rows, applied`, measured: r.import?.apply_new.seconds, unit: 's', atMost: TARGETS.import_10k_rows_s * (n('import-rows') / 10_000), database, date: at }),
]);
