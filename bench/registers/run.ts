/**
 * Registers performance (issue 6): `npx tsx bench/registers/run.ts [--sales 10000] [--sessions 5] [--url postgres://...]`
 *
 * Closing a cash session that took --sales cash sales (target: the close, Z report included, ≤ 250 ms on
 * PostgreSQL). For each of --sessions terminals: a session is opened through CashSessionService, then the sales
 * are written by SQL as the sale hooks would have left them (completed orders with their cash payment and
 * change, 1 % partly refunded in cash, and the session ledger: PAYMENT + SALE per order, REFUND per refund,
 * with the session's running expected cash), the tables are ANALYZEd as autovacuum would, and the close is
 * timed through the service: row lock, the Z report's aggregation over the ledger joined to orders and refunds,
 * the update and the events. The X report of the same session is timed before the close.
 * Results: bench/results/registers-<date>.json, records {figure, target, measured, unit, database, date, met}.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createApp } from '../../src/app.js';
import { PERMISSIONS } from '../../src/modules/access/index.js';
import type { Ctx } from '../../src/platform/context.js';
import { loadConfig } from '../../src/platform/config.js';
import { openDatabase } from '../../src/platform/db.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { createLogger } from '../../src/platform/logger.js';
import { migrate } from '../../src/platform/migrate.js';
import { freshPostgresDatabase } from '../../test/support/database.js';
import { ROOT } from '../server.js';
import { emitRecords } from '../report-kit.js';

const { values: opt } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    sales: { type: 'string', default: '10000' },
    sessions: { type: 'string', default: '5' },
    url: { type: 'string', default: process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/kasir_registers' },
  },
  strict: true,
});
// --quick (npm run bench:quick): small and short, to prove it runs; not a measurement.
if (opt.quick) Object.assign(opt, { sales: '1000', sessions: '1' });
const SALES = Number(opt.sales);
const SESSIONS = Number(opt.sessions);
const say = (m: string) => console.log(m);
const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const url = await freshPostgresDatabase(opt.url, 'bench');
const database = await openDatabase({ url, dataDir: '', poolSize: 4, appRole: 'kasir_app', beforeRoleSwitch: (q) => migrate(q).then(() => undefined) });
const log = createLogger('warn');
const app = await createApp(loadConfig({ ...process.env, DATABASE_URL: url, POS_AUTH_ENABLED: 'false', POS_DEV_TENANT: 'false' }), log, { migrate: false, database });
const owner = uuidv7();
const p = await app.services.provisionTenant({ slug: `bench-${uuidv7().slice(-8)}`, name: 'Bench', owner: { user_id: uuidv7(), membership_id: owner, display_name: 'Owner' } });
const tenant = p.tenant.id;
const outlet = p.outlet.id;
const ctx: Ctx = { tenantId: tenant, actor: { kind: 'dev', membershipId: owner, permissions: new Set(PERMISSIONS) }, requestId: 'bench', database, log };
// Bulk data goes in as the superuser (no row-level security to pass), the way a restore would.
const admin = new pg.Client({ connectionString: url });
await admin.connect();

async function fill(terminal: string, session: string, offset: number): Promise<void> {
  await admin.query('BEGIN');
  await admin.query(
    `INSERT INTO orders (tenant_id, id, outlet_id, terminal_id, cashier_membership_id, status, payment_status, currency, subtotal, discount_total, tax_total, total,
                         paid_total, change_total, refunded_total, receipt_number, receipt_seq, business_date, completed_at, finalized_at)
     SELECT $1, gen_random_uuid(), $2, $3, $4, 'COMPLETED', 'PAID', 'IDR', s, d, (s - d) / 10, (s - d) + (s - d) / 10,
            (s - d) + (s - d) / 10, 0, 0, 'B-' || ($5 + g), $5 + g, current_date, now(), now()
       FROM generate_series(1, $6::int) g, LATERAL (SELECT 20000 + (g % 9) * 2500 AS s, (g % 4) * 500 AS d) x`,
    [tenant, outlet, terminal, owner, offset, SALES],
  );
  await admin.query(
    `INSERT INTO payments (tenant_id, id, order_id, tender_type, status, currency, amount, tendered, change, idempotency_key, request_hash, captured_at)
     SELECT o.tenant_id, gen_random_uuid(), o.id, 'CASH', 'CAPTURED', 'IDR', o.total, ceil(o.total / 50000.0) * 50000, ceil(o.total / 50000.0) * 50000 - o.total, 'bench-' || o.id, 'x', now()
       FROM orders o WHERE o.tenant_id = $1 AND o.terminal_id = $2`,
    [tenant, terminal],
  );
  await admin.query(
    `INSERT INTO cash_session_entries (tenant_id, session_id, id, kind, tender_type, amount, change, order_id, payment_id)
     SELECT p.tenant_id, $3::uuid, gen_random_uuid(), 'PAYMENT', 'CASH', p.amount, p.change, p.order_id, p.id
       FROM payments p JOIN orders o ON o.tenant_id = p.tenant_id AND o.id = p.order_id WHERE o.tenant_id = $1 AND o.terminal_id = $2
     UNION ALL
     SELECT o.tenant_id, $3::uuid, gen_random_uuid(), 'SALE', NULL, o.total, NULL, o.id, NULL FROM orders o WHERE o.tenant_id = $1 AND o.terminal_id = $2`,
    [tenant, terminal, session],
  );
  // 1 % of the sales partly refunded in cash at the same register.
  await admin.query(
    `WITH r AS (
       INSERT INTO refunds (tenant_id, id, order_id, outlet_id, kind, currency, amount, reason, receipt_number, receipt_seq, business_date)
       SELECT o.tenant_id, gen_random_uuid(), o.id, o.outlet_id, 'amount', 'IDR', o.total / 2, 'bench', 'BR-' || o.receipt_seq, o.receipt_seq, current_date
         FROM orders o WHERE o.tenant_id = $1 AND o.terminal_id = $2 AND o.receipt_seq % 100 = 0
       RETURNING tenant_id, id, order_id, amount)
     INSERT INTO cash_session_entries (tenant_id, session_id, id, kind, tender_type, amount, order_id, refund_id)
     SELECT r.tenant_id, $3::uuid, gen_random_uuid(), 'REFUND', 'CASH', -r.amount, r.order_id, r.id FROM r`,
    [tenant, terminal, session],
  );
  await admin.query(
    `UPDATE cash_sessions SET expected_cash = opening_float + (SELECT sum(amount) FROM cash_session_entries WHERE tenant_id = $1 AND session_id = $2 AND kind <> 'FLOAT' AND tender_type = 'CASH')
      WHERE tenant_id = $1 AND id = $2`,
    [tenant, session],
  );
  // The outlet's receipt counters move past the numbers used here, as real completions would have moved them.
  await admin.query(
    `INSERT INTO receipt_counters (tenant_id, outlet_id, series, last_value) VALUES ($1, $2, 'sale', $3), ($1, $2, 'refund', $3)
     ON CONFLICT (tenant_id, outlet_id, series) DO UPDATE SET last_value = greatest(receipt_counters.last_value, excluded.last_value)`,
    [tenant, outlet, offset + SALES],
  );
  await admin.query('COMMIT');
}

const closes: number[] = [];
const xs: number[] = [];
let check = '';
for (let i = 0; i < SESSIONS; i++) {
  const terminal = uuidv7();
  await admin.query('INSERT INTO terminals (tenant_id, id, outlet_id, code, name) VALUES ($1, $2, $3, $4, $5)', [tenant, terminal, outlet, `BENCH-${i}`, `Bench ${i}`]);
  const session = await app.services.cashSessions.open(ctx, { terminal_id: terminal, opening_float: 500_000 });
  const t0 = process.hrtime.bigint();
  await fill(terminal, session.id, i * SALES);
  say(`session ${i + 1}/${SESSIONS}: ${SALES} sales written in ${Math.round(ms(t0))} ms`);
  await admin.query('ANALYZE orders; ANALYZE payments; ANALYZE refunds; ANALYZE refund_lines; ANALYZE cash_session_entries; ANALYZE cash_sessions');
  const tx = process.hrtime.bigint();
  const x = await app.services.cashSessions.report(ctx, session.id);
  xs.push(ms(tx));
  const tc = process.hrtime.bigint();
  const closed = await app.services.cashSessions.close(ctx, session.id, { counted_cash: 1_000_000 });
  closes.push(ms(tc));
  const z = closed.report;
  check = `${z.sales.count} sales, total ${z.sales.total}, refunds ${z.refunds.count}, expected cash ${z.expected_cash} (X before close: ${(x.report as { expected_cash: bigint }).expected_cash})`;
  if (z.sales.count !== SALES) throw new Error(`the Z report counted ${z.sales.count} sales, not ${SALES}`);
  say(`  X report ${xs.at(-1)!.toFixed(1)} ms, close with Z report ${closes.at(-1)!.toFixed(1)} ms — ${check}`);
}
// What the drawer and commission hooks add to a register sale: sequential one-request checkouts through
// SalesService (3 lines, cash), on a terminal with an open session and a cashier, against the same sale with
// neither (the hooks then do nothing). Sequential, so the figure is per-sale latency, not throughput.
const catalogCtx = ctx;
const products: string[] = [];
for (const [i, amount] of [25_000, 18_000, 32_000].entries()) {
  const prod = await app.services.catalog.products.create(catalogCtx, { name: `Hook bench ${i}`, sku: `HB-${i}-${Date.now()}` } as never);
  const variant = (prod as unknown as { variants: { id: string }[] }).variants[0]!.id;
  await app.services.pricing.prices.setPrice(catalogCtx, { variant_id: variant, amount: String(amount), currency: 'IDR' } as never);
  products.push(variant);
}
const hookTerminal = uuidv7();
await admin.query('INSERT INTO terminals (tenant_id, id, outlet_id, code, name) VALUES ($1, $2, $3, $4, $5)', [tenant, hookTerminal, outlet, 'HOOKS', 'Hooks']);
await app.services.cashSessions.open(ctx, { terminal_id: hookTerminal, opening_float: 0 });
await admin.query(`INSERT INTO commission_rules (tenant_id, id, name, kind, rate_bps) VALUES ($1, gen_random_uuid(), 'bench', 'percentage', 300)`, [tenant]);
const body = (terminal?: string) => ({ ...(terminal ? { terminal_id: terminal } : { outlet_id: outlet }), items: products.map((v) => ({ variant_id: v, quantity: 1 })), tenders: [{ tender_type: 'CASH' as const, amount: 100_000 }] });
const noCashier: Ctx = { ...ctx, actor: { ...ctx.actor, membershipId: undefined } };
const timeCheckouts = async (c: Ctx, terminal: string | undefined, n: number) => {
  const lat: number[] = [];
  for (let k = 0; k < n; k++) {
    const t0 = process.hrtime.bigint();
    await app.services.sales.checkout(c, body(terminal));
    lat.push(ms(t0));
  }
  return median(lat);
};
await timeCheckouts(noCashier, undefined, 30); // warm-up
await timeCheckouts(ctx, hookTerminal, 30);
const plain = await timeCheckouts(noCashier, undefined, 300);
const hooked = await timeCheckouts(ctx, hookTerminal, 300);
say(`checkout median: ${plain.toFixed(2)} ms without terminal and cashier, ${hooked.toFixed(2)} ms on a terminal with an open session, a cashier and a commission rule`);
await admin.end();
await app.close();
await database.close();

const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
const closeMedian = median(closes);
const records = [
  { figure: `close a cash session with ${SALES} sales, Z report included (median of ${SESSIONS})`, target: 250, measured: Math.round(closeMedian * 10) / 10, unit: 'ms', database: 'postgresql', date, met: closeMedian <= 250 },
  { figure: `close a cash session with ${SALES} sales, Z report included (worst of ${SESSIONS})`, target: 250, measured: Math.round(Math.max(...closes) * 10) / 10, unit: 'ms', database: 'postgresql', date, met: Math.max(...closes) <= 250 },
  { figure: `X report of a session with ${SALES} sales (median of ${SESSIONS})`, target: null, measured: Math.round(median(xs) * 10) / 10, unit: 'ms', database: 'postgresql', date, met: null },
  { figure: 'one-request checkout, in process, sequential: no terminal, no cashier (register hooks idle), median of 300', target: null, measured: Math.round(plain * 100) / 100, unit: 'ms', database: 'postgresql', date, met: null },
  { figure: 'one-request checkout, in process, sequential: terminal with open session + cashier + commission rule (3 hook statements), median of 300', target: null, measured: Math.round(hooked * 100) / 100, unit: 'ms', database: 'postgresql', date, met: null },
];
mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
const file = join(ROOT, 'bench', 'results', `registers-${date.replace(/:/g, '-')}.json`);
writeFileSync(file, JSON.stringify({ name: 'registers', date, sales: SALES, sessions: SESSIONS, closes_ms: closes, x_reports_ms: xs, records }, null, 2) + '\n');
emitRecords('registers', records);
say(`\n${records.map((r) => `${r.figure}: ${r.measured} ${r.unit}${r.target ? ` (target ≤ ${r.target}: ${r.met ? 'met' : 'NOT met'})` : ''}`).join('\n')}\nwrote ${file}`);
