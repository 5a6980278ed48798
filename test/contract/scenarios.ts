import { expect, it } from 'vitest';
import type { App } from '../../src/app.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { createTenant } from '../support/server.js';
import { failure, value, type Driver } from './driver.js';

/**
 * The scenarios, written once. `ctx()` gives the transport's driver and the app behind it (to make tenants);
 * each scenario makes its own tenants, so they share one server and database without interfering.
 */
export function contractScenarios(ctx: () => { d: Driver; app: App }): void {
  it('creates, gets and lists an outlet after the default one', async () => {
    const { d, app } = ctx();
    const t = await createTenant(app);
    const created = value(await d.createOutlet(t.devHeaders, { code: 'KMG', name: 'Kemang', business_day_cutoff: '04:00' }));
    expect(created).toMatchObject({ code: 'KMG', name: 'Kemang', business_day_cutoff: '04:00', time_zone: 'Asia/Jakarta', active: true, city: null });
    expect(value(await d.getOutlet(t.devHeaders, created.id))).toEqual(created);
    const list = value(await d.listOutlets(t.devHeaders));
    expect(list.items.map((o) => o.code)).toEqual(['MAIN', 'KMG']);
    expect(list.next_page_token).toBe('');
  });

  it('updates only the fields it is given', async () => {
    const { d, app } = ctx();
    const t = await createTenant(app);
    const o = value(await d.createOutlet(t.devHeaders, { code: 'UPD', name: 'Before', city: 'Jakarta' }));
    const updated = value(await d.updateOutlet(t.devHeaders, o.id, { name: 'After', active: false }));
    expect(updated).toMatchObject({ id: o.id, code: 'UPD', name: 'After', city: 'Jakarta', active: false });
    expect(value(await d.getOutlet(t.devHeaders, o.id))).toMatchObject({ name: 'After', active: false });
  });

  it('pages outlets with page_size and next_page_token, and refuses a malformed token', async () => {
    const { d, app } = ctx();
    const t = await createTenant(app);
    for (const code of ['P1', 'P2', 'P3']) value(await d.createOutlet(t.devHeaders, { code, name: code }));
    const first = value(await d.listOutlets(t.devHeaders, { page_size: 2 }));
    expect(first.items.map((o) => o.code)).toEqual(['MAIN', 'P1']);
    const second = value(await d.listOutlets(t.devHeaders, { page_size: 2, page_token: first.next_page_token }));
    expect(second.items.map((o) => o.code)).toEqual(['P2', 'P3']);
    expect(second.next_page_token).toBe('');
    const bad = failure(await d.listOutlets(t.devHeaders, { page_token: 'not-a-token' }));
    expect([bad.status, bad.code]).toEqual([d.status('invalid'), 'INVALID_PAGE_TOKEN']);
    const tooBig = failure(await d.listOutlets(t.devHeaders, { page_size: 101 }));
    // Each transport names the field where its request holds it: query.page_size, pagination.page_size.
    expect([tooBig.status, tooBig.fields]).toEqual([d.status('invalid'), [expect.stringMatching(/^\w+\.page_size$/)]]);
  });

  it('refuses a duplicate outlet code as already-exists with OUTLET_CODE_TAKEN, and changes nothing', async () => {
    const { d, app } = ctx();
    const t = await createTenant(app);
    const one = value(await d.createOutlet(t.devHeaders, { code: 'DUP', name: 'One' }));
    const two = failure(await d.createOutlet(t.devHeaders, { code: 'DUP', name: 'Two' }));
    expect([two.status, two.code]).toEqual([d.status('already_exists'), 'OUTLET_CODE_TAKEN']);
    expect(value(await d.getOutlet(t.devHeaders, one.id)).name).toBe('One');
    expect(value(await d.listOutlets(t.devHeaders)).items).toHaveLength(2);
  });

  it('names every invalid field', async () => {
    const { d, app } = ctx();
    const t = await createTenant(app);
    const e = failure(await d.createOutlet(t.devHeaders, { code: 'bad code!', name: 'Fine', time_zone: 'Mars/Olympus', country: 'Indonesia' }));
    expect([e.status, e.code]).toEqual([d.status('invalid'), 'VALIDATION_FAILED']);
    expect(e.fields.sort()).toEqual(['code', 'country', 'time_zone']);
    expect(e.message).toMatch(/time_zone/);
    const o = value(await d.createOutlet(t.devHeaders, { code: 'OK', name: 'Fine' }));
    const u = failure(await d.updateOutlet(t.devHeaders, o.id, { business_day_cutoff: '25:00' }));
    expect([u.status, u.fields]).toEqual([d.status('invalid'), ['business_day_cutoff']]);
  });

  it('shows nothing of another tenant: its outlet is not found, and cannot be changed', async () => {
    const { d, app } = ctx();
    const [a, b] = [await createTenant(app), await createTenant(app)];
    const mine = value(await d.createOutlet(a.devHeaders, { code: 'SECRET', name: 'Secret' }));
    const get = failure(await d.getOutlet(b.devHeaders, mine.id));
    expect([get.status, get.code]).toEqual([d.status('not_found'), 'OUTLET_NOT_FOUND']);
    const patch = failure(await d.updateOutlet(b.devHeaders, mine.id, { name: 'Hijacked' }));
    expect([patch.status, patch.code]).toEqual([d.status('not_found'), 'OUTLET_NOT_FOUND']);
    expect(value(await d.getOutlet(a.devHeaders, mine.id)).name).toBe('Secret');
    expect(value(await d.listOutlets(b.devHeaders)).items.map((o) => o.id)).not.toContain(mine.id);
  });

  it('refuses a call without credentials', async () => {
    const { d } = ctx();
    const e = failure(await d.listOutlets({}));
    expect([e.status, e.code]).toEqual([d.status('unauthenticated'), 'UNAUTHENTICATED']);
  });

  it('changes tenant settings, money settings as integers', async () => {
    const { d, app } = ctx();
    const t = await createTenant(app);
    expect(value(await d.updateTenantSettings(t.devHeaders, { time_zone: 'Asia/Makassar', cash_rounding_unit: 10000 }))).toMatchObject({ time_zone: 'Asia/Makassar', cash_rounding_unit: 10000 });
    expect(value(await d.getTenant(t.devHeaders))).toMatchObject({ id: t.tenantId, currency: 'IDR', cash_rounding_unit: 10000 });
    const bad = failure(await d.updateTenantSettings(t.devHeaders, { currency: 'XXX' }));
    expect([bad.status, bad.fields]).toEqual([d.status('invalid'), ['currency']]);
  });

  it('replays a write repeated with its idempotency key, and refuses the key for another request', async () => {
    const { d, app } = ctx();
    const t = await createTenant(app);
    const key = `contract-${uuidv7()}`;
    const first = value(await d.createOutlet(t.devHeaders, { code: 'ONCE', name: 'Once' }, key));
    expect(value(await d.createOutlet(t.devHeaders, { code: 'ONCE', name: 'Once' }, key))).toEqual(first);
    const other = failure(await d.createOutlet(t.devHeaders, { code: 'TWICE', name: 'Twice' }, key));
    expect([other.status, other.code]).toEqual([d.status('idempotency_mismatch'), 'IDEMPOTENCY_KEY_REUSED']);
    expect(value(await d.listOutlets(t.devHeaders)).items).toHaveLength(2);
  });

  it('adds a staff member with a role, changes it, and refuses the same user twice', async () => {
    const { d, app } = ctx();
    const [t, other] = [await createTenant(app), await createTenant(app)];
    const cashier = value(await d.listRoles(t.devHeaders)).items.find((r) => r.key === 'cashier')!;
    const userId = uuidv7();
    const m = value(await d.createStaffMember(t.devHeaders, { user_id: userId, role_id: cashier.id, display_name: 'Sari', email: 'sari@example.com' }));
    expect(m).toMatchObject({ user_id: userId, role_id: cashier.id, display_name: 'Sari', email: 'sari@example.com', active: true });
    expect(value(await d.getStaffMember(t.devHeaders, m.id))).toEqual(m);
    expect(value(await d.updateStaffMember(t.devHeaders, m.id, { active: false }))).toMatchObject({ active: false, display_name: 'Sari', email: 'sari@example.com' });
    const again = failure(await d.createStaffMember(t.devHeaders, { user_id: userId, role_id: cashier.id, display_name: 'Sari again' }));
    expect([again.status, again.code]).toEqual([d.status('already_exists'), 'MEMBERSHIP_EXISTS']);
    const bad = failure(await d.createStaffMember(t.devHeaders, { user_id: 'nobody', role_id: cashier.id, display_name: 'X', email: 'not-mail' }));
    expect([bad.status, bad.fields.sort()]).toEqual([d.status('invalid'), ['email', 'user_id']]);
    const theirs = failure(await d.getStaffMember(other.devHeaders, m.id));
    expect([theirs.status, theirs.code]).toEqual([d.status('not_found'), 'MEMBERSHIP_NOT_FOUND']);
  });

  it('creates an API key whose secret works until it is revoked', async () => {
    const { d, app } = ctx();
    const t = await createTenant(app);
    const key = value(await d.createApiKey(t.devHeaders, { name: 'Kiosk', permissions: ['pos:settings:read'] }));
    expect(key).toMatchObject({ name: 'Kiosk', permissions: ['pos:settings:read'], revoked_at: null, last4: key.secret.slice(-4) });
    expect(value(await d.listOutlets({ 'x-api-key': key.secret })).items.length).toBeGreaterThan(0);
    const limited = failure(await d.createOutlet({ 'x-api-key': key.secret }, { code: 'NOPE', name: 'Nope' }));
    expect([limited.status, limited.code]).toEqual([d.status('forbidden'), 'PERMISSION_DENIED']);
    const revoked = value(await d.revokeApiKey(t.devHeaders, key.id));
    expect(revoked.revoked_at).not.toBeNull();
    expect(value(await d.getApiKey(t.devHeaders, key.id)).revoked_at).toBe(revoked.revoked_at);
    const refused = failure(await d.listOutlets({ 'x-api-key': key.secret }));
    expect([refused.status, refused.code]).toEqual([d.status('unauthenticated'), 'INVALID_API_KEY']);
  });

  it('will not let a key grant a permission it does not hold', async () => {
    const { d, app } = ctx();
    const t = await createTenant(app);
    const manager = value(await d.createApiKey(t.devHeaders, { name: 'Key admin', permissions: ['pos:apikey:manage'] }));
    const e = failure(await d.createApiKey({ 'x-api-key': manager.secret }, { name: 'Escalate', permissions: ['pos:sale:void'] }));
    expect([e.status, e.code]).toEqual([d.status('forbidden'), 'PERMISSION_ESCALATION']);
  });
}
