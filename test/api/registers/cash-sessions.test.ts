import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoCloseStaleSessions } from '../../../src/modules/registers/index.js';
import { as, createTenant, pricedProduct, query, salesRows, startSalesServer, type Client, type TestServer, type TestTenant } from '../sales/support.js';
import { cashSale, openSession, staffMember } from './support.js';

let s: TestServer;
let t: TestTenant;
let owner: Client;
let latte: { productId: string; variantId: string };

beforeAll(async () => {
  s = await startSalesServer();
  t = await createTenant(s.app);
  owner = as(s, t);
  latte = await pricedProduct(owner, 30_000);
});
afterAll(() => s.stop());

/** A fresh terminal at the tenant's outlet (each test its own drawer). */
async function terminal(tenant = t): Promise<string> {
  const id = (await import('../../../src/platform/ids.js')).uuidv7();
  await query(s, tenant, sql`INSERT INTO terminals (tenant_id, id, outlet_id, code, name) VALUES (${tenant.tenantId}, ${id}, ${tenant.outletId}, ${'T-' + id.slice(-8)}, 'Till')`);
  return id;
}

const sessionRows = async (tenant = t) =>
  Number((await query<{ n: string }>(s, tenant, sql`SELECT (SELECT count(*) FROM cash_sessions) + (SELECT count(*) FROM cash_session_entries) AS n`))[0]!.n);

