/**
 * Promotions performance (issue 7): `npx tsx bench/promotions/run.ts [--duration 10] [--connections 32]`
 *
 *  On PostgreSQL, one tenant with a 40-product catalog:
 *  1. POST /api/v1/checkout (3 lines, cash) flat out with NO promotions: the baseline;
 *  2. then 200 active promotions (every kind, scoped to products, categories or the whole order, some timed,
 *     some exclusive, some for coupons only) and 10,000 coupons (one bulk generation) are created;
 *  3. POST /api/v1/orders/calculate on a 20-line order, one request at a time: p99 (target ≤ 10 ms), without
 *     and with a coupon code;
 *  4. the same checkout flat out again, promotions applying: throughput within 20% of the baseline (target);
 *  5. the engine alone (bestPromotions, in this process) on the 20-line order against the 200 promotions.
 * The load generator, the server and the database share this machine, so the figures are lower bounds.
 * Results: bench/results/promotions-<date>.json as records {figure, target, measured, unit, database, date, met}.
 */
import autocannon from 'autocannon';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { freshPostgresDatabase } from '../../test/support/database.js';
import { bestPromotions } from '../../src/modules/promotions/index.js';
import { toRule } from '../../src/modules/promotions/promotion-cache.js';
import type { Promotion } from '../../src/modules/promotions/index.js';
import { measureCpu, ROOT, round, startServer, type RunningServer } from '../server.js';
import { emitRecords, type BenchRecord } from '../report-kit.js';

const { values: opt } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    calculations: { type: 'string', default: '2000' },
    pool: { type: 'string', default: '20' },
    outlets: { type: 'string', default: '32' },
  },
  strict: true,
});
// --quick (npm run bench:quick): small and short, to prove it runs; not a measurement.
if (opt.quick) Object.assign(opt, { duration: '2', warmup: '1' });
const n = (k: 'duration' | 'warmup' | 'connections' | 'calculations' | 'pool' | 'outlets') => Number(opt[k]);
const say = (m: string) => console.log(m);
const DEV = { 'x-dev-tenant-id': '00000000-0000-0000-0000-000000000001', 'content-type': 'application/json' };

async function call(base: string, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const r = await fetch(`${base}${path}`, { method, headers: DEV, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const j = (await r.json()) as Record<string, unknown>;
  if (r.status >= 300) throw new Error(`${path}: ${r.status} ${JSON.stringify(j)}`);
  return j;
}
const post = (base: string, path: string, body: unknown) => call(base, 'POST', path, body);

interface Item { productId: string; variantId: string; categoryId: string }

async function catalog(base: string): Promise<Item[]> {
  const cats: string[] = [];
  for (let c = 0; c < 5; c++) cats.push((await post(base, '/api/v1/categories', { name: `Bench category ${c}` })).id as string);
  const items: Item[] = [];
  for (let i = 0; i < 40; i++) {
    const categoryId = cats[i % cats.length]!;
    const p = await post(base, '/api/v1/products', { name: `Bench item ${i}`, sku: `PB-${i}-${Date.now()}`, category_id: categoryId });
    const variantId = (p.variants as { id: string }[])[0]!.id;
    await post(base, '/api/v1/prices', { variant_id: variantId, amount: 1_000_000 + i * 50_000, currency: 'IDR' });
    items.push({ productId: p.id as string, variantId, categoryId });
  }
  return items;
}

async function outlets(base: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push((await post(base, '/api/v1/outlets', { code: `P${String(i).padStart(3, '0')}`, name: `Bench outlet ${i}` })).id as string);
  return ids;
}

/** 200 promotions of every kind; returns one coupon-only promotion's id for the coupons. */
async function promotions(base: string, items: Item[]): Promise<{ couponPromotion: string; rows: Record<string, unknown>[] }> {
  const rows: Record<string, unknown>[] = [];
  const pick = (k: number, m: number) => items.slice(k % items.length, (k % items.length) + m).map((x) => x.productId);
  let couponPromotion = '';
  for (let k = 0; k < 200; k++) {
    const kind = ['percentage', 'fixed_amount', 'fixed_price', 'buy_x_get_y', 'bundle_price', 'order_discount'][k % 6]!;
    const scope = k % 4 === 0 ? { category_ids: [items[k % 5]!.categoryId] } : { product_ids: pick(k, 3) };
    const body: Record<string, unknown> = { name: `Promo ${k}`, kind, priority: k % 7, exclusive: k % 10 === 0, scope };
    if (kind === 'percentage') body.rate_bp = 500 + (k % 20) * 100;
    if (kind === 'fixed_amount') body.amount = 50_000 + (k % 5) * 10_000;
    if (kind === 'fixed_price') body.amount = 900_000;
    if (kind === 'buy_x_get_y') Object.assign(body, { buy_quantity: 2, get_quantity: 1 });
    if (kind === 'bundle_price') Object.assign(body, { amount: 1_800_000, bundle: [{ scope: { product_ids: pick(k, 1) }, quantity: 1 }, { scope: { product_ids: pick(k + 1, 1) }, quantity: 1 }] });
    if (kind === 'order_discount') Object.assign(body, { amount: 100_000 + k * 1000, min_subtotal: 5_000_000, scope: {} });
    if (k % 5 === 1) Object.assign(body, { start_time: '00:00', end_time: '23:59', days_of_week: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] });
    if (k % 9 === 2) body.channels = ['pos', 'kiosk'];
    if (k % 25 === 3) body.coupon_only = true;
    const p = await post(base, '/api/v1/promotions', body);
    if (body.coupon_only && !couponPromotion) couponPromotion = p.id as string;
    rows.push(p);
  }
  return { couponPromotion, rows };
}

function cannon(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => autocannon(opts, (e, r) => (e ? reject(e) : resolve(r))));
}

