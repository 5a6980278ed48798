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
import {
  createPurchaseOrderInput, createSupplierInput, purchaseOrderListQuery, receivePurchaseOrderInput, updateSupplierInput,
  type CreatePurchaseOrderInput, type CreateSupplierInput, type PurchaseOrderListQuery, type ReceivePurchaseOrderInput, type UpdateSupplierInput,
} from './operations.inputs.js';
import { milli } from './quantity.js';
import { postAndCheck } from './stock-guard.js';

const READ = 'pos:inventory:read';
const WRITE = 'pos:inventory:write';

export interface SupplierRow { id: string; name: string; email: string | null; phone: string | null; notes: string | null; archived_at: Date | string | null; created_at: Date | string; updated_at: Date | string }
export type PurchaseOrderStatus = 'DRAFT' | 'ORDERED' | 'PARTIALLY_RECEIVED' | 'RECEIVED' | 'CANCELLED';
export interface PurchaseOrderLineRow { variant_id: string; line_no: number; quantity_ordered: string; quantity_received: string; unit_cost: bigint | string; over_received: boolean }
export interface PurchaseOrderRow {
  id: string; supplier_id: string; location_id: string; status: PurchaseOrderStatus; currency: string; notes: string | null; created_by: string | null;
  created_at: Date | string; updated_at: Date | string; ordered_at: Date | string | null; received_at: Date | string | null; cancelled_at: Date | string | null;
}
export interface PurchaseOrder extends PurchaseOrderRow { lines: PurchaseOrderLineRow[] }

const SUPPLIER_COLS = sql`id, name, email, phone, notes, archived_at, created_at, updated_at`;

async function supplierById(tx: TxScope, id: string): Promise<SupplierRow | undefined> {
  return rowsOf<SupplierRow>(await tx.db.execute(sql`SELECT ${SUPPLIER_COLS} FROM suppliers WHERE tenant_id = ${tx.tenantId} AND id = ${id}`))[0];
}

async function loadPo(tx: TxScope, id: string, lock = false): Promise<PurchaseOrder | undefined> {
  const [po] = rowsOf<PurchaseOrderRow>(await tx.db.execute(sql`SELECT * FROM purchase_orders WHERE tenant_id = ${tx.tenantId} AND id = ${id} ${lock ? sql`FOR UPDATE` : sql``}`));
  if (!po) return undefined;
  const lines = rowsOf<PurchaseOrderLineRow>(
    await tx.db.execute(sql`SELECT variant_id, line_no, quantity_ordered, quantity_received, unit_cost, over_received FROM purchase_order_lines WHERE tenant_id = ${tx.tenantId} AND purchase_order_id = ${id} ORDER BY line_no`),
  );
  return { ...po, lines };
}

/** Suppliers and purchase orders: DRAFT → ORDERED → PARTIALLY_RECEIVED → RECEIVED, or CANCELLED; receipts post `purchase_receipt` movements at cost. */
export class PurchasingService {
  async createSupplier(ctx: Ctx, input: CreateSupplierInput): Promise<SupplierRow> {
    requirePermission(ctx, WRITE);
    const i = parseInput(createSupplierInput, input);
    return withTransaction(ctx, async (tx) => rowsOf<SupplierRow>(
      await tx.db.execute(sql`INSERT INTO suppliers (tenant_id, id, name, email, phone, notes) VALUES (${tx.tenantId}, ${uuidv7()}, ${i.name}, ${i.email ?? null}, ${i.phone ?? null}, ${i.notes ?? null}) RETURNING ${SUPPLIER_COLS}`),
    )[0]!);
  }

  async listSuppliers(ctx: Ctx, req: PageRequest): Promise<Page<SupplierRow>> {
    requirePermission(ctx, READ);
    const { limit, after } = readPage(req);
    return toPage(await withTransaction(ctx, async (tx) => rowsOf<SupplierRow>(await tx.db.execute(sql`SELECT ${SUPPLIER_COLS} FROM suppliers WHERE tenant_id = ${tx.tenantId} AND id > ${after ?? NIL_UUID} ORDER BY id LIMIT ${limit + 1}`))), limit);
  }

  async getSupplier(ctx: Ctx, id: string): Promise<SupplierRow> {
    requirePermission(ctx, READ);
    const s = await withTransaction(ctx, (tx) => supplierById(tx, id));
    if (!s) throw new AppError(OperationErrors.SUPPLIER_NOT_FOUND, { id });
    return s;
  }

