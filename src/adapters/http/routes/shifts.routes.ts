import { z } from 'zod';
import { clockInInput, clockOutInput } from '../../../modules/staff/index.js';
import { pageRequestSchema } from '../../../platform/pagination.js';
import type { Services } from '../../../services.js';
import { idParams, pageView, presentPage } from '../../shared/views/common.js';
import { presentShift, presentTimecard, shiftView, timecardView } from '../../shared/views/registers.views.js';
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
