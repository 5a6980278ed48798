import { status } from '@grpc/grpc-js';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/platform/ids.js';
import { ok, rpc, startTestGrpcServer, type TestGrpcServer } from '../support/grpc.js';
import { createTenant, type TestTenant } from '../support/server.js';

let s: TestGrpcServer;
let a: TestTenant;
let b: TestTenant;

beforeAll(async () => {
  s = await startTestGrpcServer();
  [a, b] = [await createTenant(s.app), await createTenant(s.app)];
});
afterAll(() => s.stop());

describe('StaffService cash drawers and PINs over gRPC', () => {
  it('opens by denomination, moves cash, reports X, closes into a Z report with a variance, as REST does', async () => {
    const staff = s.client('StaffService');
    const open = await ok(rpc(staff, 'OpenCashDrawer', { terminal_id: a.terminalId, opening_count: { '50000': '2' } }, a.devHeaders));
    expect(open.cash_drawer).toMatchObject({ status: 'OPEN', opening_float: '100000', expected_cash: '100000', opening_count: { '50000': '2' } });
    const id = open.cash_drawer.id;
    const again = await rpc(staff, 'OpenCashDrawer', { terminal_id: a.terminalId, opening_float: '1' }, a.devHeaders);
    expect(again.ok || [again.code, again.details?.errorInfo?.reason]).toEqual([status.ALREADY_EXISTS, 'CASH_SESSION_ALREADY_OPEN']);
    const move = await ok(rpc(staff, 'AddCashMovement', { cash_drawer_id: id, kind: 'PAY_OUT', amount: '25000', reason: 'ice' }, a.devHeaders));
    expect(move.entry).toMatchObject({ kind: 'PAY_OUT', amount: '-25000', reason: 'ice' });
    const bad = await rpc(staff, 'AddCashMovement', { cash_drawer_id: id, kind: 'PAY_IN', reason: 'x' }, a.devHeaders);
    expect(bad.ok || bad.code).toBe(status.INVALID_ARGUMENT);
    const x = await ok(rpc(staff, 'GetCashDrawerReport', { id }, a.devHeaders));
    expect(x.report).toMatchObject({ kind: 'X', expected_cash: '75000', cash_movements: { pay_out: { count: 1, amount: '25000' } } });
    const closed = await ok(rpc(staff, 'CloseCashDrawer', { cash_drawer_id: id, counted_cash: '80000', idempotency_key: 'close-1' }, a.devHeaders));
    expect(closed.cash_drawer).toMatchObject({ status: 'CLOSED', variance: '5000', variance_kind: 'OVERAGE' });
    expect(closed.report).toMatchObject({ kind: 'Z', expected_cash: '75000', counted_cash: '80000', variance: '5000' });
    const replay = await ok(rpc(staff, 'CloseCashDrawer', { cash_drawer_id: id, counted_cash: '80000', idempotency_key: 'close-1' }, a.devHeaders));
    expect(replay).toEqual(closed);
    const z = await ok(rpc(staff, 'GetCashDrawerReport', { id }, a.devHeaders));
    expect(z.report).toEqual(closed.report);
    const list = await ok(rpc(staff, 'ListCashDrawers', { terminal_id: a.terminalId }, a.devHeaders));
    expect(list.cash_drawers.map((d: { id: string }) => d.id)).toEqual([id]);
  });

  it('refuses another tenant’s drawer on every cash-drawer RPC and changes nothing', async () => {
    const staff = s.client('StaffService');
    const terminal = uuidv7();
    await s.app.database.transaction(a.tenantId, (db) => db.execute(sql`INSERT INTO terminals (tenant_id, id, outlet_id, code, name) VALUES (${a.tenantId}, ${terminal}, ${a.outletId}, ${'ISO-' + terminal.slice(-6)}, 'Iso')`));
    const open = await ok(rpc(staff, 'OpenCashDrawer', { terminal_id: terminal, opening_float: '1000' }, a.devHeaders));
    const id = open.cash_drawer.id;
    for (const [m, req] of [
      ['CloseCashDrawer', { cash_drawer_id: id, counted_cash: '0' }],
      ['AddCashMovement', { cash_drawer_id: id, kind: 'PAY_IN', amount: '5', reason: 'x' }],
      ['ApproveCashDrawer', { cash_drawer_id: id }],
      ['GetCashDrawerReport', { id }],
    ] as const) {
      const r = await rpc(staff, m, req, b.devHeaders);
      expect(r.ok || r.code, m).toBe(status.NOT_FOUND);
    }
    const opening = await rpc(staff, 'OpenCashDrawer', { terminal_id: terminal, opening_float: '1' }, b.devHeaders);
    expect(opening.ok || opening.code).toBe(status.NOT_FOUND);
    expect((await ok(rpc(staff, 'GetCashDrawer', { id }, a.devHeaders))).cash_drawer).toEqual(open.cash_drawer);
  });

  it('sets a PIN, counts a wrong one, switches the cashier and lends a permission by override, through metadata', async () => {
    const staff = s.client('StaffService');
    const roles = await ok(rpc(staff, 'ListRoles', {}, a.devHeaders));
    const cashierRole = roles.roles.find((r: { key: string }) => r.key === 'cashier');
    const managerRole = roles.roles.find((r: { key: string }) => r.key === 'manager');
    const cashier = (await ok(rpc(staff, 'CreateStaffMember', { user_id: uuidv7(), role_id: cashierRole.id, display_name: 'Budi' }, a.devHeaders))).staff_member;
    const manager = (await ok(rpc(staff, 'CreateStaffMember', { user_id: uuidv7(), role_id: managerRole.id, display_name: 'Mira' }, a.devHeaders))).staff_member;
    expect((await ok(rpc(staff, 'SetStaffPin', { staff_member_id: cashier.id, pin: '1470' }, a.devHeaders))).staff_profile.has_pin).toBe(true);
    await ok(rpc(staff, 'SetStaffPin', { staff_member_id: manager.id, pin: '2580' }, a.devHeaders));
    const wrong = await rpc(staff, 'SwitchStaff', { staff_member_id: cashier.id, pin: '0000' }, a.devHeaders);
    expect(wrong.ok || [wrong.code, wrong.details?.errorInfo?.reason]).toEqual([status.UNAUTHENTICATED, 'STAFF_PIN_INCORRECT']);
    const sw = await ok(rpc(staff, 'SwitchStaff', { staff_member_id: cashier.id, pin: '1470' }, { 'x-api-key': a.apiKey }));
    const asBudi = { 'x-api-key': a.apiKey, 'x-staff-session': sw.staff_session_token };
    const settings = await rpc(staff, 'UpdateRegisterSettings', { auto_close: false }, asBudi);
    expect(settings.ok || settings.code).toBe(status.PERMISSION_DENIED);
    const own = await ok(rpc(staff, 'GetStaffProfile', { id: cashier.id }, asBudi));
    expect(own.staff_profile.display_name).toBe('Budi');
    const denied = await rpc(staff, 'GetStaffProfile', { id: manager.id }, asBudi);
    expect(denied.ok || denied.code).toBe(status.PERMISSION_DENIED);
    const o = await ok(rpc(staff, 'CreateManagerOverride', { staff_member_id: manager.id, pin: '2580', permission: 'pos:staff:read', action: 'look up a colleague' }, asBudi));
    expect(o.approved_by).toBe(manager.id);
    // A call that fails gives the override back.
    const missing = await rpc(staff, 'GetStaffProfile', { id: '00000000-0000-7000-8000-000000000000' }, { ...asBudi, 'x-manager-override': o.override_token });
    expect(missing.ok || missing.code).toBe(status.NOT_FOUND);
    const read = await ok(rpc(staff, 'GetStaffProfile', { id: manager.id }, { ...asBudi, 'x-manager-override': o.override_token }));
    expect(read.staff_profile).toMatchObject({ display_name: 'Mira', has_pin: true });
    const twice = await rpc(staff, 'GetStaffProfile', { id: manager.id }, { ...asBudi, 'x-manager-override': o.override_token });
    expect(twice.ok || twice.details?.errorInfo?.reason).toBe('STAFF_OVERRIDE_INVALID');
  });
});

