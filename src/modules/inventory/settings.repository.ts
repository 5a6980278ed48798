import { sql } from 'drizzle-orm';
import type { TxScope } from '../../platform/context.js';
import { rowsOf } from '../../platform/db.js';

export interface InventorySettings {
  allow_negative_stock: boolean;
  reservation_mode: 'consume_on_completion' | 'reserve_on_add';
  reservation_ttl_minutes: number;
  costing_method: 'moving_average' | 'fifo';
}

export const DEFAULT_SETTINGS: InventorySettings = { allow_negative_stock: true, reservation_mode: 'consume_on_completion', reservation_ttl_minutes: 30, costing_method: 'moving_average' };

const COLS = sql`allow_negative_stock, reservation_mode, reservation_ttl_minutes, costing_method`;

export const settingsRepository = {
  /** The tenant's settings, the defaults when it never set any. */
  async get(tx: TxScope): Promise<InventorySettings> {
    const [r] = rowsOf<InventorySettings>(await tx.db.execute(sql`SELECT ${COLS} FROM inventory_settings WHERE tenant_id = ${tx.tenantId}`));
    return r ?? DEFAULT_SETTINGS;
  },

  async put(tx: TxScope, s: InventorySettings): Promise<InventorySettings> {
    const [r] = rowsOf<InventorySettings>(
      await tx.db.execute(sql`
        INSERT INTO inventory_settings (tenant_id, allow_negative_stock, reservation_mode, reservation_ttl_minutes, costing_method)
        VALUES (${tx.tenantId}, ${s.allow_negative_stock}, ${s.reservation_mode}, ${s.reservation_ttl_minutes}, ${s.costing_method})
        ON CONFLICT (tenant_id) DO UPDATE SET allow_negative_stock = excluded.allow_negative_stock, reservation_mode = excluded.reservation_mode,
          reservation_ttl_minutes = excluded.reservation_ttl_minutes, costing_method = excluded.costing_method, updated_at = now()
        RETURNING ${COLS}`),
    );
    return r!;
  },
};
