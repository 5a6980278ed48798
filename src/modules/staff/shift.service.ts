import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { can, requirePermission, withTransaction, type Ctx, type TxCtx } from '../../platform/context.js';
import type { Database } from '../../platform/db.js';
import { rowsOf } from '../../platform/db.js';
import { uniqueViolation } from '../../platform/db-errors.js';
import { AppError, validationError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { readPage, toPage, type Page, type PageRequest } from '../../platform/pagination.js';
import { parseInput, uuidField } from '../../platform/validation.js';
import { businessDate } from '../sales/index.js';
import { StaffErrors } from './staff.errors.js';

/** A shift (timecard). Seconds are whole seconds; worked = (clock-out or now) − clock-in − breaks. */
export interface Shift {
  id: string;
  membershipId: string;
  outletId: string;
  terminalId: string | null;
  status: 'OPEN' | 'CLOSED';
  businessDate: string;
  clockInAt: Date;
  clockOutAt: Date | null;
  onBreakSince: Date | null;
  breakSeconds: number;
  workedSeconds: number;
  autoClockedOut: boolean;
  needsReview: boolean;
  note: string | null;
}

export const clockInInput = z.strictObject({
  staff_member_id: uuidField().optional().describe('Default: the caller; someone else needs pos:staff:write'),
  outlet_id: uuidField(),
  terminal_id: uuidField().optional(),
  note: z.string().trim().max(500).optional(),
});
export const clockOutInput = z.strictObject({ note: z.string().trim().max(500).optional() });
const dateField = () => z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2024-05-03');
export const listShiftsQuery = z.object({ staff_member_id: uuidField().optional(), outlet_id: uuidField().optional(), status: z.enum(['OPEN', 'CLOSED']).optional(), needs_review: z.enum(['true', 'false']).transform((v) => v === 'true').optional() });
export const hoursQuery = z.object({ from: dateField(), to: dateField().describe('Inclusive'), staff_member_id: uuidField().optional(), outlet_id: uuidField().optional() });

type Row = Record<string, unknown>;
const d = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string));
const toShift = (r: Row): Shift => ({
  id: r.id as string,
  membershipId: r.membership_id as string,
  outletId: r.outlet_id as string,
  terminalId: (r.terminal_id as string | null) ?? null,
  status: r.status as 'OPEN' | 'CLOSED',
  businessDate: String(r.business_date).slice(0, 10),
  clockInAt: d(r.clock_in_at)!,
  clockOutAt: d(r.clock_out_at),
  onBreakSince: d(r.on_break_since),
  breakSeconds: Number(r.break_seconds ?? 0),
  workedSeconds: Number(r.worked_seconds ?? 0),
  autoClockedOut: Boolean(r.auto_clocked_out),
  needsReview: Boolean(r.needs_review),
  note: (r.note as string | null) ?? null,
});

/** Shifts with their break and worked seconds, computed by the database at one instant. */
const select = sql`
  SELECT s.*, b.break_seconds, b.on_break_since,
         greatest(0, extract(epoch FROM coalesce(s.clock_out_at, now()) - s.clock_in_at)::bigint - b.break_seconds) AS worked_seconds
    FROM shifts s
    CROSS JOIN LATERAL (
      SELECT coalesce(sum(extract(epoch FROM coalesce(x.ended_at, s.clock_out_at, now()) - x.started_at))::bigint, 0) AS break_seconds,
             max(x.started_at) FILTER (WHERE x.ended_at IS NULL) AS on_break_since
        FROM shift_breaks x WHERE x.tenant_id = s.tenant_id AND x.shift_id = s.id) b`;

async function byId(tx: TxCtx | { db: TxCtx['db']; tenantId: string }, id: string, lock = false): Promise<Shift | undefined> {
  if (lock) await tx.db.execute(sql`SELECT 1 FROM shifts WHERE tenant_id = ${tx.tenantId} AND id = ${id} FOR UPDATE`);
  const [r] = rowsOf<Row>(await tx.db.execute(sql`${select} WHERE s.tenant_id = ${tx.tenantId} AND s.id = ${id}`));
  return r ? toShift(r) : undefined;
}

/**
 * Shifts and timecards: clock in at an outlet (one open shift per person; only outlets the person may work at),
 * breaks, clock out, hours per person per business day. One's own shift needs no permission beyond being
 * signed in as a staff member; anyone else's needs pos:staff:write.
 */