async function checkoutLoad(base: string, items: Item[], outletIds: string[]) {
  const body = (o: string) => ({ outlet_id: o, items: [{ variant_id: items[0]!.variantId, quantity: 2 }, { variant_id: items[1]!.variantId, quantity: 1 }, { variant_id: items[2]!.variantId, quantity: 1 }], tenders: [{ tender_type: 'CASH', amount: 50_000_000 }] });
  const requests = outletIds.map((o) => ({ method: 'POST' as const, path: '/api/v1/checkout', headers: DEV, body: JSON.stringify(body(o)) }));
  const common = { url: base, requests, connections: n('connections'), pipelining: 1, timeout: 10 };
  await cannon({ ...common, duration: n('warmup') });
  const { result: r, cpu } = await measureCpu(server!.pid, () => cannon({ ...common, duration: n('duration') }), (x) => x.requests.total);
  return { sales_per_s: round(r.requests.total / r.duration), p50_ms: r.latency.p50, p99_ms: r.latency.p99, non_2xx: r.non2xx, errors: r.errors, server_cpu_us: cpu.server_cpu_us_per_op };
}

/**
 * `count` calculations of the 20-line order one after another: latency percentiles in ms, and the server's CPU
 * time per calculation (the figure least disturbed by whatever else the machine runs).
 */
async function calculateLatency(base: string, body: unknown, count: number) {
  const { result, cpu } = await measureCpu(server!.pid, () => calculateTimes(base, body, count), () => count + 100);
  return { ...result, server_cpu_us: cpu.server_cpu_us_per_op };
}

