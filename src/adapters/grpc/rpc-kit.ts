import { isIP } from 'node:net';
import { Metadata, status, type sendUnaryData, type ServerUnaryCall } from '@grpc/grpc-js';
import type { App } from '../../app.js';
import type { Credentials, Principal } from '../../modules/access/index.js';
import type { Ctx } from '../../platform/context.js';
import { AppError, CommonErrors, validationError } from '../../platform/errors.js';
import { hashRequest } from '../../platform/idempotency.js';
import { isUuid, uuidv7 } from '../../platform/ids.js';
import type { Services } from '../../services.js';
import { assertPlatformKey, readCredentials } from '../shared/credentials.js';
import { boundError } from '../shared/error-bounds.js';
import { TransportErrors } from '../shared/transport-errors.js';
import { toAppError, toGrpcStatus } from './error-status.js';
import { cleanRequest, toWire, type RpcRequest } from './wire.js';

/** What a handler may use besides its request and context. */
export interface RpcEnv {
  services: Services;
  /** False once the server is shutting down. */
  serving(): boolean;
}

export interface Rpc {
  /** tenant (default): tenant credentials; platform: x-platform-admin-key; none: public. */
  auth?: 'tenant' | 'platform' | 'none';
  /** A write: a tenant call with an idempotency key runs once, repeats replay its response. */
  write?: boolean;
  /**
   * The write keeps its own idempotency (a payment's or a refund's key, replayed by the service, free to call
   * a payment provider outside any transaction): its key goes to the handler, with no stored-response
   * transaction around it. The response's boolean `replayed` sets the idempotent-replayed metadata.
   */
  ownIdempotency?: boolean;
  /** For responses holding a secret shown once (a new API key): what to keep for idempotent replays instead. */
  redactForReplay?: (wire: unknown) => unknown;
  /** A health probe: takes no request fields, is neither rate limited nor logged (as /healthz is not), only timed. */
  probe?: boolean;
  handle(req: RpcRequest, ctx: Ctx, env: RpcEnv, call: RpcCall): Promise<unknown>;
}

/** What a handler may know of its call besides the request: a write's idempotency key (field or metadata), if any. */
export interface RpcCall {
  idempotencyKey?: string | undefined;
}

const UNDECODABLE = Symbol('undecodable');

/** The request of a call whose message could not be decoded (server.ts's deserializer returns it): refused by `serve`. */
export const undecodable = (e: unknown): RpcRequest => ({ [UNDECODABLE]: e instanceof Error ? e.message : String(e) }) as unknown as RpcRequest;

/** Thrown by a handler for an RPC that a later part of Kasir implements: UNIMPLEMENTED with this message. */
export class NotAvailableYet extends Error {}

const NO_TENANT = '00000000-0000-0000-0000-000000000000';
const NO_PERMISSIONS: ReadonlySet<string> = new Set();
const first = (md: Metadata, key: string): string | undefined => {
  const v = md.get(key)[0];
  return typeof v === 'string' ? v : undefined;
};

/**
 * Every RPC passes through `unary`, as every REST route passes through RouteKit: per-IP rate limit from the
 * peer address, authentication from metadata (then the per-tenant limit), idempotency for writes, one log line,
 * the latency histogram, and errors mapped once (error-status.ts). Handlers only call a service and present.
 */
export class RpcKit {
  constructor(
    private readonly app: App,
    private readonly env: RpcEnv,
  ) {}

  unary(path: string, rpc: Rpc) {
    return (call: ServerUnaryCall<RpcRequest, unknown>, callback: sendUnaryData<unknown>): void => {
      void (rpc.probe ? this.probe(path, rpc, callback) : this.serve(path, rpc, call, callback));
    };
  }

