import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { requirePermission, withTransaction, type Ctx, type TxCtx, type TxScope } from '../../platform/context.js';
import { rowsOf } from '../../platform/db.js';
import { uniqueViolation } from '../../platform/db-errors.js';
import { AppError, validationError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { readPage, toPage, type Page, type PageRequest } from '../../platform/pagination.js';
import { codeField, nameField, parseInput, uuidField } from '../../platform/validation.js';
import { assertWithinLicense } from '../tenancy/index.js';
import { credentialsChangedLocally } from '../access/index.js';
import { RegisterErrors } from './registers.errors.js';

/** A terminal (register) as presented: seed 004's POSTerminal. */
export interface TerminalRow {
  id: string;
  outletId: string;
  code: string;
  name: string;
  active: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export const createTerminalInput = z.strictObject({ outlet_id: uuidField(), code: codeField(), name: nameField(100), active: z.boolean().optional() });
export const updateTerminalInput = z.strictObject({ outlet_id: uuidField().optional(), code: codeField().optional(), name: nameField(100).optional(), active: z.boolean().optional() });
export const listTerminalsQuery = z.object({ outlet_id: uuidField().optional(), active: z.enum(['true', 'false']).transform((v) => v === 'true').optional() });
export type CreateTerminalInput = z.input<typeof createTerminalInput>;
export type UpdateTerminalInput = z.input<typeof updateTerminalInput>;

type Row = { id: string; outlet_id: string; code: string; name: string; active: boolean; created_at: string | Date; updated_at: string | Date };
const toTerminal = (r: Row): TerminalRow => ({ id: r.id, outletId: r.outlet_id, code: r.code, name: r.name, active: r.active, createdAt: new Date(r.created_at), updatedAt: new Date(r.updated_at) });

async function byId(tx: TxCtx, id: string): Promise<TerminalRow | undefined> {
  const [r] = rowsOf<Row>(await tx.db.execute(sql`SELECT * FROM terminals WHERE tenant_id = ${tx.tenantId} AND id = ${id}`));
  return r ? toTerminal(r) : undefined;
}

async function assertOutlet(tx: TxCtx, outletId: string): Promise<void> {
  const [o] = rowsOf<{ id: string }>(await tx.db.execute(sql`SELECT id FROM outlets WHERE tenant_id = ${tx.tenantId} AND id = ${outletId}`));
  if (!o) throw validationError([{ field: 'outlet_id', message: 'no such outlet' }]);
}

const codeTaken = (e: unknown): never => {
  if (uniqueViolation(e)) throw new AppError(RegisterErrors.TERMINAL_CODE_TAKEN, { field: 'code' });
  throw e;
};

/** Terminals CRUD (seed 004): create within the licence, list, get, update, deactivate (DELETE). */
export class TerminalService {
  constructor(private readonly credentialsChanged?: (tx: TxScope) => Promise<void>) {}

  async create(ctx: Ctx, input: CreateTerminalInput): Promise<TerminalRow> {
    requirePermission(ctx, 'pos:terminal:create');
    const i = parseInput(createTerminalInput, input);
    return withTransaction(ctx, async (tx) => {
      await assertOutlet(tx, i.outlet_id);
      if (i.active !== false) await assertWithinLicense(tx, 'terminals');
      const [r] = rowsOf<Row>(
        await tx.db
          .execute(sql`INSERT INTO terminals (tenant_id, id, outlet_id, code, name, active) VALUES (${tx.tenantId}, ${uuidv7()}, ${i.outlet_id}, ${i.code}, ${i.name}, ${i.active ?? true}) RETURNING *`)
          .catch(codeTaken),
      );
      return toTerminal(r!);
    });
  }

  async get(ctx: Ctx, id: string): Promise<TerminalRow> {
    requirePermission(ctx, 'pos:terminal:read');
    const t = await withTransaction(ctx, (tx) => byId(tx, id));
    if (!t) throw new AppError(RegisterErrors.TERMINAL_NOT_FOUND, { id });
    return t;
  }

  async list(ctx: Ctx, query: PageRequest & Record<string, unknown>): Promise<Page<TerminalRow>> {
    requirePermission(ctx, 'pos:terminal:read');
    const f = parseInput(listTerminalsQuery, { outlet_id: query.outlet_id, active: query.active });
    const { limit, after } = readPage(query);
    const rows = await withTransaction(ctx, async (tx) =>
      rowsOf<Row>(
        await tx.db.execute(sql`
          SELECT * FROM terminals WHERE tenant_id = ${tx.tenantId} AND id > ${after ?? '00000000-0000-0000-0000-000000000000'}
             ${f.outlet_id ? sql`AND outlet_id = ${f.outlet_id}` : sql``} ${f.active !== undefined ? sql`AND active = ${f.active}` : sql``}
           ORDER BY id LIMIT ${limit + 1}`),
      ).map(toTerminal),
    );
    return toPage(rows, limit);
  }

  async update(ctx: Ctx, id: string, input: UpdateTerminalInput): Promise<TerminalRow> {
    requirePermission(ctx, 'pos:terminal:update');
    const i = parseInput(updateTerminalInput, input);
    let moved = false;
    const updated = await withTransaction(ctx, async (tx) => {
      const cur = await byId(tx, id);
      if (!cur) throw new AppError(RegisterErrors.TERMINAL_NOT_FOUND, { id });
      if (i.outlet_id) await assertOutlet(tx, i.outlet_id);
      if (i.active === true && !cur.active) await assertWithinLicense(tx, 'terminals');
      if (i.active === false && cur.active) await assertNoOpenSession(tx, id);
      const [r] = rowsOf<Row>(
        await tx.db
          .execute(sql`
            UPDATE terminals SET outlet_id = coalesce(${i.outlet_id ?? null}::uuid, outlet_id), code = coalesce(${i.code ?? null}, code),
                   name = coalesce(${i.name ?? null}, name), active = coalesce(${i.active ?? null}::boolean, active), updated_at = now()
             WHERE tenant_id = ${tx.tenantId} AND id = ${id} RETURNING *`)
          .catch(codeTaken),
      );
      moved = i.outlet_id !== undefined && i.outlet_id !== cur.outletId;
      // A paired device's credential carries its terminal's outlet: moving the terminal drops the auth caches.
      if (moved) await this.credentialsChanged?.(tx);
      return toTerminal(r!);
    });
    if (moved) credentialsChangedLocally(ctx.database);
    return updated;
  }

  /** Seed 004's DELETE: deactivates (orders and sessions keep pointing at it); refused while a session is open. */
  async deactivate(ctx: Ctx, id: string): Promise<TerminalRow> {
    requirePermission(ctx, 'pos:terminal:delete');
    return withTransaction(ctx, async (tx) => {
      const cur = await byId(tx, id);
      if (!cur) throw new AppError(RegisterErrors.TERMINAL_NOT_FOUND, { id });
      await assertNoOpenSession(tx, id);
      const [r] = rowsOf<Row>(await tx.db.execute(sql`UPDATE terminals SET active = false, updated_at = now() WHERE tenant_id = ${tx.tenantId} AND id = ${id} RETURNING *`));
      return toTerminal(r!);
    });
  }
}

async function assertNoOpenSession(tx: TxCtx, terminalId: string): Promise<void> {
  const [s] = rowsOf<{ id: string }>(await tx.db.execute(sql`SELECT id FROM cash_sessions WHERE tenant_id = ${tx.tenantId} AND terminal_id = ${terminalId} AND status = 'OPEN'`));
  if (s) throw new AppError(RegisterErrors.TERMINAL_HAS_OPEN_SESSION, { terminal_id: terminalId, session_id: s.id });
}
