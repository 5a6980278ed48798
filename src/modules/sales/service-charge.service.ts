import { sql } from 'drizzle-orm';
import { requirePermission, withTransaction, type Ctx, type TxScope } from '../../platform/context.js';
import { rowsOf } from '../../platform/db.js';
import { AppError, validationError, type FieldIssue } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { readPage, toPage, type Page, type PageRequest } from '../../platform/pagination.js';
import { parseInput } from '../../platform/validation.js';
import { OrderErrors } from './order.errors.js';
import { serviceChargeFromRow, type ServiceChargeRule } from './service-charge.js';
import { chargeShapeIssues, createServiceChargeInput, updateServiceChargeInput, type CreateServiceChargeInput, type UpdateServiceChargeInput } from './service-charge.inputs.js';

const COLUMNS = sql.raw('id, name, kind, rate_bp, amount::text AS amount, stage, taxable, tax_category_id, order_types, outlet_id, sort_order, active, archived_at, created_at, updated_at');

/** A text[] parameter list (a JS array bound as one parameter is not a text[] on both drivers). */
const textArray = (list: readonly string[]) => sql`ARRAY[${sql.join(list.map((t) => sql`${t}`), sql`, `)}]::text[]`;

async function rows(tx: TxScope, q: ReturnType<typeof sql>): Promise<ServiceChargeRule[]> {
  return rowsOf<Record<string, unknown>>(await tx.db.execute(q)).map(serviceChargeFromRow);
}

/** Refuses a tax category or outlet the tenant does not have, naming the field (the FK would say it less kindly). */
async function assertRefs(tx: TxScope, r: { tax_category_id?: string | null | undefined; outlet_id?: string | null | undefined }): Promise<void> {
  const [found] = rowsOf<{ category: boolean; outlet: boolean }>(
    await tx.db.execute(sql`
      SELECT (${r.tax_category_id ?? null}::uuid IS NULL OR EXISTS (SELECT 1 FROM tax_categories WHERE tenant_id = ${tx.tenantId} AND id = ${r.tax_category_id ?? null}::uuid)) AS category,
             (${r.outlet_id ?? null}::uuid IS NULL OR EXISTS (SELECT 1 FROM outlets WHERE tenant_id = ${tx.tenantId} AND id = ${r.outlet_id ?? null}::uuid)) AS outlet`),
  );
  const issues: FieldIssue[] = [];
  if (!found!.category) issues.push({ field: 'tax_category_id', message: 'no such tax category' });
  if (!found!.outlet) issues.push({ field: 'outlet_id', message: 'no such outlet' });
  if (issues.length) throw validationError(issues);
}

/**
 * Service-charge rules (a restaurant's 5 % service on dine-in, a delivery fee): configuration only. Sales reads
 * the live rules in its snapshot and the pricing engine applies them at create, calculate and finalize; a
 * change never alters an order already finalized (its pricing snapshot keeps what it was charged).
 */
export class ServiceChargeService {
  async create(ctx: Ctx, input: CreateServiceChargeInput): Promise<ServiceChargeRule> {
    requirePermission(ctx, 'pos:settings:write');
    const i = parseInput(createServiceChargeInput, input);
    return withTransaction(ctx, async (tx) => {
      await assertRefs(tx, i);
      const [r] = await rows(tx, sql`
        INSERT INTO service_charges (tenant_id, id, name, kind, rate_bp, amount, stage, taxable, tax_category_id, order_types, outlet_id, sort_order, active)
        VALUES (${tx.tenantId}, ${uuidv7()}, ${i.name}, ${i.kind}, ${i.rate_bps ?? null}, ${i.amount ?? null}, ${i.stage ?? 'before_tax'}, ${i.taxable ?? false},
                ${i.tax_category_id ?? null}, ${i.order_types ? textArray(i.order_types) : null}, ${i.outlet_id ?? null},
                ${i.sort_order ?? 0}, ${i.active ?? true})
        RETURNING ${COLUMNS}`);
      return r!;
    });
  }