describe('cash-drawer sessions', () => {
  it('opens with a counted float by denomination, and refuses a second open session on the terminal', async () => {
    const term = await terminal();
    const r = await owner.post('/api/v1/cash-sessions', { terminal_id: term, opening_count: { '100000': 3, '50000': 2, '1000': 5 } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ status: 'OPEN', opening_float: 405_000, expected_cash: 405_000, session_number: 1 });
    const before = await sessionRows();
    const again = await owner.post('/api/v1/cash-sessions', { terminal_id: term, opening_float: 100 });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('CASH_SESSION_ALREADY_OPEN');
    expect(await sessionRows()).toBe(before);
    const mismatch = await owner.post('/api/v1/cash-sessions', { terminal_id: await terminal(), opening_float: 1, opening_count: { '1000': 1 } });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.details.fields[0].field).toBe('opening_float');
  });

  it('feeds cash sales net of change, voided payments and cash refunds into the expected cash; X report per tender', async () => {
    const term = await terminal();
    const session = await openSession(owner, term, 200_000);
    const sale = await cashSale(owner, term, latte.variantId, 50_000); // 30,000 due, 20,000 change
    await cashSale(owner, term, latte.variantId, 60_000, 2);
    const card = await owner.post('/api/v1/checkout', { terminal_id: term, items: [{ variant_id: latte.variantId, quantity: 1 }], tenders: [{ tender_type: 'CARD', amount: 30_000 }] });
    expect(card.status).toBe(201);
    // An interactive order whose cash payment is voided: in, then out again.
    const o = await owner.post('/api/v1/orders', { terminal_id: term, items: [{ variant_id: latte.variantId, quantity: 1 }] });
    await owner.post(`/api/v1/orders/${o.body.id}/finalize`, {});
    const pay = await owner.post(`/api/v1/orders/${o.body.id}/payments`, { tender_type: 'CASH', amount: 30_000 });
    expect(pay.status).toBeLessThan(300);
    const paymentId = pay.body.payment?.id ?? pay.body.payments?.[0]?.id;
    const v = await owner.post(`/api/v1/orders/${o.body.id}/payments/${paymentId}/void`, {});
    expect(v.status).toBe(200);
    const refund = await owner.post(`/api/v1/orders/${sale.id}/refunds`, { reason: 'cold', amount: 10_000, terminal_id: term });
    expect(refund.status).toBeLessThan(300);

    const got = await owner.get(`/api/v1/cash-sessions/${session.id}`);
    expect(got.body.expected_cash).toBe(200_000 + 30_000 + 60_000 - 10_000);
    const x = await owner.get(`/api/v1/cash-sessions/${session.id}/report`);
    expect(x.status).toBe(200);
    expect(x.body).toMatchObject({ kind: 'X', expected_cash: 280_000, sales: { count: 3, total: 120_000 }, refunds: { count: 1, amount: 10_000 } });
    const cash = x.body.tenders.find((r: { tender_type: string }) => r.tender_type === 'CASH');
    expect(cash).toMatchObject({ payments: 3, taken: 120_000, voided: 30_000, refunded: 10_000, net: 80_000, change_given: 20_000 });
    expect(x.body.expected).toEqual([{ tender_type: 'CASH', amount: 280_000 }, { tender_type: 'CARD', amount: 30_000 }]);
  });

  it('records pay-ins and pay-outs with reasons; a pay-out beyond the drawer needs a manager override and is flagged', async () => {
    const term = await terminal();
    const cashier = await staffMember(s, t, owner, 'cashier');
    const manager = await staffMember(s, t, owner, 'manager');
    const session = await openSession(cashier.api, term, 100_000);
    expect((await cashier.api.post(`/api/v1/cash-sessions/${session.id}/movements`, { kind: 'PAY_IN', amount: 50_000, reason: 'change from bank' })).status).toBe(201);
    const noReason = await cashier.api.post(`/api/v1/cash-sessions/${session.id}/movements`, { kind: 'PAY_OUT', amount: 5_000 });
    expect(noReason.status).toBe(400);
    const before = await sessionRows();
    const tooMuch = await cashier.api.post(`/api/v1/cash-sessions/${session.id}/movements`, { kind: 'PAY_OUT', amount: 200_000, reason: 'supplier' });
    expect(tooMuch.status).toBe(409);
    expect(tooMuch.body.error.code).toBe('CASH_PAYOUT_EXCEEDS_DRAWER');
    expect(await sessionRows()).toBe(before);

    // The manager lends pos:session:reconcile for one request by PIN.
    expect((await owner.put(`/api/v1/staff/${manager.id}/pin`, { pin: '4321' })).status).toBe(200);
    const o = await cashier.api.post('/api/v1/staff/overrides', { staff_member_id: manager.id, pin: '4321', permission: 'pos:session:reconcile', action: 'pay supplier' });
    expect(o.status).toBe(201);
    const paid = await cashier.api.post(`/api/v1/cash-sessions/${session.id}/movements`, { kind: 'PAY_OUT', amount: 200_000, reason: 'supplier' }, { 'x-manager-override': o.body.override_token });
    expect(paid.status).toBe(201);
    expect(paid.body.entry).toMatchObject({ kind: 'PAY_OUT', amount: -200_000, flagged: true });
    expect(paid.body.session.expected_cash).toBe(-50_000);
    // Once only.
    const reused = await cashier.api.post(`/api/v1/cash-sessions/${session.id}/movements`, { kind: 'PAY_OUT', amount: 1, reason: 'again' }, { 'x-manager-override': o.body.override_token });
    expect(reused.status).toBe(403);
    expect(reused.body.error.code).toBe('STAFF_OVERRIDE_INVALID');
    // A cashier may not open the drawer without a sale; with an override for it, once.
    const noSale = await cashier.api.post(`/api/v1/cash-sessions/${session.id}/movements`, { kind: 'NO_SALE', reason: 'customer change' });
    expect(noSale.status).toBe(403);
    const o2 = await cashier.api.post('/api/v1/staff/overrides', { staff_member_id: manager.id, pin: '4321', permission: 'pos:session:no_sale', action: 'drawer' });
    expect((await cashier.api.post(`/api/v1/cash-sessions/${session.id}/movements`, { kind: 'NO_SALE', reason: 'customer change' }, { 'x-manager-override': o2.body.override_token })).status).toBe(201);
    const x = await owner.get(`/api/v1/cash-sessions/${session.id}/report`);
    expect(x.body.cash_movements).toEqual({ pay_in: { count: 1, amount: 50_000 }, pay_out: { count: 1, amount: 200_000, flagged: 1 }, no_sale: { count: 1 } });
  });

  it('closes with a variance recorded as a shortage; above the threshold a cashier’s close waits for a manager', async () => {
    expect((await owner.put('/api/v1/register-settings', { variance_approval_threshold: 5_000 })).status).toBe(200);
    const term = await terminal();
    const cashier = await staffMember(s, t, owner, 'cashier');
    const other = await staffMember(s, t, owner, 'cashier', 'other');
    const session = await openSession(cashier.api, term, 100_000);
    await cashSale(cashier.api, term, latte.variantId, 30_000);
    const before = await sessionRows();
    const notMine = await other.api.post(`/api/v1/cash-sessions/${session.id}/close`, { counted_cash: 130_000 });
    expect(notMine.status).toBe(403);
    expect(notMine.body.error.code).toBe('CASH_SESSION_NOT_YOURS');
    expect(await sessionRows()).toBe(before);

    const closed = await cashier.api.post(`/api/v1/cash-sessions/${session.id}/close`, { closing_count: { '50000': 2, '10000': 2 } });
    expect(closed.status).toBe(200);
    expect(closed.body.session).toMatchObject({ status: 'RECONCILING', counted_cash: 120_000, variance: -10_000, variance_kind: 'SHORTAGE', needs_review: true });
    expect(closed.body.report).toMatchObject({ kind: 'Z', expected_cash: 130_000, counted_cash: 120_000, variance: -10_000, sales: { count: 1, total: 30_000 } });
    // Sales after the close find no open session; the Z report does not move.
    await cashSale(cashier.api, term, latte.variantId, 30_000);
    expect((await owner.get(`/api/v1/cash-sessions/${session.id}/report`)).body).toMatchObject({ kind: 'Z', sales: { count: 1 }, expected_cash: 130_000 });
    const events = await query<{ type: string }>(s, t, sql`SELECT type FROM outbox_events WHERE aggregate_id = ${session.id} ORDER BY id`);
    expect(events.map((e) => e.type)).toEqual(['cash_session.opened', 'cash_session.closed', 'cash_session.variance_detected']);

    expect((await cashier.api.post(`/api/v1/cash-sessions/${session.id}/approve`, {})).status).toBe(403);
    const ok = await owner.post(`/api/v1/cash-sessions/${session.id}/approve`, { note: 'counted again: short' });
    expect(ok.body).toMatchObject({ status: 'CLOSED', variance: -10_000, approved_by: t.ownerMembershipId });
    // Handover: the next session takes the counted cash as its float.
    const next = await openSession(other.api, term, undefined as unknown as number, { opening_float: undefined, handover_from: session.id });
    expect(next).toMatchObject({ opening_float: 120_000, expected_cash: 120_000, handover_from: session.id, session_number: 2 });
    const twice = await owner.post('/api/v1/cash-sessions', { terminal_id: await terminal(), handover_from: session.id });
    expect(twice.body.error.code).toBe('HANDOVER_INVALID');
  });

  it('blind sessions hide the expected cash from the cashier, not from a manager', async () => {
    const term = await terminal();
    const cashier = await staffMember(s, t, owner, 'cashier');
    const session = await openSession(cashier.api, term, 100_000, { blind: true });
    expect(session.expected_cash).toBeNull();
    const closed = await cashier.api.post(`/api/v1/cash-sessions/${session.id}/close`, { counted_cash: 100_000 });
    expect(closed.body.session.variance).toBeNull();
    expect(closed.body.report.expected_cash).toBeNull();
    expect((await owner.get(`/api/v1/cash-sessions/${session.id}`)).body).toMatchObject({ expected_cash: 100_000, variance: 0 });
  });

  it('refuses sales on a terminal without an open session when the tenant requires one, naming the terminal; nothing is written', async () => {
    const t2 = await createTenant(s.app);
    const api = as(s, t2);
    const p = await pricedProduct(api, 10_000);
    expect((await api.put('/api/v1/register-settings', { require_open_session: true })).body.require_open_session).toBe(true);
    const before = await salesRows(s, t2);
    const r = await api.post('/api/v1/checkout', { terminal_id: t2.terminalId, items: [{ variant_id: p.variantId, quantity: 1 }], tenders: [{ tender_type: 'CASH', amount: 10_000 }] });
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'CASH_SESSION_REQUIRED', details: { terminal_id: t2.terminalId } });
    expect(await salesRows(s, t2)).toEqual(before);
    await openSession(api, t2.terminalId, 0);
    expect((await api.post('/api/v1/checkout', { terminal_id: t2.terminalId, items: [{ variant_id: p.variantId, quantity: 1 }], tenders: [{ tender_type: 'CASH', amount: 10_000 }] })).status).toBe(201);
    // Orders without a terminal are not register sales.
    expect((await api.post('/api/v1/checkout', { items: [{ variant_id: p.variantId, quantity: 1 }], tenders: [{ tender_type: 'CASH', amount: 10_000 }] })).status).toBe(201);
  });

  it('auto-closes sessions left open past the business-day cut-off, flagged for review', async () => {
    const term = await terminal();
    const session = await openSession(owner, term, 70_000);
    await query(s, t, sql`UPDATE cash_sessions SET opened_at = now() - interval '2 days' WHERE id = ${session.id}`);
    expect(await autoCloseStaleSessions(s.app.database)).toBeGreaterThanOrEqual(1);
    const got = await owner.get(`/api/v1/cash-sessions/${session.id}`);
    expect(got.body).toMatchObject({ status: 'CLOSED', auto_closed: true, needs_review: true, counted_cash: 70_000, variance: 0 });
    const review = await owner.get(`/api/v1/cash-sessions?needs_review=true&terminal_id=${term}`);
    expect(review.body.items.map((x: { id: string }) => x.id)).toEqual([session.id]);
  });

  it('a close racing cash sales: the Z report holds exactly the sales committed before it, each sale whole or not at all', async () => {
    const term = await terminal();
    const session = await openSession(owner, term, 10_000);
    const sales = Array.from({ length: 16 }, (_, i) => owner.post('/api/v1/checkout', { terminal_id: term, items: [{ variant_id: latte.variantId, quantity: 1 }], tenders: [{ tender_type: 'CASH', amount: 30_000 + i }] }));
    const close = new Promise((r) => setTimeout(r, 15)).then(() => owner.post(`/api/v1/cash-sessions/${session.id}/close`, { counted_cash: 0 }));
    const [closed, ...done] = await Promise.all([close, ...sales]);
    expect(done.every((d) => d.status === 201)).toBe(true);
    expect(closed.status).toBe(200);
    const inSession = await query<{ order_id: string; kinds: string[] }>(s, t, sql`
      SELECT order_id, array_agg(kind ORDER BY kind) AS kinds FROM cash_session_entries WHERE session_id = ${session.id} AND order_id IS NOT NULL GROUP BY order_id`);
    for (const e of inSession) expect(e.kinds).toEqual(['PAYMENT', 'SALE']);
    const z = closed.body.report;
    expect(z.sales.count).toBe(inSession.length);
    expect(z.expected_cash).toBe(10_000 + 30_000 * inSession.length);
    expect((await owner.get(`/api/v1/cash-sessions/${session.id}/report`)).body).toEqual(z);
    const elsewhere = await query<{ n: string }>(s, t, sql`
      SELECT count(*) AS n FROM orders o WHERE o.terminal_id = ${term} AND NOT EXISTS (SELECT 1 FROM cash_session_entries e WHERE e.order_id = o.id)`);
    expect(Number(elsewhere[0]!.n) + inSession.length).toBe(16);
  });
});
