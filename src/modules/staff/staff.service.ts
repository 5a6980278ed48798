import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { requirePermission, withTransaction, type Ctx, type TxScope } from '../../platform/context.js';
import { rowsOf } from '../../platform/db.js';
import { AppError, validationError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { recordEvent } from '../../platform/outbox.js';
import { parseInput, uuidField } from '../../platform/validation.js';
import { isPermission } from '../access/index.js';
import { registerSettingsRepository } from '../registers/index.js';
import { hashPin, pinField, verifyPin } from './pin.js';
import { StaffErrors } from './staff.errors.js';

/** How long a PIN switch's staff session and a manager override last. */
export const SWITCH_TTL_MS = 30 * 60_000;
export const OVERRIDE_TTL_MS = 2 * 60_000;

export interface StaffProfile {
  membershipId: string;
  userId: string;
  displayName: string;
  roleId: string;
  roleKey: string;
  active: boolean;
  permissions: string[];
  outletIds: string[];
  hasPin: boolean;
  pinSetAt: Date | null;
  pinFailures: number;
  lockedUntil: Date | null;
}

export const updateProfileInput = z.strictObject({ outlet_ids: z.array(uuidField()).max(500).describe('Outlets the person may work at; empty: every outlet') });
export const setPinInput = z.strictObject({ pin: pinField(), current_pin: pinField().optional().describe('Needed when changing one’s own PIN without pos:staff:write') });
export const switchInput = z.strictObject({ staff_member_id: uuidField(), pin: pinField(), outlet_id: uuidField().optional().describe('Checked against the outlets the person may work at') });
export const overrideInput = z.strictObject({
  staff_member_id: uuidField().describe('The approving manager'),
  pin: pinField(),
  permission: z.string().refine(isPermission, 'must be a known permission such as pos:sale:void'),
  action: z.string().trim().min(1).max(200).describe('What it is for, e.g. "void order 0190…": recorded with the override'),
});

type Row = Record<string, unknown>;
const toProfile = (r: Row): StaffProfile => ({
  membershipId: r.id as string,
  userId: r.user_id as string,
  displayName: r.display_name as string,
  roleId: r.role_id as string,
  roleKey: r.role_key as string,
  active: Boolean(r.active),
  permissions: (r.permissions as string[] | null) ?? [],
  outletIds: (r.outlet_ids as string[] | null) ?? [],
  hasPin: r.pin_hash !== null && r.pin_hash !== undefined,
  pinSetAt: r.pin_set_at ? new Date(r.pin_set_at as string) : null,
  pinFailures: Number(r.pin_failures ?? 0),
  lockedUntil: r.locked_until ? new Date(r.locked_until as string) : null,
});

async function loadProfile(tx: TxScope, membershipId: string): Promise<(StaffProfile & { pinHash: string | null }) | undefined> {
  const [r] = rowsOf<Row>(
    await tx.db.execute(sql`
      SELECT m.id, m.user_id, m.display_name, m.role_id, m.active, r.key AS role_key, r.permissions,
             p.pin_hash, p.pin_set_at, p.pin_failures, p.locked_until, p.outlet_ids
        FROM memberships m JOIN roles r ON r.tenant_id = m.tenant_id AND r.id = m.role_id
        LEFT JOIN staff_profiles p ON p.tenant_id = m.tenant_id AND p.membership_id = m.id
       WHERE m.tenant_id = ${tx.tenantId} AND m.id = ${membershipId}`),
  );
  return r ? { ...toProfile(r), pinHash: (r.pin_hash as string | null) ?? null } : undefined;
}

const newToken = (prefix: string) => `${prefix}_${randomBytes(32).toString('base64url')}`;
export const tokenHash = (token: string): Buffer => createHash('sha256').update(token).digest();

/**
 * Staff profiles beside memberships (outlets, PIN), the PIN switch of cashiers on a shared register, and the
 * manager override by PIN. A wrong PIN is counted even though the request fails: the check reads in one
 * transaction, runs scrypt outside any transaction, and records the outcome in a second one.
 */
export class StaffService {
  async profile(ctx: Ctx, id: string): Promise<StaffProfile> {
    if (ctx.actor.membershipId !== id) requirePermission(ctx, 'pos:staff:read');
    const p = await withTransaction(ctx, (tx) => loadProfile(tx, id));
    if (!p) throw new AppError(StaffErrors.STAFF_MEMBER_NOT_FOUND, { id });
    return p;
  }

  async updateProfile(ctx: Ctx, id: string, input: unknown): Promise<StaffProfile> {
    requirePermission(ctx, 'pos:staff:write');
    const i = parseInput(updateProfileInput, input);
    return withTransaction(ctx, async (tx) => {
      if (!(await loadProfile(tx, id))) throw new AppError(StaffErrors.STAFF_MEMBER_NOT_FOUND, { id });
      const outlets = [...new Set(i.outlet_ids)];
      const known = rowsOf<{ id: string }>(await tx.db.execute(sql`SELECT id FROM outlets WHERE tenant_id = ${tx.tenantId} AND id = any(${sql.param(outlets)}::uuid[])`));
      const missing = outlets.filter((o) => !known.some((k) => k.id === o));
      if (missing.length) throw validationError(missing.map((m) => ({ field: `outlet_ids.${i.outlet_ids.indexOf(m)}`, message: 'no such outlet' })));
      await tx.db.execute(sql`
        INSERT INTO staff_profiles (tenant_id, membership_id, outlet_ids) VALUES (${tx.tenantId}, ${id}, ${sql.param(outlets)}::uuid[])
        ON CONFLICT (tenant_id, membership_id) DO UPDATE SET outlet_ids = excluded.outlet_ids, updated_at = now()`);
      return (await loadProfile(tx, id))!;
    });
  }

  /** Sets a PIN: anyone's with pos:staff:write, one's own with the current PIN (when there is one). */
  async setPin(ctx: Ctx, id: string, input: unknown): Promise<StaffProfile> {
    const i = parseInput(setPinInput, input);
    const self = ctx.actor.membershipId === id;
    if (!self) requirePermission(ctx, 'pos:staff:write');
    const current = await withTransaction(ctx, (tx) => loadProfile(tx, id));
    if (!current) throw new AppError(StaffErrors.STAFF_MEMBER_NOT_FOUND, { id });
    if (self && !ctx.actor.permissions.has('pos:staff:write') && current.pinHash) {
      if (!i.current_pin) throw validationError([{ field: 'current_pin', message: 'needed to change your own PIN' }]);
      await this.checkPin(ctx, id, i.current_pin);
    }
    const hash = await hashPin(i.pin);
    return withTransaction(ctx, async (tx) => {
      await tx.db.execute(sql`
        INSERT INTO staff_profiles (tenant_id, membership_id, pin_hash, pin_set_at) VALUES (${tx.tenantId}, ${id}, ${hash}, now())
        ON CONFLICT (tenant_id, membership_id) DO UPDATE SET pin_hash = excluded.pin_hash, pin_set_at = now(), pin_failures = 0, locked_until = NULL, updated_at = now()`);
      return (await loadProfile(tx, id))!;
    });
  }

  /** PIN switch on a shared register: a short-lived staff session token acting as that staff member. */
  async switchCashier(ctx: Ctx, input: unknown): Promise<{ token: string; expiresAt: Date; profile: StaffProfile }> {
    requirePermission(ctx, 'pos:terminal:read');
    const i = parseInput(switchInput, input);
    const p = await this.checkPin(ctx, i.staff_member_id, i.pin);
    if (i.outlet_id && p.outletIds.length > 0 && !p.outletIds.includes(i.outlet_id)) throw new AppError(StaffErrors.STAFF_OUTLET_NOT_ALLOWED, { field: 'outlet_id', outlet_id: i.outlet_id });
    const token = newToken('kss');
    const expiresAt = new Date(Date.now() + SWITCH_TTL_MS);
    await withTransaction(ctx, (tx) =>
      tx.db.execute(sql`
        INSERT INTO staff_tokens (tenant_id, id, kind, token_hash, membership_id, requested_by, expires_at)
        VALUES (${tx.tenantId}, ${uuidv7()}, 'switch', ${tokenHash(token)}, ${p.membershipId}, ${ctx.actor.membershipId ?? null}, ${expiresAt.toISOString()}::timestamptz)`),
    );
    return { token, expiresAt, profile: p };
  }

  /** A manager lends one permission for one request: a one-time token sent as X-Manager-Override. */
  async override(ctx: Ctx, input: unknown): Promise<{ token: string; expiresAt: Date; permission: string; action: string; approvedBy: StaffProfile }> {
    const i = parseInput(overrideInput, input);
    const p = await this.checkPin(ctx, i.staff_member_id, i.pin);
    if (!p.permissions.includes(i.permission)) throw new AppError(StaffErrors.STAFF_OVERRIDE_NOT_PERMITTED, { field: 'permission', permission: i.permission });
    const token = newToken('kso');
    const expiresAt = new Date(Date.now() + OVERRIDE_TTL_MS);
    await withTransaction(ctx, async (tx) => {
      const id = uuidv7();
      await tx.db.execute(sql`
        INSERT INTO staff_tokens (tenant_id, id, kind, token_hash, membership_id, permission, action, requested_by, expires_at)
        VALUES (${tx.tenantId}, ${id}, 'override', ${tokenHash(token)}, ${p.membershipId}, ${i.permission}, ${i.action}, ${ctx.actor.membershipId ?? null}, ${expiresAt.toISOString()}::timestamptz)`);
      await recordEvent(tx, { type: 'staff.override_granted', aggregateType: 'staff_member', aggregateId: p.membershipId, payload: { override_id: id, approved_by: p.membershipId, permission: i.permission, action: i.action, requested_by: ctx.actor.membershipId ?? null, expires_at: expiresAt.toISOString() } });
    });
    return { token, expiresAt, permission: i.permission, action: i.action, approvedBy: p };
  }

  /** Checks a PIN with lockout; a failure is recorded in its own transaction before the refusal is thrown. */
  private async checkPin(ctx: Ctx, id: string, pin: string): Promise<StaffProfile> {
    const { p, settings } = await withTransaction(ctx, async (tx) => ({ p: await loadProfile(tx, id), settings: await registerSettingsRepository.get(tx) }));
    if (!p) throw new AppError(StaffErrors.STAFF_MEMBER_NOT_FOUND, { field: 'staff_member_id', id });
    if (!p.active) throw new AppError(StaffErrors.STAFF_INACTIVE, { id });
    if (!p.pinHash) throw new AppError(StaffErrors.STAFF_PIN_NOT_SET, { id });
    if (p.lockedUntil && p.lockedUntil > new Date()) throw locked(p.lockedUntil);
    const ok = await verifyPin(pin, p.pinHash);
    const after = await withTransaction(ctx, async (tx) =>
      rowsOf<{ pin_failures: number; locked_until: string | Date | null }>(
        await tx.db.execute(
          ok
            ? sql`UPDATE staff_profiles SET pin_failures = 0, locked_until = NULL WHERE tenant_id = ${tx.tenantId} AND membership_id = ${id} AND pin_failures > 0 RETURNING pin_failures, locked_until`
            : sql`UPDATE staff_profiles
                     SET pin_failures = CASE WHEN pin_failures + 1 >= ${settings.pinMaxFailures} THEN 0 ELSE pin_failures + 1 END,
                         locked_until = CASE WHEN pin_failures + 1 >= ${settings.pinMaxFailures} THEN now() + make_interval(mins => ${settings.pinLockoutMinutes}) ELSE locked_until END,
                         updated_at = now()
                   WHERE tenant_id = ${tx.tenantId} AND membership_id = ${id} RETURNING pin_failures, locked_until`,
        ),
      ),
    );
    if (ok) return p;
    const r = after[0];
    if (r?.locked_until) throw locked(new Date(r.locked_until));
    const left = settings.pinMaxFailures - Number(r?.pin_failures ?? 0);
    throw new AppError(StaffErrors.STAFF_PIN_INCORRECT, { field: 'pin', attempts_left: left }, `The PIN is not correct; ${left} attempt(s) left before a lockout`);
  }
}

function locked(until: Date): AppError {
  const seconds = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));
  return new AppError(StaffErrors.STAFF_PIN_LOCKED, { locked_until: until.toISOString(), retry_after_seconds: seconds }, `Too many wrong PINs: locked until ${until.toISOString()}`);
}
