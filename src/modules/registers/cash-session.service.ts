import { sql } from 'drizzle-orm';
import { assertFeature } from '../tenancy/index.js';
import { can, requirePermission, withTransaction, type Ctx, type TxCtx } from '../../platform/context.js';
import { rowsOf } from '../../platform/db.js';
import { uniqueViolation } from '../../platform/db-errors.js';
import { AppError, validationError } from '../../platform/errors.js';
import { recordEvent } from '../../platform/outbox.js';
import { readPage, toPage, type Page, type PageRequest } from '../../platform/pagination.js';
import { parseInput } from '../../platform/validation.js';
import { uuidv7 } from '../../platform/ids.js';
import { assertDeviceTerminal, bindToDevice } from '../access/index.js';
import {
  amountOrCount,
  approveSessionInput,
  closeSessionInput,
  listSessionsQuery,
  movementInput,
  needsApproval,
  openSessionInput,
  varianceKind,
  type CloseSessionInput,
  type DenominationCount,
  type MovementInput,
  type OpenSessionInput,
} from './cash-session.js';
import { cashSessionRepository, type CashSession, type SessionEntry } from './cash-session.repository.js';
import { RegisterErrors } from './registers.errors.js';
import { registerSettingsRepository } from './register-settings.js';
import { sessionReport, type SessionReport } from './session-report.js';

export const CashSessionEvents = {
  OPENED: 'cash_session.opened',
  CLOSED: 'cash_session.closed',
  VARIANCE_DETECTED: 'cash_session.variance_detected',
} as const;

const RECONCILE = 'pos:session:reconcile';
/** Opening the drawer without a sale: a manager's permission, lent to a cashier by a PIN override. */
export const NO_SALE_PERMISSION = 'pos:session:no_sale';

const me = (ctx: Ctx): string | null => ctx.actor.membershipId ?? null;

async function terminalFacts(tx: TxCtx, terminalId: string): Promise<{ outletId: string; active: boolean; currency: string }> {
  const [t] = rowsOf<{ outlet_id: string; active: boolean; currency: string }>(
    await tx.db.execute(sql`
      SELECT t.outlet_id, t.active, (SELECT currency FROM tenants WHERE id = ${tx.tenantId}) AS currency
        FROM terminals t WHERE t.tenant_id = ${tx.tenantId} AND t.id = ${terminalId}`),
  );
  if (!t) throw new AppError(RegisterErrors.TERMINAL_NOT_FOUND, { field: 'terminal_id', terminal_id: terminalId });
  return { outletId: t.outlet_id, active: t.active, currency: t.currency.trim() };
}

async function sessionOrThrow(tx: TxCtx, id: string, lock = false): Promise<CashSession> {
  const s = await cashSessionRepository.byId(tx, id, lock);
  if (!s) throw new AppError(RegisterErrors.CASH_SESSION_NOT_FOUND, { id });
  // A paired device reads and moves its own terminal's drawer only.
  assertDeviceTerminal(tx.actor, s.terminalId, 'id');
  return s;
}

/**
 * Cash-drawer sessions: open with a counted float, pay-ins, pay-outs and no-sales with reasons, X report at any
 * time, close with a count into an immutable Z report and a variance that is recorded as it is (shortage or
 * overage); a variance above the tenant's threshold needs pos:session:reconcile, else the session waits in
 * RECONCILING for a manager. Sales reach the ledger through the sale hooks (register-hooks.ts).
 */
export class CashSessionService {
  async open(ctx: Ctx, input: OpenSessionInput): Promise<CashSession> {
    requirePermission(ctx, 'pos:session:open');
    // A paired device opens its own terminal's drawer: terminal_id defaults to it, another one is refused.
    const parsed = bindToDevice(ctx.actor, parseInput(openSessionInput, input), { outlet: false });
    const terminalId = parsed.terminal_id;
    if (!terminalId) throw validationError([{ field: 'terminal_id', message: 'required (only a paired device may leave it out: it opens its own terminal)' }]);
    const i = { ...parsed, terminal_id: terminalId };
    const given = amountOrCount(i.opening_float === undefined ? undefined : BigInt(i.opening_float), i.opening_count);
    if (given?.mismatch) throw validationError([{ field: 'opening_float', message: `the count adds up to a different total than opening_float` }]);
    if (!given && !i.handover_from) throw validationError([{ field: 'opening_float', message: 'give the counted float (opening_float or opening_count), or handover_from' }]);
    if (given && i.handover_from) throw validationError([{ field: 'handover_from', message: 'a handover takes the previous session’s counted cash as its float; do not give a float too' }]);
    return withTransaction(ctx, async (tx) => {
      await assertFeature(tx, 'cash_sessions');
      const term = await terminalFacts(tx, i.terminal_id);
      if (!term.active) throw new AppError(RegisterErrors.TERMINAL_INACTIVE, { terminal_id: i.terminal_id });
      let float = given?.total ?? 0n;
      let count: DenominationCount | null = i.opening_count ?? null;
      if (i.handover_from) {
        const prev = await cashSessionRepository.byId(tx, i.handover_from);
        if (!prev || prev.terminalId !== i.terminal_id || prev.status === 'OPEN' || prev.countedCash === null) {
          throw new AppError(RegisterErrors.HANDOVER_INVALID, { field: 'handover_from', handover_from: i.handover_from });
        }
        float = prev.countedCash;
        count = prev.closingCount;
      }
      const session = await cashSessionRepository
        .insert(tx, { terminalId: i.terminal_id, outletId: term.outletId, currency: term.currency, openedBy: me(ctx), openingFloat: float, openingCount: count, handoverFrom: i.handover_from ?? null, blind: i.blind ?? false, note: i.note ?? null })
        .catch((e: unknown) => {
          const c = uniqueViolation(e);
          if (c?.includes('handover')) throw new AppError(RegisterErrors.HANDOVER_INVALID, { field: 'handover_from', handover_from: i.handover_from, reason: 'already handed over' });
          if (c) throw new AppError(RegisterErrors.CASH_SESSION_ALREADY_OPEN, { terminal_id: i.terminal_id }, `Terminal ${i.terminal_id} already has an open cash session; close it first`);
          throw e;
        });
      await recordEvent(tx, {
        type: CashSessionEvents.OPENED,
        aggregateType: 'cash_session',
        aggregateId: session.id,
        payload: { session_id: session.id, terminal_id: session.terminalId, outlet_id: session.outletId, seq: session.seq, opened_by: session.openedBy, opening_float: session.openingFloat, currency: session.currency, handover_from: session.handoverFrom },
      });
      return session;
    });
  }

