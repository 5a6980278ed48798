import { Redis } from 'ioredis';

export interface RateDecision {
  allowed: boolean;
  /** Requests left in the current window. */
  remaining: number;
  /** When refused: milliseconds until the window resets. */
  retryAfterMs: number;
}

export interface RateLimiter {
  /** Counts one request against `key`; at most `limit` per `windowMs`. */
  hit(key: string, limit: number, windowMs: number): Promise<RateDecision>;
  close(): Promise<void>;
}

/**
 * Fixed windows aligned to the clock, so every node (with Redis) agrees where a window starts. In memory a
 * window is a counter in a Map; expired windows are swept once a window.
 */
export class MemoryRateLimiter implements RateLimiter {
  private readonly counts = new Map<string, { window: number; count: number }>();
  private lastSweep = 0;

  async hit(key: string, limit: number, windowMs: number): Promise<RateDecision> {
    const now = Date.now();
    const window = Math.floor(now / windowMs);
    if (now - this.lastSweep > windowMs) this.sweep(window, now);
    let e = this.counts.get(key);
    if (!e || e.window !== window) {
      e = { window, count: 0 };
      this.counts.set(key, e);
    }
    e.count += 1;
    return decide(e.count, limit, (window + 1) * windowMs - now);
  }

  private sweep(window: number, now: number): void {
    this.lastSweep = now;
    for (const [k, e] of this.counts) if (e.window < window) this.counts.delete(k);
  }

  async close(): Promise<void> {
    this.counts.clear();
  }
}

/** Counters in Redis, shared by every node: INCR then PEXPIRE on the first hit of a window, in one round trip. */
export class RedisRateLimiter implements RateLimiter {
  private readonly redis: Redis;
  private failingSince = 0;
  /**
   * Settles when the first connection is up, or after `connectWaitMs`. Without it every request of a freshly
   * started node failed open (the offline queue is off) until Redis answered: no limit at all during a
   * restart under load. Later outages still fail open at once, without waiting.
   */
  private readonly firstConnection: Promise<void>;

  constructor(url: string, private readonly onError: (e: Error) => void = () => undefined, connectWaitMs = 2_000) {
    this.redis = new Redis(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
    this.redis.on('error', (e: Error) => this.report(e));
    this.firstConnection = new Promise((resolve) => {
      const timer = setTimeout(resolve, connectWaitMs);
      timer.unref();
      this.redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async hit(key: string, limit: number, windowMs: number): Promise<RateDecision> {
    await this.firstConnection;
    const now = Date.now();
    const window = Math.floor(now / windowMs);
    const redisKey = `kasir:rl:${key}:${window}`;
    try {
      const res = await this.redis.multi().incr(redisKey).pexpire(redisKey, windowMs + 1_000).exec();
      const count = Number(res?.[0]?.[1] ?? 0);
      return decide(count, limit, (window + 1) * windowMs - now);
    } catch (e) {
      // Redis down: let requests through rather than take the registers down with it; say so in the log.
      this.report(e as Error);
      return { allowed: true, remaining: limit, retryAfterMs: 0 };
    }
  }

  private report(e: Error): void {
    const now = Date.now();
    if (now - this.failingSince > 10_000) {
      this.failingSince = now;
      this.onError(e);
    }
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

function decide(count: number, limit: number, resetInMs: number): RateDecision {
  const allowed = count <= limit;
  return { allowed, remaining: Math.max(0, limit - count), retryAfterMs: allowed ? 0 : Math.max(1, resetInMs) };
}
