/**
 * Where the sales server spends its CPU: `npx tsx bench/sales/profile-checkout.ts` starts bench/sales/server-main.ts
 * under --cpu-prof on a fresh PostgreSQL database, loads it (MODE=checkout: POST /api/v1/checkout from 16
 * connections over OUTLETS outlets; MODE=flow: C registers doing create, 3 × add, finalize, pay, complete),
 * then prints self time by file and by function. D = seconds of load.
 */
import autocannon from 'autocannon';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshPostgresDatabase } from '../../test/support/database.js';
import { ROOT, startServer } from '../server.js';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}
type Json = Record<string, unknown> & { id: string; total: number; status: string; variants: { id: string }[] };

const seconds = Number(process.env.D ?? 10);
const url = await freshPostgresDatabase(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kasir_bench', 'salesprof');
const profDir = mkdtempSync(join(tmpdir(), 'kasir-prof-'));
const dataDir = mkdtempSync(join(tmpdir(), 'kasir-prof-data-'));
const server = await startServer(
  { mode: 'tsx', args: ['--import', 'tsx', join(ROOT, 'bench', 'sales', 'server-main.ts')] },
  {
    DATABASE_URL: url, POS_DATA_DIR: dataDir, POS_MIGRATE_ON_START: 'true', POS_AUTH_ENABLED: 'false', POS_DEV_TENANT: 'true', POS_JOBS_ENABLED: 'false',
    POS_LOG_LEVEL: 'warn', POS_DB_POOL_SIZE: '20', POS_RATE_LIMIT_IP_PER_MINUTE: '100000000', POS_RATE_LIMIT_TENANT_PER_MINUTE: '100000000',
  },
  ['--cpu-prof', `--cpu-prof-dir=${profDir}`],
);
const base = `http://127.0.0.1:${server.httpPort}`;
const DEV = { 'x-dev-tenant-id': '00000000-0000-0000-0000-000000000001', 'content-type': 'application/json' };
const post = async (p: string, b: unknown): Promise<Json> => (await (await fetch(base + p, { method: 'POST', headers: DEV, body: JSON.stringify(b) })).json()) as Json;

const vs: string[] = [];
for (const amount of [2_500_000, 1_800_000, 3_200_000]) {
  const p = await post('/api/v1/products', { name: `Item ${amount}` });
  vs.push(p.variants[0]!.id);
  await post('/api/v1/prices', { variant_id: p.variants[0]!.id, amount, currency: 'IDR' });
}
const outlets: string[] = [];
for (let i = 0; i < Number(process.env.OUTLETS ?? 32); i++) outlets.push((await post('/api/v1/outlets', { code: `B${i}`, name: `Bench ${i}` })).id);

if (process.env.MODE === 'flow') {
  const until = Date.now() + seconds * 1000;
  let sales = 0;
  const timing: Record<string, number> = {};
  const timed = async (k: string, p: string, b: unknown) => {
    const t0 = performance.now();
    const r = await post(p, b);
    timing[k] = (timing[k] ?? 0) + performance.now() - t0;
    return r;
  };
  await Promise.all(
    Array.from({ length: Number(process.env.C ?? 16) }, async (_, i) => {
      while (Date.now() < until) {
        const o = await timed('create', '/api/v1/orders', { outlet_id: outlets[i % outlets.length] });
        for (const v of vs) await timed('add', `/api/v1/orders/${o.id}/items`, { variant_id: v });
        const f = await timed('finalize', `/api/v1/orders/${o.id}/finalize`, {});
        await timed('pay', `/api/v1/orders/${o.id}/payments`, { tender_type: 'CASH', amount: f.total });
        const c = await timed('complete', `/api/v1/orders/${o.id}/complete`, {});
        if (c.status !== 'COMPLETED') throw new Error(JSON.stringify(c));
        sales++;
      }
    }),
  );
  console.log('flow sales/s', sales / seconds, 'ms per sale by request:', Object.fromEntries(Object.entries(timing).map(([k, v]) => [k, (v / sales).toFixed(1)])));
} else {
  const requests = outlets.map((o) => ({
    method: 'POST' as const,
    path: '/api/v1/checkout',
    headers: DEV,
    body: JSON.stringify({ outlet_id: o, items: [{ variant_id: vs[0], quantity: 2 }, { variant_id: vs[1], quantity: 1 }, { variant_id: vs[2], quantity: 1 }], tenders: [{ tender_type: 'CASH', amount: 15_000_000 }] }),
  }));
  const r = await new Promise<autocannon.Result>((res, rej) => autocannon({ url: base, requests, connections: 16, duration: seconds }, (e, x) => (e ? rej(e) : res(x))));
  console.log('checkouts/s', r.requests.total / r.duration, 'p99', r.latency.p99, 'non-2xx', r.non2xx);
}
await server.stop();
await new Promise((r) => setTimeout(r, 1000));

// The main thread's profile is the largest (tsx's loader thread writes a small one too).
const file = readdirSync(profDir).map((x) => join(profDir, x)).sort((a, b) => statSync(a).size - statSync(b).size).pop()!;
const prof = JSON.parse(readFileSync(file, 'utf8')) as Profile;
rmSync(profDir, { recursive: true, force: true });
rmSync(dataDir, { recursive: true, force: true });
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map<string, number>();
let total = 0;
prof.samples.forEach((id, i) => {
  const cf = byId.get(id)!.callFrame;
  const key = `${cf.functionName || '(anon)'} ${cf.url.replace(/^.*node_modules\//, 'nm/').replace(`file://${ROOT}/`, '')}:${cf.lineNumber}`;
  const t = prof.timeDeltas[i] ?? 0;
  self.set(key, (self.get(key) ?? 0) + t);
  total += t;
});
const byFile = new Map<string, number>();
for (const [k, t] of self) {
  const f = (k.split(' ')[1] ?? '').split(':')[0]!.replace(/^(nm\/[^/]+(\/[^/]+)?).*$/, '$1') || '(native)';
  byFile.set(f, (byFile.get(f) ?? 0) + t);
}
const top = (m: Map<string, number>, n: number) => [...m].sort((a, b) => b[1] - a[1]).slice(0, n).map(([k, t]) => `${((100 * t) / total).toFixed(1)}% ${k}`).join('\n');
console.log(`profile: ${(total / 1e6).toFixed(1)} s sampled\n--- by file\n${top(byFile, 25)}\n--- by function\n${top(self, 50)}`);
