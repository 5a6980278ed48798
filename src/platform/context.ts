import type { Logger } from 'pino';
import type { Database, Db } from './db.js';
import { AppError, CommonErrors } from './errors.js';

/** The logging a service may do (a pino logger, or Fastify's request logger, which is one). */
export type Log = Pick<Logger, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'>;

/** Who is acting. Permissions are already resolved from role, API key scope or token scope. */
export interface Actor {
  kind: 'staff' | 'api_key' | 'dev' | 'customer' | 'system';
  userId?: string | undefined;
  membershipId?: string | undefined;
  apiKeyId?: string | undefined;
  customerId?: string | undefined;
  /** A paired device's credential: the terminal (and its outlet) it acts as; its sales and drawer stay there. */
  terminalId?: string | undefined;
  outletId?: string | undefined;
  permissions: ReadonlySet<string>;
}

/**
 * The first argument of every service method: tenant, actor, request id, logger and the database. The tenant
 * always comes from the credentials, never from a request body.
 */
export interface Ctx {
  readonly tenantId: string;
  readonly actor: Actor;
  readonly requestId: string;
  readonly database: Database;
  readonly log: Log;
  /** Set for requests that only read (REST GETs): withTransaction then takes the one-round-trip read path. */
  readonly readOnly?: boolean;
}

/** A context inside a tenant transaction: `db` is the transaction's handle with `app.tenant_id` set. */
export interface TxCtx extends Ctx {
  readonly db: Db;
}

const inTx = (ctx: Ctx | TxCtx): ctx is TxCtx => 'db' in ctx && ctx.db !== undefined;

/**
 * Runs `work` in the tenant's transaction: joins the caller's transaction when there is one, otherwise opens
 * one and sets `app.tenant_id` (transaction-local) so row-level security scopes every query. Repositories
 * take a TxCtx, so a query outside a tenant transaction does not type-check.
 */
export function withTransaction<T>(ctx: Ctx | TxCtx, work: (tx: TxCtx) => Promise<T>): Promise<T> {
  if (inTx(ctx)) return work(ctx);
  if (ctx.readOnly) return ctx.database.read(ctx.tenantId, (db) => work({ ...ctx, db }));
  return ctx.database.transaction(ctx.tenantId, (db) => work({ ...ctx, db }));
}

export function can(ctx: Ctx, permission: string): boolean {
  return ctx.actor.permissions.has(permission);
}

export function requirePermission(ctx: Ctx, permission: string): void {
  if (!ctx.actor.permissions.has(permission)) {
    throw new AppError(CommonErrors.PERMISSION_DENIED, { required: permission }, `This operation needs the permission ${permission}`);
  }
}

/** What a repository needs: the transaction's handle and its tenant. Any TxCtx is one. */
export type TxScope = Pick<TxCtx, 'db' | 'tenantId'>;
