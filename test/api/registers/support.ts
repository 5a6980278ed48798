import { uuidv7 } from '../../../src/platform/ids.js';
import { as, type Client, type TestServer, type TestTenant } from '../sales/support.js';

/** A staff member of `t` with the system role `roleKey`, and a client acting as them (dev headers). */
export async function staffMember(s: TestServer, t: TestTenant, owner: Client, roleKey: 'cashier' | 'manager' | 'owner', name: string = roleKey): Promise<{ id: string; api: Client }> {
  const roles = await owner.get('/api/v1/roles?page_size=100');
  const role = roles.body.items.find((r: { key: string }) => r.key === roleKey);
  const userId = uuidv7();
  const m = await owner.post('/api/v1/staff', { user_id: userId, role_id: role.id, display_name: name });
  if (m.status !== 201) throw new Error(`staff: ${m.status} ${JSON.stringify(m.body)}`);
  return { id: m.body.id, api: as(s, t, { 'x-dev-tenant-id': t.tenantId, 'x-dev-user-id': userId, 'x-dev-membership-id': m.body.id }) };
}

/** Opens a session on `terminal` with a float; throws unless 201. */
export async function openSession(api: Client, terminal: string, float = 500_000, extra: Record<string, unknown> = {}): Promise<{ id: string; expected_cash: number }> {
  const r = await api.post('/api/v1/cash-sessions', { terminal_id: terminal, opening_float: float, ...extra });
  if (r.status !== 201) throw new Error(`open: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

/** A cash checkout on `terminal`: `qty` of the variant paid with `tendered` cash. */
export async function cashSale(api: Client, terminal: string, variantId: string, tendered: number, qty = 1) {
  const r = await api.post('/api/v1/checkout', { terminal_id: terminal, items: [{ variant_id: variantId, quantity: qty }], tenders: [{ tender_type: 'CASH', amount: tendered }] });
  if (r.status !== 201 && r.status !== 200) throw new Error(`checkout: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}
