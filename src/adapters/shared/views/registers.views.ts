import { z } from 'zod';
import type { CashSession, Device, RegisterSettings, SessionEntry, SessionReport, TerminalRow } from '../../../modules/registers/index.js';
import type { LicensePlan } from '../../../modules/tenancy/index.js';
import type { Commission, CommissionRule, Shift, StaffProfile } from '../../../modules/staff/index.js';
import { can, type Ctx } from '../../../platform/context.js';
import { iso, timestamp } from './common.js';

const money = () => z.number().int().describe('Minor units');

/**
 * A blind session hides what the drawer should hold (expected cash, variance, the report's expected figures)
 * from whoever may not reconcile it: the cashier counts without knowing the answer.
 */
const hidden = (s: CashSession, ctx: Ctx) => s.blind && !can(ctx, 'pos:session:reconcile');

export const cashSessionView = z.object({
  id: z.string(),
  terminal_id: z.string(),
  outlet_id: z.string(),
  session_number: z.number().int(),
  status: z.enum(['OPEN', 'RECONCILING', 'CLOSED']),
  currency: z.string(),
  opened_by: z.string().nullable(),
  opened_at: timestamp(),
  opening_float: money(),
  opening_count: z.record(z.string(), z.number()).nullable(),
  handover_from: z.string().nullable(),
  blind: z.boolean(),
  expected_cash: money().nullable().describe('null while hidden (blind session, caller without pos:session:reconcile)'),
  counted_cash: money().nullable(),
  closing_count: z.record(z.string(), z.number()).nullable(),
  variance: money().nullable().describe('counted − expected: negative is a shortage, positive an overage'),
  variance_kind: z.enum(['SHORTAGE', 'OVERAGE', 'BALANCED']).nullable(),
  closed_by: z.string().nullable(),
  closed_at: timestamp().nullable(),
  close_note: z.string().nullable(),
  approved_by: z.string().nullable(),
  approved_at: timestamp().nullable(),
  auto_closed: z.boolean(),
  needs_review: z.boolean(),
  updated_at: timestamp(),
});

export function presentCashSession(s: CashSession, ctx: Ctx) {
  const hide = hidden(s, ctx);
  return {
    id: s.id,
    terminal_id: s.terminalId,
    outlet_id: s.outletId,
    session_number: s.seq,
    status: s.status,
    currency: s.currency,
    opened_by: s.openedBy,
    opened_at: iso(s.openedAt),
    opening_float: s.openingFloat,
    opening_count: s.openingCount,
    handover_from: s.handoverFrom,
    blind: s.blind,
    expected_cash: hide ? null : s.status === 'OPEN' ? s.expectedCash : s.countedCash !== null && s.variance !== null ? s.countedCash - s.variance : s.expectedCash,
    counted_cash: s.countedCash,
    closing_count: s.closingCount,
    variance: hide ? null : s.variance,
    variance_kind: hide || s.variance === null ? null : s.variance < 0n ? 'SHORTAGE' : s.variance > 0n ? 'OVERAGE' : 'BALANCED',
    closed_by: s.closedBy,
    closed_at: iso(s.closedAt),
    close_note: s.closeNote,
    approved_by: s.approvedBy,
    approved_at: iso(s.approvedAt),
    auto_closed: s.autoClosed,
    needs_review: s.needsReview,
    updated_at: iso(s.updatedAt),
  };
}

export const sessionEntryView = z.object({
  id: z.string(),
  session_id: z.string(),
  kind: z.string(),
  tender_type: z.string().nullable(),
  amount: money().describe('Signed: into (+) or out of (−) the session'),
  change: money().nullable(),
  order_id: z.string().nullable(),
  payment_id: z.string().nullable(),
  refund_id: z.string().nullable(),
  reason: z.string().nullable(),
  flagged: z.boolean(),
  created_by: z.string().nullable(),
  created_at: timestamp(),
});

export const presentEntry = (e: SessionEntry) => ({
  id: e.id,
  session_id: e.sessionId,
  kind: e.kind,
  tender_type: e.tenderType,
  amount: e.amount,
  change: e.change,
  order_id: e.orderId,
  payment_id: e.paymentId,
  refund_id: e.refundId,
  reason: e.reason,
  flagged: e.flagged,
  created_by: e.createdBy,
  created_at: iso(e.createdAt),
});

