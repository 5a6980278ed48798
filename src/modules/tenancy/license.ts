import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { TxScope } from '../../platform/context.js';
import type { Database } from '../../platform/db.js';
import { rowsOf } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { parseInput } from '../../platform/validation.js';
import { TenancyErrors } from './tenancy.errors.js';

/**
 * Licensing (seed 001): the plan the platform operator sets per tenant — how many outlets, terminals and
 * paired devices it may have, and its feature flags. No plan row, or a NULL limit: unlimited. Creating an
 * outlet or terminal, or pairing a device, past the limit is refused (LICENSE_LIMIT_REACHED).
 */
export type LicensedResource = 'outlets' | 'terminals' | 'devices';

/**
 * The features a plan may grant, each checked where its module is entered:
 * - `multi_outlet`: more than one active outlet (creating or reactivating a second one);
 * - `devices`: pairing devices to terminals (pairing codes and pairing; paired devices keep working);
 * - `cash_sessions`: opening cash-drawer sessions;
 * - `commissions`: creating commission rules (existing rules keep computing).
 * No plan: every feature. A plan set without `features`: every feature; with `features`: exactly those.
 */
export const LICENSE_FEATURES = ['multi_outlet', 'devices', 'cash_sessions', 'commissions'] as const;
export type LicenseFeature = (typeof LICENSE_FEATURES)[number];

export interface LicensePlan {
  plan: string;
  maxOutlets: number | null;
  maxTerminals: number | null;
  maxDevices: number | null;
  features: string[];
  updatedAt: Date | null;
}

const limit = () => z.number().int().min(0).max(100_000).nullable().optional().describe('null or absent: unlimited');
export const licensePlanInput = z.strictObject({
  plan: z.string().trim().min(1).max(60),
  max_outlets: limit(),
  max_terminals: limit(),
  max_devices: limit(),
  features: z.array(z.enum(LICENSE_FEATURES)).max(100).optional().describe(`Absent: all of ${LICENSE_FEATURES.join(', ')}`),
});
export type LicensePlanInput = z.input<typeof licensePlanInput>;

type Row = { plan: string; max_outlets: number | null; max_terminals: number | null; max_devices: number | null; features: string[]; updated_at: string | Date };
const toPlan = (r: Row | undefined): LicensePlan =>
  r
    ? { plan: r.plan, maxOutlets: r.max_outlets, maxTerminals: r.max_terminals, maxDevices: r.max_devices, features: r.features ?? [], updatedAt: new Date(r.updated_at) }
    : { plan: 'unlimited', maxOutlets: null, maxTerminals: null, maxDevices: null, features: [], updatedAt: null };

const counted: Record<LicensedResource, ReturnType<typeof sql>> = {
  outlets: sql`SELECT count(*) FROM outlets WHERE tenant_id = kasir_current_tenant() AND active`,
  terminals: sql`SELECT count(*) FROM terminals WHERE tenant_id = kasir_current_tenant() AND active`,
  devices: sql`SELECT count(*) FROM devices WHERE tenant_id = kasir_current_tenant() AND status = 'ACTIVE'`,
};
const column: Record<LicensedResource, 'max_outlets' | 'max_terminals' | 'max_devices'> = { outlets: 'max_outlets', terminals: 'max_terminals', devices: 'max_devices' };

/**
 * Refuses one more `resource` when the plan's limit is reached. The plan row is locked (FOR UPDATE) so two
 * creations at once cannot both take the last place; a tenant without a plan takes no lock and no count.
 */
export async function assertWithinLicense(tx: TxScope, resource: LicensedResource): Promise<void> {
  const [r] = rowsOf<{ plan: string; features: string[]; max: number | null; used: string | number | null }>(
    await tx.db.execute(sql`
      SELECT plan, features, ${sql.identifier(column[resource])} AS max, (${counted[resource]}) AS used
        FROM license_plans WHERE tenant_id = ${tx.tenantId} FOR UPDATE`),
  );
  if (!r) return;
  if (r.max !== null && Number(r.used) >= r.max) {
    throw new AppError(TenancyErrors.LICENSE_LIMIT_REACHED, { resource, limit: r.max, plan: r.plan }, `The ${r.plan} plan allows ${r.max} ${resource}; ${r.used} are in use. Ask the platform operator for a larger plan`);
  }
  // A second active outlet is the multi_outlet feature; pairing is the devices feature.
  if (resource === 'outlets' && Number(r.used) >= 1) refuseFeature(r, 'multi_outlet');
  if (resource === 'devices') refuseFeature(r, 'devices');
}

function refuseFeature(r: { plan: string; features: string[] | null }, feature: LicenseFeature): void {
  if ((r.features ?? []).includes(feature)) return;
  throw new AppError(TenancyErrors.LICENSE_FEATURE_UNAVAILABLE, { feature, plan: r.plan }, `The ${r.plan} plan does not include the ${feature} feature. Ask the platform operator for a plan with it`);
}

/** Refuses entering a module the tenant's plan does not include (LICENSE_FEATURE_UNAVAILABLE naming it). No plan: allowed. */
export async function assertFeature(tx: TxScope, feature: LicenseFeature): Promise<void> {
  const [r] = rowsOf<{ plan: string; features: string[] }>(await tx.db.execute(sql`SELECT plan, features FROM license_plans WHERE tenant_id = ${tx.tenantId}`));
  if (r) refuseFeature(r, feature);
}

export const licenseRepository = {
  async get(tx: TxScope): Promise<LicensePlan> {
    return toPlan(rowsOf<Row>(await tx.db.execute(sql`SELECT * FROM license_plans WHERE tenant_id = ${tx.tenantId}`))[0]);
  },
};

/** The platform operator's side: read and set a tenant's plan (the routes check the platform key). */
export class LicenseService {
  constructor(private readonly database: Database) {}

  async get(tenantId: string): Promise<LicensePlan> {
    await this.tenantExists(tenantId);
    return this.database.transaction(tenantId, (db) => licenseRepository.get({ db, tenantId }));
  }

  async set(tenantId: string, input: LicensePlanInput): Promise<LicensePlan> {
    const i = parseInput(licensePlanInput, input);
    await this.tenantExists(tenantId);
    return this.database.transaction(tenantId, async (db) => {
      const [r] = rowsOf<Row>(
        await db.execute(sql`
          INSERT INTO license_plans (tenant_id, plan, max_outlets, max_terminals, max_devices, features)
          VALUES (${tenantId}, ${i.plan}, ${i.max_outlets ?? null}, ${i.max_terminals ?? null}, ${i.max_devices ?? null}, ${sql.param(i.features ?? [...LICENSE_FEATURES])}::text[])
          ON CONFLICT (tenant_id) DO UPDATE SET plan = excluded.plan, max_outlets = excluded.max_outlets, max_terminals = excluded.max_terminals,
            max_devices = excluded.max_devices, features = excluded.features, updated_at = now()
          RETURNING *`),
      );
      return toPlan(r);
    });
  }

  private async tenantExists(tenantId: string): Promise<void> {
    const r = await this.database.query('SELECT 1 FROM tenants WHERE id = $1', [tenantId]);
    if (r.rows.length === 0) throw new AppError(TenancyErrors.TENANT_NOT_FOUND, { id: tenantId });
  }
}
