import { call } from '../support/server.js';
import { DESIGN_STATUS, type Creds, type Driver, type Input, type Result } from './driver.js';

/** The contract over REST+JSON: /api/v1/... with headers for credentials and Idempotency-Key. */
export function restDriver(baseUrl: string): Driver {
  const send = async <T>(method: string, path: string, c: Creds, body?: unknown, headers: Record<string, string> = {}): Promise<Result<T>> => {
    const r = await call(baseUrl, method, path, { headers: { ...c, ...headers }, body });
    if (r.status < 400) return { ok: true, value: r.body as T };
    const e = r.body?.error ?? {};
    const fields = Array.isArray(e.details?.fields) ? e.details.fields.map((f: { field: string }) => f.field) : [];
    return { ok: false, error: { status: r.status, code: e.code, message: e.message, fields } };
  };
  const query = (q: Record<string, unknown> = {}) => {
    const p = new URLSearchParams(Object.entries(q).filter(([, v]) => v !== undefined).map(([k, v]): [string, string] => [k, String(v)]));
    return p.size ? `?${p}` : '';
  };
  return {
    name: 'REST',
    status: (kind) => DESIGN_STATUS[kind][0],
    getTenant: (c) => send('GET', '/api/v1/tenant', c),
    updateTenantSettings: (c, patch: Input) => send('PATCH', '/api/v1/tenant', c, patch),
    createOutlet: (c, input, key) => send('POST', '/api/v1/outlets', c, input, key ? { 'idempotency-key': key } : {}),
    getOutlet: (c, id) => send('GET', `/api/v1/outlets/${id}`, c),
    listOutlets: (c, page) => send('GET', `/api/v1/outlets${query({ ...page })}`, c),
    updateOutlet: (c, id, patch) => send('PATCH', `/api/v1/outlets/${id}`, c, patch),
    listRoles: (c) => send('GET', '/api/v1/roles', c),
    createStaffMember: (c, input) => send('POST', '/api/v1/staff', c, input),
    getStaffMember: (c, id) => send('GET', `/api/v1/staff/${id}`, c),
    updateStaffMember: (c, id, patch) => send('PATCH', `/api/v1/staff/${id}`, c, patch),
    createApiKey: (c, input) => send('POST', '/api/v1/api-keys', c, input),
    getApiKey: (c, id) => send('GET', `/api/v1/api-keys/${id}`, c),
    revokeApiKey: (c, id) => send('POST', `/api/v1/api-keys/${id}/revoke`, c),
  };
}
