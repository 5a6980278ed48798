import { sql } from 'drizzle-orm';
import type { TxScope } from '../../../platform/context.js';
import { affected, rowsOf } from '../../../platform/db.js';

export interface LoginCode {
  id: string;
  email: string;
  secretHash: string;
  attempts: number;
}

/** Login codes: SQL only. Each use is a guarded UPDATE, so a code is used once however many try at once. */
export const loginRepository = {
  async insert(tx: TxScope, c: { id: string; email: string; kind: 'link' | 'otp'; secretHash: string; ttlMinutes: number }): Promise<void> {
    await tx.db.execute(sql`
      INSERT INTO customer_login_codes (tenant_id, id, email, kind, secret_hash, expires_at)
      VALUES (${tx.tenantId}, ${c.id}, ${c.email}, ${c.kind}, ${c.secretHash}, now() + make_interval(mins => ${c.ttlMinutes}))`);
  },

  /** Uses a magic link: its e-mail if it was unused and unexpired (and now is used), else undefined. */
  async useLink(tx: TxScope, secretHash: string): Promise<string | undefined> {
    const [r] = rowsOf<{ email: string }>(await tx.db.execute(sql`
      UPDATE customer_login_codes SET used_at = now()
       WHERE tenant_id = ${tx.tenantId} AND secret_hash = ${secretHash} AND kind = 'link' AND used_at IS NULL AND expires_at > now()
      RETURNING email`));
    return r?.email;
  },

  /** The newest live one-time code sent to `email`, locked for this verification. */
  async latestOtp(tx: TxScope, email: string): Promise<LoginCode | undefined> {
    const [r] = rowsOf<{ id: string; email: string; secret_hash: string; attempts: number }>(await tx.db.execute(sql`
      SELECT id, email, secret_hash, attempts FROM customer_login_codes
       WHERE tenant_id = ${tx.tenantId} AND email = ${email} AND kind = 'otp' AND used_at IS NULL AND expires_at > now()
       ORDER BY created_at DESC, id DESC LIMIT 1 FOR UPDATE`));
    return r ? { id: r.id, email: r.email, secretHash: r.secret_hash, attempts: Number(r.attempts) } : undefined;
  },

  async countAttempt(tx: TxScope, id: string): Promise<void> {
    await tx.db.execute(sql`UPDATE customer_login_codes SET attempts = attempts + 1 WHERE tenant_id = ${tx.tenantId} AND id = ${id}`);
  },

  async useOtp(tx: TxScope, id: string): Promise<boolean> {
    return affected(await tx.db.execute(sql`UPDATE customer_login_codes SET used_at = now() WHERE tenant_id = ${tx.tenantId} AND id = ${id} AND used_at IS NULL`)) === 1;
  },
};