describe('StaffService shifts over gRPC', () => {
  it('starts, lists and ends a shift', async () => {
    const staff = s.client('StaffService');
    const started = await ok(rpc(staff, 'StartShift', { outlet_id: a.outletId }, a.devHeaders));
    expect(started.shift).toMatchObject({ staff_member_id: a.ownerMembershipId, outlet_id: a.outletId, status: 'OPEN' });
    const again = await rpc(staff, 'StartShift', { outlet_id: a.outletId }, a.devHeaders);
    expect(again.ok || again.details?.errorInfo?.reason).toBe('SHIFT_ALREADY_OPEN');
    const list = await ok(rpc(staff, 'ListShifts', { staff_member_id: a.ownerMembershipId }, a.devHeaders));
    expect(list.shifts.map((x: { id: string }) => x.id)).toContain(started.shift.id);
    const theirs = await rpc(staff, 'EndShift', { shift_id: started.shift.id }, b.devHeaders);
    expect(theirs.ok || theirs.code).toBe(status.NOT_FOUND);
    const ended = await ok(rpc(staff, 'EndShift', { shift_id: started.shift.id }, a.devHeaders));
    expect(ended.shift).toMatchObject({ status: 'CLOSED', auto_clocked_out: false });
    expect(ended.shift.ended_at).toBeDefined();
  });
});

describe('StaffService commissions over gRPC', () => {
  it('lists a staff member’s commission statement with its totals', async () => {
    const staff = s.client('StaffService');
    const r = await ok(rpc(staff, 'ListCommissions', { staff_member_id: a.ownerMembershipId }, a.devHeaders));
    expect(r).toMatchObject({ commissions: [], total: '0', earned: '0', reversed: '0' });
    const theirs = await rpc(staff, 'ListCommissions', { staff_member_id: a.ownerMembershipId }, b.devHeaders);
    expect(theirs.ok || theirs.code).toBe(status.NOT_FOUND);
    const bad = await rpc(staff, 'ListCommissions', { staff_member_id: a.ownerMembershipId, created_from: 'yesterday' }, a.devHeaders);
    expect(bad.ok || bad.code).toBe(status.INVALID_ARGUMENT);
  });
});