export class ShiftService {
  async clockIn(ctx: Ctx, input: unknown): Promise<Shift> {
    const i = parseInput(clockInInput, input);
    const who = i.staff_member_id ?? ctx.actor.membershipId;
    if (!who) throw validationError([{ field: 'staff_member_id', message: 'is required when the caller is not a staff member' }]);
    if (who !== ctx.actor.membershipId) requirePermission(ctx, 'pos:staff:write');
    return withTransaction(ctx, async (tx) => {
      const [m] = rowsOf<{ active: boolean; outlet_ids: string[] | null }>(
        await tx.db.execute(sql`SELECT m.active, p.outlet_ids FROM memberships m LEFT JOIN staff_profiles p ON p.tenant_id = m.tenant_id AND p.membership_id = m.id WHERE m.tenant_id = ${tx.tenantId} AND m.id = ${who}`),
      );
      if (!m) throw new AppError(StaffErrors.STAFF_MEMBER_NOT_FOUND, { field: 'staff_member_id', id: who });
      if (!m.active) throw new AppError(StaffErrors.STAFF_INACTIVE, { id: who });
      const [o] = rowsOf<{ time_zone: string; cutoff: number }>(await tx.db.execute(sql`SELECT time_zone, business_day_cutoff_minutes AS cutoff FROM outlets WHERE tenant_id = ${tx.tenantId} AND id = ${i.outlet_id}`));
      if (!o) throw validationError([{ field: 'outlet_id', message: 'no such outlet' }]);
      if (m.outlet_ids && m.outlet_ids.length > 0 && !m.outlet_ids.includes(i.outlet_id)) throw new AppError(StaffErrors.STAFF_OUTLET_NOT_ALLOWED, { field: 'outlet_id', outlet_id: i.outlet_id });
      if (i.terminal_id) {
        const [t] = rowsOf<{ outlet_id: string }>(await tx.db.execute(sql`SELECT outlet_id FROM terminals WHERE tenant_id = ${tx.tenantId} AND id = ${i.terminal_id}`));
        if (!t || t.outlet_id !== i.outlet_id) throw validationError([{ field: 'terminal_id', message: 'no such terminal at this outlet' }]);
      }
      const id = uuidv7();
      await tx.db
        .execute(sql`
          INSERT INTO shifts (tenant_id, id, membership_id, outlet_id, terminal_id, business_date, note, created_by)
          VALUES (${tx.tenantId}, ${id}, ${who}, ${i.outlet_id}, ${i.terminal_id ?? null}, ${businessDate(new Date(), o.time_zone, o.cutoff)}::date, ${i.note ?? null}, ${ctx.actor.membershipId ?? null})`)
        .catch((e: unknown) => {
          if (uniqueViolation(e)) throw new AppError(StaffErrors.SHIFT_ALREADY_OPEN, { staff_member_id: who });
          throw e;
        });
      return (await byId(tx, id))!;
    });
  }

  async clockOut(ctx: Ctx, id: string, input: unknown): Promise<Shift> {
    const i = parseInput(clockOutInput, input ?? {});
    return this.change(ctx, id, async (tx) => {
      await tx.db.execute(sql`UPDATE shift_breaks SET ended_at = now() WHERE tenant_id = ${tx.tenantId} AND shift_id = ${id} AND ended_at IS NULL`);
      await tx.db.execute(sql`UPDATE shifts SET status = 'CLOSED', clock_out_at = now(), note = coalesce(${i.note ?? null}, note), updated_at = now() WHERE tenant_id = ${tx.tenantId} AND id = ${id} AND status = 'OPEN'`);
    });
  }

  async startBreak(ctx: Ctx, id: string): Promise<Shift> {
    return this.change(ctx, id, async (tx, s) => {
      if (s.onBreakSince) throw new AppError(StaffErrors.SHIFT_ON_BREAK, { id });
      await tx.db.execute(sql`INSERT INTO shift_breaks (tenant_id, shift_id, id) VALUES (${tx.tenantId}, ${id}, ${uuidv7()})`);
    });
  }

  async endBreak(ctx: Ctx, id: string): Promise<Shift> {
    return this.change(ctx, id, async (tx, s) => {
      if (!s.onBreakSince) throw new AppError(StaffErrors.SHIFT_NOT_ON_BREAK, { id });
      await tx.db.execute(sql`UPDATE shift_breaks SET ended_at = now() WHERE tenant_id = ${tx.tenantId} AND shift_id = ${id} AND ended_at IS NULL`);
    });
  }

  async get(ctx: Ctx, id: string): Promise<Shift> {
    const s = await withTransaction(ctx, (tx) => byId(tx, id));
    if (!s || (s.membershipId !== ctx.actor.membershipId && !can(ctx, 'pos:staff:read'))) throw new AppError(StaffErrors.SHIFT_NOT_FOUND, { id });
    return s;
  }

