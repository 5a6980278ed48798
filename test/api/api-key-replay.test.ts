import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenant, startTestServer, type TestServer, type TestTenant } from '../support/server.js';

let s: TestServer;
let t: TestTenant;
beforeAll(async () => {
  s = await startTestServer();
  t = await createTenant(s.app);
});
afterAll(() => s.stop());

describe('creating an API key with an Idempotency-Key', () => {
  it('shows the secret once; a replay returns the same key without its secret, and nothing keeps it at rest', async () => {
    const headers = { ...t.devHeaders, 'idempotency-key': 'key-create-1' };
    const body = { name: 'POS sync', permissions: ['pos:catalog:read'] };
    const first = await call(s.baseUrl, 'POST', '/api/v1/api-keys', { headers, body });
    expect(first.status).toBe(201);
    expect(first.body.secret).toMatch(/^ksr_/);

    const replay = await call(s.baseUrl, 'POST', '/api/v1/api-keys', { headers, body });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toBe(first.body.id);
    expect(replay.body.secret).not.toContain('ksr_');

    const stored = await s.app.database.systemTransaction((db) =>
      db.execute(`SELECT response_body FROM idempotency_keys WHERE tenant_id = '${t.tenantId}' AND key = 'key-create-1'` as never),
    );
    expect(JSON.stringify(stored)).not.toContain(first.body.secret);

    const works = await call(s.baseUrl, 'GET', '/api/v1/me', { headers: { 'x-api-key': first.body.secret } });
    expect(works.status).toBe(200);
  });

  it('refuses an expiry in the past', async () => {
    const r = await call(s.baseUrl, 'POST', '/api/v1/api-keys', { headers: t.devHeaders, body: { name: 'old', permissions: ['pos:catalog:read'], expires_at: '2020-01-01T00:00:00Z' } });
    expect(r.status).toBe(400);
    expect(r.body.error.details.fields[0].field).toBe('expires_at');
  });
});
