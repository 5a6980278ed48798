import { sql } from 'drizzle-orm';
import { requirePermission, withTransaction, type Ctx, type TxScope } from '../../platform/context.js';
import { rowsOf } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { readPage, toPage, type Page, type PageRequest } from '../../platform/pagination.js';
import { NIL_UUID } from '../../platform/prepared.js';
import { parseInput } from '../../platform/validation.js';
import { movableLocation, movableVariants } from './checks.js';
import { OperationErrors } from './inventory.errors.js';
import { actorOf } from './inventory.service.js';
import { createTransferInput, receiveTransferInput, type CreateTransferInput, type ReceiveTransferInput } from './operations.inputs.js';
import { fromMilli, milli, normalize } from './quantity.js';
import { settingsRepository } from './settings.repository.js';
import { postAndCheck } from './stock-guard.js';
import type { NewMovement } from './stock.repository.js';

const READ = 'pos:inventory:read';
const WRITE = 'pos:inventory:write';

export type TransferStatus = 'DRAFT' | 'IN_TRANSIT' | 'RECEIVED' | 'CANCELLED';
export interface TransferLineRow { variant_id: string; quantity: string; unit_cost: bigint | string | null; quantity_received: string | null; discrepancy: string | null }
export interface Transfer {
  id: string; from_location_id: string; to_location_id: string; status: TransferStatus; notes: string | null; created_by: string | null;
  created_at: Date | string; updated_at: Date | string; shipped_at: Date | string | null; received_at: Date | string | null; lines: TransferLineRow[];
}

async function loadTransfer(tx: TxScope, id: string, lock = false): Promise<Transfer | undefined> {
  const [t] = rowsOf<Omit<Transfer, 'lines'>>(await tx.db.execute(sql`SELECT * FROM stock_transfers WHERE tenant_id = ${tx.tenantId} AND id = ${id} ${lock ? sql`FOR UPDATE` : sql``}`));
  if (!t) return undefined;
  const lines = rowsOf<TransferLineRow>(
    await tx.db.execute(sql`SELECT variant_id, quantity, unit_cost, quantity_received, discrepancy FROM stock_transfer_lines WHERE tenant_id = ${tx.tenantId} AND transfer_id = ${id} ORDER BY variant_id`),
  );
  return { ...t, lines };
}

const move = (t: Transfer, l: TransferLineRow, type: 'transfer_out' | 'transfer_in', locationId: string, quantity: string, unitCost: bigint | null, reason: string | null): NewMovement => ({
  id: uuidv7(), locationId, variantId: l.variant_id, type, quantity, unitCost, referenceType: 'transfer', referenceId: t.id, reason, occurredAt: null, changedEventId: uuidv7(), lowEventId: uuidv7(),
});

/** Transfers between locations: DRAFT → IN_TRANSIT (units leave) → RECEIVED (units arrive, discrepancies kept), or CANCELLED. */
export class TransferService {
  async create(ctx: Ctx, input: CreateTransferInput): Promise<Transfer> {
    requirePermission(ctx, WRITE);
    const i = parseInput(createTransferInput, input);
    return withTransaction(ctx, async (tx) => {
      await movableLocation(tx, i.from_location_id, 'from_location_id');
      await movableLocation(tx, i.to_location_id, 'to_location_id');
      await movableVariants(tx, i.lines.map((l) => l.variant_id), (n) => `lines.${n}.variant_id`);
      const id = uuidv7();
      const lines = JSON.stringify(i.lines.map((l) => ({ variant_id: l.variant_id, qty: l.quantity })));
      await tx.db.execute(sql`
        WITH t AS (INSERT INTO stock_transfers (tenant_id, id, from_location_id, to_location_id, notes, created_by)
                   VALUES (${tx.tenantId}, ${id}, ${i.from_location_id}, ${i.to_location_id}, ${i.notes ?? null}, ${actorOf(ctx)}))
        INSERT INTO stock_transfer_lines (tenant_id, transfer_id, variant_id, quantity)
        SELECT ${tx.tenantId}, ${id}, x.variant_id, x.qty FROM jsonb_to_recordset(${lines}::jsonb) AS x(variant_id uuid, qty numeric)`);
      return (await loadTransfer(tx, id))!;
    });
  }

  async get(ctx: Ctx, id: string): Promise<Transfer> {
    requirePermission(ctx, READ);
    const t = await withTransaction(ctx, (tx) => loadTransfer(tx, id));
    if (!t) throw new AppError(OperationErrors.TRANSFER_NOT_FOUND, { id });
    return t;
  }

  async list(ctx: Ctx, req: PageRequest): Promise<Page<Transfer>> {
    requirePermission(ctx, READ);
    const { limit, after } = readPage(req);
    return withTransaction(ctx, async (tx) => {
      const ids = rowsOf<{ id: string }>(await tx.db.execute(sql`SELECT id FROM stock_transfers WHERE tenant_id = ${tx.tenantId} AND id > ${after ?? NIL_UUID} ORDER BY id LIMIT ${limit + 1}`));
      const out: Transfer[] = [];
      for (const { id } of ids) out.push((await loadTransfer(tx, id))!);
      return toPage(out, limit);
    });
  }

