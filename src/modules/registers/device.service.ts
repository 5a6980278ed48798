import { createHash, randomInt } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { requirePermission, withTransaction, type Ctx, type TxCtx } from '../../platform/context.js';
import type { Database } from '../../platform/db.js';
import { rowsOf } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { recordEvent } from '../../platform/outbox.js';
import { readPage, toPage, type Page, type PageRequest } from '../../platform/pagination.js';
import { nameField, parseInput, uuidField } from '../../platform/validation.js';
import { SYSTEM_ROLES, type AccessService } from '../access/index.js';
import { assertFeature, assertWithinLicense } from '../tenancy/index.js';
import { RegisterErrors } from './registers.errors.js';

/** How long a pairing code may be typed in. */
export const PAIRING_CODE_TTL_MS = 10 * 60_000;
/** What a paired register may do: the cashier role's permissions (a PIN switch narrows, an override lends). */
const DEVICE_PERMISSIONS = SYSTEM_ROLES.find((r) => r.key === 'cashier')!.permissions;
// No 0/O, 1/I/L: codes are read off one screen and typed on another.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

export const DeviceEvents = { PAIRED: 'device.paired', REVOKED: 'device.revoked' } as const;

export interface Device {
  id: string;
  terminalId: string;
  name: string;
  platform: string | null;
  apiKeyId: string;
  status: 'ACTIVE' | 'REVOKED';
  pairedAt: Date;
  revokedAt: Date | null;
  lastSeenAt: Date | null;
}

export const pairingCodeInput = z.strictObject({ terminal_id: uuidField() });
export const pairDeviceInput = z.strictObject({
  code: z.string().trim().toUpperCase().regex(/^[A-Z0-9]{4}-?[A-Z0-9]{4}$/, 'must be a pairing code such as K7F3-9QX2'),
  name: nameField(100),
  platform: z.string().trim().max(60).optional(),
});

const normalise = (code: string) => code.toUpperCase().replace(/-/g, '');
const codeHash = (code: string) => createHash('sha256').update(normalise(code)).digest();

type Row = { id: string; terminal_id: string; name: string; platform: string | null; api_key_id: string; status: 'ACTIVE' | 'REVOKED'; paired_at: string | Date; revoked_at: string | Date | null; last_seen_at: string | Date | null };
const toDevice = (r: Row): Device => ({
  id: r.id,
  terminalId: r.terminal_id,
  name: r.name,
  platform: r.platform,
  apiKeyId: r.api_key_id,
  status: r.status,
  pairedAt: new Date(r.paired_at),
  revokedAt: r.revoked_at ? new Date(r.revoked_at) : null,
  lastSeenAt: r.last_seen_at ? new Date(r.last_seen_at) : null,
});

const select = sql`SELECT d.*, k.last_used_at AS last_seen_at FROM devices d JOIN api_keys k ON k.tenant_id = d.tenant_id AND k.id = d.api_key_id`;

async function byId(tx: TxCtx | { db: TxCtx['db']; tenantId: string }, id: string): Promise<Device | undefined> {
  const [r] = rowsOf<Row>(await tx.db.execute(sql`${select} WHERE d.tenant_id = ${tx.tenantId} AND d.id = ${id}`));
  return r ? toDevice(r) : undefined;
}

/**
 * Devices (seed 001's device provisioning): a manager asks for a short-lived one-time code for a terminal; the
 * device types it in (no credentials yet) and receives its own credential, an API key bound to the device row
 * and the terminal, shown once. Revoking the device revokes the key, refused on every node at once. Pairing
 * past the plan's device limit is refused.
 */
export class DeviceService {
  constructor(
    private readonly database: Database,
    private readonly access: AccessService,
  ) {}

  async createPairingCode(ctx: Ctx, input: unknown): Promise<{ code: string; terminalId: string; expiresAt: Date }> {
    requirePermission(ctx, 'pos:device:manage');
    const i = parseInput(pairingCodeInput, input);
    const code = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
    const expiresAt = new Date(Date.now() + PAIRING_CODE_TTL_MS);
    await withTransaction(ctx, async (tx) => {
      await assertFeature(tx, 'devices');
      const [t] = rowsOf<{ active: boolean }>(await tx.db.execute(sql`SELECT active FROM terminals WHERE tenant_id = ${tx.tenantId} AND id = ${i.terminal_id}`));
      if (!t) throw new AppError(RegisterErrors.TERMINAL_NOT_FOUND, { field: 'terminal_id', terminal_id: i.terminal_id });
      if (!t.active) throw new AppError(RegisterErrors.TERMINAL_INACTIVE, { terminal_id: i.terminal_id });
      await tx.db.execute(sql`
        INSERT INTO device_pairing_codes (tenant_id, id, terminal_id, code_hash, expires_at, created_by)
        VALUES (${tx.tenantId}, ${uuidv7()}, ${i.terminal_id}, ${codeHash(code)}, ${expiresAt.toISOString()}::timestamptz, ${ctx.actor.membershipId ?? null})`);
    });
    return { code: `${code.slice(0, 4)}-${code.slice(4)}`, terminalId: i.terminal_id, expiresAt };
  }

