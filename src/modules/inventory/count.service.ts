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
import { createCountInput, recordCountInput, type CreateCountInput, type RecordCountInput } from './operations.inputs.js';
import { fromMilli, milli, normalize } from './quantity.js';
import { postAndCheck } from './stock-guard.js';

const READ = 'pos:inventory:read';
const WRITE = 'pos:inventory:write';

export interface CountLineRow { variant_id: string; expected: string; counted: string | null }
export interface StockCount {
  id: string; location_id: string; scope: 'full' | 'partial'; blind: boolean; status: 'OPEN' | 'POSTED' | 'CANCELLED'; created_by: string | null;
  created_at: Date | string; updated_at: Date | string; posted_at: Date | string | null; lines: CountLineRow[];
}

async function loadCount(tx: TxScope, id: string, lock = false): Promise<StockCount | undefined> {
  const [c] = rowsOf<Omit<StockCount, 'lines'>>(await tx.db.execute(sql`SELECT * FROM stock_counts WHERE tenant_id = ${tx.tenantId} AND id = ${id} ${lock ? sql`FOR UPDATE` : sql``}`));
  if (!c) return undefined;
  const lines = rowsOf<CountLineRow>(await tx.db.execute(sql`SELECT variant_id, expected, counted FROM stock_count_lines WHERE tenant_id = ${tx.tenantId} AND count_id = ${id} ORDER BY variant_id`));
  return { ...c, lines };
}

/**
 * Stock takes. A count snapshots the expected quantity (on hand) of its variants when it starts: every level
 * at the location (full) or the variants named (partial). Counters record what they find; posting writes one
 * `count` movement per variance (counted − expected), so sales made while counting are kept. A blind count
 * hides expected quantities until it is posted.
 */
export class CountService {
  async create(ctx: Ctx, input: CreateCountInput): Promise<StockCount> {
    requirePermission(ctx, WRITE);
    const i = parseInput(createCountInput, input);
    return withTransaction(ctx, async (tx) => {
      await movableLocation(tx, i.location_id, 'location_id');
      if (i.variant_ids) await movableVariants(tx, i.variant_ids, (n) => `variant_ids.${n}`);
      const id = uuidv7();
      const ids = i.variant_ids ?? [];
      await tx.db.execute(sql`
        WITH c AS (INSERT INTO stock_counts (tenant_id, id, location_id, scope, blind, created_by) VALUES (${tx.tenantId}, ${id}, ${i.location_id}, ${i.scope}, ${i.blind}, ${actorOf(ctx)}))
        INSERT INTO stock_count_lines (tenant_id, count_id, variant_id, expected)
        SELECT ${tx.tenantId}, ${id}, v.variant_id::uuid, coalesce(s.on_hand, 0)
          FROM (SELECT DISTINCT x AS variant_id FROM jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb) AS j(x)
                UNION SELECT variant_id::text FROM stock_levels WHERE ${i.scope === 'full'} AND tenant_id = ${tx.tenantId} AND location_id = ${i.location_id}) v
          LEFT JOIN stock_levels s ON s.tenant_id = ${tx.tenantId} AND s.location_id = ${i.location_id} AND s.variant_id = v.variant_id::uuid`);
      return (await loadCount(tx, id))!;
    });
  }

  async get(ctx: Ctx, id: string): Promise<StockCount> {
    requirePermission(ctx, READ);
    const c = await withTransaction(ctx, (tx) => loadCount(tx, id));
    if (!c) throw new AppError(OperationErrors.STOCK_COUNT_NOT_FOUND, { id });
    return c;
  }