  /** Health probes take the shortest path (load balancers and the bench call them thousands of times a second). */
  private async probe(path: string, rpc: Rpc, callback: sendUnaryData<unknown>): Promise<void> {
    const started = process.hrtime.bigint();
    let code = status.OK;
    try {
      const ctx: Ctx = { tenantId: NO_TENANT, actor: { kind: 'system', permissions: NO_PERMISSIONS }, requestId: '', database: this.app.database, log: this.app.log };
      callback(null, await rpc.handle({}, ctx, this.env, {}));
    } catch (e) {
      code = status.INTERNAL;
      this.app.log.error({ method: path, err: e }, 'unexpected error');
      callback({ code, details: CommonErrors.INTERNAL.message });
    } finally {
      this.app.metrics.grpcDuration.observe({ method: path, code: status[code] }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  private async serve(path: string, rpc: Rpc, call: ServerUnaryCall<RpcRequest, unknown>, callback: sendUnaryData<unknown>): Promise<void> {
    const started = process.hrtime.bigint();
    const md = call.metadata;
    const given = first(md, 'x-request-id');
    const requestId = given && (isUuid(given) || /^[A-Za-z0-9._-]{8,64}$/.test(given)) ? given : uuidv7();
    const ip = this.clientIp(call);
    const header = new Metadata();
    header.set('x-request-id', requestId);
    let tenantId: string | undefined;
    let principal: Principal | undefined;
    let code: status = status.OK;
    let errorCode: string | undefined;
    try {
      await this.app.gate.admitIp(ip);
      const log = this.app.log.child({ req_id: requestId });
      let ctx: Ctx = { tenantId: NO_TENANT, actor: { kind: 'system', permissions: new Set() }, requestId, database: this.app.database, log };
      const auth = rpc.auth ?? 'tenant';
      if (auth === 'tenant') {
        principal = await this.app.gate.authenticate(credentials(md));
        if (principal.actor.kind === 'customer') throw new AppError(CommonErrors.PERMISSION_DENIED, undefined, 'A customer token cannot call staff RPCs');
        tenantId = principal.tenantId;
        ctx = { ...ctx, ...principal };
      } else if (auth === 'platform') {
        assertPlatformKey((name) => first(md, name), this.app.config.POS_PLATFORM_ADMIN_KEY, { header: 'metadata x-platform-admin-key', disabled: 'PlatformService is disabled' });
      }
      const broken = (call.request as { [UNDECODABLE]?: string } | undefined)?.[UNDECODABLE];
      if (broken !== undefined) throw new AppError(TransportErrors.MESSAGE_UNDECODABLE, { reason: broken });
      const { idempotency_key: fieldKey, ...req } = cleanRequest(call.request);
      const key = rpc.write && auth === 'tenant' ? idempotencyKey(md, fieldKey) : undefined;
      let result: unknown;
      if (key === undefined) {
        result = toWire(await rpc.handle(req, ctx, this.env, {}));
      } else if (rpc.ownIdempotency) {
        result = toWire(await rpc.handle(req, ctx, this.env, { idempotencyKey: key }));
        const replayed = (result as { replayed?: unknown } | null)?.replayed;
        if (typeof replayed === 'boolean') header.set('idempotent-replayed', String(replayed));
      } else {
        const { replayed, response } = await this.app.idempotency.run(ctx, { key, scope: path, requestHash: hashRequest(path, req) }, async (tx) => {
          const wire = toWire(await rpc.handle(req, tx, this.env, { idempotencyKey: key }));
          return { status: status.OK, body: JSON.stringify(wire), ...(rpc.redactForReplay ? { replayBody: JSON.stringify(rpc.redactForReplay(wire)) } : {}) };
        });
        header.set('idempotent-replayed', String(replayed));
        result = JSON.parse(response.body) as unknown;
      }
      call.sendMetadata(header);
      callback(null, result);
    } catch (e) {
      await this.app.gate.failed(principal, this.app.log);
      call.sendMetadata(header);
      if (e instanceof NotAvailableYet) {
        code = status.UNIMPLEMENTED;
        callback({ code, details: e.message });
      } else {
        const { error, unexpected } = toAppError(e);
        if (unexpected) this.app.log.error({ req_id: requestId, method: path, err: e }, 'unexpected error');
        const s = toGrpcStatus(boundError(error));
        code = s.code;
        errorCode = error.code;
        callback(s);
      }
    } finally {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      this.app.metrics.grpcDuration.observe({ method: path, code: status[code] }, seconds);
      this.app.log.info(
        { req_id: requestId, tenant_id: tenantId, method: path, grpc_code: status[code], error_code: errorCode, duration_ms: Math.round(seconds * 1e4) / 10, ip },
        'rpc',
      );
    }
  }

  /** The peer's address without its port; the first x-forwarded-for hop when POS_TRUST_PROXY is on. */
  private clientIp(call: ServerUnaryCall<RpcRequest, unknown>): string {
    const forwarded = this.app.config.POS_TRUST_PROXY ? first(call.metadata, 'x-forwarded-for')?.split(',')[0]?.trim() : undefined;
    if (forwarded && isIP(forwarded)) return normalizeIp(forwarded);
    const peer = call.getPeer(); // "1.2.3.4:5678", "::1:5678" or "[::1]:5678"
    const host = peer.replace(/^\[(.*)\]:\d+$/, '$1');
    if (isIP(host)) return normalizeIp(host);
    const withoutPort = peer.replace(/:\d+$/, '');
    return normalizeIp(isIP(withoutPort) ? withoutPort : peer);
  }

}

/** IPv4-mapped IPv6 (::ffff:1.2.3.4) counts as the IPv4 address, as the REST server sees it. */
const normalizeIp = (ip: string): string => ip.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');

const credentials = (md: Metadata): Credentials => readCredentials((name) => first(md, name));

/** The key from metadata `idempotency-key` or the request's `idempotency_key`; both set must agree. */
function idempotencyKey(md: Metadata, field: unknown): string | undefined {
  const fromMetadata = first(md, 'idempotency-key');
  const fromField = typeof field === 'string' && field !== '' ? field : undefined;
  if (fromMetadata !== undefined && fromField !== undefined && fromMetadata !== fromField) {
    throw validationError([{ field: 'idempotency_key', message: 'differs from the idempotency-key metadata; send one of them' }]);
  }
  return fromMetadata ?? fromField;
}
