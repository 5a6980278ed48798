import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisRateLimiter } from '../../src/platform/rate-limit.js';
import { call, createTenant, startTestServer, type TestServer, type TestTenant } from '../support/server.js';

/**
 * Rate limits per IP and per tenant, with counters in memory and in the real Redis at 127.0.0.1:6379. Every
 * test uses its own client IP (X-Forwarded-For, with POS_TRUST_PROXY=true) and its own tenant, so runs
 * sharing Redis never count against each other. Windows are fixed minutes on the clock: a burst that
 * happens to straddle a minute boundary is simply repeated with fresh keys (no timing is asserted).
 */
const REDIS = 'redis://127.0.0.1:6379';
const LIMIT = 5;

const randomIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

async function inOneWindow<T>(burst: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const window = Math.floor(Date.now() / 60_000);
    const out = await burst();
    if (Math.floor(Date.now() / 60_000) === window || attempt === 3) return out;
  }
}

/** Every request comes from its own client IP unless the test names one (counters in Redis outlive a run). */
const get = (node: TestServer, headers: Record<string, string>) => call(node.baseUrl, 'GET', '/api/v1/outlets', { headers: { 'x-forwarded-for': randomIp(), ...headers } });

function expectLimited(r: Awaited<ReturnType<typeof call>>, scope: 'ip' | 'tenant') {
  expect(r.status).toBe(429);
  expect(r.body.error.code).toBe('RATE_LIMITED');
  expect(r.body.error.details.scope).toBe(scope);
  const retryAfter = Number(r.headers.get('retry-after'));
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(r.body.error.details.retry_after_seconds).toBe(retryAfter);
}

describe.each([
  ['memory', {}],
  ['Redis', { POS_REDIS_URL: REDIS }],
] as const)('rate limits with counters in %s', (_, backend) => {
  let ipNode: TestServer;
  let tenantNode: TestServer;

  beforeAll(async () => {
    const common = { ...backend, POS_TRUST_PROXY: 'true' };
    ipNode = await startTestServer({ ...common, POS_RATE_LIMIT_IP_PER_MINUTE: String(LIMIT) });
    tenantNode = await startTestServer({ ...common, POS_RATE_LIMIT_TENANT_PER_MINUTE: String(LIMIT) });
  });
  afterAll(async () => {
    await ipNode.stop();
    await tenantNode.stop();
  });

  it('refuses a client IP beyond its limit with 429 and Retry-After, before looking at credentials', async () => {
    const t = await createTenant(ipNode.app);
    const { statuses, over, anonymous, otherIp } = await inOneWindow(async () => {
      const ip = randomIp();
      const headers = { ...t.devHeaders, 'x-forwarded-for': ip };
      const statuses = [];
      for (let i = 0; i < LIMIT; i++) statuses.push((await get(ipNode, headers)).status);
      return {
        statuses,
        over: await get(ipNode, headers),
        anonymous: await get(ipNode, { 'x-forwarded-for': ip }),
        otherIp: await get(ipNode, t.devHeaders),
      };
    });
    expect(statuses).toEqual(Array(LIMIT).fill(200));
    expectLimited(over, 'ip');
    expectLimited(anonymous, 'ip');
    expect(otherIp.status).toBe(200);
  });

  it('refuses a tenant beyond its limit whatever credential it uses, and keeps serving other tenants', async () => {
    const { statuses, overDev, overKey, other } = await inOneWindow(async () => {
      const a = await createTenant(tenantNode.app);
      const b = await createTenant(tenantNode.app);
      const statuses = [];
      for (let i = 0; i < LIMIT; i++) statuses.push((await get(tenantNode, a.devHeaders)).status);
      return {
        statuses,
        overDev: await get(tenantNode, a.devHeaders),
        overKey: await get(tenantNode, { 'x-api-key': a.apiKey }),
        other: await get(tenantNode, b.devHeaders),
      };
    });
    expect(statuses).toEqual(Array(LIMIT).fill(200));
    expectLimited(overDev, 'tenant');
    expectLimited(overKey, 'tenant');
    expect(other.status).toBe(200);
  });
});

describe('rate limits shared through Redis by two nodes', () => {
  let one: TestServer;
  let two: TestServer;

  beforeAll(async () => {
    const env = { POS_REDIS_URL: REDIS, POS_TRUST_PROXY: 'true', POS_RATE_LIMIT_TENANT_PER_MINUTE: String(LIMIT), POS_RATE_LIMIT_IP_PER_MINUTE: String(LIMIT) };
    one = await startTestServer(env);
    two = await startTestServer(env);
  });
  afterAll(async () => {
    await one.stop();
    await two.stop();
  });

  it('enforce one combined tenant limit across the nodes', async () => {
    const { statuses, over } = await inOneWindow(async () => {
      const t: TestTenant = await createTenant(one.app);
      const statuses = [];
      for (let i = 0; i < LIMIT; i++) statuses.push((await get(i % 2 ? two : one, t.devHeaders)).status);
      return { statuses, over: [await get(one, t.devHeaders), await get(two, t.devHeaders)] };
    });
    expect(statuses).toEqual(Array(LIMIT).fill(200));
    for (const r of over) expectLimited(r, 'tenant');
  });

  it('enforce one combined IP limit across the nodes', async () => {
    const t = await createTenant(one.app);
    const { statuses, over } = await inOneWindow(async () => {
      const ip = randomIp();
      const statuses = [];
      for (let i = 0; i < LIMIT; i++) statuses.push((await get(i % 2 ? two : one, { 'x-api-key': t.apiKey, 'x-forwarded-for': ip })).status);
      return { statuses, over: [await get(one, { 'x-forwarded-for': ip }), await get(two, { 'x-forwarded-for': ip })] };
    });
    expect(statuses).toEqual(Array(LIMIT).fill(200));
    for (const r of over) expectLimited(r, 'ip');
  });
});

describe('the Redis limiter of a node that has just started', () => {
  it('counts from the first request instead of letting requests through until Redis answers', async () => {
    const limiter = new RedisRateLimiter(REDIS);
    try {
      const key = `test:fresh-node:${randomIp()}:${Date.now()}`;
      const decisions = await inOneWindow(async () => {
        const out = [];
        for (let i = 0; i < LIMIT + 2; i++) out.push((await limiter.hit(`${key}:${Math.floor(Date.now() / 60_000)}`, LIMIT, 60_000)).allowed);
        return out;
      });
      expect(decisions).toEqual([...Array(LIMIT).fill(true), false, false]);
    } finally {
      await limiter.close();
    }
  });
});