  async list(ctx: Ctx, req: PageRequest): Promise<Page<StockCount>> {
    requirePermission(ctx, READ);
    const { limit, after } = readPage(req);
    return withTransaction(ctx, async (tx) => {
      const ids = rowsOf<{ id: string }>(await tx.db.execute(sql`SELECT id FROM stock_counts WHERE tenant_id = ${tx.tenantId} AND id > ${after ?? NIL_UUID} ORDER BY id LIMIT ${limit + 1}`));
      const out: StockCount[] = [];
      for (const { id } of ids) out.push((await loadCount(tx, id))!);
      return toPage(out, limit);
    });
  }

  /** Records counted quantities (a later record of the same variant replaces the earlier one). */
  async record(ctx: Ctx, id: string, input: RecordCountInput): Promise<StockCount> {
    requirePermission(ctx, WRITE);
    const i = parseInput(recordCountInput, input);
    return withTransaction(ctx, async (tx) => {
      const c = await this.open(tx, id);
      const known = new Set(c.lines.map((l) => l.variant_id));
      i.lines.forEach((l, n) => {
        if (!known.has(l.variant_id)) throw new AppError(OperationErrors.STOCK_COUNT_LINE_UNKNOWN, { field: `lines.${n}.variant_id`, variant_id: l.variant_id });
      });
      const json = JSON.stringify(i.lines.map((l) => ({ variant_id: l.variant_id, counted: l.counted })));
      await tx.db.execute(sql`
        UPDATE stock_count_lines l SET counted = x.counted FROM jsonb_to_recordset(${json}::jsonb) AS x(variant_id uuid, counted numeric)
         WHERE l.tenant_id = ${tx.tenantId} AND l.count_id = ${id} AND l.variant_id = x.variant_id`);
      await tx.db.execute(sql`UPDATE stock_counts SET updated_at = now() WHERE tenant_id = ${tx.tenantId} AND id = ${id}`);
      return (await loadCount(tx, id))!;
    });
  }

  /** OPEN → POSTED: each counted line whose count differs from expected posts its variance; uncounted lines change nothing. */
  async post(ctx: Ctx, id: string): Promise<StockCount> {
    requirePermission(ctx, WRITE);
    return withTransaction(ctx, async (tx) => {
      const c = await this.open(tx, id);
      await movableLocation(tx, c.location_id, 'location_id');
      const moves = c.lines
        .filter((l) => l.counted !== null && milli(normalize(l.counted)) !== milli(normalize(l.expected)))
        .map((l) => ({
          id: uuidv7(), locationId: c.location_id, variantId: l.variant_id, type: 'count' as const, quantity: fromMilli(milli(normalize(l.counted!)) - milli(normalize(l.expected))),
          unitCost: null, referenceType: 'count', referenceId: id, reason: 'stock count variance', occurredAt: null, changedEventId: uuidv7(), lowEventId: uuidv7(),
        }));
      // A count states what is there: its variances post even where the level then reads below zero.
      if (moves.length) await postAndCheck(tx, moves, { allowNegative: true, actor: actorOf(ctx) });
      await tx.db.execute(sql`UPDATE stock_counts SET status = 'POSTED', posted_at = now(), updated_at = now() WHERE tenant_id = ${tx.tenantId} AND id = ${id}`);
      return (await loadCount(tx, id))!;
    });
  }

  async cancel(ctx: Ctx, id: string): Promise<StockCount> {
    requirePermission(ctx, WRITE);
    return withTransaction(ctx, async (tx) => {
      await this.open(tx, id);
      await tx.db.execute(sql`UPDATE stock_counts SET status = 'CANCELLED', updated_at = now() WHERE tenant_id = ${tx.tenantId} AND id = ${id}`);
      return (await loadCount(tx, id))!;
    });
  }

  private async open(tx: TxScope, id: string): Promise<StockCount> {
    const c = await loadCount(tx, id, true);
    if (!c) throw new AppError(OperationErrors.STOCK_COUNT_NOT_FOUND, { id });
    if (c.status !== 'OPEN') throw new AppError(OperationErrors.STOCK_COUNT_NOT_OPEN, { id, status: c.status });
    return c;
  }
}
