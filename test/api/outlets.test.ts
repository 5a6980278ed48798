import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenant, startTestServer, type TestServer, type TestTenant } from '../support/server.js';

let s: TestServer;
let a: TestTenant;
let b: TestTenant;

beforeAll(async () => {
  s = await startTestServer();
  a = await createTenant(s.app);
  b = await createTenant(s.app);
});
afterAll(() => s.stop());

describe('outlets over REST', () => {
  it('creates an outlet and lists it after the default one', async () => {
    const created = await call(s.baseUrl, 'POST', '/api/v1/outlets', { headers: a.devHeaders, body: { code: 'KMG', name: 'Kemang', business_day_cutoff: '04:00' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ code: 'KMG', name: 'Kemang', business_day_cutoff: '04:00', time_zone: 'Asia/Jakarta', active: true });
    const list = await call(s.baseUrl, 'GET', '/api/v1/outlets', { headers: a.devHeaders });
    expect(list.body.items.map((o: { code: string }) => o.code)).toEqual(['MAIN', 'KMG']);
  });

  it('refuses a duplicate outlet code with 409 OUTLET_CODE_TAKEN and changes nothing', async () => {
    const first = await call(s.baseUrl, 'POST', '/api/v1/outlets', { headers: a.devHeaders, body: { code: 'DUP', name: 'One' } });
    expect(first.status).toBe(201);
    const again = await call(s.baseUrl, 'POST', '/api/v1/outlets', { headers: a.devHeaders, body: { code: 'DUP', name: 'Two' } });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('OUTLET_CODE_TAKEN');
    const got = await call(s.baseUrl, 'GET', `/api/v1/outlets/${first.body.id}`, { headers: a.devHeaders });
    expect(got.body.name).toBe('One');
  });

  it('names every invalid field', async () => {
    const r = await call(s.baseUrl, 'POST', '/api/v1/outlets', { headers: a.devHeaders, body: { code: 'bad code!', name: '', time_zone: 'Mars/Olympus', surprise: true } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('VALIDATION_FAILED');
    const fields = r.body.error.details.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['code', 'name', 'time_zone']));
  });

  it('pages with page_size and next_page_token, and refuses a malformed token', async () => {
    for (const code of ['P1', 'P2', 'P3']) await call(s.baseUrl, 'POST', '/api/v1/outlets', { headers: b.devHeaders, body: { code, name: code } });
    const first = await call(s.baseUrl, 'GET', '/api/v1/outlets?page_size=2', { headers: b.devHeaders });
    expect(first.body.items).toHaveLength(2);
    expect(first.body.next_page_token).not.toBe('');
    const second = await call(s.baseUrl, 'GET', `/api/v1/outlets?page_size=2&page_token=${first.body.next_page_token}`, { headers: b.devHeaders });
    expect(second.body.items.map((o: { code: string }) => o.code)).toEqual(['P2', 'P3']);
    expect(second.body.next_page_token).toBe('');
    const bad = await call(s.baseUrl, 'GET', '/api/v1/outlets?page_token=not-a-token', { headers: b.devHeaders });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_PAGE_TOKEN');
    const tooBig = await call(s.baseUrl, 'GET', '/api/v1/outlets?page_size=101', { headers: b.devHeaders });
    expect(tooBig.status).toBe(400);
  });

  it('does not show one tenant’s outlet to another', async () => {
    const mine = await call(s.baseUrl, 'POST', '/api/v1/outlets', { headers: a.devHeaders, body: { code: 'SECRET', name: 'Secret' } });
    const theirs = await call(s.baseUrl, 'GET', `/api/v1/outlets/${mine.body.id}`, { headers: b.devHeaders });
    expect(theirs.status).toBe(404);
    const patch = await call(s.baseUrl, 'PATCH', `/api/v1/outlets/${mine.body.id}`, { headers: b.devHeaders, body: { name: 'Hijacked' } });
    expect(patch.status).toBe(404);
    const still = await call(s.baseUrl, 'GET', `/api/v1/outlets/${mine.body.id}`, { headers: a.devHeaders });
    expect(still.body.name).toBe('Secret');
  });
});

describe('values PostgreSQL cannot store', () => {
  it('refuses a NUL character in text with 400 VALUE_NOT_STORABLE, not a 500, and writes nothing', async () => {
    const r = await call(s.baseUrl, 'POST', '/api/v1/outlets', { headers: a.devHeaders, body: { code: 'NUL1', name: 'Bad\u0000name' } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('VALUE_NOT_STORABLE');
    const list = await call(s.baseUrl, 'GET', '/api/v1/outlets?page_size=100', { headers: a.devHeaders });
    expect(list.body.items.map((o: { code: string }) => o.code)).not.toContain('NUL1');
  });
});
