import pg from 'pg';
import type { Attempt } from './checkout-load.js';

/**
 * What a crash must never leave behind, read straight from the tables with an owner connection (no row-level
 * security, every tenant). Each check returns the offending rows; an empty list is a pass.
 */
export const INTEGRITY_CHECKS: Record<string, string> = {
  'items without their order': `SELECT i.tenant_id, i.order_id FROM order_items i LEFT JOIN orders o ON o.tenant_id = i.tenant_id AND o.id = i.order_id WHERE o.id IS NULL`,
  'payments without their order': `SELECT p.tenant_id, p.id FROM payments p LEFT JOIN orders o ON o.tenant_id = p.tenant_id AND o.id = p.order_id WHERE o.id IS NULL`,
  'orders without items': `SELECT o.id FROM orders o WHERE NOT EXISTS (SELECT 1 FROM order_items i WHERE i.tenant_id = o.tenant_id AND i.order_id = o.id)`,
  'checkout orders left before COMPLETED (a checkout is all or nothing)': `SELECT id, status FROM orders WHERE status <> 'COMPLETED'`,
  'completed without a receipt number': `SELECT id FROM orders WHERE status = 'COMPLETED' AND (receipt_number IS NULL OR receipt_seq IS NULL OR completed_at IS NULL)`,
  'completed but not paid in full': `SELECT id, payment_status, paid_total, total FROM orders WHERE status = 'COMPLETED' AND (payment_status <> 'PAID' OR paid_total <> total)`,
  'totals that do not balance (subtotal − discount + service + tax + tip + rounding ≠ total)': `
    SELECT id FROM orders WHERE subtotal - discount_total + service_charge_total + tax_total + tip_total + rounding_adjustment <> total`,
  'lines that do not add up to the order subtotal': `
    SELECT o.id, o.subtotal, sum(i.subtotal) AS lines FROM orders o JOIN order_items i ON i.tenant_id = o.tenant_id AND i.order_id = o.id
     GROUP BY o.tenant_id, o.id, o.subtotal HAVING sum(i.subtotal) <> o.subtotal`,
  'captured payments that do not add up to the total': `
    SELECT o.id, o.total, coalesce(sum(p.amount) FILTER (WHERE p.status = 'CAPTURED'), 0) AS captured FROM orders o
      LEFT JOIN payments p ON p.tenant_id = o.tenant_id AND p.order_id = o.id
     WHERE o.status = 'COMPLETED' GROUP BY o.tenant_id, o.id, o.total HAVING coalesce(sum(p.amount) FILTER (WHERE p.status = 'CAPTURED'), 0) <> o.total`,
  'receipt numbers with a gap or a repeat per outlet': `
    SELECT tenant_id, outlet_id, count(*) AS n, min(receipt_seq) AS lo, max(receipt_seq) AS hi FROM orders WHERE receipt_seq IS NOT NULL
     GROUP BY tenant_id, outlet_id HAVING min(receipt_seq) <> 1 OR max(receipt_seq) <> count(*) OR count(DISTINCT receipt_seq) <> count(*)`,
  'completed orders without exactly one order.completed event': `
    SELECT o.id, count(e.*) AS events FROM orders o LEFT JOIN outbox_events e ON e.tenant_id = o.tenant_id AND e.type = 'order.completed' AND e.aggregate_id::uuid = o.id
     WHERE o.status = 'COMPLETED' GROUP BY o.tenant_id, o.id HAVING count(e.*) <> 1`,
  'order.completed events without their order': `
    SELECT e.id FROM outbox_events e LEFT JOIN orders o ON o.tenant_id = e.tenant_id AND o.id = e.aggregate_id::uuid WHERE e.type = 'order.completed' AND o.id IS NULL`,
  'idempotency keys recorded done whose sale is missing': `
    SELECT k.key FROM idempotency_keys k WHERE k.scope = 'POST /api/v1/checkout' AND k.state = 'done' AND k.response_status = 201
       AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.tenant_id = k.tenant_id AND o.id = (k.response_body::jsonb ->> 'id')::uuid)`,
};

export async function integrityViolations(url: string): Promise<Record<string, unknown[]>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const out: Record<string, unknown[]> = {};
    for (const [name, text] of Object.entries(INTEGRITY_CHECKS)) {
      const { rows } = await c.query(text);
      if (rows.length) out[name] = rows.slice(0, 5);
    }
    return out;
  } finally {
    await c.end();
  }
}

export interface AckReport {
  attempts: number;
  acknowledged: number;
  found: number;
  /** Acknowledged sales that are missing or differ from what the client was told. */
  lost: unknown[];
  /** Keys (one per attempt) with more than one order. */
  duplicated: unknown[];
  /** Attempts with no order at all. */
  missing: string[];
}

/** Every acknowledged sale is there exactly as acknowledged; every key made at most one order. */
export async function checkAcknowledged(url: string, attempts: Attempt[]): Promise<AckReport> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ id: string; notes: string; receipt_number: string; total: string; status: string }>(
      `SELECT id, notes, receipt_number, total::text AS total, status FROM orders WHERE notes = ANY($1::text[])`,
      [attempts.map((a) => a.key)],
    );
    const byKey = new Map<string, typeof rows>();
    for (const r of rows) byKey.set(r.notes, [...(byKey.get(r.notes) ?? []), r]);
    const report: AckReport = { attempts: attempts.length, acknowledged: 0, found: 0, lost: [], duplicated: [], missing: [] };
    for (const a of attempts) {
      const found = byKey.get(a.key) ?? [];
      if (found.length > 1) report.duplicated.push({ key: a.key, orders: found.map((f) => f.id) });
      if (found.length === 0) report.missing.push(a.key);
      if (!a.acked) continue;
      report.acknowledged++;
      const o = found.find((f) => f.id === a.acked!.id);
      if (o && o.status === 'COMPLETED' && o.receipt_number === a.acked.receiptNumber && Number(o.total) === a.acked.total) report.found++;
      else report.lost.push({ key: a.key, acked: a.acked, found: o ?? null });
    }
    return report;
  } finally {
    await c.end();
  }
}
