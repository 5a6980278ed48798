import type { Logger } from 'pino';
import { z } from 'zod';
import { AccessService, PERMISSIONS, type Membership } from '../modules/access/index.js';
import { outletRepository, TenantService, type Outlet, type Tenant, type Terminal, createTenantInput } from '../modules/tenancy/index.js';
import type { Actor, TxCtx } from '../platform/context.js';
import type { Database } from '../platform/db.js';
import { uuidv7 } from '../platform/ids.js';
import { codeField, nameField, parseInput, uuidField } from '../platform/validation.js';

export const provisionTenantInput = createTenantInput.extend({
  owner: z
    .strictObject({
      user_id: uuidField(),
      membership_id: uuidField().optional(),
      display_name: nameField(),
      email: z.email('must be an e-mail address').optional(),
    })
    .optional()
    .describe('The first staff member, with the owner role'),
  outlet: z
    .strictObject({ id: uuidField().optional(), code: codeField(), name: nameField() })
    .optional()
    .describe('The first outlet; defaults to MAIN / Main outlet'),
  terminal: z.strictObject({ id: uuidField().optional(), code: codeField(), name: nameField() }).optional().describe('The first register; defaults to REG-1'),
  api_key: z.strictObject({ name: nameField(100) }).optional().describe('Also create an API key with every permission (shown once)'),
});
export type ProvisionTenantInput = z.input<typeof provisionTenantInput>;

export interface ProvisionedTenant {
  tenant: Tenant;
  outlet: Outlet;
  terminal: Terminal;
  owner: Membership | undefined;
  apiKey: { id: string; secret: string } | undefined;
}

const SYSTEM_ACTOR: Actor = { kind: 'system', permissions: new Set(PERMISSIONS) };

/**
 * A new merchant in one transaction: the tenant, its system roles, a default outlet and register, the owner
 * membership and optionally an API key. Runs inside the new tenant's own row-level-security scope.
 */
export async function provisionTenant(
  deps: { database: Database; tenants: TenantService; access: AccessService; log: Logger },
  input: ProvisionTenantInput,
): Promise<ProvisionedTenant> {
  const i = parseInput(provisionTenantInput, input);
  const tenantId = deps.tenants.newTenantId(i);
  return deps.database.transaction(tenantId, async (db) => {
    const tx: TxCtx = { tenantId, actor: SYSTEM_ACTOR, requestId: 'provision', database: deps.database, log: deps.log, db };
    const { owner: ownerIn, outlet: outletIn, terminal: terminalIn, api_key: apiKeyIn, ...tenantIn } = i;
    const tenant = await deps.tenants.insert(tx, tenantIn);
    const roles = await deps.access.seedSystemRoles(tx);
    const outlet = await outletRepository.insert(tx, {
      id: outletIn?.id ?? uuidv7(),
      code: outletIn?.code ?? 'MAIN',
      name: outletIn?.name ?? 'Main outlet',
      timeZone: tenant.timeZone,
      businessDayCutoffMinutes: 0,
      active: true,
    });
    const terminal = await outletRepository.insertTerminal(tx, {
      id: terminalIn?.id ?? uuidv7(),
      outletId: outlet.id,
      code: terminalIn?.code ?? 'REG-1',
      name: terminalIn?.name ?? 'Register 1',
      active: true,
    });
    const owner = ownerIn
      ? await deps.access.createMembership(
          tx,
          { user_id: ownerIn.user_id, role_id: roles.get('owner')!.id, display_name: ownerIn.display_name, email: ownerIn.email },
          ownerIn.membership_id ?? uuidv7(),
        )
      : undefined;
    const key = apiKeyIn ? await deps.access.insertApiKey(tx, apiKeyIn.name, [...PERMISSIONS]) : undefined;
    return { tenant, outlet, terminal, owner, apiKey: key && { id: key.apiKey.id, secret: key.secret } };
  });
}

/** The seed's development tenant, user and membership (seed 000 quick start). */
export const DEV_TENANT_ID = '00000000-0000-0000-0000-000000000001';
export const DEV_USER_ID = '00000000-0000-0000-0000-000000000001';
export const DEV_MEMBERSHIP_ID = '00000000-0000-0000-0000-000000000001';

/** Makes sure the development tenant exists (IDR, Asia/Jakarta, one outlet and register, no taxes). */
export async function ensureDevTenant(deps: Parameters<typeof provisionTenant>[0]): Promise<boolean> {
  const exists = await deps.database.query('SELECT 1 FROM tenants WHERE id = $1', [DEV_TENANT_ID]);
  if (exists.rows.length > 0) return false;
  await provisionTenant(deps, {
    id: DEV_TENANT_ID,
    slug: 'dev',
    name: 'Development tenant',
    currency: 'IDR',
    time_zone: 'Asia/Jakarta',
    owner: { user_id: DEV_USER_ID, membership_id: DEV_MEMBERSHIP_ID, display_name: 'Developer' },
    outlet: { id: '00000000-0000-0000-0000-000000000001', code: 'MAIN', name: 'Main outlet' },
    terminal: { id: '00000000-0000-0000-0000-000000000001', code: 'REG-1', name: 'Register 1' },
  }).catch((e) => {
    if ((e as { code?: string }).code === 'TENANT_ALREADY_EXISTS' || (e as { code?: string }).code === 'TENANT_SLUG_TAKEN') return;
    throw e;
  });
  return true;
}
