/**
 * `npx tsx bench/catalog/explain.ts <what>`: EXPLAIN (ANALYZE, BUFFERS) of the catalog's hot statements on the
 * database a `npm run bench:catalog -- --keep` run left, as the application role with the bench tenant set.
 * what: feed[:<since>] (a 5,000-change page) | page (a priced page of 100) | lookup (2,000 of each form)
 */
import { drizzle } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { Db } from '../../src/platform/db.js';
import { cpuMsOf } from '../server.js';
import { reuseCatalog } from './generate.js';

const what = process.argv[2] ?? 'feed';
const base = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kasir_bench';
const reused = await reuseCatalog(base, 'catalog');
if (!reused) throw new Error('no kept bench database: run npm run bench:catalog -- --keep first');
const client = new pg.Client({ connectionString: reused.url });
await client.connect();
await client.query('SET ROLE kasir_app');
await client.query(`SELECT set_config('app.tenant_id', $1, false)`, [reused.catalog.tenantId]);
const captured: { sql: string; params: unknown[] }[] = [];
const db = drizzle({ client, casing: 'snake_case', logger: { logQuery: (sql, params) => void (captured.length < 10 && captured.push({ sql, params })) } }) as unknown as Db;
const tx = { db, tenantId: reused.catalog.tenantId };
const [kind, arg] = what.split(':');
const t0 = performance.now();
if (kind === 'feed') {
  const { changeFeedRepository } = await import('../../src/modules/catalog/change-feed.repository.js');
  const times: number[] = [];
  const pid = Number((await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
  const cpu0 = cpuMsOf(pid)!;
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    const rows = await changeFeedRepository.page(tx, { seq: BigInt(arg ?? '0') }, 5000);
    times.push(performance.now() - t);
    if (i === 0) console.log(`${rows.length} rows, ${rows.reduce((n, r) => n + (r.data?.length ?? 0), 0)} bytes of data; e.g. ${rows.find((r) => r.rank === 4)?.data}`);
  }
  console.log(`page times ms: ${times.map((t) => t.toFixed(0)).join(' ')}; database CPU ${((cpuMsOf(pid)! - cpu0) / 5).toFixed(0)} ms a page`);
} else if (kind === 'lookup') {
  const { searchRepository } = await import('../../src/modules/catalog/search.repository.js');
  const pid = Number((await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
  for (const [name, run] of [
    ['objects', (code: string) => searchRepository.lookup(tx, code)],
    ['json', (code: string) => searchRepository.lookupJson(tx, code)],
  ] as const) {
    const cpu0 = cpuMsOf(pid)!;
    const t = performance.now();
    for (let i = 0; i < 2000; i++) await run(reused.catalog.barcodeOf((i * 7919) % reused.catalog.products, i % 3));
    console.log(`lookup ${name}: ${((performance.now() - t) / 2000).toFixed(3)} ms each, database CPU ${(((cpuMsOf(pid)! - cpu0) * 1000) / 2000).toFixed(0)} µs each`);
  }
}
console.log(`ran in ${(performance.now() - t0).toFixed(1)} ms`);
const last = captured[captured.length - 1];
for (let i = 0; kind === 'feed' && last && i < 2; i++) {
  const r = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${last.sql}`, last.params);
  if (i === 1) console.log(r.rows.map((x) => x['QUERY PLAN']).join('\n'));
}

if (kind === 'feed' && process.env.KEYS_ONLY) {
  const c = captured[captured.length - 1]!;
  const keysOnly = c.sql.replace(/THEN CASE page\.rank[\s\S]*END END AS data/, 'THEN NULL END AS data');
  const c2 = new pg.Client({ connectionString: reused.url });
  await c2.connect();
  await c2.query('SET ROLE kasir_app');
  await c2.query(`SELECT set_config('app.tenant_id', $1, false)`, [reused.catalog.tenantId]);
  const pid = Number((await c2.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
  const cpu0 = cpuMsOf(pid)!;
  for (let i = 0; i < 5; i++) await c2.query(keysOnly, c.params);
  console.log(`keys only: database CPU ${((cpuMsOf(pid)! - cpu0) / 5).toFixed(0)} ms a page`);
  await c2.end();
}

if (kind === 'page') {
  const { productPageRepository } = await import('../../src/modules/catalog/product-page.repository.js');
  const { priceBookRepository } = await import('../../src/modules/catalog/price-book.repository.js');
  const { bookPrecedence } = await import('../../src/modules/catalog/price-resolver.js');
  const books = bookPrecedence(await priceBookRepository.usable(tx), { at: new Date(), timeZone: 'Asia/Jakarta' });
  const pid = Number((await client.query('SELECT pg_backend_pid() AS pid')).rows[0].pid);
  const ids = (await client.query(`SELECT id FROM products ORDER BY id`)).rows.map((r) => r.id as string).filter((_, i) => i % 100 === 99);
  const cpu0 = cpuMsOf(pid)!;
  const t = performance.now();
  for (let i = 0; i < 200; i++) await productPageRepository.page(tx, {}, 100, ids[(i * 37) % ids.length], books);
  console.log(`priced page: ${((performance.now() - t) / 200).toFixed(2)} ms each, database CPU ${((cpuMsOf(pid)! - cpu0) / 200).toFixed(2)} ms each`);
  const last = captured.find((c) => c.sql.includes('json_build_object'))!;
  const r = await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${last.sql}`, last.params);
  console.log(r.rows.map((x) => x['QUERY PLAN']).join('\n'));
}
await client.end();