export const sessionReportView = z.object({
  kind: z.enum(['X', 'Z']),
  session_id: z.string(),
  terminal_id: z.string(),
  outlet_id: z.string(),
  currency: z.string(),
  opened_at: timestamp(),
  closed_at: timestamp().nullable(),
  generated_at: timestamp(),
  opening_float: money(),
  sales: z.record(z.string(), z.number()),
  refunds: z.record(z.string(), z.number()),
  tenders: z.array(z.record(z.string(), z.union([z.string(), z.number()]))),
  cash_movements: z.record(z.string(), z.record(z.string(), z.number())),
  expected: z.array(z.object({ tender_type: z.string(), amount: money() })).nullable(),
  expected_cash: money().nullable(),
  counted_cash: money().nullable(),
  variance: money().nullable(),
  variance_kind: z.enum(['SHORTAGE', 'OVERAGE', 'BALANCED']).nullable(),
});

/** The X report (live) or the stored Z report (jsonb, money already JSON integers); blind sessions hide the expected figures. */
export function presentReport(s: CashSession, report: SessionReport | Record<string, unknown>, ctx: Ctx) {
  if (!hidden(s, ctx)) return report;
  return { ...report, expected: null, expected_cash: null, variance: null, variance_kind: null };
}

export const closeResultView = z.object({ session: cashSessionView, report: sessionReportView });

export const registerSettingsView = z.object({
  require_open_session: z.boolean(),
  variance_approval_threshold: money(),
  auto_close: z.boolean(),
  pin_max_failures: z.number().int(),
  pin_lockout_minutes: z.number().int(),
});

export const presentRegisterSettings = (s: RegisterSettings) => ({
  require_open_session: s.requireOpenSession,
  variance_approval_threshold: s.varianceApprovalThreshold,
  auto_close: s.autoClose,
  pin_max_failures: s.pinMaxFailures,
  pin_lockout_minutes: s.pinLockoutMinutes,
});

export const staffProfileView = z.object({
  staff_member_id: z.string(),
  user_id: z.string(),
  display_name: z.string(),
  role_id: z.string(),
  role_key: z.string(),
  active: z.boolean(),
  outlet_ids: z.array(z.string()),
  has_pin: z.boolean(),
  pin_set_at: timestamp().nullable(),
  locked_until: timestamp().nullable(),
});

export const presentStaffProfile = (p: StaffProfile) => ({
  staff_member_id: p.membershipId,
  user_id: p.userId,
  display_name: p.displayName,
  role_id: p.roleId,
  role_key: p.roleKey,
  active: p.active,
  outlet_ids: p.outletIds,
  has_pin: p.hasPin,
  pin_set_at: iso(p.pinSetAt),
  locked_until: p.lockedUntil && p.lockedUntil > new Date() ? iso(p.lockedUntil) : null,
});

export const staffSwitchView = z.object({ staff_session_token: z.string(), expires_at: timestamp(), staff_member: staffProfileView, permissions: z.array(z.string()) });
export const overrideView = z.object({ override_token: z.string(), expires_at: timestamp(), permission: z.string(), action: z.string(), approved_by: z.string() });

export const terminalView = z.object({ id: z.string(), outlet_id: z.string(), code: z.string(), name: z.string(), active: z.boolean(), created_at: timestamp(), updated_at: timestamp() });
export const presentTerminal = (t: TerminalRow) => ({ id: t.id, outlet_id: t.outletId, code: t.code, name: t.name, active: t.active, created_at: iso(t.createdAt), updated_at: iso(t.updatedAt) });

export const deviceView = z.object({
  id: z.string(),
  terminal_id: z.string(),
  name: z.string(),
  platform: z.string().nullable(),
  api_key_id: z.string(),
  status: z.enum(['ACTIVE', 'REVOKED']),
  paired_at: timestamp(),
  revoked_at: timestamp().nullable(),
  last_seen_at: timestamp().nullable(),
});
export const presentDevice = (d: Device) => ({
  id: d.id,
  terminal_id: d.terminalId,
  name: d.name,
  platform: d.platform,
  api_key_id: d.apiKeyId,
  status: d.status,
  paired_at: iso(d.pairedAt),
  revoked_at: iso(d.revokedAt),
  last_seen_at: iso(d.lastSeenAt),
});