  async updateSupplier(ctx: Ctx, id: string, input: UpdateSupplierInput): Promise<SupplierRow> {
    requirePermission(ctx, WRITE);
    const i = parseInput(updateSupplierInput, input);
    const keep = (k: keyof typeof i) => i[k] === undefined;
    const s = await withTransaction(ctx, async (tx) => rowsOf<SupplierRow>(
      await tx.db.execute(sql`
        UPDATE suppliers SET name = coalesce(${i.name ?? null}, name),
               email = CASE WHEN ${keep('email')} THEN email ELSE ${i.email ?? null} END,
               phone = CASE WHEN ${keep('phone')} THEN phone ELSE ${i.phone ?? null} END,
               notes = CASE WHEN ${keep('notes')} THEN notes ELSE ${i.notes ?? null} END,
               archived_at = CASE WHEN ${i.archived ?? null}::boolean IS NULL THEN archived_at WHEN ${i.archived ?? null}::boolean THEN coalesce(archived_at, now()) ELSE NULL END,
               updated_at = now()
         WHERE tenant_id = ${tx.tenantId} AND id = ${id} RETURNING ${SUPPLIER_COLS}`),
    )[0]);
    if (!s) throw new AppError(OperationErrors.SUPPLIER_NOT_FOUND, { id });
    return s;
  }

  async create(ctx: Ctx, input: CreatePurchaseOrderInput): Promise<PurchaseOrder> {
    requirePermission(ctx, WRITE);
    const i = parseInput(createPurchaseOrderInput, input);
    return withTransaction(ctx, async (tx) => {
      const supplier = await supplierById(tx, i.supplier_id);
      if (!supplier) throw new AppError(OperationErrors.SUPPLIER_NOT_FOUND, { field: 'supplier_id', id: i.supplier_id });
      if (supplier.archived_at) throw new AppError(OperationErrors.SUPPLIER_ARCHIVED, { field: 'supplier_id', id: i.supplier_id });
      await movableLocation(tx, i.location_id, 'location_id');
      await movableVariants(tx, i.lines.map((l) => l.variant_id), (n) => `lines.${n}.variant_id`);
      const id = uuidv7();
      const lines = JSON.stringify(i.lines.map((l, n) => ({ variant_id: l.variant_id, line_no: n + 1, qty: l.quantity, unit_cost: l.unit_cost })));
      await tx.db.execute(sql`
        WITH po AS (
          INSERT INTO purchase_orders (tenant_id, id, supplier_id, location_id, currency, notes, created_by)
          SELECT ${tx.tenantId}, ${id}, ${i.supplier_id}, ${i.location_id}, t.currency, ${i.notes ?? null}, ${actorOf(ctx)} FROM tenants t WHERE t.id = ${tx.tenantId})
        INSERT INTO purchase_order_lines (tenant_id, purchase_order_id, variant_id, line_no, quantity_ordered, unit_cost)
        SELECT ${tx.tenantId}, ${id}, x.variant_id, x.line_no, x.qty, x.unit_cost FROM jsonb_to_recordset(${lines}::jsonb) AS x(variant_id uuid, line_no integer, qty numeric, unit_cost bigint)`);
      return (await loadPo(tx, id))!;
    });
  }

  async get(ctx: Ctx, id: string): Promise<PurchaseOrder> {
    requirePermission(ctx, READ);
    const po = await withTransaction(ctx, (tx) => loadPo(tx, id));
    if (!po) throw new AppError(OperationErrors.PURCHASE_ORDER_NOT_FOUND, { id });
    return po;
  }

  async list(ctx: Ctx, query: PurchaseOrderListQuery): Promise<Page<PurchaseOrder>> {
    requirePermission(ctx, READ);
    const q = parseInput(purchaseOrderListQuery, query);
    const { limit, after } = readPage(q);
    return withTransaction(ctx, async (tx) => {
      const ids = rowsOf<{ id: string }>(
        await tx.db.execute(sql`SELECT id FROM purchase_orders WHERE tenant_id = ${tx.tenantId} AND id > ${after ?? NIL_UUID} AND (${q.status ?? null}::text IS NULL OR status = ${q.status ?? null}) ORDER BY id LIMIT ${limit + 1}`),
      );
      const pos: PurchaseOrder[] = [];
      for (const { id } of ids) pos.push((await loadPo(tx, id))!);
      return toPage(pos, limit);
    });
  }

  /** DRAFT → ORDERED. */
  async order(ctx: Ctx, id: string): Promise<PurchaseOrder> {
    return this.move(ctx, id, ['DRAFT'], 'ORDERED', sql`ordered_at = now()`);
  }

  /** DRAFT | ORDERED → CANCELLED (nothing received yet). */
  async cancel(ctx: Ctx, id: string): Promise<PurchaseOrder> {
    return this.move(ctx, id, ['DRAFT', 'ORDERED'], 'CANCELLED', sql`cancelled_at = now()`);
  }

