import type { App } from '../app.js';
import { PERMISSIONS } from '../modules/access/index.js';
import type { TxCtx } from '../platform/context.js';

export const DEMO_SLUG = 'demo';
export const DEMO_TENANT_ID = '0190a5a0-0000-7000-8000-00000000de30';
const DEMO_OWNER_USER = '0190a5a0-0000-7000-8000-0000000000a1';
const DEMO_MANAGER_USER = '0190a5a0-0000-7000-8000-0000000000a2';
const DEMO_CASHIER_USER = '0190a5a0-0000-7000-8000-0000000000a3';

export interface DemoSummary {
  tenant_id: string;
  tenant_slug: string;
  outlet_id: string;
  terminal_id: string;
  staff: { name: string; role: string; user_id: string; membership_id: string }[];
  /** Present only when this call created a key: secrets are shown once. */
  api_key?: string;
}

/**
 * The demo merchant: a café (Kopi Senja) in Jakarta with one outlet, a register, an owner, a manager and a
 * cashier, and an API key with every permission. Idempotent: returns undefined if it already exists.
 */
export async function ensureDemoTenant(app: App): Promise<DemoSummary | undefined> {
  const exists = await app.database.query('SELECT 1 FROM tenants WHERE id = $1', [DEMO_TENANT_ID]);
  if (exists.rows.length > 0) return undefined;
  return createDemoTenant(app);
}

export async function createDemoTenant(app: App): Promise<DemoSummary> {
  const p = await app.services.provisionTenant({
    id: DEMO_TENANT_ID,
    slug: DEMO_SLUG,
    name: 'Kopi Senja (demo)',
    business_type: 'fnb',
    currency: 'IDR',
    time_zone: 'Asia/Jakarta',
    prices_include_tax: true,
    owner: { user_id: DEMO_OWNER_USER, display_name: 'Sari Wijaya (owner)', email: 'sari@kopisenja.example' },
    outlet: { code: 'KMG', name: 'Kopi Senja Kemang' },
    terminal: { code: 'KMG-1', name: 'Front counter' },
    api_key: { name: 'Demo integration key' },
  });
  const ctx = { tenantId: p.tenant.id, actor: { kind: 'system' as const, permissions: new Set<string>(PERMISSIONS) }, requestId: 'demo', database: app.database, log: app.log };
  const staff = await app.database.transaction(p.tenant.id, async (db) => {
    const tx: TxCtx = { ...ctx, db };
    const roles = await app.services.access.listRoles(tx, { page_size: 100 });
    const role = (key: string) => roles.items.find((r) => r.key === key)!.id;
    const manager = await app.services.access.createMembership(tx, { user_id: DEMO_MANAGER_USER, role_id: role('manager'), display_name: 'Budi Santoso (manager)' });
    const cashier = await app.services.access.createMembership(tx, { user_id: DEMO_CASHIER_USER, role_id: role('cashier'), display_name: 'Ani Lestari (cashier)' });
    return [
      { name: p.owner!.displayName, role: 'owner', user_id: p.owner!.userId, membership_id: p.owner!.id },
      { name: manager.displayName, role: 'manager', user_id: manager.userId, membership_id: manager.id },
      { name: cashier.displayName, role: 'cashier', user_id: cashier.userId, membership_id: cashier.id },
    ];
  });
  return { tenant_id: p.tenant.id, tenant_slug: p.tenant.slug, outlet_id: p.outlet.id, terminal_id: p.terminal.id, staff, api_key: p.apiKey!.secret };
}

/** `kasir seed --demo` on an existing demo tenant: a fresh API key (the old ones stay valid). */
export async function newDemoApiKey(app: App): Promise<string> {
  const ctx = { tenantId: DEMO_TENANT_ID, actor: { kind: 'system' as const, permissions: new Set<string>(PERMISSIONS) }, requestId: 'demo', database: app.database, log: app.log };
  const { secret } = await app.services.access.createApiKey(ctx, { name: `Demo key ${new Date().toISOString()}`, permissions: [...PERMISSIONS] });
  return secret;
}