async function calculateTimes(base: string, body: unknown, count: number) {
  const text = JSON.stringify(body);
  const times: number[] = [];
  for (let i = 0; i < count + 100; i++) {
    const t0 = performance.now();
    const r = await fetch(`${base}/api/v1/orders/calculate`, { method: 'POST', headers: DEV, body: text });
    const j = (await r.json()) as { discount_total?: number };
    if (r.status !== 200) throw new Error(`calculate: ${r.status} ${JSON.stringify(j)}`);
    if (i >= 100) times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const at = (q: number) => round(times[Math.min(times.length - 1, Math.floor(times.length * q))]!, 2);
  return { p50_ms: at(0.5), p99_ms: at(0.99), max_ms: round(times.at(-1)!, 2) };
}

const records: Record<string, unknown>[] = [];
const date = new Date().toISOString();
const record = (figure: string, target: string, measured: number, unit: string, met: boolean | null) => records.push({ figure, target, measured, unit, database: 'postgresql', date, met });

const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kasir_bench';
const url = await freshPostgresDatabase(base, 'promotions');
const dataDir = mkdtempSync(join(tmpdir(), 'kasir-bench-promotions-'));
const extra: Record<string, unknown> = { machine: { cpus: cpus().length, loadavg_before: loadavg() }, options: opt };
let server: RunningServer | undefined;
try {
  server = await startServer({ mode: 'tsx', args: ['--import', 'tsx', join(ROOT, 'bench', 'sales', 'server-main.ts')] }, {
    POS_MIGRATE_ON_START: 'true', POS_AUTH_ENABLED: 'false', POS_DEV_TENANT: 'true', POS_JOBS_ENABLED: 'false', POS_LOG_LEVEL: 'warn',
    POS_DB_POOL_SIZE: String(n('pool')), POS_RATE_LIMIT_IP_PER_MINUTE: '100000000', POS_RATE_LIMIT_TENANT_PER_MINUTE: '100000000',
    DATABASE_URL: url, POS_DATA_DIR: dataDir,
  });
  const api = `http://127.0.0.1:${server.httpPort}`;
  const items = await catalog(api);
  const outletIds = await outlets(api, n('outlets'));
  const order20 = { outlet_id: outletIds[0], items: items.slice(0, 20).map((x, i) => ({ variant_id: x.variantId, quantity: 1 + (i % 3) })) };

  say('creating 200 promotions and 10,000 coupons …');
  const { couponPromotion, rows } = await promotions(api, items);
  const batch = await post(api, '/api/v1/coupons/generate', { promotion_id: couponPromotion, count: 10_000, prefix: 'B' });
  const code = (batch.codes as string[])[1234]!;
  // Promotions on and off without 400 requests: straight in the database (the bench's superuser), bumping the
  // tenant's promotions version as every write does, so the server's cache reloads.
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const switchPromotions = async (on: boolean) => {
    await db.query(`UPDATE promotions SET active = $1 WHERE tenant_id = $2 AND id = ANY($3::uuid[])`, [on, DEV['x-dev-tenant-id'], rows.map((r) => r.id)]);
    await db.query(`UPDATE promotion_state SET version = version + 1 WHERE tenant_id = $1`, [DEV['x-dev-tenant-id']]);
  };

  const calc = await calculateLatency(api, order20, n('calculations'));
  say(`calculate, 20 lines, 200 promotions: p50 ${calc.p50_ms} ms, p99 ${calc.p99_ms} ms, server ${calc.server_cpu_us} µs CPU each`);
  const sample = await post(api, '/api/v1/orders/calculate', order20);
  say(`  (that order gets ${sample.discount_total as number} off from ${new Set((sample.lines as { promotions: { promotion_id: string }[] }[]).flatMap((l) => l.promotions.map((p) => p.promotion_id))).size} promotions)`);
  const calcCoupon = await calculateLatency(api, { ...order20, coupon_codes: [code.toLowerCase()] }, n('calculations'));
  say(`calculate, 20 lines, 200 promotions, a coupon of 10,000: p50 ${calcCoupon.p50_ms} ms, p99 ${calcCoupon.p99_ms} ms, server ${calcCoupon.server_cpu_us} µs CPU each`);
  await switchPromotions(false);
  const calcBare = await calculateLatency(api, order20, n('calculations'));
  say(`calculate, 20 lines, promotions off: p50 ${calcBare.p50_ms} ms, p99 ${calcBare.p99_ms} ms, server ${calcBare.server_cpu_us} µs CPU each`);

  // Checkout flat out, promotions off and on in turn (three rounds each), so that whatever else the machine
  // runs weighs on both alike; medians compared.
  const offRuns: Awaited<ReturnType<typeof checkoutLoad>>[] = [];
  const onRuns: Awaited<ReturnType<typeof checkoutLoad>>[] = [];
  for (let round_ = 0; round_ < 3; round_++) {
    for (const on of [false, true]) {
      await switchPromotions(on);
      say(`checkout ${on ? 'WITH' : 'without'} promotions, ${n('connections')} connections, ${n('duration')} s …`);
      const r = await checkoutLoad(api, items, outletIds);
      say(`  ${r.sales_per_s} sales/s, p99 ${r.p99_ms} ms, non-2xx ${r.non_2xx}, server ${r.server_cpu_us} µs CPU a sale`);
      (on ? onRuns : offRuns).push(r);
    }
  }
  await db.end();
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const before = { sales_per_s: med(offRuns.map((r) => r.sales_per_s)), server_cpu_us: med(offRuns.map((r) => r.server_cpu_us ?? 0)), runs: offRuns };
  const after = { sales_per_s: med(onRuns.map((r) => r.sales_per_s)), server_cpu_us: med(onRuns.map((r) => r.server_cpu_us ?? 0)), runs: onRuns };
  const ratio = round(after.sales_per_s / before.sales_per_s, 3);
  const cpuRatio = round(before.server_cpu_us / after.server_cpu_us, 3);
  say(`  with / without (median sales/s) = ${ratio}; server CPU a sale without / with = ${cpuRatio}`);

  // The engine alone: the same 20 lines against the 200 promotions as the cache holds them.
  const rules = rows.map((r) => toRule({
    id: r.id, name: r.name, kind: r.kind, priority: r.priority, exclusive: r.exclusive, rateBp: r.rate_bp, amount: r.amount === null ? null : BigInt(r.amount as number),
    scope: r.scope, buyQuantity: r.buy_quantity, getQuantity: r.get_quantity, getScope: r.get_scope, bundle: r.bundle, minSubtotal: BigInt(r.min_subtotal as number),
    outletIds: r.outlet_ids, channels: r.channels, orderTypes: r.order_types, customerGroupIds: r.customer_group_ids, startsAt: null, endsAt: null, daysOfWeek: [], startMinute: null, endMinute: null,
    couponOnly: r.coupon_only, usageLimit: null, usageCount: 0,
  } as unknown as Promotion));
  const lines = items.slice(0, 20).map((x, i) => ({ key: String(i).padStart(3, '0'), productId: x.productId, variantId: x.variantId, categoryId: x.categoryId, unitPrice: BigInt(1_000_000 + i * 50_000), milli: BigInt(1 + (i % 3)) * 1000n, gross: BigInt(1_000_000 + i * 50_000) * BigInt(1 + (i % 3)) }));
  const ctx = { outletId: outletIds[0]!, channel: 'pos', orderType: 'takeaway', at: new Date(), local: { weekday: 3, minute: 600 }, customerGroupIds: [], coupons: new Map<string, string>() };
  const engine: number[] = [];
  for (let i = 0; i < 2100; i++) {
    const t0 = performance.now();
    bestPromotions(lines, ctx, rules);
    if (i >= 100) engine.push(performance.now() - t0);
  }
  engine.sort((a, b) => a - b);
  const engineP99 = round(engine[Math.floor(engine.length * 0.99)]!, 3);
  say(`engine alone, 20 lines × 200 promotions: p50 ${round(engine[1000]!, 3)} ms, p99 ${engineP99} ms`);

  record('calculate, 20-line order, 200 active promotions + 10,000 coupons, p99 (HTTP, one at a time)', '<= 10 ms', calc.p99_ms, 'ms', calc.p99_ms <= 10);
  record('calculate, 20-line order, 200 promotions, with a coupon code, p99', '<= 10 ms', calcCoupon.p99_ms, 'ms', calcCoupon.p99_ms <= 10);
  record('calculate, 20-line order, no promotions, p99 (reference)', 'reference', calcBare.p99_ms, 'ms', null);
  record('calculate, 20-line order, server CPU per request, no promotions', 'reference', calcBare.server_cpu_us ?? -1, 'µs', null);
  record('calculate, 20-line order, server CPU per request, 200 promotions', 'reference', calc.server_cpu_us ?? -1, 'µs', null);
  record('checkout (3 lines, cash) without promotions, median of 3 runs', 'reference', before.sales_per_s, 'sales/s', null);
  record('checkout (3 lines, cash) with 200 promotions applying, median of 3 runs', '>= 80% of without', after.sales_per_s, 'sales/s', ratio >= 0.8);
  record('checkout with / without promotions (sales/s)', '>= 0.8', ratio, 'ratio', ratio >= 0.8);
  record('checkout server CPU a sale, without / with promotions', '>= 0.8', cpuRatio, 'ratio', cpuRatio >= 0.8);
  record('promotion engine alone, 20 lines × 200 promotions, p99', 'reference', engineP99, 'ms', null);
  Object.assign(extra, { checkout_without: before, checkout_with: after, calculate_bare: calcBare, calculate: calc, calculate_coupon: calcCoupon, discount_on_20_lines: sample.discount_total });
} finally {
  await server?.stop().catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
  const admin = new pg.Client({ connectionString: url.replace(/\/[^/?]*(\?|$)/, '/postgres$1') });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${new URL(url).pathname.slice(1)}" WITH (FORCE)`);
  await admin.end();
}
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
const file = join(ROOT, 'bench', 'results', `promotions-${new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19)}Z.json`);
writeFileSync(file, `${JSON.stringify({ records, ...extra }, null, 2)}\n`);
emitRecords('promotions', records as unknown as BenchRecord[]);
say(`results: ${file}`);
