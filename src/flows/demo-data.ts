import type { App } from '../app.js';
import { PERMISSIONS } from '../modules/access/index.js';
import type { Ctx, TxCtx } from '../platform/context.js';

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
  menu: { products: number; variants: number };
  /** Present only when this call created a key: secrets are shown once. */
  api_key?: string;
}

/**
 * The demo merchant: a café (Kopi Senja) in Jakarta with one outlet, a register, an owner, a manager and a
 * cashier, and an API key with every permission. Idempotent: returns undefined if it already exists.
 */
/** The demo tenant, acted on by the system with every permission. */
const demoCtx = (app: App): Ctx => ({ tenantId: DEMO_TENANT_ID, actor: { kind: 'system', permissions: new Set<string>(PERMISSIONS) }, requestId: 'demo', database: app.database, log: app.log });

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
  const ctx = demoCtx(app);
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
  const menu = await createDemoMenu(app, ctx);
  return { tenant_id: p.tenant.id, tenant_slug: p.tenant.slug, outlet_id: p.outlet.id, terminal_id: p.terminal.id, staff, menu, api_key: p.apiKey!.secret };
}

/** A small café menu (prices in minor units of IDR: 2500000 = Rp 25.000), so a sale can be rung up at once. */
const MENU: { category: string; items: { name: string; sku: string; barcode: string; price: number; variants?: { name: string; price: number }[] }[] }[] = [
  {
    category: 'Coffee',
    items: [
      { name: 'Es Kopi Susu', sku: 'KS-ESKOPI', barcode: '8990001000017', price: 2200000, variants: [{ name: 'Regular', price: 2200000 }, { name: 'Large', price: 2800000 }] },
      { name: 'Americano', sku: 'KS-AMERICANO', barcode: '8990001000024', price: 2500000 },
      { name: 'Iced Latte', sku: 'KS-LATTE', barcode: '8990001000031', price: 3000000 },
    ],
  },
  {
    category: 'Tea',
    items: [
      { name: 'Teh Tarik', sku: 'KS-TEHTARIK', barcode: '8990001000048', price: 1800000 },
      { name: 'Matcha Latte', sku: 'KS-MATCHA', barcode: '8990001000055', price: 3200000 },
    ],
  },
  {
    category: 'Pastry',
    items: [
      { name: 'Croissant', sku: 'KS-CROISSANT', barcode: '8990001000062', price: 2000000 },
      { name: 'Pisang Goreng', sku: 'KS-PISANG', barcode: '8990001000079', price: 1500000 },
    ],
  },
];

async function createDemoMenu(app: App, ctx: Ctx): Promise<{ products: number; variants: number }> {
  let products = 0;
  let variants = 0;
  // PB1, the 10 % Jakarta restaurant tax, included in the menu prices.
  await app.services.pricing.taxes.createRule(ctx, { name: 'PB1', rate_bps: 1000, inclusive: true });
  for (const [i, group] of MENU.entries()) {
    const category = await app.services.catalog.categories.create(ctx, { name: group.category, sort_order: i + 1 });
    for (const item of group.items) {
      const sizes = item.variants ?? [{ name: 'Regular', price: item.price }];
      const product = await app.services.catalog.products.create(ctx, {
        name: item.name,
        sku: item.sku,
        category_id: category.id,
        variants: sizes.map((v, n) => ({ name: v.name, sku: `${item.sku}-${v.name.toUpperCase()}`, ...(n === 0 ? { barcodes: [item.barcode] } : {}) })),
      });
      products += 1;
      for (const [n, v] of product.variants.entries()) {
        await app.services.pricing.prices.setPrice(ctx, { variant_id: v.id, amount: sizes[n]!.price, currency: 'IDR' });
        variants += 1;
      }
    }
  }
  return { products, variants };
}

/** `kasir seed --demo` on an existing demo tenant: a fresh API key (the old ones stay valid). */
export async function newDemoApiKey(app: App): Promise<string> {
  const ctx = demoCtx(app);
  const { secret } = await app.services.access.createApiKey(ctx, { name: `Demo key ${new Date().toISOString()}`, permissions: [...PERMISSIONS] });
  return secret;
}