  private async move(ctx: Ctx, id: string, from: PurchaseOrderStatus[], to: PurchaseOrderStatus, stamp: ReturnType<typeof sql>): Promise<PurchaseOrder> {
    requirePermission(ctx, WRITE);
    return withTransaction(ctx, async (tx) => {
      const moved = rowsOf(await tx.db.execute(sql`
        UPDATE purchase_orders SET status = ${to}, ${stamp}, updated_at = now()
         WHERE tenant_id = ${tx.tenantId} AND id = ${id} AND status IN (${sql.join(from.map((f) => sql`${f}`), sql`, `)}) RETURNING id`));
      if (moved.length === 0) {
        const po = await loadPo(tx, id);
        if (!po) throw new AppError(OperationErrors.PURCHASE_ORDER_NOT_FOUND, { id });
        throw new AppError(OperationErrors.PURCHASE_ORDER_INVALID_TRANSITION, { id, status: po.status, allowed_from: from }, `A ${po.status} purchase order cannot become ${to}`);
      }
      return (await loadPo(tx, id))!;
    });
  }

  /**
   * Receives stock against an ORDERED or PARTIALLY_RECEIVED order: each line posts a purchase_receipt at its
   * cost (moving the average), adds to quantity_received and, past the ordered quantity, is refused unless
   * allow_over_receipt says so (then flagged over_received). RECEIVED once every line has all it ordered.
   */
  async receive(ctx: Ctx, id: string, input: ReceivePurchaseOrderInput): Promise<PurchaseOrder> {
    requirePermission(ctx, WRITE);
    const i = parseInput(receivePurchaseOrderInput, input);
    return withTransaction(ctx, async (tx) => {
      const po = await loadPo(tx, id, true);
      if (!po) throw new AppError(OperationErrors.PURCHASE_ORDER_NOT_FOUND, { id });
      if (po.status !== 'ORDERED' && po.status !== 'PARTIALLY_RECEIVED') throw new AppError(OperationErrors.PURCHASE_ORDER_INVALID_TRANSITION, { id, status: po.status }, `A ${po.status} purchase order cannot receive stock`);
      const byVariant = new Map(po.lines.map((l) => [l.variant_id, l]));
      const updates = i.lines.map((r, n) => {
        const line = byVariant.get(r.variant_id);
        if (!line) throw new AppError(OperationErrors.PURCHASE_ORDER_LINE_UNKNOWN, { field: `lines.${n}.variant_id`, variant_id: r.variant_id });
        const total = milli(String(line.quantity_received)) + milli(r.quantity);
        const over = total > milli(String(line.quantity_ordered));
        if (over && !i.allow_over_receipt) {
          throw new AppError(OperationErrors.PURCHASE_ORDER_OVER_RECEIPT, { field: `lines.${n}.quantity`, variant_id: r.variant_id, ordered: Number(line.quantity_ordered), already_received: Number(line.quantity_received), receiving: Number(r.quantity) });
        }
        return { variant_id: r.variant_id, qty: r.quantity, over, unitCost: BigInt(r.unit_cost ?? line.unit_cost) };
      });
      await movableLocation(tx, po.location_id, 'location_id');
      await postAndCheck(
        tx,
        updates.map((u) => ({
          id: uuidv7(), locationId: po.location_id, variantId: u.variant_id, type: 'purchase_receipt' as const, quantity: u.qty, unitCost: u.unitCost,
          referenceType: 'purchase_order', referenceId: id, reason: null, occurredAt: i.occurred_at ?? null, changedEventId: uuidv7(), lowEventId: uuidv7(),
        })),
        { allowNegative: true, actor: actorOf(ctx) },
      );
      const json = JSON.stringify(updates.map((u) => ({ variant_id: u.variant_id, qty: u.qty, over: u.over })));
      await tx.db.execute(sql`
        WITH l AS (
          UPDATE purchase_order_lines p SET quantity_received = p.quantity_received + x.qty, over_received = p.over_received OR x.over
            FROM jsonb_to_recordset(${json}::jsonb) AS x(variant_id uuid, qty numeric, over boolean)
           WHERE p.tenant_id = ${tx.tenantId} AND p.purchase_order_id = ${id} AND p.variant_id = x.variant_id RETURNING p.variant_id)
        SELECT count(*) FROM l`);
      await tx.db.execute(sql`
        UPDATE purchase_orders SET updated_at = now(),
               status = CASE WHEN NOT EXISTS (SELECT 1 FROM purchase_order_lines WHERE tenant_id = ${tx.tenantId} AND purchase_order_id = ${id} AND quantity_received < quantity_ordered)
                             THEN 'RECEIVED' ELSE 'PARTIALLY_RECEIVED' END,
               received_at = CASE WHEN NOT EXISTS (SELECT 1 FROM purchase_order_lines WHERE tenant_id = ${tx.tenantId} AND purchase_order_id = ${id} AND quantity_received < quantity_ordered)
                             THEN now() ELSE NULL END
         WHERE tenant_id = ${tx.tenantId} AND id = ${id}`);
      return (await loadPo(tx, id))!;
    });
  }
}

/** Total expected cost of a purchase order (minor units), for presenters. */
export const purchaseOrderTotal = (po: PurchaseOrder): bigint =>
  po.lines.reduce((s, l) => s + (milli(String(l.quantity_ordered)) * BigInt(l.unit_cost) + 500n) / 1000n, 0n);
