import type { PaymentProvider, ProviderCharge, ProviderOutcome } from '../../src/modules/sales/index.js';

/** A card provider simulator: idempotent by key, declines amounts ending in 13, can be made unreachable. */
export class FakeProvider implements PaymentProvider {
  readonly name = 'simpay';
  readonly charges = new Map<string, { reference: string; amount: bigint; captured: boolean; refunded: bigint; voided: boolean }>();
  authorizeCalls = 0;
  down = false;
  private n = 0;

  private reachable(): void {
    if (this.down) throw new Error('ECONNRESET');
  }
  async authorize(c: ProviderCharge): Promise<ProviderOutcome> {
    this.reachable();
    this.authorizeCalls++;
    if (c.amount % 100n === 13n) return { status: 'declined', reason: 'insufficient funds' };
    let ch = this.charges.get(c.idempotencyKey);
    if (!ch) this.charges.set(c.idempotencyKey, (ch = { reference: `sim_${++this.n}`, amount: c.amount, captured: false, refunded: 0n, voided: false }));
    return { status: 'authorized', reference: ch.reference };
  }
  async capture(reference: string): Promise<ProviderOutcome> {
    this.reachable();
    const ch = [...this.charges.values()].find((x) => x.reference === reference)!;
    ch.captured = true;
    return { status: 'captured', reference, cardBrand: 'VISA', cardLast4: '4242' };
  }
  async void(reference: string): Promise<ProviderOutcome> {
    const ch = [...this.charges.values()].find((x) => x.reference === reference)!;
    ch.voided = true;
    return { status: 'voided', reference };
  }
  async refund(reference: string, amount: bigint): Promise<ProviderOutcome> {
    this.reachable();
    const ch = [...this.charges.values()].find((x) => x.reference === reference)!;
    ch.refunded += amount;
    return { status: 'refunded', reference: `${reference}_r` };
  }
  async status(reference: string | undefined, c: ProviderCharge): Promise<ProviderOutcome> {
    this.reachable();
    const ch = this.charges.get(c.idempotencyKey);
    return ch?.captured ? { status: 'captured', reference: ch.reference } : { status: 'pending', reference: reference ?? '' };
  }
}