  /** Pay-in, pay-out or no-sale. A pay-out above the drawer's expected cash needs pos:session:reconcile and is flagged. */
  async addMovement(ctx: Ctx, sessionId: string, input: MovementInput): Promise<{ session: CashSession; entry: SessionEntry }> {
    requirePermission(ctx, 'pos:session:open');
    const i = parseInput(movementInput, input);
    if (i.kind === 'NO_SALE') requirePermission(ctx, NO_SALE_PERMISSION);
    const amount = i.amount === undefined ? 0n : BigInt(i.amount);
    return withTransaction(ctx, async (tx) => {
      const s = await sessionOrThrow(tx, sessionId, true);
      if (s.status !== 'OPEN') throw new AppError(RegisterErrors.CASH_SESSION_NOT_OPEN, { id: sessionId, status: s.status });
      let flagged = false;
      if (i.kind === 'PAY_OUT' && amount > s.expectedCash) {
        if (!can(ctx, RECONCILE)) {
          throw new AppError(RegisterErrors.CASH_PAYOUT_EXCEEDS_DRAWER, { field: 'amount', amount: Number(amount), drawer_cash: Number(s.expectedCash), required: RECONCILE }, `The pay-out of ${amount} is larger than the ${s.expectedCash} in the drawer; a manager override (pos:session:reconcile) lets it through`);
        }
        flagged = true;
      }
      const signed = i.kind === 'PAY_OUT' ? -amount : amount;
      const entryId = uuidv7();
      const moved = await cashSessionRepository.append(tx, sessionId, [{ id: entryId, kind: i.kind, tenderType: 'CASH', amount: signed, reason: i.reason, flagged }], signed, me(ctx));
      if (!moved) throw new AppError(RegisterErrors.CASH_SESSION_NOT_OPEN, { id: sessionId });
      return { session: moved, entry: (await cashSessionRepository.entry(tx, sessionId, entryId))! };
    });
  }

  async get(ctx: Ctx, id: string): Promise<CashSession> {
    requirePermission(ctx, 'pos:session:read');
    return withTransaction(ctx, (tx) => sessionOrThrow(tx, id));
  }

  /** The open session of a terminal (seed 004's GET /pos/sessions/active). */
  async active(ctx: Ctx, terminalId: string): Promise<CashSession> {
    requirePermission(ctx, 'pos:session:read');
    assertDeviceTerminal(ctx.actor, terminalId);
    const s = await withTransaction(ctx, (tx) => cashSessionRepository.openOn(tx, terminalId));
    if (!s) throw new AppError(RegisterErrors.CASH_SESSION_NOT_FOUND, { terminal_id: terminalId }, `Terminal ${terminalId} has no open cash session`);
    return s;
  }

  async list(ctx: Ctx, query: PageRequest & Record<string, unknown>): Promise<Page<CashSession>> {
    requirePermission(ctx, 'pos:session:read');
    const f = bindToDevice(ctx.actor, parseInput(listSessionsQuery, { terminal_id: query.terminal_id, status: query.status, needs_review: query.needs_review }), { outlet: false });
    const { limit, after } = readPage(query);
    const rows = await withTransaction(ctx, (tx) => cashSessionRepository.list(tx, limit, after, { terminalId: f.terminal_id, status: f.status, needsReview: f.needs_review }));
    return toPage(rows, limit);
  }

  async entries(ctx: Ctx, id: string, page: PageRequest): Promise<Page<SessionEntry>> {
    requirePermission(ctx, 'pos:session:read');
    const { limit, after } = readPage(page);
    const rows = await withTransaction(ctx, async (tx) => {
      await sessionOrThrow(tx, id);
      return cashSessionRepository.entries(tx, id, limit, after);
    });
    return toPage(rows, limit);
  }

