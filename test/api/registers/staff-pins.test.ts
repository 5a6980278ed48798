import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTenant, query, startSalesServer, type Client, type TestServer, type TestTenant } from '../sales/support.js';
import { openSession, staffMember } from './support.js';

let s: TestServer;
let t: TestTenant;
let owner: Client;

beforeAll(async () => {
  s = await startSalesServer();
  t = await createTenant(s.app);
  owner = as(s, t);
  expect((await owner.put('/api/v1/register-settings', { pin_max_failures: 3, pin_lockout_minutes: 10 })).status).toBe(200);
});
afterAll(() => s.stop());

describe('staff PINs', () => {
  it('stores only a scrypt hash, refuses a PIN that is not 4–6 digits, and a cashier changes their own only with the current one', async () => {
    const c = await staffMember(s, t, owner, 'cashier');
    expect((await owner.put(`/api/v1/staff/${c.id}/pin`, { pin: '12a4' })).body.error.details.fields[0].field).toBe('pin');
    expect((await owner.put(`/api/v1/staff/${c.id}/pin`, { pin: '1234567' })).status).toBe(400);
    const set = await owner.put(`/api/v1/staff/${c.id}/pin`, { pin: '2468' });
    expect(set.body).toMatchObject({ staff_member_id: c.id, has_pin: true, role_key: 'cashier' });
    const [row] = await query<{ pin_hash: string }>(s, t, sql`SELECT pin_hash FROM staff_profiles WHERE membership_id = ${c.id}`);
    expect(row!.pin_hash).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(row!.pin_hash).not.toContain('2468');
    expect((await c.api.put(`/api/v1/staff/${c.id}/pin`, { pin: '1357' })).body.error.details.fields[0].field).toBe('current_pin');
    expect((await c.api.put(`/api/v1/staff/${c.id}/pin`, { pin: '1357', current_pin: '2468' })).status).toBe(200);
    const other = await staffMember(s, t, owner, 'cashier');
    expect((await c.api.put(`/api/v1/staff/${other.id}/pin`, { pin: '1111' })).status).toBe(403);
  });

  it('counts wrong PINs toward a lockout, and a locked PIN is refused even when right', async () => {
    const c = await staffMember(s, t, owner, 'cashier');
    await owner.put(`/api/v1/staff/${c.id}/pin`, { pin: '8642' });
    const wrong1 = await owner.post('/api/v1/staff/switch', { staff_member_id: c.id, pin: '0000' });
    expect(wrong1.status).toBe(401);
    expect(wrong1.body.error).toMatchObject({ code: 'STAFF_PIN_INCORRECT', details: { attempts_left: 2 } });
    expect((await owner.post('/api/v1/staff/switch', { staff_member_id: c.id, pin: '0001' }, { 'idempotency-key': 'pin-retry-1' })).body.error.details.attempts_left).toBe(1);
    const locked = await owner.post('/api/v1/staff/switch', { staff_member_id: c.id, pin: '0002' });
    expect(locked.status).toBe(429);
    expect(locked.body.error.code).toBe('STAFF_PIN_LOCKED');
    const right = await owner.post('/api/v1/staff/switch', { staff_member_id: c.id, pin: '8642' });
    expect(right.status).toBe(429);
    expect((await owner.get(`/api/v1/staff/${c.id}/profile`)).body.locked_until).not.toBeNull();
    // A manager resetting the PIN lifts the lockout.
    await owner.put(`/api/v1/staff/${c.id}/pin`, { pin: '8642' });
    expect((await owner.post('/api/v1/staff/switch', { staff_member_id: c.id, pin: '8642' })).status).toBe(201);
  });

  it('switches the cashier of a shared register: requests with the staff session act as that person, within their role', async () => {
    const c = await staffMember(s, t, owner, 'cashier', 'Sari');
    await owner.put(`/api/v1/staff/${c.id}/pin`, { pin: '5555' });
    // The register itself runs on the tenant's API key.
    const register = as(s, t, { 'x-api-key': t.apiKey });
    const sw = await register.post('/api/v1/staff/switch', { staff_member_id: c.id, pin: '5555', outlet_id: t.outletId });
    expect(sw.status).toBe(201);
    expect(sw.body.staff_member.display_name).toBe('Sari');
    expect(sw.body.permissions).toContain('pos:sale:create');
    const asSari = as(s, t, { 'x-api-key': t.apiKey, 'x-staff-session': sw.body.staff_session_token });
    const me = await asSari.get('/api/v1/me');
    expect(me.body).toMatchObject({ actor_kind: 'staff', membership_id: c.id });
    const term = await asSari.post('/api/v1/cash-sessions', { terminal_id: t.terminalId, opening_float: 1000 });
    expect(term.body.opened_by).toBe(c.id);
    expect((await asSari.put('/api/v1/register-settings', { auto_close: false })).status).toBe(403);
    const bogus = await as(s, t, { 'x-api-key': t.apiKey, 'x-staff-session': 'kss_nope' }).get('/api/v1/me');
    expect(bogus.status).toBe(401);
    expect(bogus.body.error.code).toBe('STAFF_SESSION_INVALID');
  });

  it('keeps a person to the outlets they may work at', async () => {
    const c = await staffMember(s, t, owner, 'cashier');
    await owner.put(`/api/v1/staff/${c.id}/pin`, { pin: '7777' });
    const p = await owner.patch(`/api/v1/staff/${c.id}/profile`, { outlet_ids: [t.outletId] });
    expect(p.body.outlet_ids).toEqual([t.outletId]);
    expect((await owner.patch(`/api/v1/staff/${c.id}/profile`, { outlet_ids: ['01900000-0000-7000-8000-000000000000'] })).body.error.details.fields[0].field).toBe('outlet_ids.0');
    const out = await owner.post('/api/v1/outlets', { code: 'OTHER', name: 'Other' });
    const r = await owner.post('/api/v1/staff/switch', { staff_member_id: c.id, pin: '7777', outlet_id: out.body.id });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('STAFF_OUTLET_NOT_ALLOWED');
  });

  it('an override needs the approver to hold the permission, is recorded, and expires', async () => {
    const cashier = await staffMember(s, t, owner, 'cashier');
    const other = await staffMember(s, t, owner, 'cashier');
    const manager = await staffMember(s, t, owner, 'manager');
    await owner.put(`/api/v1/staff/${other.id}/pin`, { pin: '1212' });
    await owner.put(`/api/v1/staff/${manager.id}/pin`, { pin: '3434' });
    const notAllowed = await cashier.api.post('/api/v1/staff/overrides', { staff_member_id: other.id, pin: '1212', permission: 'pos:sale:void', action: 'void' });
    expect(notAllowed.body.error.code).toBe('STAFF_OVERRIDE_NOT_PERMITTED');
    expect((await cashier.api.post('/api/v1/staff/overrides', { staff_member_id: manager.id, pin: '3434', permission: 'pos:nope', action: 'x' })).body.error.details.fields[0].field).toBe('permission');
    const o = await cashier.api.post('/api/v1/staff/overrides', { staff_member_id: manager.id, pin: '3434', permission: 'pos:session:reconcile', action: 'close the drawer of another cashier' });
    const session = await openSession(other.api, await freshTerminal(), 0);
    expect((await cashier.api.post(`/api/v1/cash-sessions/${session.id}/close`, { counted_cash: 0 })).body.error.code).toBe('CASH_SESSION_NOT_YOURS');
    const closed = await cashier.api.post(`/api/v1/cash-sessions/${session.id}/close`, { counted_cash: 0 }, { 'x-manager-override': o.body.override_token });
    expect(closed.status).toBe(200);
    const [tok] = await query<{ used_by: string; membership_id: string; action: string }>(s, t, sql`SELECT used_by, membership_id, action FROM staff_tokens WHERE kind = 'override' AND used_at IS NOT NULL AND membership_id = ${manager.id}`);
    expect(tok).toEqual({ used_by: cashier.id, membership_id: manager.id, action: 'close the drawer of another cashier' });
    const o2 = await cashier.api.post('/api/v1/staff/overrides', { staff_member_id: manager.id, pin: '3434', permission: 'pos:session:reconcile', action: 'late' });
    await query(s, t, sql`UPDATE staff_tokens SET expires_at = now() - interval '1 second' WHERE kind = 'override' AND used_at IS NULL`);
    const late = await as(s, t, { ...t.devHeaders, 'x-manager-override': o2.body.override_token }).get('/api/v1/me');
    expect(late.body.error.code).toBe('STAFF_OVERRIDE_INVALID');
  });

  it('an override used by a request that fails is given back; one that succeeds is used up', async () => {
    const cashier = await staffMember(s, t, owner, 'cashier');
    const other = await staffMember(s, t, owner, 'cashier');
    const manager = await staffMember(s, t, owner, 'manager');
    await owner.put(`/api/v1/staff/${manager.id}/pin`, { pin: '9393' });
    const o = await cashier.api.post('/api/v1/staff/overrides', { staff_member_id: manager.id, pin: '9393', permission: 'pos:session:reconcile', action: 'close another drawer' });
    expect(o.status).toBe(201);
    const session = await openSession(other.api, await freshTerminal(), 0);
    const withOverride = { 'x-manager-override': o.body.override_token };
    const invalid = await cashier.api.post(`/api/v1/cash-sessions/${session.id}/close`, { counted_cash: -5 }, withOverride);
    expect(invalid.status).toBe(400);
    const missing = await cashier.api.post('/api/v1/cash-sessions/00000000-0000-7000-8000-000000000000/close', { counted_cash: 0 }, withOverride);
    expect(missing.status).toBe(404);
    const closed = await cashier.api.post(`/api/v1/cash-sessions/${session.id}/close`, { counted_cash: 0 }, withOverride);
    expect(closed.status).toBe(200);
    const again = await cashier.api.post(`/api/v1/cash-sessions/${session.id}/close`, { counted_cash: 0 }, withOverride);
    expect(again.status).toBe(403);
    expect(again.body.error.code).toBe('STAFF_OVERRIDE_INVALID');
    const events = await query<{ type: string }>(s, t, sql`SELECT type FROM outbox_events WHERE aggregate_id = ${manager.id} AND type LIKE 'staff.override_%' ORDER BY id`);
    expect(events.map((e) => e.type)).toEqual(['staff.override_granted', 'staff.override_used', 'staff.override_released', 'staff.override_used', 'staff.override_released', 'staff.override_used']);
  });
});

async function freshTerminal(): Promise<string> {
  const id = (await import('../../../src/platform/ids.js')).uuidv7();
  await query(s, t, sql`INSERT INTO terminals (tenant_id, id, outlet_id, code, name) VALUES (${t.tenantId}, ${id}, ${t.outletId}, ${'P-' + id.slice(-8)}, 'Till')`);
  return id;
}
