import { decodeJwt, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import type { Actor } from '../../platform/context.js';
import type { Database } from '../../platform/db.js';
import { AppError, CommonErrors } from '../../platform/errors.js';
import { isUuid } from '../../platform/ids.js';
import { TtlCache } from '../../platform/ttl-cache.js';
import { tenantRepository } from '../tenancy/index.js';
import { AccessErrors } from './access.errors.js';
import { accessRepository } from './access.repository.js';
import { decodeApiKey, secretMatches } from './api-key.js';
import { JwksKeys, JwksUnavailable } from './jwks.js';
import { credentialEpoch } from './credential-epoch.js';
import { PERMISSIONS } from './permissions.js';

/** What a request presented, from REST headers or gRPC metadata alike. */
export interface Credentials {
  authorization?: string | undefined;
  apiKey?: string | undefined;
  devTenantId?: string | undefined;
  devUserId?: string | undefined;
  devMembershipId?: string | undefined;
  /** X-Staff-Session: a PIN switch's token (the staff module applies it after authentication). */
  staffSession?: string | undefined;
  /** X-Manager-Override: a manager's one-time override token (likewise). */
  managerOverride?: string | undefined;
}

export interface Principal {
  tenantId: string;
  actor: Actor;
  /** The manager override this request used up (X-Manager-Override): given back if the request fails. */
  overrideTokenId?: string | undefined;
}

export interface AuthOptions {
  authEnabled: boolean;
  jwksUrl?: string | undefined;
  issuer?: string | undefined;
  audience?: string | undefined;
  /** Kasir's own customer tokens (audience kasir:customer): verified against Kasir's keys, not the JWKS. */
  customerTokens?: CustomerTokenVerifier | undefined;
}

export interface CustomerTokenVerifier {
  readonly audience: string;
  /** The claims of a valid token (tenant_id, customer_id); throws otherwise. */
  verify(token: string): Promise<JWTPayload>;
}

const ALL = new Set<string>(PERMISSIONS);
const CLOCK_TOLERANCE_S = 30;
const CACHE_MS = 5_000;

/** Does a token scope entry grant `permission`? `*` and `pos:*` grant all; `pos:sale:*` a family. */
function scopeGrants(scope: string[], permission: string): boolean {
  return scope.some((s) => s === '*' || s === permission || (s.endsWith(':*') && permission.startsWith(s.slice(0, -1))));
}

function scopeOf(payload: JWTPayload): string[] {
  const s = payload.scope;
  if (typeof s === 'string') return s.split(/\s+/).filter(Boolean);
  if (Array.isArray(s)) return s.filter((x): x is string => typeof x === 'string');
  return [];
}

/** Whether a bearer token (not yet verified) says it is one of Kasir's customer tokens. */
function isCustomerToken(token: string, audience: string): boolean {
  try {
    const aud = decodeJwt(token).aud;
    return aud === audience || (Array.isArray(aud) && aud.includes(audience));
  } catch {
    return false;
  }
}

/**
 * Turns credentials into a tenant and an actor, the three ways seed 000 describes. Tenant status and
 * membership roles are cached for a few seconds; `invalidate` (wired to a NOTIFY channel) drops them at once
 * on every node when a key is revoked, a role changes or a tenant is suspended.
 */
export class Authenticator {
  private readonly jwks: JwksKeys | undefined;
  private readonly tenantStatus = new TtlCache<string, 'active' | 'suspended' | 'missing'>(CACHE_MS);
  private readonly memberships = new TtlCache<string, { active: boolean; userId: string; permissions: string[] } | null>(CACHE_MS);
  private readonly keys = new TtlCache<string, Principal | null>(CACHE_MS);
  private readonly lastTouched = new Map<string, number>();
  /** Bumped by every invalidation: a lookup that raced one does not put its (possibly stale) answer in a cache. */
  private generation = 0;
  private seenEpoch = 0;

  constructor(
    private readonly database: Database,
    private readonly opts: AuthOptions,
  ) {
    this.jwks = opts.jwksUrl ? new JwksKeys(opts.jwksUrl) : undefined;
  }

  invalidate(): void {
    this.generation += 1;
    this.tenantStatus.clear();
    this.memberships.clear();
    this.keys.clear();
  }

  /** Drops the caches if this process committed a credential change since they were filled. */
  private current(): number {
    const epoch = credentialEpoch(this.database);
    if (epoch !== this.seenEpoch) {
      this.seenEpoch = epoch;
      this.invalidate();
    }
    return this.generation;
  }

  /** Caches what a lookup begun at `started` found, unless credentials changed meanwhile. */
  private remember<K, V>(cache: TtlCache<K, V>, started: number, key: K, value: V, ttlMs?: number): void {
    if (this.current() === started) cache.set(key, value, ttlMs);
  }

  async authenticate(c: Credentials): Promise<Principal> {
    this.current();
    let principal: Principal;
    if (c.authorization) principal = await this.fromBearer(c.authorization);
    else if (c.apiKey) principal = await this.fromApiKey(c.apiKey);
    else if (c.devTenantId || c.devUserId || c.devMembershipId) principal = await this.fromDevHeaders(c);
    else throw new AppError(CommonErrors.UNAUTHENTICATED, undefined, this.opts.authEnabled ? 'Send Authorization: Bearer <token> or x-api-key' : 'Send Authorization: Bearer <token>, x-api-key, or the x-dev-tenant-id header');
    await this.assertTenantActive(principal.tenantId);
    return principal;
  }

  private async assertTenantActive(tenantId: string): Promise<void> {
    let status = this.tenantStatus.get(tenantId);
    if (status === undefined) {
      const started = this.generation;
      const t = await this.database.transaction(null, (db) => tenantRepository.byId(db, tenantId));
      status = t ? t.status : 'missing';
      this.remember(this.tenantStatus, started, tenantId, status);
    }
    if (status === 'missing') throw new AppError(CommonErrors.UNAUTHENTICATED, undefined, 'The credentials name a tenant that does not exist');
    if (status === 'suspended') throw new AppError(CommonErrors.TENANT_SUSPENDED);
  }

  private async fromBearer(header: string): Promise<Principal> {
    const m = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!m) throw new AppError(AccessErrors.INVALID_TOKEN, undefined, 'Authorization must be "Bearer <token>"');
    if (this.opts.customerTokens && isCustomerToken(m[1]!, this.opts.customerTokens.audience)) return this.fromCustomerToken(m[1]!, this.opts.customerTokens);
    if (!this.jwks) throw new AppError(AccessErrors.INVALID_TOKEN, undefined, 'Bearer tokens are not accepted: POS_AUTH_JWKS_URL is not configured');
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(m[1]!, this.jwks.getKey, {
        algorithms: ['EdDSA', 'Ed25519'],
        clockTolerance: CLOCK_TOLERANCE_S,
        // A token without an expiry would be good forever; the Auth service always sets one.
        requiredClaims: ['exp'],
        ...(this.opts.issuer ? { issuer: this.opts.issuer } : {}),
        ...(this.opts.audience ? { audience: this.opts.audience } : {}),
      }));
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) throw new AppError(AccessErrors.TOKEN_EXPIRED);
      if (e instanceof JwksUnavailable) throw new AppError(AccessErrors.AUTH_PROVIDER_UNAVAILABLE);
      throw new AppError(AccessErrors.INVALID_TOKEN, undefined, `The bearer token is invalid (${(e as Error).message})`);
    }
    if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + CLOCK_TOLERANCE_S) {
      throw new AppError(AccessErrors.INVALID_TOKEN, undefined, 'The bearer token is issued in the future');
    }
    const tenantId = payload.tenant_id;
    const membershipId = payload.membership_id;
    if (!isUuid(tenantId) || !isUuid(membershipId)) {
      throw new AppError(AccessErrors.INVALID_TOKEN, undefined, 'The bearer token needs tenant_id and membership_id claims (UUIDs)');
    }
    const member = await this.membership(tenantId.toLowerCase(), membershipId.toLowerCase());
    if (!member || !member.active || (payload.sub !== undefined && isUuid(payload.sub) && payload.sub.toLowerCase() !== member.userId)) {
      throw new AppError(AccessErrors.INVALID_TOKEN, undefined, 'The token’s membership does not exist in its tenant or is inactive');
    }
    const scope = scopeOf(payload);
    return {
      tenantId: tenantId.toLowerCase(),
      actor: {
        kind: 'staff',
        userId: member.userId,
        membershipId: membershipId.toLowerCase(),
        permissions: new Set(member.permissions.filter((p) => scopeGrants(scope, p))),
      },
    };
  }

  /** A customer acts as itself only: no staff permissions (routes for customers check the actor's kind). */
  private async fromCustomerToken(token: string, verifier: CustomerTokenVerifier): Promise<Principal> {
    let payload: JWTPayload;
    try {
      payload = await verifier.verify(token);
    } catch (e) {
      if (e instanceof joseErrors.JWTExpired) throw new AppError(AccessErrors.TOKEN_EXPIRED);
      throw new AppError(AccessErrors.INVALID_TOKEN, undefined, 'The customer token is invalid');
    }
    if (!isUuid(payload.tenant_id) || !isUuid(payload.customer_id)) throw new AppError(AccessErrors.INVALID_TOKEN, undefined, 'The customer token needs tenant_id and customer_id claims');
    return { tenantId: payload.tenant_id.toLowerCase(), actor: { kind: 'customer', customerId: payload.customer_id.toLowerCase(), permissions: new Set() } };
  }

  private async fromApiKey(key: string): Promise<Principal> {
    const cached = this.keys.get(key);
    if (cached === null) throw new AppError(AccessErrors.INVALID_API_KEY);
    if (cached) {
      this.touch(cached);
      return cached;
    }
    const decoded = decodeApiKey(key.trim());
    if (!decoded) throw new AppError(AccessErrors.INVALID_API_KEY);
    const started = this.generation;
    const { row, device } = await this.database.transaction(decoded.tenantId, async (db) => {
      const scope = { db, tenantId: decoded.tenantId };
      const row = await accessRepository.apiKey(scope, decoded.keyId);
      // A paired device's key acts as its terminal (the registers module's devices table names the key).
      return { row, device: row && !row.revokedAt ? await accessRepository.deviceBinding(scope, row.id) : undefined };
    });
    const valid = row && !row.revokedAt && (!row.expiresAt || row.expiresAt.getTime() > Date.now()) && secretMatches(decoded.secret, row.secretHash);
    if (!valid) {
      this.remember(this.keys, started, key, null);
      throw new AppError(AccessErrors.INVALID_API_KEY);
    }
    const principal: Principal = {
      tenantId: decoded.tenantId,
      actor: { kind: 'api_key', apiKeyId: row.id, ...(device ? { terminalId: device.terminalId, outletId: device.outletId } : {}), permissions: new Set(row.permissions) },
    };
    // Cache no longer than the key lives.
    this.remember(this.keys, started, key, principal, row.expiresAt ? Math.min(CACHE_MS, row.expiresAt.getTime() - Date.now()) : CACHE_MS);
    this.touch(principal);
    return principal;
  }

  /** Records last use at most once a minute per key, off the request's path. */
  private touch(p: Principal): void {
    const id = p.actor.apiKeyId!;
    const now = Date.now();
    if ((this.lastTouched.get(id) ?? 0) > now - 60_000) return;
    this.lastTouched.set(id, now);
    void this.database.transaction(p.tenantId, (db) => accessRepository.touchApiKey({ db, tenantId: p.tenantId }, id)).catch(() => undefined);
  }

  private async fromDevHeaders(c: Credentials): Promise<Principal> {
    if (this.opts.authEnabled) throw new AppError(AccessErrors.DEV_HEADERS_DISABLED);
    const tenantId = c.devTenantId;
    if (!isUuid(tenantId)) throw new AppError(CommonErrors.UNAUTHENTICATED, undefined, 'x-dev-tenant-id must be a UUID');
    for (const [name, v] of [['x-dev-user-id', c.devUserId], ['x-dev-membership-id', c.devMembershipId]] as const) {
      if (v !== undefined && !isUuid(v)) throw new AppError(CommonErrors.UNAUTHENTICATED, undefined, `${name} must be a UUID`);
    }
    const t = tenantId.toLowerCase();
    // A named membership acts with its role's permissions; without one, development mode grants them all.
    let permissions: ReadonlySet<string> = ALL;
    if (c.devMembershipId) {
      const member = await this.membership(t, c.devMembershipId.toLowerCase());
      if (member) permissions = member.active ? new Set(member.permissions) : new Set();
    }
    return {
      tenantId: t,
      actor: { kind: 'dev', userId: c.devUserId?.toLowerCase(), membershipId: c.devMembershipId?.toLowerCase(), permissions },
    };
  }

  private async membership(tenantId: string, membershipId: string) {
    const key = `${tenantId}:${membershipId}`;
    const hit = this.memberships.get(key);
    if (hit !== undefined) return hit;
    const started = this.generation;
    const row = await this.database.transaction(tenantId, (db) => accessRepository.membershipWithRole({ db, tenantId }, membershipId));
    const value = row ? { active: row.membership.active, userId: row.membership.userId, permissions: row.role.permissions } : null;
    this.remember(this.memberships, started, key, value);
    return value;
  }
}