  /** DRAFT → IN_TRANSIT: the units leave the sending location (guarded: a location without the stock refuses). */
  async ship(ctx: Ctx, id: string): Promise<Transfer> {
    requirePermission(ctx, WRITE);
    return withTransaction(ctx, async (tx) => {
      const t = await this.claim(tx, id, 'DRAFT', 'ship');
      await movableLocation(tx, t.from_location_id, 'from_location_id');
      const settings = await settingsRepository.get(tx);
      const levels = await postAndCheck(tx, t.lines.map((l) => move(t, l, 'transfer_out', t.from_location_id, `-${normalize(l.quantity)}`, null, null)), { allowNegative: settings.allow_negative_stock, actor: actorOf(ctx), field: 'lines' });
      const costs = JSON.stringify(levels.map((lv) => ({ variant_id: lv.variant_id, cost: String(lv.move_cost ?? lv.avg_cost) })));
      await tx.db.execute(sql`
        WITH c AS (UPDATE stock_transfer_lines l SET unit_cost = x.cost FROM jsonb_to_recordset(${costs}::jsonb) AS x(variant_id uuid, cost bigint)
                   WHERE l.tenant_id = ${tx.tenantId} AND l.transfer_id = ${id} AND l.variant_id = x.variant_id)
        UPDATE stock_transfers SET status = 'IN_TRANSIT', shipped_at = now(), updated_at = now() WHERE tenant_id = ${tx.tenantId} AND id = ${id}`);
      return (await loadTransfer(tx, id))!;
    });
  }

  /**
   * IN_TRANSIT → RECEIVED: what arrived enters the receiving location at the cost it left with; a line left out
   * arrived in full. The difference (lost, or found when negative) is kept on the line as its discrepancy.
   */
  async receive(ctx: Ctx, id: string, input: ReceiveTransferInput): Promise<Transfer> {
    requirePermission(ctx, WRITE);
    const i = parseInput(receiveTransferInput, input ?? {});
    return withTransaction(ctx, async (tx) => {
      const t = await this.claim(tx, id, 'IN_TRANSIT', 'receive');
      const byVariant = new Map(t.lines.map((l) => [l.variant_id, l]));
      const got = new Map<string, string>();
      (i.lines ?? []).forEach((r, n) => {
        if (!byVariant.has(r.variant_id)) throw new AppError(OperationErrors.TRANSFER_LINE_UNKNOWN, { field: `lines.${n}.variant_id`, variant_id: r.variant_id });
        got.set(r.variant_id, r.quantity);
      });
      await movableLocation(tx, t.to_location_id, 'to_location_id');
      const arrived = t.lines.map((l) => ({ l, qty: got.get(l.variant_id) ?? normalize(l.quantity) }));
      const moves = arrived.filter((a) => milli(a.qty) > 0n).map((a) => move(t, a.l, 'transfer_in', t.to_location_id, a.qty, a.l.unit_cost === null ? null : BigInt(a.l.unit_cost), null));
      if (moves.length) await postAndCheck(tx, moves, { allowNegative: true, actor: actorOf(ctx) });
      const json = JSON.stringify(arrived.map((a) => ({ variant_id: a.l.variant_id, qty: a.qty, gap: fromMilli(milli(normalize(a.l.quantity)) - milli(a.qty)) })));
      await tx.db.execute(sql`
        WITH l AS (UPDATE stock_transfer_lines l SET quantity_received = x.qty, discrepancy = x.gap FROM jsonb_to_recordset(${json}::jsonb) AS x(variant_id uuid, qty numeric, gap numeric)
                   WHERE l.tenant_id = ${tx.tenantId} AND l.transfer_id = ${id} AND l.variant_id = x.variant_id)
        UPDATE stock_transfers SET status = 'RECEIVED', received_at = now(), updated_at = now() WHERE tenant_id = ${tx.tenantId} AND id = ${id}`);
      return (await loadTransfer(tx, id))!;
    });
  }

  /** DRAFT | IN_TRANSIT → CANCELLED; units in transit go back to the sending location. */
  async cancel(ctx: Ctx, id: string): Promise<Transfer> {
    requirePermission(ctx, WRITE);
    return withTransaction(ctx, async (tx) => {
      const t = await loadTransfer(tx, id, true);
      if (!t) throw new AppError(OperationErrors.TRANSFER_NOT_FOUND, { id });
      if (t.status !== 'DRAFT' && t.status !== 'IN_TRANSIT') throw new AppError(OperationErrors.TRANSFER_INVALID_TRANSITION, { id, status: t.status }, `A ${t.status} transfer cannot be cancelled`);
      if (t.status === 'IN_TRANSIT') {
        const back = t.lines.map((l) => move(t, l, 'transfer_in', t.from_location_id, normalize(l.quantity), l.unit_cost === null ? null : BigInt(l.unit_cost), 'transfer cancelled in transit'));
        await postAndCheck(tx, back, { allowNegative: true, actor: actorOf(ctx) });
      }
      await tx.db.execute(sql`UPDATE stock_transfers SET status = 'CANCELLED', updated_at = now() WHERE tenant_id = ${tx.tenantId} AND id = ${id}`);
      return (await loadTransfer(tx, id))!;
    });
  }

  private async claim(tx: TxScope, id: string, from: TransferStatus, action: string): Promise<Transfer> {
    const t = await loadTransfer(tx, id, true);
    if (!t) throw new AppError(OperationErrors.TRANSFER_NOT_FOUND, { id });
    if (t.status !== from) throw new AppError(OperationErrors.TRANSFER_INVALID_TRANSITION, { id, status: t.status }, `A ${t.status} transfer cannot ${action}`);
    return t;
  }
}