export const licenseView = z.object({
  plan: z.string(),
  max_outlets: z.number().int().nullable(),
  max_terminals: z.number().int().nullable(),
  max_devices: z.number().int().nullable(),
  features: z.array(z.string()),
  updated_at: timestamp().nullable(),
});
export const presentLicense = (l: LicensePlan) => ({ plan: l.plan, max_outlets: l.maxOutlets, max_terminals: l.maxTerminals, max_devices: l.maxDevices, features: l.features, updated_at: iso(l.updatedAt) });

export const shiftView = z.object({
  id: z.string(),
  staff_member_id: z.string(),
  outlet_id: z.string(),
  terminal_id: z.string().nullable(),
  status: z.enum(['OPEN', 'CLOSED']),
  business_date: z.string(),
  started_at: timestamp(),
  ended_at: timestamp().nullable(),
  on_break_since: timestamp().nullable(),
  break_seconds: z.number().int(),
  worked_seconds: z.number().int(),
  auto_clocked_out: z.boolean(),
  needs_review: z.boolean(),
  note: z.string().nullable(),
});
export const presentShift = (s: Shift) => ({
  id: s.id,
  staff_member_id: s.membershipId,
  outlet_id: s.outletId,
  terminal_id: s.terminalId,
  status: s.status,
  business_date: s.businessDate,
  started_at: iso(s.clockInAt),
  ended_at: iso(s.clockOutAt),
  on_break_since: iso(s.onBreakSince),
  break_seconds: s.breakSeconds,
  worked_seconds: s.workedSeconds,
  auto_clocked_out: s.autoClockedOut,
  needs_review: s.needsReview,
  note: s.note,
});
export const timecardView = z.object({ staff_member_id: z.string(), business_date: z.string(), shifts: z.number().int(), worked_seconds: z.number().int(), break_seconds: z.number().int(), hours: z.number() });
export const presentTimecard = (t: { staffMemberId: string; businessDate: string; shifts: number; workedSeconds: number; breakSeconds: number }) => ({
  staff_member_id: t.staffMemberId,
  business_date: t.businessDate,
  shifts: t.shifts,
  worked_seconds: t.workedSeconds,
  break_seconds: t.breakSeconds,
  hours: Math.round((t.workedSeconds / 3600) * 100) / 100,
});

export const commissionRuleView = z.object({
  id: z.string(),
  name: z.string(),
  staff_member_id: z.string().nullable(),
  role_id: z.string().nullable(),
  product_id: z.string().nullable(),
  category_id: z.string().nullable(),
  kind: z.enum(['percentage', 'fixed_per_item']),
  rate_bps: z.number().int().nullable(),
  amount: money().nullable(),
  active: z.boolean(),
  created_at: timestamp(),
});
export const presentCommissionRule = (r: CommissionRule) => ({
  id: r.id,
  name: r.name,
  staff_member_id: r.membershipId,
  role_id: r.roleId,
  product_id: r.productId,
  category_id: r.categoryId,
  kind: r.kind,
  rate_bps: r.rateBps,
  amount: r.amount,
  active: r.active,
  created_at: iso(r.createdAt),
});
export const commissionView = z.object({
  id: z.string(),
  staff_member_id: z.string(),
  order_id: z.string(),
  order_item_id: z.string(),
  rule_id: z.string(),
  kind: z.enum(['EARNED', 'REVERSED']),
  base: money().describe('Net sales of the line (after discounts, before tax) the commission was computed on'),
  amount: money(),
  refund_id: z.string().nullable(),
  created_at: timestamp(),
});
export const presentCommission = (c: Commission) => ({
  id: c.id,
  staff_member_id: c.membershipId,
  order_id: c.orderId,
  order_item_id: c.orderItemId,
  rule_id: c.ruleId,
  kind: c.kind,
  base: c.base,
  amount: c.amount,
  refund_id: c.refundId,
  created_at: iso(c.createdAt),
});
