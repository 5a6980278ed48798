import { z } from 'zod';
import { closeSessionInput, movementInput, openSessionInput, registerSettingsInput, SESSION_STATUSES } from '../../../modules/registers/index.js';
import { overrideInput, setPinInput, switchInput, updateProfileInput } from '../../../modules/staff/index.js';
import { pageRequestSchema } from '../../../platform/pagination.js';
import type { Services } from '../../../services.js';
import { idParams, pageView, presentPage } from '../../shared/views/common.js';
import {
  cashSessionView,
  closeResultView,
  overrideView,
  presentCashSession,
  presentEntry,
  presentRegisterSettings,
  presentReport,
  presentStaffProfile,
  registerSettingsView,
  sessionEntryView,
  sessionReportView,
  staffProfileView,
  staffSwitchView,
} from '../../shared/views/registers.views.js';
import type { RouteKit } from '../route-kit.js';

const sessions = ['Cash sessions'];
const people = ['Staff'];
const listQuery = pageRequestSchema.extend({
  terminal_id: z.string().optional(),
  status: z.enum(SESSION_STATUSES).optional(),
  needs_review: z.enum(['true', 'false']).optional(),
});
const movementResult = z.object({ session: cashSessionView, entry: sessionEntryView });

/** Cash-drawer sessions (open, movements, X report, close into a Z report, approval), register settings, staff PINs. */
export function registersRoutes(r: RouteKit, { cashSessions, registerSettings, staff }: Services): void {
  r.get('/api/v1/register-settings', { summary: 'Register settings: open session required to sell, variance approval threshold, auto-close, PIN lockout', tags: sessions, response: registerSettingsView }, async (_, ctx) =>
    presentRegisterSettings(await registerSettings.get(ctx)),
  );
  r.put('/api/v1/register-settings', { summary: 'Change register settings (only the fields given)', tags: sessions, body: registerSettingsInput, response: registerSettingsView }, async ({ body }, ctx) =>
    presentRegisterSettings(await registerSettings.update(ctx, body)),
  );

  r.post('/api/v1/cash-sessions', { summary: 'Open a cash-drawer session on a terminal with a counted float (total or by denomination), or take over a closed session’s counted cash', tags: sessions, body: openSessionInput, response: cashSessionView, status: 201 }, async ({ body }, ctx) =>
    presentCashSession(await cashSessions.open(ctx, body), ctx),
  );
  r.get('/api/v1/cash-sessions', { summary: 'List cash sessions', tags: sessions, query: listQuery, response: pageView(cashSessionView) }, async ({ query }, ctx) =>
    presentPage(await cashSessions.list(ctx, query), (s) => presentCashSession(s, ctx)),
  );
  r.get('/api/v1/cash-sessions/:id', { summary: 'Get a cash session', tags: sessions, params: idParams, response: cashSessionView }, async ({ params }, ctx) =>
    presentCashSession(await cashSessions.get(ctx, params.id), ctx),
  );
  r.get('/api/v1/terminals/:id/cash-session', { summary: 'The open cash session of a terminal', tags: sessions, params: idParams, response: cashSessionView }, async ({ params }, ctx) =>
    presentCashSession(await cashSessions.active(ctx, params.id), ctx),
  );
  r.post('/api/v1/cash-sessions/:id/movements', { summary: 'Pay-in, pay-out or no-sale with a reason', tags: sessions, params: idParams, body: movementInput, response: movementResult, status: 201 }, async ({ params, body }, ctx) => {
    const { session, entry } = await cashSessions.addMovement(ctx, params.id, body);
    return { session: presentCashSession(session, ctx), entry: presentEntry(entry) };
  });
  r.get('/api/v1/cash-sessions/:id/entries', { summary: 'The session’s ledger: float, payments, voids, refunds, movements, sales', tags: sessions, params: idParams, query: pageRequestSchema, response: pageView(sessionEntryView) }, async ({ params, query }, ctx) =>
    presentPage(await cashSessions.entries(ctx, params.id, query), presentEntry),
  );
  r.get('/api/v1/cash-sessions/:id/report', { summary: 'X report of an open session (read-only), or the Z report of a closed one', tags: sessions, params: idParams, response: sessionReportView }, async ({ params }, ctx) => {
    const { session, report } = await cashSessions.report(ctx, params.id);
    return presentReport(session, report, ctx);
  });
  r.post('/api/v1/cash-sessions/:id/close', { summary: 'Close with the counted cash: Z report, variance (shortage/overage, never forced to zero), approval above the threshold', tags: sessions, params: idParams, body: closeSessionInput, response: closeResultView }, async ({ params, body }, ctx) => {
    const { session, report } = await cashSessions.close(ctx, params.id, body);
    return { session: presentCashSession(session, ctx), report: presentReport(session, report, ctx) };
  });
  r.post('/api/v1/cash-sessions/:id/approve', { summary: 'Approve a RECONCILING session’s variance (pos:session:reconcile)', tags: sessions, params: idParams, body: z.strictObject({ note: z.string().max(500).optional() }).optional(), response: cashSessionView }, async ({ params, body }, ctx) =>
    presentCashSession(await cashSessions.approve(ctx, params.id, body ?? {}), ctx),
  );

  r.get('/api/v1/staff/:id/profile', { summary: 'A staff member’s profile: outlets, PIN set, lockout', tags: people, params: idParams, response: staffProfileView }, async ({ params }, ctx) =>
    presentStaffProfile(await staff.profile(ctx, params.id)),
  );
  r.patch('/api/v1/staff/:id/profile', { summary: 'Set the outlets a staff member may work at', tags: people, params: idParams, body: updateProfileInput, response: staffProfileView }, async ({ params, body }, ctx) =>
    presentStaffProfile(await staff.updateProfile(ctx, params.id, body)),
  );
  r.put('/api/v1/staff/:id/pin', { summary: 'Set a staff member’s 4–6 digit PIN (one’s own needs the current PIN)', tags: people, params: idParams, body: setPinInput, response: staffProfileView, idempotent: false }, async ({ params, body }, ctx) =>
    presentStaffProfile(await staff.setPin(ctx, params.id, body)),
  );
  r.post('/api/v1/staff/switch', { summary: 'PIN switch on a shared register: a short-lived staff session token (send it as X-Staff-Session)', tags: people, body: switchInput, response: staffSwitchView, status: 201, idempotent: false }, async ({ body }, ctx) => {
    const s = await staff.switchCashier(ctx, body);
    return { staff_session_token: s.token, expires_at: s.expiresAt.toISOString(), staff_member: presentStaffProfile(s.profile), permissions: s.profile.permissions };
  });
  r.post('/api/v1/staff/overrides', { summary: 'Manager override by PIN: a one-time token lending one permission to one request (send it as X-Manager-Override)', tags: people, body: overrideInput, response: overrideView, status: 201, idempotent: false }, async ({ body }, ctx) => {
    const o = await staff.override(ctx, body);
    return { override_token: o.token, expires_at: o.expiresAt.toISOString(), permission: o.permission, action: o.action, approved_by: o.approvedBy.membershipId };
  });
}
