import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Principal } from '../../modules/access/index.js';
import type { Ctx } from '../../platform/context.js';
import type { Database } from '../../platform/db.js';
import { AppError, CommonErrors } from '../../platform/errors.js';
import { assertIdempotencyKey, hashRequest, type IdempotencyStore } from '../../platform/idempotency.js';
import type { Logger } from '../../platform/logger.js';
import { assertPlatformKey, readCredentials } from '../shared/credentials.js';
import type { RequestGate } from '../shared/gate.js';
import { toJson } from './json.js';

const idempotencyHeaders = z.looseObject({
  'idempotency-key': z.string().min(1).max(255).optional().describe('Makes the write safe to retry: a repeat with the same body replays the first response'),
});

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteSpec<P, Q, B> {
  summary: string;
  tags: string[];
  params?: P;
  query?: Q;
  body?: B;
  /** Schema of the success body, for the OpenAPI document. */
  response?: z.ZodType;
  /** Success status; 200 unless given. */
  status?: number;
  /** tenant (default): credentials required; platform: the platform admin key; none: public. */
  auth?: 'tenant' | 'platform' | 'none';
  description?: string;
  /** For responses holding a secret shown once: what to keep for idempotent replays instead. */
  redactForReplay?: (result: unknown) => unknown;
  /**
   * The write keeps its own idempotency in this body field (a payment's or a refund's key, which the service
   * replays itself, and which must be free to call a payment provider outside any transaction). An
   * Idempotency-Key header then fills that field instead of wrapping the request in a stored-response
   * transaction; a body that names a different key is refused. A result with a boolean `replayed` sets the
   * idempotent-replayed header, as a stored replay does.
   */
  bodyIdempotencyKey?: string;
  /**
   * false: a write that is never replayed (a PIN check must count a wrong PIN even though the request fails,
   * which a rolled-back idempotency transaction would undo); its Idempotency-Key is accepted and ignored.
   */
  idempotent?: false;
}

export interface Parts<P, Q, B> {
  params: Out<P>;
  query: Out<Q>;
  body: Out<B>;
}