  /** X report: the session's figures now, read-only (a closed session answers with its Z report). */
  async report(ctx: Ctx, id: string): Promise<{ session: CashSession; report: SessionReport | Record<string, unknown> }> {
    requirePermission(ctx, 'pos:session:read');
    return withTransaction(ctx, async (tx) => {
      const s = await sessionOrThrow(tx, id);
      if (s.status !== 'OPEN') return { session: s, report: s.zReport! };
      return { session: s, report: await sessionReport(tx, s, 'X') };
    });
  }

  /**
   * Closes the session with the counted cash. The session row is locked first (FOR UPDATE): a sale that
   * already moved it has committed before the Z report is aggregated; a sale after it finds it closed.
   */
  async close(ctx: Ctx, id: string, input: CloseSessionInput): Promise<{ session: CashSession; report: SessionReport }> {
    requirePermission(ctx, 'pos:session:close');
    const i = parseInput(closeSessionInput, input);
    const given = amountOrCount(i.counted_cash === undefined ? undefined : BigInt(i.counted_cash), i.closing_count);
    if (!given) throw validationError([{ field: 'counted_cash', message: 'give the counted cash (counted_cash or closing_count)' }]);
    if (given.mismatch) throw validationError([{ field: 'counted_cash', message: 'the count adds up to a different total than counted_cash' }]);
    return withTransaction(ctx, async (tx) => {
      const s = await sessionOrThrow(tx, id, true);
      if (s.status !== 'OPEN') throw new AppError(RegisterErrors.CASH_SESSION_NOT_OPEN, { id, status: s.status });
      if (s.openedBy !== null && s.openedBy !== me(ctx) && !can(ctx, RECONCILE)) throw new AppError(RegisterErrors.CASH_SESSION_NOT_YOURS, { id, opened_by: s.openedBy, required: RECONCILE });
      return closeLocked(tx, s, { counted: given.total, count: i.closing_count ?? null, note: i.note ?? null, by: me(ctx), mayApprove: can(ctx, RECONCILE), auto: false });
    });
  }

  /** A manager approves a RECONCILING session's variance: it becomes CLOSED. */
  async approve(ctx: Ctx, id: string, input: unknown): Promise<CashSession> {
    requirePermission(ctx, RECONCILE);
    const i = parseInput(approveSessionInput, input ?? {});
    return withTransaction(ctx, async (tx) => {
      const s = await sessionOrThrow(tx, id);
      const done = await cashSessionRepository.approve(tx, id, me(ctx), i.note ?? null);
      if (!done) throw new AppError(RegisterErrors.CASH_SESSION_NOT_RECONCILING, { id, status: s.status });
      return done;
    });
  }
}

/** Closes a session whose row the caller holds: Z report, variance, approval, events. Also the auto-close job's path. */
export async function closeLocked(
  tx: TxCtx | (Pick<TxCtx, 'db' | 'tenantId'>),
  s: CashSession,
  c: { counted: bigint | null; count: DenominationCount | null; note: string | null; by: string | null; mayApprove: boolean; auto: boolean },
): Promise<{ session: CashSession; report: SessionReport }> {
  const settings = await registerSettingsRepository.get(tx);
  const report = await sessionReport(tx, s, 'Z', c.counted);
  // An auto-close has no count: the expected cash is recorded as counted (variance 0) and flagged for review.
  if (c.counted === null) Object.assign(report, { counted_cash: report.expected_cash, variance: 0n, variance_kind: 'BALANCED' });
  const counted = report.counted_cash!;
  const variance = report.variance!;
  const approval = needsApproval(variance, settings.varianceApprovalThreshold);
  const status = approval && !c.mayApprove ? 'RECONCILING' : 'CLOSED';
  const closed = await cashSessionRepository.close(tx, s.id, {
    status,
    closedBy: c.by,
    countedCash: counted,
    closingCount: c.count,
    variance,
    note: c.note,
    approvedBy: approval && c.mayApprove ? c.by : null,
    autoClosed: c.auto,
    needsReview: c.auto || status === 'RECONCILING',
    zReport: report,
  });
  if (!closed) throw new AppError(RegisterErrors.CASH_SESSION_NOT_OPEN, { id: s.id });
  const facts = { session_id: s.id, terminal_id: s.terminalId, outlet_id: s.outletId, currency: s.currency, expected_cash: report.expected_cash, counted_cash: counted, variance, variance_kind: varianceKind(variance) };
  await recordEvent(tx, { type: CashSessionEvents.CLOSED, aggregateType: 'cash_session', aggregateId: s.id, payload: { ...facts, status, auto_closed: c.auto, closed_by: c.by, sales_count: report.sales.count, sales_total: report.sales.total } });
  if (approval) await recordEvent(tx, { type: CashSessionEvents.VARIANCE_DETECTED, aggregateType: 'cash_session', aggregateId: s.id, payload: { ...facts, threshold: settings.varianceApprovalThreshold, approved_by: closed.approvedBy } });
  return { session: closed, report };
}
