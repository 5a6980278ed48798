import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { autoClockOut } from '../../../src/modules/staff/index.js';
import { as, createTenant, query, startSalesServer, type Client, type TestServer, type TestTenant } from '../sales/support.js';
import { staffMember } from './support.js';

let s: TestServer;
let t: TestTenant;
let owner: Client;

beforeAll(async () => {
  s = await startSalesServer();
  t = await createTenant(s.app);
  owner = as(s, t);
});
afterAll(() => s.stop());

describe('shifts and timecards', () => {
  it('clock in once at a time, take a break, clock out; hours per day leave the break out', async () => {
    const c = await staffMember(s, t, owner, 'cashier');
    const shift = await c.api.post('/api/v1/shifts', { outlet_id: t.outletId, terminal_id: t.terminalId });
    expect(shift.status).toBe(201);
    expect(shift.body).toMatchObject({ staff_member_id: c.id, status: 'OPEN', ended_at: null });
    const twice = await c.api.post('/api/v1/shifts', { outlet_id: t.outletId });
    expect(twice.body.error.code).toBe('SHIFT_ALREADY_OPEN');
    expect((await c.api.post(`/api/v1/shifts/${shift.body.id}/breaks/end`, {})).body.error.code).toBe('SHIFT_NOT_ON_BREAK');
    expect((await c.api.post(`/api/v1/shifts/${shift.body.id}/breaks/start`, {})).body.on_break_since).not.toBeNull();
    expect((await c.api.post(`/api/v1/shifts/${shift.body.id}/breaks/start`, {})).body.error.code).toBe('SHIFT_ON_BREAK');
    // Make the times tell a story: in 8 h ago, a 30 min break 4 h ago.
    await query(s, t, sql`UPDATE shifts SET clock_in_at = now() - interval '8 hours' WHERE id = ${shift.body.id}`);
    await query(s, t, sql`UPDATE shift_breaks SET started_at = now() - interval '4 hours' WHERE shift_id = ${shift.body.id}`);
    await query(s, t, sql`UPDATE shift_breaks SET ended_at = started_at + interval '30 minutes' WHERE shift_id = ${shift.body.id}`);
    const out = await c.api.post(`/api/v1/shifts/${shift.body.id}/clock-out`, { note: 'bye' });
    expect(out.body).toMatchObject({ status: 'CLOSED', break_seconds: 1800, note: 'bye' });
    expect(out.body.worked_seconds).toBeGreaterThanOrEqual(7.5 * 3600 - 5);
    expect(out.body.worked_seconds).toBeLessThanOrEqual(7.5 * 3600 + 5);
    expect((await c.api.post(`/api/v1/shifts/${shift.body.id}/clock-out`, {})).body.error.code).toBe('SHIFT_NOT_OPEN');
    const day = shift.body.business_date;
    const hours = await owner.get(`/api/v1/timecards?from=${day}&to=${day}&staff_member_id=${c.id}`);
    expect(hours.body.items).toEqual([expect.objectContaining({ staff_member_id: c.id, business_date: day, shifts: 1, break_seconds: 1800, hours: 7.5 })]);
    // A cashier sees their own, not others'.
    const other = await staffMember(s, t, owner, 'cashier');
    expect((await other.api.get(`/api/v1/shifts/${shift.body.id}`)).status).toBe(404);
    expect((await other.api.post('/api/v1/shifts', { staff_member_id: c.id, outlet_id: t.outletId })).status).toBe(403);
  });

  it('clocks out shifts left open past the business-day cut-off at the cut-off, flagged', async () => {
    const c = await staffMember(s, t, owner, 'cashier');
    const shift = await owner.post('/api/v1/shifts', { staff_member_id: c.id, outlet_id: t.outletId });
    await query(s, t, sql`UPDATE shifts SET clock_in_at = now() - interval '3 days', business_date = business_date - 3 WHERE id = ${shift.body.id}`);
    expect(await autoClockOut(s.app.database)).toBeGreaterThanOrEqual(1);
    const got = await owner.get(`/api/v1/shifts/${shift.body.id}`);
    expect(got.body).toMatchObject({ status: 'CLOSED', auto_clocked_out: true, needs_review: true });
    const [cut] = await query<{ ok: boolean }>(s, t, sql`
      SELECT s.clock_out_at = (((s.business_date + 1)::timestamp + make_interval(mins => o.business_day_cutoff_minutes)) AT TIME ZONE o.time_zone) AS ok
        FROM shifts s JOIN outlets o ON o.tenant_id = s.tenant_id AND o.id = s.outlet_id WHERE s.id = ${shift.body.id}`);
    expect(cut!.ok).toBe(true);
  });
});
