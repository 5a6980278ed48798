import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { Client } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEV_MEMBERSHIP_ID, DEV_TENANT_ID, DEV_USER_ID } from '../../src/flows/provision-tenant.js';
import { cliEnv, startServe, type ServerProcess } from '../support/cli.js';
import { freshPostgresDatabase, usingPostgres } from '../support/database.js';
import { ok, posClient, rpc } from '../support/grpc.js';

/** One exported span, flattened from an OTLP/HTTP JSON export request. */
interface ExportedSpan {
  service: string | undefined;
  scope: string;
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  attributes: Record<string, unknown>;
}

const SPAN_KIND_SERVER = 2;

/** A minimal OTLP/HTTP collector: accepts POST /v1/traces (JSON) and keeps every span. */
function startCollector(): Promise<{ server: Server; url: string; spans: ExportedSpan[]; paths: string[] }> {
  const spans: ExportedSpan[] = [];
  const paths: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      paths.push(`${req.method} ${req.url} ${req.headers['content-type']}`);
      const flat = (attrs: { key: string; value: Record<string, unknown> }[] = []) =>
        Object.fromEntries(attrs.map((a) => [a.key, Object.values(a.value)[0]]));
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the OTLP JSON export shape, read loosely: a test collector, not a decoder
      const doc = JSON.parse(body) as { resourceSpans: any[] };
      for (const rs of doc.resourceSpans) {
        const service = flat(rs.resource?.attributes)['service.name'] as string | undefined;
        for (const ss of rs.scopeSpans) {
          for (const s of ss.spans) {
            spans.push({ service, scope: ss.scope.name, name: s.name, kind: s.kind, traceId: s.traceId, spanId: s.spanId, parentSpanId: s.parentSpanId ?? '', attributes: flat(s.attributes) });
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, spans, paths })),
  );
}

async function waitFor<T>(what: string, probe: () => T | undefined, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const newTraceparent = () => {
  const traceId = randomBytes(16).toString('hex');
  const parentId = randomBytes(8).toString('hex');
  return { traceId, parentId, header: `00-${traceId}-${parentId}-01` };
};

const devHeaders = { 'x-dev-tenant-id': DEV_TENANT_ID, 'x-dev-user-id': DEV_USER_ID, 'x-dev-membership-id': DEV_MEMBERSHIP_ID };

let collector: Awaited<ReturnType<typeof startCollector>>;
let kasir: ServerProcess;
let health: Client | undefined;

beforeAll(async () => {
  collector = await startCollector();
  const database: Record<string, string> = usingPostgres() ? { DATABASE_URL: await freshPostgresDatabase(process.env.TEST_DATABASE_URL!, 'tracing') } : {};
  // Ratio 0: no trace starts here, so every span that arrives belongs to a caller that asked for sampling.
  kasir = await startServe(cliEnv({ OTEL_EXPORTER_OTLP_ENDPOINT: collector.url, POS_OTEL_SAMPLE_RATIO: '0', POS_JOBS_ENABLED: 'false', ...database }));
}, 90_000);

afterAll(async () => {
  health?.close();
  kasir?.child.kill('SIGKILL');
  await new Promise((r) => collector?.server.close(r));
});

describe('tracing, when OTEL_EXPORTER_OTLP_ENDPOINT is set', () => {
  it("exports a caller's sampled request as a span named after its route, and samples nothing else at ratio 0", async () => {
    const base = `http://127.0.0.1:${kasir.httpPort}`;
    const unsampled = await fetch(`${base}/api/v1/outlets`, { headers: devHeaders });
    expect(unsampled.status).toBe(200);

    const { traceId, parentId, header } = newTraceparent();
    const sampled = await fetch(`${base}/api/v1/outlets`, { headers: { ...devHeaders, traceparent: header } });
    expect(sampled.status).toBe(200);

    const server = await waitFor('the request span', () => collector.spans.find((s) => s.traceId === traceId && s.kind === SPAN_KIND_SERVER));
    expect(collector.paths[0]).toMatch(/^POST \/v1\/traces application\/json/);
    expect(server).toMatchObject({
      service: 'kasir',
      name: 'GET /api/v1/outlets',
      parentSpanId: parentId,
      attributes: expect.objectContaining({ 'http.route': '/api/v1/outlets', 'http.response.status_code': 200 }),
    });
    // The unsampled request went first; had it been recorded it would have been exported with or before this one.
    expect(collector.spans.filter((s) => s.traceId !== traceId)).toEqual([]);

    if (usingPostgres()) {
      const queries = collector.spans.filter((s) => s.traceId === traceId && s.scope.includes('instrumentation-pg') && s.name.startsWith('pg.query'));
      expect(queries.length, 'PostgreSQL query spans in the request trace').toBeGreaterThan(0);
    }
  });

  it('exports a sampled gRPC call as a server span of its method', async () => {
    const grpcPort = Number(/"grpc_port":(\d+)/.exec(kasir.output())?.[1]);
    expect(grpcPort).toBeGreaterThan(0);
    health = posClient(`127.0.0.1:${grpcPort}`, 'HealthService');
    const { traceId, parentId, header } = newTraceparent();
    const reply = await ok(rpc(health, 'Check', {}, { traceparent: header }));
    expect(reply.status).toBe('SERVING');
    const span = await waitFor('the RPC span', () => collector.spans.find((s) => s.traceId === traceId && s.kind === SPAN_KIND_SERVER));
    expect(span).toMatchObject({ name: 'grpc.pos.v1.HealthService/Check', parentSpanId: parentId, attributes: expect.objectContaining({ 'rpc.system': 'grpc' }) });
  });
});
