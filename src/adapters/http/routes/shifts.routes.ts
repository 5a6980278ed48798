import { z } from 'zod';
import { clockInInput, clockOutInput, createRuleInput, updateRuleInput } from '../../../modules/staff/index.js';
import { pageRequestSchema } from '../../../platform/pagination.js';
import type { Services } from '../../../services.js';
import { idParams, pageView, presentPage } from '../../shared/views/common.js';
import { commissionRuleView, commissionView, presentCommission, presentCommissionRule, presentShift, presentTimecard, shiftView, timecardView } from '../../shared/views/registers.views.js';
import type { RouteKit } from '../route-kit.js';

const tags = ['Shifts'];
const listQuery = pageRequestSchema.extend({ staff_member_id: z.string().optional(), outlet_id: z.string().optional(), status: z.enum(['OPEN', 'CLOSED']).optional(), needs_review: z.enum(['true', 'false']).optional() });
const hoursQuery = z.object({ from: z.string(), to: z.string(), staff_member_id: z.string().optional(), outlet_id: z.string().optional() });

/** Shifts and timecards: clock in/out, breaks, hours per staff member per business day. */
export function shiftsRoutes(r: RouteKit, { shifts }: Services): void {
  r.post('/api/v1/shifts', { summary: 'Clock in at an outlet (oneself, or someone else with pos:staff:write)', tags, body: clockInInput, response: shiftView, status: 201 }, async ({ body }, ctx) => presentShift(await shifts.clockIn(ctx, body)));
  r.get('/api/v1/shifts', { summary: 'List shifts', tags, query: listQuery, response: pageView(shiftView) }, async ({ query }, ctx) => presentPage(await shifts.list(ctx, query), presentShift));
  r.get('/api/v1/shifts/:id', { summary: 'Get a shift', tags, params: idParams, response: shiftView }, async ({ params }, ctx) => presentShift(await shifts.get(ctx, params.id)));
  r.post('/api/v1/shifts/:id/clock-out', { summary: 'Clock out (ends an open break)', tags, params: idParams, body: clockOutInput.optional(), response: shiftView }, async ({ params, body }, ctx) =>
    presentShift(await shifts.clockOut(ctx, params.id, body ?? {})),
  );
  r.post('/api/v1/shifts/:id/breaks/start', { summary: 'Start a break', tags, params: idParams, response: shiftView }, async ({ params }, ctx) => presentShift(await shifts.startBreak(ctx, params.id)));
  r.post('/api/v1/shifts/:id/breaks/end', { summary: 'End the break', tags, params: idParams, response: shiftView }, async ({ params }, ctx) => presentShift(await shifts.endBreak(ctx, params.id)));
  r.get('/api/v1/timecards', { summary: 'Hours per staff member per business day, breaks excluded', tags, query: hoursQuery, response: z.object({ items: z.array(timecardView) }) }, async ({ query }, ctx) => ({
    items: (await shifts.hours(ctx, query)).map(presentTimecard),
  }));
}

const rules = ['Commissions'];
const statementQuery = pageRequestSchema.extend({ from: z.string().optional(), to: z.string().optional() });

/** Commission rules (per staff member or role, per product or category) and statements per staff member. */
export function commissionRoutes(r: RouteKit, { commissions }: Services): void {
  r.post('/api/v1/commission-rules', { summary: 'Create a commission rule: percentage of net sales or fixed per item', tags: rules, body: createRuleInput, response: commissionRuleView, status: 201 }, async ({ body }, ctx) =>
    presentCommissionRule(await commissions.createRule(ctx, body)),
  );
  r.get('/api/v1/commission-rules', { summary: 'List commission rules', tags: rules, query: pageRequestSchema, response: pageView(commissionRuleView) }, async ({ query }, ctx) => presentPage(await commissions.listRules(ctx, query), presentCommissionRule));
  r.get('/api/v1/commission-rules/:id', { summary: 'Get a commission rule', tags: rules, params: idParams, response: commissionRuleView }, async ({ params }, ctx) => presentCommissionRule(await commissions.getRule(ctx, params.id)));
  r.patch('/api/v1/commission-rules/:id', { summary: 'Rename or (de)activate a commission rule', tags: rules, params: idParams, body: updateRuleInput, response: commissionRuleView }, async ({ params, body }, ctx) =>
    presentCommissionRule(await commissions.updateRule(ctx, params.id, body)),
  );
  r.get('/api/v1/staff/:id/commissions', { summary: 'A staff member’s commission statement for [from, to): earned, reversed by refunds, net, and the lines', tags: rules, params: idParams, query: statementQuery, response: pageView(commissionView).extend({ earned: z.number().int(), reversed: z.number().int(), net: z.number().int() }) }, async ({ params, query }, ctx) => {
    const st = await commissions.statement(ctx, params.id, query);
    return { ...presentPage(st.page, presentCommission), earned: st.earned, reversed: st.reversed, net: st.net };
  });
}
