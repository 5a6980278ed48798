import type { Log } from './context.js';
import type { Database } from './db.js';

/**
 * Runs `pass` when a NOTIFY arrives on `channel`, and every `pollMs` otherwise (the fallback for delayed work
 * and for a missed notification). Never two passes at once: a wake during a pass runs one more after it.
 * Shared by the job worker and the outbox relay.
 */
export class WakeLoop {
  private running: Promise<void> | undefined;
  private again = false;
  private active = false;
  private timer: NodeJS.Timeout | undefined;
  private pausedUntil = 0;
  private unlisten: (() => Promise<void>) | undefined;

  constructor(
    private readonly database: Database,
    private readonly channel: string,
    private readonly pollMs: number,
    private readonly pass: () => Promise<void>,
    private readonly log: Log,
  ) {}

  async start(): Promise<void> {
    if (this.active) return;
    this.active = true;
    this.unlisten = await this.database.listen(this.channel, () => this.wake()).catch((e: Error) => {
      this.log.warn({ err: e.message }, `cannot LISTEN on ${this.channel}; falling back to polling every ${this.pollMs} ms`);
      return undefined;
    });
    this.wake();
  }

  /** Asks for a pass soon (ignored while stopped or paused). */
  wake(force = false): void {
    if (!force && (!this.active || Date.now() < this.pausedUntil)) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.loop().finally(() => {
      this.running = undefined;
      if (!this.active) return;
      if (this.again && Date.now() >= this.pausedUntil) return this.wake(); // woken after the loop's last check
      this.timer = setTimeout(() => this.wake(), Math.max(this.pollMs, this.pausedUntil - Date.now()));
    });
  }

  /** One complete pass that starts after this call (for tests and for callers that just wrote work). */
  async runNow(): Promise<void> {
    while (this.running) await this.running; // a pass under way may have read the table before the caller's change
    this.wake(true);
    await this.running;
  }

  /** No pass before `ms` from now, except one asked for with runNow (used to back off after a failure). */
  pause(ms: number): void {
    this.pausedUntil = Date.now() + ms;
  }

  /** Stops waking and waits for the pass under way. */
  async stop(): Promise<void> {
    this.active = false;
    clearTimeout(this.timer);
    await this.unlisten?.().catch(() => undefined);
    this.unlisten = undefined;
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      await this.pass().catch((e: Error) => this.log.warn({ err: e.message, channel: this.channel }, 'background pass failed; will retry'));
    } while (this.again && this.active && Date.now() >= this.pausedUntil);
  }
}
