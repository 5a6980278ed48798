import { createRemoteJWKSet, errors as joseErrors, type JWTVerifyGetKey } from 'jose';

/** The Auth service's JWKS could not be read (down, slow, not 200, not a key set): a 503, not a bad token. */
export class JwksUnavailable extends Error {}

/**
 * Keys of the Auth service, from its JWKS: cached for ten minutes, and refetched at once when a token names a
 * kid the cache does not hold, so a rotated key works the moment the Auth service publishes it. Refetches
 * for unknown kids draw on a small budget (a burst of `burst`, then one per `refillMs`), so tokens with
 * made-up kids cannot turn every request into a request to the Auth service.
 *
 * jose's own unknown-kid refetch is switched off (infinite cooldown): it allows one refetch per 30 s after
 * any fetch, which refused a freshly rotated key for up to 30 s.
 */
export class JwksKeys {
  private readonly remote: ReturnType<typeof createRemoteJWKSet>;
  private tokens: number;
  private refilledAt = Date.now();

  constructor(
    url: string,
    private readonly burst = 3,
    private readonly refillMs = 10_000,
  ) {
    this.remote = createRemoteJWKSet(new URL(url), { cooldownDuration: Number.POSITIVE_INFINITY, cacheMaxAge: 600_000, timeoutDuration: 5_000 });
    this.tokens = burst;
  }

  /** The key resolver for `jwtVerify`. */
  readonly getKey: JWTVerifyGetKey = async (header, token) => {
    try {
      return await this.remote(header, token);
    } catch (e) {
      if (!(e instanceof joseErrors.JWKSNoMatchingKey)) throw classify(e);
      // Join a refetch already under way for free; otherwise spend from the budget.
      if (!this.remote.reloading && !this.takeRefetch()) throw e;
      try {
        await this.remote.reload();
        return await this.remote(header, token);
      } catch (again) {
        throw classify(again);
      }
    }
  };

  private takeRefetch(): boolean {
    const now = Date.now();
    const earned = Math.floor((now - this.refilledAt) / this.refillMs);
    if (earned > 0) {
      this.tokens = Math.min(this.burst, this.tokens + earned);
      this.refilledAt += earned * this.refillMs;
    }
    if (this.tokens === 0) return false;
    this.tokens -= 1;
    return true;
  }
}

/** Errors about the token pass through; anything else from the key resolver means the JWKS is not usable. */
function classify(e: unknown): unknown {
  if (e instanceof joseErrors.JWKSNoMatchingKey || e instanceof joseErrors.JWKSMultipleMatchingKeys || e instanceof joseErrors.JOSENotSupported) return e;
  return new JwksUnavailable((e as Error)?.message ?? String(e), { cause: e });
}
