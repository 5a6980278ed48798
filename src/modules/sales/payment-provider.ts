/**
 * A card or external payment provider (Midtrans and others implement this). Kasir never calls a provider
 * inside a database transaction: a payment is recorded PENDING and committed, the provider is called, and
 * the answer is recorded in a second transaction; a retry with the payment's idempotency key resumes a
 * PENDING payment by asking `status` rather than charging again. Providers must treat `idempotencyKey` as
 * theirs too (Midtrans: order_id), so a repeated authorize never charges twice.
 *
 * A decline is a normal outcome the till must show, so it is a result, not an exception; an exception means
 * the provider could not be reached or answered nonsense (the payment stays PENDING and is retried).
 */
export type ProviderOutcome =
  | { status: 'authorized'; reference: string }
  | { status: 'captured'; reference: string; cardBrand?: string | undefined; cardLast4?: string | undefined }
  | { status: 'pending'; reference: string }
  | { status: 'declined'; reference?: string | undefined; reason: string }
  | { status: 'voided'; reference: string }
  | { status: 'refunded'; reference: string }
  | { status: 'failed'; reference?: string | undefined; reason: string };

export interface ProviderCharge {
  paymentId: string;
  orderId: string;
  /** Minor units of `currency`. */
  amount: bigint;
  currency: string;
  idempotencyKey: string;
  tenantId: string;
}

export interface PaymentProvider {
  /** The name tenders use (`provider: "midtrans"`). */
  readonly name: string;
  authorize(charge: ProviderCharge): Promise<ProviderOutcome>;
  capture(reference: string, amount: bigint, charge: ProviderCharge): Promise<ProviderOutcome>;
  void(reference: string, charge: ProviderCharge): Promise<ProviderOutcome>;
  refund(reference: string, amount: bigint, refundKey: string, charge: ProviderCharge): Promise<ProviderOutcome>;
  status(reference: string | undefined, charge: ProviderCharge): Promise<ProviderOutcome>;
}

/** Registered providers by name. */
export class PaymentProviders {
  private readonly byName = new Map<string, PaymentProvider>();

  constructor(providers: readonly PaymentProvider[] = []) {
    for (const p of providers) this.register(p);
  }

  register(p: PaymentProvider): void {
    this.byName.set(p.name, p);
  }

  get(name: string): PaymentProvider | undefined {
    return this.byName.get(name);
  }
}

/**
 * Hooks for tenders other modules own (store credit, loyalty points). Called inside the payment's
 * transaction: they must only write to the database (debit the balance with a guarded update) and throw an
 * AppError when the customer does not have enough. Until a module registers one, those tenders are refused.
 */
export interface TenderHook {
  debit(tx: import('../../platform/context.js').TxScope, p: { orderId: string; customerId: string | null; paymentId: string; amount: bigint; currency: string }): Promise<void>;
  credit(tx: import('../../platform/context.js').TxScope, p: { orderId: string; customerId: string | null; paymentId: string; refundId: string; amount: bigint; currency: string }): Promise<void>;
}