  /** The device's side (no credentials): the code names the tenant and terminal; used once, never after expiry. */
  async pair(input: unknown): Promise<{ device: Device; secret: string; tenantId: string }> {
    const i = parseInput(pairDeviceInput, input);
    const hash = codeHash(i.code);
    const [found] = await this.database.systemTransaction(async (db) => rowsOf<{ tenant_id: string }>(await db.execute(sql`SELECT tenant_id FROM device_pairing_codes WHERE code_hash = ${hash}`)));
    if (!found) throw new AppError(RegisterErrors.PAIRING_CODE_INVALID, { field: 'code' });
    const tenantId = found.tenant_id;
    return this.database.transaction(tenantId, async (db) => {
      const tx = { db, tenantId, actor: { kind: 'system' as const, permissions: new Set<string>() }, requestId: 'device-pairing', database: this.database, log: console } as unknown as TxCtx;
      const [claim] = rowsOf<{ id: string; terminal_id: string; used_at: string | null; expired: boolean }>(
        await db.execute(sql`SELECT id, terminal_id, used_at, expires_at <= now() AS expired FROM device_pairing_codes WHERE tenant_id = ${tenantId} AND code_hash = ${hash} FOR UPDATE`),
      );
      if (!claim) throw new AppError(RegisterErrors.PAIRING_CODE_INVALID, { field: 'code' });
      if (claim.used_at) throw new AppError(RegisterErrors.PAIRING_CODE_USED, { field: 'code' });
      if (claim.expired) throw new AppError(RegisterErrors.PAIRING_CODE_EXPIRED, { field: 'code' });
      await assertWithinLicense(tx, 'devices');
      const { apiKey, secret } = await this.access.insertApiKey(tx, `Device: ${i.name}`, [...DEVICE_PERMISSIONS]);
      const id = uuidv7();
      await db.execute(sql`
        INSERT INTO devices (tenant_id, id, terminal_id, name, platform, api_key_id) VALUES (${tenantId}, ${id}, ${claim.terminal_id}, ${i.name}, ${i.platform ?? null}, ${apiKey.id})`);
      await db.execute(sql`UPDATE device_pairing_codes SET used_at = now(), device_id = ${id} WHERE tenant_id = ${tenantId} AND id = ${claim.id}`);
      await recordEvent(tx, { type: DeviceEvents.PAIRED, aggregateType: 'device', aggregateId: id, payload: { device_id: id, terminal_id: claim.terminal_id, name: i.name, platform: i.platform ?? null } });
      return { device: (await byId(tx, id))!, secret, tenantId };
    });
  }

  async get(ctx: Ctx, id: string): Promise<Device> {
    requirePermission(ctx, 'pos:device:manage');
    const d = await withTransaction(ctx, (tx) => byId(tx, id));
    if (!d) throw new AppError(RegisterErrors.DEVICE_NOT_FOUND, { id });
    return d;
  }

  async list(ctx: Ctx, query: PageRequest & { terminal_id?: unknown }): Promise<Page<Device>> {
    requirePermission(ctx, 'pos:device:manage');
    const f = parseInput(z.object({ terminal_id: uuidField().optional() }), { terminal_id: query.terminal_id });
    const { limit, after } = readPage(query);
    const rows = await withTransaction(ctx, async (tx) =>
      rowsOf<Row>(
        await tx.db.execute(sql`${select} WHERE d.tenant_id = ${tx.tenantId} AND d.id > ${after ?? '00000000-0000-0000-0000-000000000000'}
          ${f.terminal_id ? sql`AND d.terminal_id = ${f.terminal_id}` : sql``} ORDER BY d.id LIMIT ${limit + 1}`),
      ).map(toDevice),
    );
    return toPage(rows, limit);
  }

  /** Revokes the device and its credential (the key is refused on every node at once). */
  async revoke(ctx: Ctx, id: string): Promise<Device> {
    requirePermission(ctx, 'pos:device:manage');
    return withTransaction(ctx, async (tx) => {
      const d = await byId(tx, id);
      if (!d) throw new AppError(RegisterErrors.DEVICE_NOT_FOUND, { id });
      if (d.status === 'REVOKED') throw new AppError(RegisterErrors.DEVICE_ALREADY_REVOKED, { id });
      await tx.db.execute(sql`UPDATE devices SET status = 'REVOKED', revoked_at = now(), revoked_by = ${ctx.actor.membershipId ?? null} WHERE tenant_id = ${tx.tenantId} AND id = ${id}`);
      // The device's own key: revoking it is part of revoking the device, whoever may manage devices.
      await this.access.revokeApiKey({ ...tx, actor: { ...tx.actor, permissions: new Set([...tx.actor.permissions, 'pos:apikey:manage']) } }, d.apiKeyId);
      await recordEvent(tx, { type: DeviceEvents.REVOKED, aggregateType: 'device', aggregateId: id, payload: { device_id: id, terminal_id: d.terminalId, revoked_by: ctx.actor.membershipId ?? null } });
      return (await byId(tx, id))!;
    });
  }
}
