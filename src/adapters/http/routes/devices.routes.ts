import { z } from 'zod';
import { createTerminalInput, pairDeviceInput, pairingCodeInput, updateTerminalInput } from '../../../modules/registers/index.js';
import { licensePlanInput } from '../../../modules/tenancy/index.js';
import { pageRequestSchema } from '../../../platform/pagination.js';
import type { Services } from '../../../services.js';
import { idParams, pageView, presentPage, timestamp } from '../../shared/views/common.js';
import { deviceView, licenseView, presentDevice, presentLicense, presentTerminal, terminalView } from '../../shared/views/registers.views.js';
import type { RouteKit } from '../route-kit.js';

const terms = ['Terminals'];
const devs = ['Devices'];
const terminalQuery = pageRequestSchema.extend({ outlet_id: z.string().optional(), active: z.enum(['true', 'false']).optional() });
const pairingView = z.object({ code: z.string(), terminal_id: z.string(), expires_at: timestamp() });
const pairedView = z.object({ device: deviceView, tenant_id: z.string(), api_key: z.string().describe('The device’s credential (send as x-api-key); shown once') });

/** Terminals CRUD (seed 004), device pairing and revocation, and the platform operator's licence plans. */
export function devicesRoutes(r: RouteKit, { terminals, devices, licenses }: Services): void {
  r.post('/api/v1/terminals', { summary: 'Create a terminal (register) at an outlet, within the plan’s terminal limit', tags: terms, body: createTerminalInput, response: terminalView, status: 201 }, async ({ body }, ctx) =>
    presentTerminal(await terminals.create(ctx, body)),
  );
  r.get('/api/v1/terminals', { summary: 'List terminals', tags: terms, query: terminalQuery, response: pageView(terminalView) }, async ({ query }, ctx) => presentPage(await terminals.list(ctx, query), presentTerminal));
  r.get('/api/v1/terminals/:id', { summary: 'Get a terminal', tags: terms, params: idParams, response: terminalView }, async ({ params }, ctx) => presentTerminal(await terminals.get(ctx, params.id)));
  r.patch('/api/v1/terminals/:id', { summary: 'Update a terminal', tags: terms, params: idParams, body: updateTerminalInput, response: terminalView }, async ({ params, body }, ctx) =>
    presentTerminal(await terminals.update(ctx, params.id, body)),
  );
  r.delete('/api/v1/terminals/:id', { summary: 'Deactivate a terminal (refused while a cash session is open on it)', tags: terms, params: idParams, response: terminalView }, async ({ params }, ctx) =>
    presentTerminal(await terminals.deactivate(ctx, params.id)),
  );

  r.post('/api/v1/devices/pairing-codes', { summary: 'A short-lived one-time code to pair a device to a terminal', tags: devs, body: pairingCodeInput, response: pairingView, status: 201, idempotent: false }, async ({ body }, ctx) => {
    const c = await devices.createPairingCode(ctx, body);
    return { code: c.code, terminal_id: c.terminalId, expires_at: c.expiresAt.toISOString() };
  });
  r.post('/api/v1/devices/pair', { summary: 'Pair this device with a code: returns its credential, once', tags: devs, auth: 'none', body: pairDeviceInput, response: pairedView, status: 201 }, async ({ body }) => {
    const p = await devices.pair(body);
    return { device: presentDevice(p.device), tenant_id: p.tenantId, api_key: p.secret };
  });
  r.get('/api/v1/devices', { summary: 'List paired devices with when each was last seen', tags: devs, query: pageRequestSchema.extend({ terminal_id: z.string().optional() }), response: pageView(deviceView) }, async ({ query }, ctx) =>
    presentPage(await devices.list(ctx, query), presentDevice),
  );
  r.get('/api/v1/devices/:id', { summary: 'Get a device', tags: devs, params: idParams, response: deviceView }, async ({ params }, ctx) => presentDevice(await devices.get(ctx, params.id)));
  r.post('/api/v1/devices/:id/revoke', { summary: 'Revoke a device: its credential is refused at once', tags: devs, params: idParams, response: deviceView }, async ({ params }, ctx) => presentDevice(await devices.revoke(ctx, params.id)));

  const platform = ['Platform'];
  r.get('/api/v1/platform/tenants/:id/license', { summary: 'A tenant’s plan: limits and features', tags: platform, auth: 'platform', params: idParams, response: licenseView }, async ({ params }) => presentLicense(await licenses.get(params.id)));
  r.put('/api/v1/platform/tenants/:id/license', { summary: 'Set a tenant’s plan (max outlets, terminals, devices; features)', tags: platform, auth: 'platform', params: idParams, body: licensePlanInput, response: licenseView }, async ({ params, body }) =>
    presentLicense(await licenses.set(params.id, body)),
  );
}

