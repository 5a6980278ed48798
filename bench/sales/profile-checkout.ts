import autocannon from 'autocannon';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshPostgresDatabase } from '../../test/support/database.js';
import { ROOT, startServer } from '../server.js';

const url = await freshPostgresDatabase('postgres://postgres@127.0.0.1:5432/kasir_bench', 'salesprof');
const profDir = mkdtempSync(join(tmpdir(), 'kasir-prof-'));
const server = await startServer({ mode: 'tsx', args: ['--import', 'tsx', join(ROOT, 'bench', 'sales', 'server-main.ts')] }, {
  DATABASE_URL: url, POS_DATA_DIR: mkdtempSync(join(tmpdir(), 'kp-')), POS_MIGRATE_ON_START: 'true', POS_AUTH_ENABLED: 'false', POS_DEV_TENANT: 'true', POS_JOBS_ENABLED: 'false',
  POS_LOG_LEVEL: 'warn', POS_DB_POOL_SIZE: '20', POS_RATE_LIMIT_IP_PER_MINUTE: '100000000', POS_RATE_LIMIT_TENANT_PER_MINUTE: '100000000',
}, ['--cpu-prof', `--cpu-prof-dir=${profDir}`]);
const base = `http://127.0.0.1:${server.httpPort}`;
const DEV = { 'x-dev-tenant-id': '00000000-0000-0000-0000-000000000001', 'content-type': 'application/json' };
const post = async (p: string, b: unknown) => (await (await fetch(base + p, { method: 'POST', headers: DEV, body: JSON.stringify(b) })).json()) as any;
const vs: string[] = [];
for (const a of [2500000, 1800000, 3200000]) { const p = await post('/api/v1/products', { name: 'x' + a }); vs.push(p.variants[0].id); await post('/api/v1/prices', { variant_id: p.variants[0].id, amount: a, currency: 'IDR' }); }
const outlets: string[] = [];
for (let i = 0; i < Number(process.env.OUTLETS ?? 32); i++) outlets.push((await post('/api/v1/outlets', { code: `B${i}`, name: `Bench ${i}` })).id);
const requests = outlets.map((o) => ({ method: 'POST' as const, path: '/api/v1/checkout', headers: DEV, body: JSON.stringify({ outlet_id: o, items: [{ variant_id: vs[0], quantity: 2 }, { variant_id: vs[1], quantity: 1 }, { variant_id: vs[2], quantity: 1 }], tenders: [{ tender_type: 'CASH', amount: 15000000 }] }) }));
if (process.env.MODE === 'flow') {
  const until = Date.now() + Number(process.env.D ?? 10) * 1000;
  let sales = 0;
  const timing: Record<string, number> = {};
  const timed = async (k: string, p: string, b: unknown) => { const t0 = performance.now(); const r = await post(p, b); timing[k] = (timing[k] ?? 0) + performance.now() - t0; return r; };
  await Promise.all(Array.from({ length: Number(process.env.C ?? 16) }, async (_, i) => {
    while (Date.now() < until) {
      const o = await timed('create', '/api/v1/orders', { outlet_id: outlets[i % outlets.length] });
      for (const v of vs) await timed('add', `/api/v1/orders/${o.id}/items`, { variant_id: v });
      const f = await timed('finalize', `/api/v1/orders/${o.id}/finalize`, {});
      await timed('pay', `/api/v1/orders/${o.id}/payments`, { tender_type: 'CASH', amount: f.total });
      const c = await timed('complete', `/api/v1/orders/${o.id}/complete`, {});
      if (c.status !== 'COMPLETED') throw new Error(JSON.stringify(c));
      sales++;
    }
  }));
  console.log('flow sales/s', sales / Number(process.env.D ?? 10), Object.fromEntries(Object.entries(timing).map(([k, v]) => [k, (v / sales).toFixed(1)])));
} else {
  const r = await new Promise<any>((res, rej) => autocannon({ url: base, requests, connections: 16, duration: Number(process.env.D ?? 10) }, (e, x) => (e ? rej(e) : res(x))));
  console.log('rps', r.requests.total / r.duration, 'p99', r.latency.p99, 'non2xx', r.non2xx);
}
await server.stop();
await new Promise((r) => setTimeout(r, 1000));
const f = readdirSync(profDir).map((x) => join(profDir, x)).sort((a, b) => statSync(a).size - statSync(b).size).pop()!;
const prof = JSON.parse(readFileSync(f, 'utf8'));
const self = new Map<string, number>();
const byId = new Map<number, any>(prof.nodes.map((n: any) => [n.id, n]));
const dt = prof.timeDeltas as number[];
const counts = new Map<number, number>();
prof.samples.forEach((id: number, i: number) => counts.set(id, (counts.get(id) ?? 0) + (dt[i] ?? 0)));
let total = 0;
for (const [id, t] of counts) {
  const n = byId.get(id); const cf = n.callFrame;
  const file = (cf.url || '').replace(/^.*node_modules\//, 'nm/').replace('file:///work/main/', '');
  const key = `${cf.functionName || '(anon)'} ${file}:${cf.lineNumber}`;
  self.set(key, (self.get(key) ?? 0) + t); total += t;
}
const byFile = new Map<string, number>();
for (const [k, t] of self) { const file = k.split(' ')[1]!.split(':')[0]!.replace(/^(nm\/[^/]+(\/[^/]+)?).*$/, '$1'); byFile.set(file, (byFile.get(file) ?? 0) + t); }
console.log('total ms', total / 1000);
console.log([...byFile].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, t]) => `${(100 * t / total).toFixed(1)}% ${k}`).join('\n'));
console.log('---');
console.log([...self].sort((a, b) => b[1] - a[1]).slice(0, 70).map(([k, t]) => `${(100 * t / total).toFixed(1)}% ${k}`).join('\n'));
