import { sql } from 'drizzle-orm';
import type { Database } from '../../platform/db.js';
import { rowsOf } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { recordEvent } from '../../platform/outbox.js';
import type { Principal } from '../access/index.js';
import { StaffErrors } from './staff.errors.js';
import { tokenHash } from './staff.service.js';

/** What a request may carry besides its credentials: a PIN-switch staff session and a manager override. */
export interface StaffCredentials {
  staffSession?: string | undefined;
  managerOverride?: string | undefined;
}

/**
 * Applies a request's staff tokens to its principal, after authentication (both transports, through the
 * request gate). X-Staff-Session: the request acts as the cashier who switched in by PIN, with their role's
 * permissions bounded by what the register's own credentials allow. X-Manager-Override: the one-time token
 * is consumed (a conditional UPDATE: used once, never after it expires) and its permission is added to this
 * request only; who approved, who used it and when are recorded on the token and as staff.override_used.
 */
export class StaffCredentialResolver {
  constructor(private readonly database: Database) {}

  wants(c: StaffCredentials): boolean {
    return Boolean(c.staffSession || c.managerOverride);
  }

  async apply(principal: Principal, c: StaffCredentials): Promise<Principal> {
    return this.database.transaction(principal.tenantId, async (db) => {
      let actor = principal.actor;
      let overrideTokenId: string | undefined;
      if (c.staffSession) {
        const [s] = rowsOf<{ membership_id: string; user_id: string; active: boolean; permissions: string[] }>(
          await db.execute(sql`
            SELECT t.membership_id, m.user_id, m.active, r.permissions
              FROM staff_tokens t
              JOIN memberships m ON m.tenant_id = t.tenant_id AND m.id = t.membership_id
              JOIN roles r ON r.tenant_id = m.tenant_id AND r.id = m.role_id
             WHERE t.tenant_id = ${principal.tenantId} AND t.token_hash = ${tokenHash(c.staffSession)} AND t.kind = 'switch' AND t.expires_at > now()`),
        );
        if (!s || !s.active) throw new AppError(StaffErrors.STAFF_SESSION_INVALID);
        const granted = new Set(s.permissions);
        // The cashier works on the register's terminal: a paired device's binding carries over to them.
        actor = {
          kind: 'staff', userId: s.user_id, membershipId: s.membership_id, terminalId: actor.terminalId, outletId: actor.outletId,
          permissions: new Set([...actor.permissions].filter((p) => granted.has(p))),
        };
      }
      if (c.managerOverride) {
        const [o] = rowsOf<{ id: string; permission: string; membership_id: string; action: string | null }>(
          await db.execute(sql`
            UPDATE staff_tokens SET used_at = now(), used_by = ${actor.membershipId ?? null}
             WHERE tenant_id = ${principal.tenantId} AND token_hash = ${tokenHash(c.managerOverride)} AND kind = 'override'
               AND used_at IS NULL AND expires_at > now()
            RETURNING id, permission, membership_id, action`),
        );
        if (!o) throw new AppError(StaffErrors.STAFF_OVERRIDE_INVALID);
        await recordEvent({ db, tenantId: principal.tenantId }, {
          type: 'staff.override_used',
          aggregateType: 'staff_member',
          aggregateId: o.membership_id,
          payload: { override_id: o.id, approved_by: o.membership_id, permission: o.permission, action: o.action, used_by: actor.membershipId ?? null },
        });
        actor = { ...actor, permissions: new Set([...actor.permissions, o.permission]) };
        overrideTokenId = o.id;
      }
      return { tenantId: principal.tenantId, actor, ...(overrideTokenId ? { overrideTokenId } : {}) };
    });
  }

  /**
   * Gives back the override a failed request used up (the transports call this when the answer is an error):
   * the overridden action did not happen, so the manager need not approve it again. Recorded as
   * staff.override_released next to the staff.override_used that consumed it.
   */
  async release(principal: Principal): Promise<void> {
    const id = principal.overrideTokenId;
    if (!id) return;
    await this.database.transaction(principal.tenantId, async (db) => {
      const [o] = rowsOf<{ membership_id: string }>(
        await db.execute(sql`
          UPDATE staff_tokens SET used_at = NULL, used_by = NULL
           WHERE tenant_id = ${principal.tenantId} AND id = ${id} AND kind = 'override' AND used_at IS NOT NULL
          RETURNING membership_id`),
      );
      if (!o) return;
      await recordEvent({ db, tenantId: principal.tenantId }, { type: 'staff.override_released', aggregateType: 'staff_member', aggregateId: o.membership_id, payload: { override_id: id, reason: 'the request failed' } });
    });
  }
}
