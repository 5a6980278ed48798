import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { decodeStatusDetails, type StatusDetails } from '../../src/adapters/grpc/error-status.js';
import { POS_PROTO_FILES, PROTO_DIR } from '../../src/adapters/grpc/protos.js';
import { startGrpcServer } from '../../src/adapters/grpc/server.js';
import type { RouteModule } from '../../src/adapters/http/server.js';
import { salesRoutes } from '../../src/adapters/http/routes/sales.routes.js';
import { startTestServer, type TestServer } from './server.js';

export interface TestGrpcServer extends TestServer {
  grpcPort: number;
  /** host:port for grpc clients. */
  target: string;
  /** A pos.v1 client of `service` (e.g. "TenantService") built from proto/, closed by stop(). */
  client(service: string): grpc.Client;
}

/**
 * The REST test server of support/server.ts plus a gRPC server over the same app (same database, services,
 * rate limiter and idempotency store), both on ephemeral ports. `env` overrides settings as environment
 * variables would; `extra` adds REST routes as support/server.ts does.
 */
export async function startTestGrpcServer(env: Record<string, string> = {}, extra: RouteModule[] = []): Promise<TestGrpcServer> {
  const rest = await startTestServer(env, extra);
  const running = await startGrpcServer(rest.app, 0, '127.0.0.1');
  const target = `127.0.0.1:${running.port}`;
  const clients: grpc.Client[] = [];
  return {
    ...rest,
    grpcPort: running.port,
    target,
    client(service) {
      const c = posClient(target, service);
      clients.push(c);
      return c;
    },
    async stop() {
      for (const c of clients) c.close();
      await running.stop(2_000);
      await rest.stop();
    },
  };
}

/**
 * How a typical Node client loads the contract: proto-loader with `defaults: true`, so unset scalars read as
 * their zero values (an unset proto3 `optional` field stays absent).
 */
export const CLIENT_LOADER_OPTIONS: protoLoader.Options = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [PROTO_DIR] };

let clientPackage: grpc.GrpcObject | undefined;

export function posClient(target: string, service: string): grpc.Client {
  clientPackage ??= grpc.loadPackageDefinition(protoLoader.loadSync(POS_PROTO_FILES, CLIENT_LOADER_OPTIONS));
  const pos = (clientPackage.pos as grpc.GrpcObject).v1 as grpc.GrpcObject;
  const Ctor = pos[service] as grpc.ServiceClientConstructor | undefined;
  if (!Ctor) throw new Error(`no service pos.v1.${service}`);
  return new Ctor(target, grpc.credentials.createInsecure());
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a response is whatever its proto message says; tests assert on its fields
export type Body = any;

export type RpcResult =
  | { ok: true; body: Body; header: grpc.Metadata }
  | { ok: false; code: grpc.status; codeName: string; message: string; trailers: grpc.Metadata; details: StatusDetails | undefined; header: grpc.Metadata | undefined };

/** One unary call; resolves with the response or the failure (status, message, decoded google.rpc.Status). */
export function rpc(client: grpc.Client, method: string, request: object = {}, metadata: Record<string, string> = {}): Promise<RpcResult> {
  const md = new grpc.Metadata();
  for (const [k, v] of Object.entries(metadata)) md.set(k, v);
  type Unary = (req: object, md: grpc.Metadata, cb: (err: grpc.ServiceError | null, body: unknown) => void) => grpc.ClientUnaryCall;
  const fn = (client as unknown as Record<string, Unary | undefined>)[method];
  if (!fn) throw new Error(`no method ${method}`);
  return new Promise((resolve) => {
    let header: grpc.Metadata | undefined;
    const call = fn.call(client, request, md, (err, body) => {
      if (!err) resolve({ ok: true, body, header: header ?? new grpc.Metadata() });
      else resolve({ ok: false, code: err.code, codeName: grpc.status[err.code], message: err.details, trailers: err.metadata, details: decodeStatusDetails(err.metadata), header });
    });
    call.on('metadata', (m: grpc.Metadata) => {
      header = m;
    });
  });
}

/** The response of a call that must succeed; throws with the status otherwise. */
export async function ok(result: Promise<RpcResult>): Promise<Body> {
  const r = await result;
  if (!r.ok) throw new Error(`expected success, got ${r.codeName}: ${r.message}`);
  return r.body;
}

/**
 * REST's sales routes over the app's own SalesService (the one gRPC calls), for tests that compare the two
 * transports; adds nothing once the composition root serves /api/v1/orders itself.
 */
export const salesRestRoutes: RouteModule = (r, app) => {
  if (!r.routes.some((x) => x.url === '/api/v1/orders')) salesRoutes(r, app.services);
};
