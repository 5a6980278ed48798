import { sql } from 'drizzle-orm';
import { requirePermission, withTransaction, type Ctx, type TxScope } from '../../platform/context.js';
import { rowsOf } from '../../platform/db.js';
import { parseInput } from '../../platform/validation.js';
import { registerSettingsInput, type RegisterSettingsInput } from './cash-session.js';

/** The tenant's register and staff settings (register_settings), defaulted when the tenant has no row. */
export interface RegisterSettings {
  requireOpenSession: boolean;
  varianceApprovalThreshold: bigint;
  autoClose: boolean;
  pinMaxFailures: number;
  pinLockoutMinutes: number;
}

export const DEFAULT_REGISTER_SETTINGS: RegisterSettings = { requireOpenSession: false, varianceApprovalThreshold: 0n, autoClose: true, pinMaxFailures: 5, pinLockoutMinutes: 15 };

type Row = { require_open_session: boolean; variance_approval_threshold: string | number; auto_close: boolean; pin_max_failures: number; pin_lockout_minutes: number };
const toSettings = (r: Row | undefined): RegisterSettings =>
  r
    ? { requireOpenSession: r.require_open_session, varianceApprovalThreshold: BigInt(r.variance_approval_threshold), autoClose: r.auto_close, pinMaxFailures: Number(r.pin_max_failures), pinLockoutMinutes: Number(r.pin_lockout_minutes) }
    : DEFAULT_REGISTER_SETTINGS;

export const registerSettingsRepository = {
  async get(tx: TxScope): Promise<RegisterSettings> {
    return toSettings(rowsOf<Row>(await tx.db.execute(sql`SELECT * FROM register_settings WHERE tenant_id = ${tx.tenantId}`))[0]);
  },
  async put(tx: TxScope, s: RegisterSettings): Promise<RegisterSettings> {
    const [r] = rowsOf<Row>(
      await tx.db.execute(sql`
        INSERT INTO register_settings (tenant_id, require_open_session, variance_approval_threshold, auto_close, pin_max_failures, pin_lockout_minutes)
        VALUES (${tx.tenantId}, ${s.requireOpenSession}, ${s.varianceApprovalThreshold}, ${s.autoClose}, ${s.pinMaxFailures}, ${s.pinLockoutMinutes})
        ON CONFLICT (tenant_id) DO UPDATE SET require_open_session = excluded.require_open_session, variance_approval_threshold = excluded.variance_approval_threshold,
          auto_close = excluded.auto_close, pin_max_failures = excluded.pin_max_failures, pin_lockout_minutes = excluded.pin_lockout_minutes, updated_at = now()
        RETURNING *`),
    );
    return toSettings(r);
  },
};

export class RegisterSettingsService {
  async get(ctx: Ctx): Promise<RegisterSettings> {
    requirePermission(ctx, 'pos:settings:read');
    return withTransaction(ctx, (tx) => registerSettingsRepository.get(tx));
  }

  /** Changes only the fields given. */
  async update(ctx: Ctx, input: RegisterSettingsInput): Promise<RegisterSettings> {
    requirePermission(ctx, 'pos:settings:write');
    const i = parseInput(registerSettingsInput, input);
    return withTransaction(ctx, async (tx) => {
      const cur = await registerSettingsRepository.get(tx);
      return registerSettingsRepository.put(tx, {
        requireOpenSession: i.require_open_session ?? cur.requireOpenSession,
        varianceApprovalThreshold: i.variance_approval_threshold === undefined ? cur.varianceApprovalThreshold : BigInt(i.variance_approval_threshold),
        autoClose: i.auto_close ?? cur.autoClose,
        pinMaxFailures: i.pin_max_failures ?? cur.pinMaxFailures,
        pinLockoutMinutes: i.pin_lockout_minutes ?? cur.pinLockoutMinutes,
      });
    });
  }
}
