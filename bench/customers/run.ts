/**
 * Customers and loyalty performance (issue 7): `npx tsx bench/customers/run.ts [--duration 10] [--connections 32]`
 *
 * One-request checkout (3 lines, cash) on PostgreSQL, with the loyalty programme on:
 *   1. without a customer (the loyalty hook does nothing: its cost is one `if`);
 *   2. with a customer (each sale earns points: one read of customer + settings, one write of the earn entry
 *      with the balance and the visit counters);
 * then the ratio (target: with a customer ≥ 80% of without, the "within 20%").
 * The load generator, the server and the database share this machine (and other work), so the figures are
 * lower bounds; run 1 and 2 back to back so they see the same machine. Results: bench/results/customers-<date>.json.
 */
import autocannon from 'autocannon';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { freshPostgresDatabase } from '../../test/support/database.js';
import { ROOT, round, startServer } from '../server.js';
import { emitRecords, type BenchRecord } from '../report-kit.js';

const { values: opt } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    duration: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '3' },
    connections: { type: 'string', default: '32' },
    outlets: { type: 'string', default: '32' },
    customers: { type: 'string', default: '256' },
  },
  strict: true,
});
// --quick (npm run bench:quick): small and short, to prove it runs; not a measurement.
if (opt.quick) Object.assign(opt, { duration: '2', warmup: '1' });
const n = (k: keyof typeof opt) => Number(opt[k]);
const DEV = { 'x-dev-tenant-id': '00000000-0000-0000-0000-000000000001', 'content-type': 'application/json' };

async function send(base: string, method: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const r = await fetch(`${base}${path}`, { method, headers: DEV, body: JSON.stringify(body) });
  const j = (await r.json()) as Record<string, unknown>;
  if (r.status >= 300) throw new Error(`${path}: ${r.status} ${JSON.stringify(j)}`);
  return j;
}
const cannon = (o: autocannon.Options): Promise<autocannon.Result> => new Promise((res, rej) => autocannon(o, (e, r) => (e ? rej(e) : res(r))));

const url = await freshPostgresDatabase(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kasir_bench', 'customers');
const dataDir = mkdtempSync(join(tmpdir(), 'kasir-bench-customers-'));
const results: Record<string, unknown> = { machine: { cpus: cpus().length, loadavg_before: loadavg() }, options: opt };
const server = await startServer({ mode: 'tsx', args: ['--import', 'tsx', join(ROOT, 'bench', 'sales', 'server-main.ts')] }, {
  DATABASE_URL: url, POS_DATA_DIR: dataDir, POS_MIGRATE_ON_START: 'true', POS_AUTH_ENABLED: 'false', POS_DEV_TENANT: 'true', POS_JOBS_ENABLED: 'false', POS_LOG_LEVEL: 'warn',
  POS_DB_POOL_SIZE: '20', POS_RATE_LIMIT_IP_PER_MINUTE: '100000000', POS_RATE_LIMIT_TENANT_PER_MINUTE: '100000000',
});
const api = `http://127.0.0.1:${server.httpPort}`;
try {
  const variants: string[] = [];
  for (const [i, amount] of [2_500_000, 1_800_000, 3_200_000].entries()) {
    const p = await send(api, 'POST', '/api/v1/products', { name: `Bench item ${i}`, sku: `CB-${i}-${Date.now()}` });
    const v = (p.variants as { id: string }[])[0]!.id;
    await send(api, 'POST', '/api/v1/prices', { variant_id: v, amount, currency: 'IDR' });
    variants.push(v);
  }
  const outlets: string[] = [];
  for (let i = 0; i < n('outlets'); i++) outlets.push((await send(api, 'POST', '/api/v1/outlets', { code: `C${String(i).padStart(3, '0')}`, name: `Bench outlet ${i}` })).id as string);
  await send(api, 'PUT', '/api/v1/loyalty/settings', { loyalty_enabled: true, earn_per_amount: 100_000, earn_points: 1, points_per_visit: 1, tiers: [{ name: 'gold', threshold: 100_000_000, multiplier_percent: 150 }], points_expire_days: 365 });
  const customers: string[] = [];
  for (let i = 0; i < n('customers'); i++) customers.push((await send(api, 'POST', '/api/v1/customers', { name: `Bench customer ${i}`, email: `bench${i}@example.com` })).id as string);

  const body = (outlet: string, customer?: string) => JSON.stringify({ outlet_id: outlet, ...(customer ? { customer_id: customer } : {}), items: [{ variant_id: variants[0], quantity: 2 }, { variant_id: variants[1], quantity: 1 }, { variant_id: variants[2], quantity: 1 }], tenders: [{ tender_type: 'CASH', amount: 15_000_000 }] });
  const run = async (withCustomer: boolean) => {
    const requests = customers.map((c, i) => ({ method: 'POST' as const, path: '/api/v1/checkout', headers: DEV, body: body(outlets[i % outlets.length]!, withCustomer ? c : undefined) }));
    const common = { url: api, requests, connections: n('connections'), pipelining: 1, timeout: 10 };
    await cannon({ ...common, duration: n('warmup') });
    const r = await cannon({ ...common, duration: n('duration') });
    return { sales_per_s: round(r.requests.total / r.duration), latency_ms: { p50: r.latency.p50, p99: r.latency.p99 }, non_2xx: r.non2xx, errors: r.errors };
  };
  console.log(`checkout without a customer, ${n('connections')} connections, ${n('duration')} s …`);
  const without = await run(false);
  console.log(`  ${without.sales_per_s} sales/s, p99 ${without.latency_ms.p99} ms, non-2xx ${without.non_2xx}`);
  console.log('checkout with a customer (earns points) …');
  const withC = await run(true);
  console.log(`  ${withC.sales_per_s} sales/s, p99 ${withC.latency_ms.p99} ms, non-2xx ${withC.non_2xx}`);
  const ratio = round(withC.sales_per_s / without.sales_per_s, 2);
  console.log(`  ratio ${ratio} (target ≥ 0.8)`);
  Object.assign(results, { checkout_without_customer: without, checkout_with_customer: withC, ratio });
  const date = new Date().toISOString();
  results.records = [
    { figure: 'checkout with a customer earning points, relative to without', target: 0.8, measured: ratio, unit: 'ratio', database: 'postgresql', date, met: ratio >= 0.8 },
    { figure: 'checkout with a customer earning points', target: null, measured: withC.sales_per_s, unit: 'sales/s', database: 'postgresql', date, met: withC.non_2xx === 0 },
    { figure: 'checkout with a customer, p99', target: 25, measured: withC.latency_ms.p99, unit: 'ms', database: 'postgresql', date, met: withC.latency_ms.p99 <= 25 },
  ];
} finally {
  await server.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
results.loadavg_after = loadavg();
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
const file = join(ROOT, 'bench', 'results', `customers-${new Date().toISOString().replace(/:/g, '-').replace(/\..*/, 'Z')}.json`);
writeFileSync(file, JSON.stringify(results, null, 2));
emitRecords('customers', (results.records as BenchRecord[] | undefined) ?? []);
console.log(`wrote ${file}`);
