import * as grpc from '@grpc/grpc-js';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeStatusDetails } from '../../src/adapters/grpc/error-status.js';
import { ERROR_BOUNDS } from '../../src/adapters/shared/error-bounds.js';
import { rpc, startTestGrpcServer, type TestGrpcServer } from '../support/grpc.js';
import { call, createTenant, type TestTenant } from '../support/server.js';

/**
 * Regressions for the fuzzer's transport findings (issue 8): refusals made before a route or an RPC handler runs
 * carry a Kasir code; a refused connection still delivers its answer; an error echoing a huge input stays small
 * enough for HTTP/2 trailers and does not break the shared gRPC connection.
 */
let s: TestGrpcServer;
let t: TestTenant;
let port: number;

beforeAll(async () => {
  s = await startTestGrpcServer();
  t = await createTenant(s.app);
  port = Number(new URL(s.baseUrl).port);
}, 60_000);
afterAll(async () => s?.stop());

/** Sends `head` (and then `rest`, still writing while the server answers) on a raw socket; resolves with all it read. */
function rawExchange(head: string, rest = ''): Promise<{ text: string; error?: string }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    let error: string | undefined;
    socket.on('data', (d) => (text += d.toString('latin1')));
    socket.on('error', (e) => (error = (e as NodeJS.ErrnoException).code ?? e.message));
    socket.on('close', () => resolve({ text, ...(error ? { error } : {}) }));
    socket.write(head);
    if (rest) socket.write(rest);
    setTimeout(() => socket.destroy(), 10_000).unref();
  });
}

const envelope = (raw: string) => JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4)) as { error: { code: string; message: string } };

describe('REST refusals before routing', () => {
  it('a 1 MB request line is answered 431 HEADERS_TOO_LARGE with Connection: close, though the client is still sending', async () => {
    for (let i = 0; i < 5; i++) {
      const r = await rawExchange(`GET /api/v1/products?q=${'A'.repeat(1 << 20)}`, ` HTTP/1.1\r\nHost: x\r\nx-dev-tenant-id: ${t.tenantId}\r\n\r\n`);
      expect(r.text).toMatch(/^HTTP\/1\.1 431 /);
      expect(r.text).toMatch(/\r\nConnection: close\r\n/i);
      expect(envelope(r.text).error.code).toBe('HEADERS_TOO_LARGE');
    }
  });

  it('bytes that are not HTTP get 400 REQUEST_MALFORMED in the envelope', async () => {
    const r = await rawExchange('GARBAGE \x01\x02 NOT-HTTP\r\n\r\n');
    expect(r.text).toMatch(/^HTTP\/1\.1 400 /);
    expect(envelope(r.text).error.code).toBe('REQUEST_MALFORMED');
  });

  it('over fetch: a long URL is 431 with a code, and the next request on the pool is answered', async () => {
    for (let i = 0; i < 20; i++) {
      const big = await fetch(`${s.baseUrl}/api/v1/products?q=${'x'.repeat(20_000 + i)}`, { headers: t.devHeaders });
      expect(big.status).toBe(431);
      expect(((await big.json()) as { error: { code: string } }).error.code).toBe('HEADERS_TOO_LARGE');
      const next = await call(s.baseUrl, 'GET', '/api/v1/products', { headers: t.devHeaders });
      expect(next.status).toBe(200);
    }
  });

  it('a path parameter longer than any id is 414 URI_TOO_LONG', async () => {
    const r = await call(s.baseUrl, 'GET', `/api/v1/products/${'x'.repeat(300)}`, { headers: t.devHeaders });
    expect(r.status).toBe(414);
    expect(r.body.error.code).toBe('URI_TOO_LONG');
  });

  it('a body over 1 MB is 413 PAYLOAD_TOO_LARGE', async () => {
    const r = await call(s.baseUrl, 'POST', '/api/v1/categories', { headers: t.devHeaders, body: { name: 'A'.repeat(1 << 20) } });
    expect(r.status).toBe(413);
    expect(r.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('an error echoing a 70 KB map key is bounded: field paths and message cut', async () => {
    const r = await call(s.baseUrl, 'POST', '/api/v1/products', { headers: t.devHeaders, body: { name: 'x', variants: [{ name: 'v', options: { ['A'.repeat(70_000)]: 'x' } }] } });
    expect(r.status).toBe(400);
    expect(r.body.error.code).toBe('VALIDATION_FAILED');
    expect(r.body.error.message.length).toBeLessThanOrEqual(ERROR_BOUNDS.message);
    for (const f of r.body.error.details.fields as { field: string }[]) expect(f.field.length).toBeLessThanOrEqual(ERROR_BOUNDS.field);
    expect(JSON.stringify(r.body).length).toBeLessThan(16_000);
  });
});

describe('gRPC refusals', () => {
  it('undecodable bytes are INVALID_ARGUMENT / MESSAGE_UNDECODABLE with Kasir details, not a bare INTERNAL', async () => {
    const client = new grpc.Client(s.target, grpc.credentials.createInsecure());
    const md = new grpc.Metadata();
    for (const [k, v] of Object.entries(t.devHeaders)) md.set(k, v);
    const err = await new Promise<grpc.ServiceError | null>((resolve) =>
      client.makeUnaryRequest('/pos.v1.CatalogService/CreateProduct', (b: Buffer) => b, (b: Buffer) => b, Buffer.from([0xff, 0xff]) /* a tag whose varint never ends */, md, { deadline: Date.now() + 10_000 }, (e) => resolve(e)),
    );
    client.close();
    expect(err?.code).toBe(grpc.status.INVALID_ARGUMENT);
    expect(decodeStatusDetails(err!.metadata)?.errorInfo?.reason).toBe('MESSAGE_UNDECODABLE');
  });

  it('an error echoing a huge map key does not stall the shared connection: the next calls on it are answered', async () => {
    const c = s.client('CatalogService');
    for (const n of [30_000, 70_000]) {
      const r = await rpc(c, 'CreateProduct', { name: 'x', variants: [{ name: 'v', options: { ['A'.repeat(n)]: 'x' } }] }, t.devHeaders);
      expect(r.ok).toBe(false);
      if (r.ok) continue;
      expect(r.codeName).toBe('INVALID_ARGUMENT');
      expect(r.details?.errorInfo?.reason).toBe('VALIDATION_FAILED');
      expect(r.message.length).toBeLessThanOrEqual(ERROR_BOUNDS.message);
      const next = await rpc(c, 'ListProducts', {}, t.devHeaders);
      expect(next.ok).toBe(true);
    }
  }, 60_000);
});
