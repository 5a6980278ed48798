import type { CloseSessionInput, MovementInput, OpenSessionInput, RegisterSettingsInput } from '../../../modules/registers/index.js';
import { presentCashSession, presentCommission, presentEntry, presentRegisterSettings, presentReport, presentShift, presentStaffProfile } from '../../shared/views/registers.views.js';
import type { Rpc } from '../rpc-kit.js';
import { idArg, int64Arg, pageArg, pageOut, pick, type RpcRequest } from '../wire.js';

// The services validate these inputs (parseInput) exactly as for REST; the casts only hand them over.
/** map<string, int64> arrives with string values; the services take counts as numbers. An empty map is absent. */
const countArg = (v: unknown): Record<string, unknown> | undefined => {
  if (!v || typeof v !== 'object' || Object.keys(v).length === 0) return undefined;
  return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, n]) => [k, int64Arg(n)]));
};
const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

const openArgs = (req: RpcRequest) =>
  defined({ terminal_id: req.terminal_id, opening_float: int64Arg(req.opening_float), opening_count: countArg(req.opening_count), handover_from: req.handover_from, blind: req.blind, note: req.note }) as OpenSessionInput;
const closeArgs = (req: RpcRequest) => defined({ counted_cash: int64Arg(req.counted_cash), closing_count: countArg(req.closing_count), note: req.note }) as CloseSessionInput;
const movementArgs = (req: RpcRequest) => defined({ kind: req.kind, amount: int64Arg(req.amount), reason: req.reason }) as MovementInput;

/** pos.v1.StaffService, registers part: cash drawers (sessions), their reports and settings, staff PINs and overrides. */
export const registerRpcs: Record<string, Rpc> = {
  OpenCashDrawer: { write: true, handle: async (req, ctx, { services }) => ({ cash_drawer: presentCashSession(await services.cashSessions.open(ctx, openArgs(req)), ctx) }) },
  CloseCashDrawer: {
    write: true,
    handle: async (req, ctx, { services }) => {
      const { session, report } = await services.cashSessions.close(ctx, idArg(req, 'cash_drawer_id'), closeArgs(req));
      return { cash_drawer: presentCashSession(session, ctx), report: presentReport(session, report, ctx) };
    },
  },
  GetCashDrawer: { handle: async (req, ctx, { services }) => ({ cash_drawer: presentCashSession(await services.cashSessions.get(ctx, idArg(req)), ctx) }) },
  ListCashDrawers: {
    handle: async (req, ctx, { services }) =>
      pageOut('cash_drawers', await services.cashSessions.list(ctx, { ...pageArg(req), ...pick(req, ['terminal_id', 'status'] as const), ...(req.needs_review === undefined ? {} : { needs_review: String(req.needs_review) }) }), (s) => presentCashSession(s, ctx)),
  },
  AddCashMovement: {
    write: true,
    handle: async (req, ctx, { services }) => {
      const { session, entry } = await services.cashSessions.addMovement(ctx, idArg(req, 'cash_drawer_id'), movementArgs(req));
      return { cash_drawer: presentCashSession(session, ctx), entry: presentEntry(entry) };
    },
  },
  GetCashDrawerReport: {
    handle: async (req, ctx, { services }) => {
      const { session, report } = await services.cashSessions.report(ctx, idArg(req));
      return { report: presentReport(session, report, ctx) };
    },
  },
  ApproveCashDrawer: { write: true, handle: async (req, ctx, { services }) => ({ cash_drawer: presentCashSession(await services.cashSessions.approve(ctx, idArg(req, 'cash_drawer_id'), defined({ note: req.note })), ctx) }) },
  GetRegisterSettings: { handle: async (_req, ctx, { services }) => ({ settings: presentRegisterSettings(await services.registerSettings.get(ctx)) }) },
  UpdateRegisterSettings: {
    write: true,
    handle: async (req, ctx, { services }) => ({
      settings: presentRegisterSettings(
        await services.registerSettings.update(ctx, defined({ ...pick(req, ['require_open_session', 'auto_close', 'pin_max_failures', 'pin_lockout_minutes'] as const), variance_approval_threshold: int64Arg(req.variance_approval_threshold) }) as RegisterSettingsInput),
      ),
    }),
  },

  StartShift: {
    write: true,
    handle: async (req, ctx, { services }) => ({ shift: presentShift(await services.shifts.clockIn(ctx, defined({ staff_member_id: req.staff_member_id || undefined, outlet_id: req.outlet_id, terminal_id: req.terminal_id, note: req.note }))) }),
  },
  EndShift: { write: true, handle: async (req, ctx, { services }) => ({ shift: presentShift(await services.shifts.clockOut(ctx, idArg(req, 'shift_id'), defined({ note: req.note }))) }) },
  ListShifts: {
    handle: async (req, ctx, { services }) =>
      pageOut('shifts', await services.shifts.list(ctx, { ...pageArg(req), ...defined({ staff_member_id: req.staff_member_id || undefined, outlet_id: req.outlet_id || undefined }) }), presentShift),
  },

  ListCommissions: {
    handle: async (req, ctx, { services }) => {
      const st = await services.commissions.statement(ctx, idArg(req, 'staff_member_id'), { ...pageArg(req), ...defined({ from: req.created_from || undefined, to: req.created_to || undefined }) });
      return { ...pageOut('commissions', st.page, presentCommission), total: st.net, earned: st.earned, reversed: st.reversed };
    },
  },

  GetStaffProfile: { handle: async (req, ctx, { services }) => ({ staff_profile: presentStaffProfile(await services.staff.profile(ctx, idArg(req))) }) },
  UpdateStaffProfile: { write: true, handle: async (req, ctx, { services }) => ({ staff_profile: presentStaffProfile(await services.staff.updateProfile(ctx, idArg(req), { outlet_ids: req.outlet_ids ?? [] })) }) },
  // Not `write`: never replayed, so a wrong PIN always counts toward the lockout (as over REST).
  SetStaffPin: { handle: async (req, ctx, { services }) => ({ staff_profile: presentStaffProfile(await services.staff.setPin(ctx, idArg(req, 'staff_member_id'), pick(req, ['pin', 'current_pin'] as const))) }) },
  SwitchStaff: {
    handle: async (req, ctx, { services }) => {
      const s = await services.staff.switchCashier(ctx, pick(req, ['staff_member_id', 'pin', 'outlet_id'] as const));
      return { staff_session_token: s.token, expires_at: s.expiresAt.toISOString(), staff_member: presentStaffProfile(s.profile), permissions: s.profile.permissions };
    },
  },
  CreateManagerOverride: {
    handle: async (req, ctx, { services }) => {
      const o = await services.staff.override(ctx, pick(req, ['staff_member_id', 'pin', 'permission', 'action'] as const));
      return { override_token: o.token, expires_at: o.expiresAt.toISOString(), permission: o.permission, action: o.action, approved_by: o.approvedBy.membershipId };
    },
  },
};