export interface RouteKitDeps {
  gate: RequestGate;
  idempotency: IdempotencyStore;
  database: Database;
  log: Logger;
  platformAdminKey: string | undefined;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The tenant of the request once authenticated, for the request log line. */
    tenantId?: string;
    /** Who the credentials are, set before validation by the route's onRequest hook. */
    principal?: Principal;
  }
}

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * Authenticates a request (credentials, then the tenant's rate limit) and remembers who it is on the request.
 * Every tenant route runs it in onRequest, before the body is read: RouteKit's routes and the raw ones alike.
 */
export async function authenticateRequest(gate: RequestGate, req: FastifyRequest, who: 'staff' | 'customer' = 'staff'): Promise<Principal> {
  const principal = await gate.authenticate(readCredentials((name) => header(req, name)));
  // A customer token opens the customer's own routes only; staff credentials never open those.
  if ((principal.actor.kind === 'customer') !== (who === 'customer')) {
    throw new AppError(CommonErrors.PERMISSION_DENIED, undefined, who === 'customer' ? 'This route takes a customer token' : 'A customer token cannot call staff routes');
  }
  req.tenantId = principal.tenantId;
  req.principal = principal;
  return principal;
}

/**
 * Declares routes as one line of work each: the kit authenticates, applies idempotency to writes, and
 * serializes the result; handlers only call a service or flow and present the result.
 */
export class RouteKit {
  readonly routes: { method: Method; url: string; auth: 'tenant' | 'platform' | 'none' }[] = [];

  constructor(
    /** The Fastify instance, for the few routes that need a raw reply (streams, non-JSON bodies). */
    readonly server: FastifyInstance,
    private readonly deps: RouteKitDeps,
  ) {}

  get<P extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined>(
    url: string,
    spec: RouteSpec<P, Q, undefined>,
    handler: (parts: Parts<P, Q, undefined>, ctx: Ctx) => Promise<unknown>,
  ): void {
    this.add('GET', url, spec, handler);
  }

  post<P extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined, B extends z.ZodType | undefined = undefined>(
    url: string,
    spec: RouteSpec<P, Q, B>,
    handler: (parts: Parts<P, Q, B>, ctx: Ctx) => Promise<unknown>,
  ): void {
    this.add('POST', url, spec, handler);
  }

  patch<P extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined, B extends z.ZodType | undefined = undefined>(
    url: string,
    spec: RouteSpec<P, Q, B>,
    handler: (parts: Parts<P, Q, B>, ctx: Ctx) => Promise<unknown>,
  ): void {
    this.add('PATCH', url, spec, handler);
  }

  put<P extends z.ZodType | undefined = undefined, Q extends z.ZodType | undefined = undefined, B extends z.ZodType | undefined = undefined>(
    url: string,
    spec: RouteSpec<P, Q, B>,
    handler: (parts: Parts<P, Q, B>, ctx: Ctx) => Promise<unknown>,
  ): void {
    this.add('PUT', url, spec, handler);
  }

  delete<P extends z.ZodType | undefined = undefined>(url: string, spec: RouteSpec<P, undefined, undefined>, handler: (parts: Parts<P, undefined, undefined>, ctx: Ctx) => Promise<unknown>): void {
    this.add('DELETE', url, spec, handler);
  }

  private add<P, Q, B>(method: Method, url: string, spec: RouteSpec<P, Q, B>, handler: (parts: Parts<P, Q, B>, ctx: Ctx) => Promise<unknown>): void {
    const auth = spec.auth ?? 'tenant';
    const status = spec.status ?? 200;
    this.routes.push({ method, url, auth });
    const isWrite = method !== 'GET';
    this.server.route({
      method,
      url,
      schema: {
        summary: spec.summary,
        tags: spec.tags,
        ...(spec.description ? { description: spec.description } : {}),
        ...(spec.params ? { params: spec.params } : {}),
        ...(spec.query ? { querystring: spec.query } : {}),
        ...(spec.body ? { body: spec.body } : {}),
        ...(spec.response ? { response: { [status]: spec.response } } : {}),
        ...(auth === 'tenant' ? { security: [{ bearer: [] }, { apiKey: [] }, { devTenant: [] }] } : auth === 'platform' ? { security: [{ platformKey: [] }] } : {}),
        ...(isWrite && auth === 'tenant'
          ? { headers: idempotencyHeaders }
          : {}),
      } as never,
      // Credentials are checked as soon as the route is known, before the body is read or validated: a
      // caller without them gets 401, not a 400 that describes the route's schema.
      ...(auth === 'none'
        ? {}
        : {
            onRequest: async (req: FastifyRequest) => {
              if (auth === 'platform') {
                return assertPlatformKey((name) => header(req, name), this.deps.platformAdminKey, { header: 'x-platform-admin-key', disabled: 'Platform endpoints are disabled' });
              }
              await authenticateRequest(this.deps.gate, req);
              // One error for a bad key, whatever is wrong with it (the header schema only documents it).
              const key = isWrite ? header(req, 'idempotency-key') : undefined;
              if (key !== undefined) assertIdempotencyKey(key);
            },
          }),
      handler: async (req: FastifyRequest, reply: FastifyReply) => {
        const parts = { params: req.params, query: req.query, body: req.body } as Parts<P, Q, B>;
        if (auth !== 'tenant') return send(reply, status, await handler(parts, this.anonymous(req)));
        const principal = req.principal!;
        const ctx: Ctx = { ...principal, requestId: String(req.id), database: this.deps.database, log: req.log, readOnly: !isWrite };
        const key = isWrite && spec.idempotent !== false ? header(req, 'idempotency-key') : undefined;
        if (key !== undefined && spec.bodyIdempotencyKey) {
          const result = await handler(withBodyKey(parts, spec.bodyIdempotencyKey, key), ctx);
          const replayed = (result as { replayed?: unknown } | null)?.replayed;
          if (typeof replayed === 'boolean') reply.header('idempotent-replayed', String(replayed));
          return send(reply, status, result);
        }
        if (key === undefined) return send(reply, status, await handler(parts, ctx));
        const scope = `${method} ${url}`;
        const { replayed, response } = await this.deps.idempotency.run(ctx, { key, scope, requestHash: hashRequest(scope, parts) }, async (tx) => {
          const result = await handler(parts, tx);
          return { status, body: toJson(result), ...(spec.redactForReplay ? { replayBody: toJson(spec.redactForReplay(result)) } : {}) };
        });
        reply.header('idempotent-replayed', String(replayed));
        return reply.code(response.status).type('application/json; charset=utf-8').serializer((s: string) => s).send(response.body);
      },
    });
  }

  private anonymous(req: FastifyRequest): Ctx {
    // Platform and public handlers must not touch tenant data through ctx; an empty tenant sees nothing.
    return { tenantId: '00000000-0000-0000-0000-000000000000', actor: { kind: 'system', permissions: new Set() }, requestId: String(req.id), database: this.deps.database, log: req.log };
  }
}

/** Parts whose body carries the header's Idempotency-Key in `field` (see RouteSpec.bodyIdempotencyKey). */
function withBodyKey<P, Q, B>(parts: Parts<P, Q, B>, field: string, key: string): Parts<P, Q, B> {
  const body = (parts.body ?? {}) as Record<string, unknown>;
  if (body[field] !== undefined && body[field] !== key) {
    throw new AppError(CommonErrors.VALIDATION_FAILED, { fields: [{ field, message: 'differs from the Idempotency-Key header; send one key' }] }, `${field} differs from the Idempotency-Key header`);
  }
  return { ...parts, body: { ...body, [field]: key } as Out<B> };
}

function send(reply: FastifyReply, status: number, result: unknown) {
  if (status === 204) return reply.code(204).send();
  return reply.code(status).send(result);
}
