/**
 * Every permission string Kasir checks. Seed 004's POS permissions, plus catalog, inventory, customer,
 * promotion, report, staff and settings permissions. Roles bundle these; API keys carry a subset.
 */
export const PERMISSIONS = [
  // seed 004
  'pos:terminal:create',
  'pos:terminal:read',
  'pos:terminal:update',
  'pos:terminal:delete',
  'pos:session:open',
  'pos:session:close',
  'pos:session:read',
  'pos:session:reconcile',
  'pos:session:no_sale',
  'pos:sale:create',
  'pos:sale:read',
  'pos:sale:void',
  'pos:sale:discount',
  // A manual discount above the role's limit (promotions' discount_limits): managers, or a manager override.
  'pos:sale:discount:override',
  'pos:refund:create',
  'pos:refund:read',
  'pos:report:read',
  // catalog, inventory, customers, promotions
  'pos:catalog:read',
  'pos:catalog:write',
  'pos:inventory:read',
  'pos:inventory:write',
  'pos:purchase:write',
  'pos:customer:read',
  'pos:customer:write',
  'pos:loyalty:adjust',
  'pos:promotion:read',
  'pos:promotion:write',
  // people, settings, integrations
  'pos:staff:read',
  'pos:staff:write',
  'pos:settings:read',
  'pos:settings:write',
  'pos:apikey:manage',
  'pos:device:manage',
  'pos:webhook:manage',
  'pos:integration:manage',
  'pos:payment:read',
  'pos:payment:write',
] as const;

export type Permission = (typeof PERMISSIONS)[number];
const known = new Set<string>(PERMISSIONS);
export const isPermission = (p: string): p is Permission => known.has(p);

const all = [...PERMISSIONS];
const without = (...drop: Permission[]) => all.filter((p) => !drop.includes(p));

/** The roles every tenant starts with (seed 002: admin level 100, officer level 10). */
export const SYSTEM_ROLES: { key: string; name: string; level: number; permissions: Permission[] }[] = [
  { key: 'owner', name: 'Owner', level: 100, permissions: all },
  { key: 'admin', name: 'Admin', level: 100, permissions: without('pos:apikey:manage') },
  {
    key: 'manager',
    name: 'Manager',
    level: 50,
    permissions: without('pos:apikey:manage', 'pos:settings:write', 'pos:staff:write', 'pos:integration:manage', 'pos:webhook:manage', 'pos:terminal:delete'),
  },
  {
    key: 'cashier',
    name: 'Cashier (officer)',
    level: 10,
    permissions: [
      'pos:terminal:read',
      'pos:session:open',
      'pos:session:close',
      'pos:session:read',
      'pos:sale:create',
      'pos:sale:read',
      'pos:refund:read',
      'pos:catalog:read',
      'pos:inventory:read',
      'pos:customer:read',
      'pos:customer:write',
      'pos:promotion:read',
      'pos:settings:read',
      'pos:payment:read',
    ],
  },
];
