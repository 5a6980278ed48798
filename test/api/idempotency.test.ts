import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../src/platform/ids.js';
import { call, createTenant, startTestServer, type TestServer, type TestTenant } from '../support/server.js';

/**
 * Idempotency-Key over REST, as DESIGN.md promises. Decision recorded here: a request that fails (4xx/5xx)
 * records nothing, so the key stays free: a retry with the same key runs again, with the same body or a
 * corrected one. Only a success is replayed.
 */
let s: TestServer;
let a: TestTenant;
let b: TestTenant;

beforeAll(async () => {
  s = await startTestServer();
  a = await createTenant(s.app);
  b = await createTenant(s.app);
});
afterAll(() => s.stop());

const newKey = () => `idem-${uuidv7()}`;

async function raw(t: TestTenant, method: string, path: string, key: string | undefined, body?: unknown) {
  const res = await fetch(`${s.baseUrl}${path}`, {
    method,
    headers: { ...t.devHeaders, 'content-type': 'application/json', ...(key === undefined ? {} : { 'idempotency-key': key }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, text, body: text ? JSON.parse(text) : undefined, replayed: res.headers.get('idempotent-replayed') };
}

async function allPages(t: TestTenant, path: string): Promise<{ id: string; code?: string; name?: string }[]> {
  const out = [];
  let token = '';
  do {
    const r = await call(s.baseUrl, 'GET', `${path}?page_size=100${token ? `&page_token=${token}` : ''}`, { headers: t.devHeaders });
    out.push(...r.body.items);
    token = r.body.next_page_token;
  } while (token);
  return out;
}

describe('Idempotency-Key over REST', () => {
  it('replays the first response byte for byte and creates nothing new', async () => {
    const key = newKey();
    const body = { code: `R-${uuidv7().slice(-6)}`, name: 'Replayed' };
    const first = await raw(a, 'POST', '/api/v1/outlets', key, body);
    expect(first.status).toBe(201);
    expect(first.replayed).toBe('false');
    const before = await allPages(a, '/api/v1/outlets');
    // Same body with its fields in another order is the same request.
    const again = await raw(a, 'POST', '/api/v1/outlets', key, { name: body.name, code: body.code });
    expect(again.status).toBe(201);
    expect(again.replayed).toBe('true');
    expect(again.text).toBe(first.text);
    expect(await allPages(a, '/api/v1/outlets')).toEqual(before);
  });

  it('replays updates too', async () => {
    const created = await raw(a, 'POST', '/api/v1/outlets', undefined, { code: `U-${uuidv7().slice(-6)}`, name: 'Before' });
    const key = newKey();
    const first = await raw(a, 'PATCH', `/api/v1/outlets/${created.body.id}`, key, { name: 'After' });
    await raw(a, 'PATCH', `/api/v1/outlets/${created.body.id}`, undefined, { name: 'Changed since' });
    const again = await raw(a, 'PATCH', `/api/v1/outlets/${created.body.id}`, key, { name: 'After' });
    expect(again.replayed).toBe('true');
    expect(again.text).toBe(first.text);
    expect((await raw(a, 'GET', `/api/v1/outlets/${created.body.id}`, undefined)).body.name).toBe('Changed since');
  });

  it('refuses the same key with a different body, or on another route, with 422 IDEMPOTENCY_KEY_REUSED', async () => {
    const key = newKey();
    const code = `D-${uuidv7().slice(-6)}`;
    expect((await raw(a, 'POST', '/api/v1/outlets', key, { code, name: 'One' })).status).toBe(201);
    const different = await raw(a, 'POST', '/api/v1/outlets', key, { code, name: 'Two' });
    expect(different.status).toBe(422);
    expect(different.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    const elsewhere = await raw(a, 'POST', '/api/v1/roles', key, { key: `r_${uuidv7().slice(-6)}`, name: 'R', level: 1, permissions: [] });
    expect(elsewhere.status).toBe(422);
    expect(elsewhere.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await allPages(a, '/api/v1/outlets')).filter((o) => o.code === code)).toHaveLength(1);
  });

  it('runs 50 identical concurrent requests exactly once', async () => {
    const key = newKey();
    const body = { code: `C-${key.slice(-8)}`, name: `concurrent ${key}` };
    const results = await Promise.all(Array.from({ length: 50 }, () => raw(a, 'POST', '/api/v1/outlets', key, body)));
    const fresh = results.filter((r) => r.status === 201 && r.replayed === 'false');
    expect(fresh).toHaveLength(1);
    for (const r of results) {
      if (r.status === 201) expect(r.text).toBe(fresh[0]!.text);
      else {
        expect(r.status).toBe(409);
        expect(r.body.error.code).toBe('IDEMPOTENCY_KEY_IN_FLIGHT');
      }
    }
    expect((await allPages(a, '/api/v1/outlets')).filter((o) => o.name === body.name)).toHaveLength(1);
    // Once the first has finished, every retry replays it.
    const later = await raw(a, 'POST', '/api/v1/outlets', key, body);
    expect(later.replayed).toBe('true');
    expect(later.text).toBe(fresh[0]!.text);
  });

  it('does not burn the key on a failure: the retry runs again, with a corrected body or the same one', async () => {
    const taken = `T-${uuidv7().slice(-6)}`;
    const holder = await raw(a, 'POST', '/api/v1/outlets', undefined, { code: taken, name: 'Holder' });
    const key = newKey();
    const clash = await raw(a, 'POST', '/api/v1/outlets', key, { code: taken, name: 'Clash' });
    expect(clash.status).toBe(409);
    expect(clash.body.error.code).toBe('OUTLET_CODE_TAKEN');
    // The same body again runs again (and fails again: the conflict is still there).
    const same = await raw(a, 'POST', '/api/v1/outlets', key, { code: taken, name: 'Clash' });
    expect(same.status).toBe(409);
    expect(same.replayed).toBeNull();
    // Once the conflict is gone, the same request with the same key succeeds and is then replayed.
    await raw(a, 'PATCH', `/api/v1/outlets/${holder.body.id}`, undefined, { code: `${taken}-OLD` });
    const retried = await raw(a, 'POST', '/api/v1/outlets', key, { code: taken, name: 'Clash' });
    expect(retried.status).toBe(201);
    expect(retried.replayed).toBe('false');

    const key2 = newKey();
    const invalid = await raw(a, 'POST', '/api/v1/outlets', key2, { code: 'bad code!', name: 'Bad' });
    expect(invalid.status).toBe(400);
    const corrected = await raw(a, 'POST', '/api/v1/outlets', key2, { code: `C-${uuidv7().slice(-6)}`, name: 'Good' });
    expect(corrected.status).toBe(201);
    expect(corrected.replayed).toBe('false');
  });

  it('keeps keys per tenant', async () => {
    const key = newKey();
    const ra = await raw(a, 'POST', '/api/v1/outlets', key, { code: 'SHARED-KEY', name: 'A' });
    const rb = await raw(b, 'POST', '/api/v1/outlets', key, { code: 'SHARED-KEY', name: 'B' });
    expect([ra.status, rb.status]).toEqual([201, 201]);
    expect(rb.replayed).toBe('false');
    expect(rb.body.id).not.toBe(ra.body.id);
    const rb2 = await raw(b, 'POST', '/api/v1/outlets', key, { code: 'SHARED-KEY', name: 'B' });
    expect(rb2.text).toBe(rb.text);
  });

  it('binds a key to the actor that first used it', async () => {
    const key = newKey();
    const body = { code: `ACT-${uuidv7().slice(-6)}`, name: 'Actor bound' };
    expect((await raw(a, 'POST', '/api/v1/outlets', key, body)).status).toBe(201);
    const other = await call(s.baseUrl, 'POST', '/api/v1/outlets', { headers: { 'x-api-key': a.apiKey, 'idempotency-key': key }, body });
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('refuses an invalid key with 400 INVALID_IDEMPOTENCY_KEY', async () => {
    for (const key of ['x'.repeat(256), 'k'.repeat(300), 'has space', 'tab\there', 'ünïcode']) {
      const r = await call(s.baseUrl, 'POST', '/api/v1/outlets', { headers: { ...a.devHeaders, 'idempotency-key': key }, body: { code: `BAD-${uuidv7().slice(-6)}`, name: 'Nope' } });
      expect(r.status, key).toBe(400);
      expect(r.body.error.code, key).toBe('INVALID_IDEMPOTENCY_KEY');
    }
    const longest = await raw(a, 'POST', '/api/v1/outlets', `${'k'.repeat(250)}${uuidv7().slice(-5)}`, { code: `MAX-${uuidv7().slice(-6)}`, name: 'Max' });
    expect(longest.status).toBe(201);
  });
});