  async list(ctx: Ctx, query: PageRequest & Record<string, unknown>): Promise<Page<Shift>> {
    const f = parseInput(listShiftsQuery, { staff_member_id: query.staff_member_id, outlet_id: query.outlet_id, status: query.status, needs_review: query.needs_review });
    if (f.staff_member_id !== ctx.actor.membershipId || !f.staff_member_id) requirePermission(ctx, 'pos:staff:read');
    const { limit, after } = readPage(query);
    const rows = await withTransaction(ctx, async (tx) =>
      rowsOf<Row>(
        await tx.db.execute(sql`${select} WHERE s.tenant_id = ${tx.tenantId} AND s.id > ${after ?? '00000000-0000-0000-0000-000000000000'}
          ${f.staff_member_id ? sql`AND s.membership_id = ${f.staff_member_id}` : sql``} ${f.outlet_id ? sql`AND s.outlet_id = ${f.outlet_id}` : sql``}
          ${f.status ? sql`AND s.status = ${f.status}` : sql``} ${f.needs_review !== undefined ? sql`AND s.needs_review = ${f.needs_review}` : sql``}
          ORDER BY s.id LIMIT ${limit + 1}`),
      ).map(toShift),
    );
    return toPage(rows, limit);
  }

  /** Hours per staff member per business day over [from, to], breaks excluded. */
  async hours(ctx: Ctx, query: Record<string, unknown>): Promise<{ staffMemberId: string; businessDate: string; shifts: number; workedSeconds: number; breakSeconds: number }[]> {
    const f = parseInput(hoursQuery, { from: query.from, to: query.to, staff_member_id: query.staff_member_id, outlet_id: query.outlet_id });
    if (f.staff_member_id !== ctx.actor.membershipId || !f.staff_member_id) requirePermission(ctx, 'pos:staff:read');
    const rows = await withTransaction(ctx, async (tx) =>
      rowsOf<{ membership_id: string; business_date: string | Date; shifts: string; worked: string; breaks: string }>(
        await tx.db.execute(sql`
          SELECT x.membership_id, x.business_date, count(*) AS shifts, sum(x.worked_seconds) AS worked, sum(x.break_seconds) AS breaks
            FROM (${select} WHERE s.tenant_id = ${tx.tenantId} AND s.business_date BETWEEN ${f.from}::date AND ${f.to}::date
                  ${f.staff_member_id ? sql`AND s.membership_id = ${f.staff_member_id}` : sql``} ${f.outlet_id ? sql`AND s.outlet_id = ${f.outlet_id}` : sql``}) x
           GROUP BY x.membership_id, x.business_date ORDER BY x.business_date, x.membership_id LIMIT 5000`),
      ),
    );
    return rows.map((r) => ({ staffMemberId: r.membership_id, businessDate: (r.business_date instanceof Date ? r.business_date.toISOString() : String(r.business_date)).slice(0, 10), shifts: Number(r.shifts), workedSeconds: Number(r.worked), breakSeconds: Number(r.breaks) }));
  }

  private async change(ctx: Ctx, id: string, work: (tx: TxCtx, s: Shift) => Promise<void>): Promise<Shift> {
    return withTransaction(ctx, async (tx) => {
      const s = await byId(tx, id, true);
      if (!s) throw new AppError(StaffErrors.SHIFT_NOT_FOUND, { id });
      if (s.membershipId !== ctx.actor.membershipId) {
        if (!can(ctx, 'pos:staff:read')) throw new AppError(StaffErrors.SHIFT_NOT_FOUND, { id });
        requirePermission(ctx, 'pos:staff:write');
      }
      if (s.status !== 'OPEN') throw new AppError(StaffErrors.SHIFT_NOT_OPEN, { id });
      await work(tx, s);
      return (await byId(tx, id))!;
    });
  }
}

export const AUTO_CLOCK_OUT_QUEUE = 'staff.auto_clock_out';

/**
 * Ends every shift still open past its business day's cut-off at that cut-off (not now, which would pay the
 * night), closing an open break there too, flagged auto_clocked_out and needs_review. Returns how many.
 */
export async function autoClockOut(database: Database): Promise<number> {
  return database.systemTransaction(async (db) => {
    const cut = sql`(((s.business_date + 1)::timestamp + make_interval(mins => o.business_day_cutoff_minutes)) AT TIME ZONE o.time_zone)`;
    const due = rowsOf<{ tenant_id: string; id: string; cut: string }>(
      await db.execute(sql`
        SELECT s.tenant_id, s.id, greatest(${cut}, s.clock_in_at) AS cut FROM shifts s JOIN outlets o ON o.tenant_id = s.tenant_id AND o.id = s.outlet_id
         WHERE s.status = 'OPEN' AND ${cut} <= now() ORDER BY s.clock_in_at LIMIT 500 FOR UPDATE OF s SKIP LOCKED`),
    );
    for (const s of due) {
      await db.execute(sql`UPDATE shift_breaks SET ended_at = greatest(started_at, ${s.cut}::timestamptz) WHERE tenant_id = ${s.tenant_id} AND shift_id = ${s.id} AND ended_at IS NULL`);
      await db.execute(sql`UPDATE shifts SET status = 'CLOSED', clock_out_at = ${s.cut}::timestamptz, auto_clocked_out = true, needs_review = true, updated_at = now() WHERE tenant_id = ${s.tenant_id} AND id = ${s.id} AND status = 'OPEN'`);
    }
    return due.length;
  });
}