  async get(ctx: Ctx, id: string): Promise<ServiceChargeRule> {
    requirePermission(ctx, 'pos:settings:read');
    const [r] = await withTransaction(ctx, (tx) => rows(tx, sql`SELECT ${COLUMNS} FROM service_charges WHERE tenant_id = ${tx.tenantId} AND id = ${id}::uuid`));
    if (!r) throw new AppError(OrderErrors.SERVICE_CHARGE_NOT_FOUND, { id });
    return r;
  }

  async list(ctx: Ctx, req: PageRequest & { include_archived?: boolean | undefined }): Promise<Page<ServiceChargeRule>> {
    requirePermission(ctx, 'pos:settings:read');
    const { limit, after } = readPage(req);
    const list = await withTransaction(ctx, (tx) =>
      rows(tx, sql`SELECT ${COLUMNS} FROM service_charges WHERE tenant_id = ${tx.tenantId} AND id > ${after ?? '00000000-0000-0000-0000-000000000000'}::uuid
                     ${req.include_archived ? sql`` : sql`AND archived_at IS NULL`} ORDER BY id LIMIT ${limit + 1}`),
    );
    return toPage(list, limit);
  }

  async update(ctx: Ctx, id: string, input: UpdateServiceChargeInput): Promise<ServiceChargeRule> {
    requirePermission(ctx, 'pos:settings:write');
    const i = parseInput(updateServiceChargeInput, input);
    return withTransaction(ctx, async (tx) => {
      const [before] = await rows(tx, sql`SELECT ${COLUMNS} FROM service_charges WHERE tenant_id = ${tx.tenantId} AND id = ${id}::uuid FOR UPDATE`);
      if (!before || before.archivedAt) throw new AppError(OrderErrors.SERVICE_CHARGE_NOT_FOUND, { id });
      const kind = i.kind ?? before.kind;
      // A change of kind drops the other kind's figure unless the request gives it.
      const rate = i.rate_bps !== undefined ? i.rate_bps : kind === before.kind ? before.rateBp : null;
      const amount = i.amount !== undefined ? i.amount : kind === before.kind ? (before.amount?.toString() ?? null) : null;
      const shape = chargeShapeIssues({ kind, rate_bps: rate, amount });
      if (shape.length) throw validationError(shape);
      await assertRefs(tx, i);
      const set = <T>(v: T | undefined, col: string) => (v === undefined ? sql`` : sql`, ${sql.identifier(col)} = ${v}`);
      const [r] = await rows(tx, sql`
        UPDATE service_charges SET updated_at = now(), kind = ${kind}, rate_bp = ${rate}, amount = ${amount}
               ${set(i.name, 'name')}${set(i.stage, 'stage')}${set(i.taxable, 'taxable')}${set(i.tax_category_id, 'tax_category_id')}
               ${set(i.outlet_id, 'outlet_id')}${set(i.sort_order, 'sort_order')}${set(i.active, 'active')}
               ${i.order_types === undefined ? sql`` : i.order_types === null ? sql`, order_types = NULL` : sql`, order_types = ${textArray(i.order_types)}`}
         WHERE tenant_id = ${tx.tenantId} AND id = ${id}::uuid
        RETURNING ${COLUMNS}`);
      return r!;
    });
  }

  /** Archived rules stop applying to new orders; orders already priced keep their charge. */
  async archive(ctx: Ctx, id: string): Promise<ServiceChargeRule> {
    requirePermission(ctx, 'pos:settings:write');
    const [r] = await withTransaction(ctx, (tx) =>
      rows(tx, sql`UPDATE service_charges SET archived_at = coalesce(archived_at, now()), updated_at = now() WHERE tenant_id = ${tx.tenantId} AND id = ${id}::uuid RETURNING ${COLUMNS}`),
    );
    if (!r) throw new AppError(OrderErrors.SERVICE_CHARGE_NOT_FOUND, { id });
    return r;
  }
}
