import type { Authenticator, Credentials, Principal } from '../../modules/access/index.js';
import { AppError, CommonErrors } from '../../platform/errors.js';
import type { Metrics } from '../../platform/metrics.js';
import type { RateLimiter } from '../../platform/rate-limit.js';

export interface GateLimits {
  ipPerMinute: number;
  tenantPerMinute: number;
}

/**
 * What every request passes before it reaches a service, REST and gRPC alike: the per-IP limit, then
 * authentication, then the per-tenant limit.
 */
export class RequestGate {
  constructor(
    private readonly auth: Authenticator,
    private readonly limiter: RateLimiter,
    private readonly limits: GateLimits,
    private readonly metrics: Metrics,
    /** Applies X-Staff-Session / X-Manager-Override after authentication (the staff module). */
    private readonly staff?: { wants(c: Credentials): boolean; apply(p: Principal, c: Credentials): Promise<Principal>; release?(p: Principal): Promise<void> },
  ) {}

  async admitIp(ip: string): Promise<void> {
    const d = await this.limiter.hit(`ip:${ip}`, this.limits.ipPerMinute, 60_000);
    if (!d.allowed) {
      this.metrics.rateLimited.inc({ scope: 'ip' });
      throw rateLimited(d.retryAfterMs, 'ip');
    }
  }

  async authenticate(credentials: Credentials): Promise<Principal> {
    const principal = await this.auth.authenticate(credentials);
    const d = await this.limiter.hit(`tenant:${principal.tenantId}`, this.limits.tenantPerMinute, 60_000);
    if (!d.allowed) {
      this.metrics.rateLimited.inc({ scope: 'tenant' });
      throw rateLimited(d.retryAfterMs, 'tenant');
    }
    if (this.staff?.wants(credentials)) return this.staff.apply(principal, credentials);
    return principal;
  }

  /** A request that used up a manager override failed: the override is given back (never throws). */
  async failed(principal: Principal | undefined, log?: { warn(o: object, m: string): void }): Promise<void> {
    if (!principal?.overrideTokenId || !this.staff?.release) return;
    await this.staff.release(principal).catch((err: unknown) => log?.warn({ err }, 'could not give back a manager override'));
  }
}

function rateLimited(retryAfterMs: number, scope: 'ip' | 'tenant'): AppError {
  const retryAfterSeconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return new AppError(CommonErrors.RATE_LIMITED, { scope, retry_after_seconds: retryAfterSeconds }, `Too many requests for this ${scope}; retry in ${retryAfterSeconds} s`);
}
