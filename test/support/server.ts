import { createApp, type App } from '../../src/app.js';
import { buildHttpServer, type RouteModule } from '../../src/adapters/http/server.js';
import { provisionTenant } from '../../src/flows/provision-tenant.js';
import { loadConfig, type Config } from '../../src/platform/config.js';
import { uuidv7 } from '../../src/platform/ids.js';
import { createLogger } from '../../src/platform/logger.js';
import type { FastifyInstance } from 'fastify';
import { testDatabase } from './database.js';

export interface TestServer {
  app: App;
  http: FastifyInstance;
  baseUrl: string;
  config: Config;
  stop(): Promise<void>;
}

/**
 * A real Kasir REST server on an ephemeral port over the worker's shared database. `env` overrides settings
 * exactly as environment variables would (e.g. POS_AUTH_ENABLED, POS_AUTH_JWKS_URL).
 */
export async function startTestServer(env: Record<string, string> = {}, extra: RouteModule[] = []): Promise<TestServer> {
  const { database } = await testDatabase();
  const config = loadConfig({
    POS_HTTP_PORT: '0',
    POS_GRPC_PORT: '0',
    POS_HOST: '127.0.0.1',
    POS_LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    POS_RATE_LIMIT_IP_PER_MINUTE: '1000000',
    POS_RATE_LIMIT_TENANT_PER_MINUTE: '1000000',
    POS_PLATFORM_ADMIN_KEY: 'test-platform-admin-key-0123456789',
    POS_JOBS_ENABLED: 'false',
    ...env,
  });
  const app = await createApp(config, createLogger(config.POS_LOG_LEVEL), { migrate: false, database });
  const { server } = await buildHttpServer(
    app,
    async () => ({ ready: true, checks: {} }),
    extra,
  );
  await server.listen({ host: '127.0.0.1', port: 0 });
  const port = (server.server.address() as { port: number }).port;
  return {
    app,
    http: server,
    baseUrl: `http://127.0.0.1:${port}`,
    config,
    async stop() {
      await server.close();
      await app.close();
    },
  };
}

export interface TestTenant {
  tenantId: string;
  outletId: string;
  terminalId: string;
  ownerUserId: string;
  ownerMembershipId: string;
  apiKey: string;
  /** Dev headers acting as the owner (valid while POS_AUTH_ENABLED=false). */
  devHeaders: Record<string, string>;
}

/** A fresh tenant with an owner and an all-permission API key: each test makes its own. */
export async function createTenant(app: App, overrides: { currency?: string; time_zone?: string } = {}): Promise<TestTenant> {
  const userId = uuidv7();
  const membershipId = uuidv7();
  const p = await provisionTenant(
    { database: app.database, tenants: app.services.tenants, access: app.services.access, log: app.log },
    {
      slug: `t-${uuidv7().slice(-12)}-${Math.random().toString(36).slice(2, 8)}`,
      name: 'Test merchant',
      ...overrides,
      owner: { user_id: userId, membership_id: membershipId, display_name: 'Owner' },
      api_key: { name: 'test key' },
    },
  );
  return {
    tenantId: p.tenant.id,
    outletId: p.outlet.id,
    terminalId: p.terminal.id,
    ownerUserId: userId,
    ownerMembershipId: membershipId,
    apiKey: p.apiKey!.secret,
    devHeaders: { 'x-dev-tenant-id': p.tenant.id, 'x-dev-user-id': userId, 'x-dev-membership-id': membershipId },
  };
}

/** fetch with JSON in and out; returns status, parsed body and headers. */
export async function call(
  baseUrl: string,
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; body?: unknown } = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever JSON a route returns (r.body.error.code, r.body.items[0].id) and assert on it; typing each response would only restate the assertions
): Promise<{ status: number; body: any; headers: Headers }> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers },
    body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body, headers: res.headers };
}
