import { requirePermission, withTransaction, type Ctx, type TxCtx, type TxScope } from '../../platform/context.js';
import { AppError, validationError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { recordEvent } from '../../platform/outbox.js';
import { readPage, toPage, type Page } from '../../platform/pagination.js';
import { parseInput } from '../../platform/validation.js';
import { OrderErrors } from '../sales/index.js';
import type { Customer } from './customer.model.js';
import { customerRepository } from './customer.repository.js';
import { CustomerErrors } from './customers.errors.js';
import { ledgerRepository, type Account, type LedgerEntry, type NewEntry } from './ledger.repository.js';
import { creditChangeInput, entriesQuery, loyaltySettingsInput, pointsChangeInput } from './loyalty.inputs.js';
import type { LoyaltySettings } from './loyalty-rules.js';
import { settingsRepository } from './settings.repository.js';

export interface BalanceChange {
  customer: Customer;
  entry: LedgerEntry;
  /** For a redemption: what the points pay, in minor units. */
  value?: bigint;
  replayed: boolean;
}

const actorId = (ctx: Ctx): string | null => ctx.actor.membershipId ?? ctx.actor.apiKeyId ?? null;

/** When points earned now expire under the tenant's settings (null: never). */
export const expiryOf = (s: LoyaltySettings, now = new Date()): Date | null => (s.pointsExpireDays ? new Date(now.getTime() + s.pointsExpireDays * 86_400_000) : null);

/**
 * Applies a signed change to one account of a customer: a credit, or a debit that is refused if the balance
 * does not hold it (nothing written). A reference already used answers with its entry (a retry), or is refused
 * when it named a different change.
 */
export async function changeBalance(tx: TxScope, e: NewEntry & { signed: bigint }): Promise<{ entry: LedgerEntry; replayed: boolean }> {
  const { signed, ...entry } = e;
  const replay = async () => {
    const prior = (await ledgerRepository.byReference(tx, e.account, e.reference))!;
    if (prior.customerId !== e.customerId || prior.amount !== signed || prior.kind !== e.kind) throw new AppError(CustomerErrors.LOYALTY_REFERENCE_REUSED, { field: 'idempotency_key' });
    return { entry: prior, replayed: true };
  };
  if (signed >= 0n) {
    const id = await ledgerRepository.credit(tx, { ...entry, amount: signed });
    return id ? { entry: (await ledgerRepository.byReference(tx, e.account, e.reference))!, replayed: false } : replay();
  }
  const r = await ledgerRepository.debit(tx, { ...entry, amount: -signed });
  if (r.status === 'replay') return replay();
  if (r.status === 'insufficient') {
    throw new AppError(CustomerErrors.LOYALTY_INSUFFICIENT_BALANCE, { field: e.account === 'points' ? 'points' : 'amount', account: e.account, balance: r.balance.toString(), requested: (-signed).toString() }, `The customer has ${r.balance} ${e.account === 'points' ? 'points' : 'in store credit'}; ${-signed} were asked for`);
  }
  return { entry: (await ledgerRepository.byReference(tx, e.account, e.reference))!, replayed: false };
}

async function liveCustomer(tx: TxCtx, id: string): Promise<Customer> {
  const c = await customerRepository.byId(tx, id);
  if (!c) throw new AppError(CustomerErrors.CUSTOMER_NOT_FOUND, { id });
  if (c.archivedAt) throw new AppError(CustomerErrors.CUSTOMER_ARCHIVED, { id, merged_into: c.mergedInto });
  return c;
}

/** The loyalty programme's settings, manual point and credit changes, the ledger, and expiry. */
export class LoyaltyService {
  async settings(ctx: Ctx): Promise<LoyaltySettings> {
    requirePermission(ctx, 'pos:settings:read');
    return withTransaction(ctx, (tx) => settingsRepository.get(tx));
  }

  async updateSettings(ctx: Ctx, input: unknown): Promise<LoyaltySettings> {
    requirePermission(ctx, 'pos:settings:write');
    const i = parseInput(loyaltySettingsInput, input);
    return withTransaction(ctx, async (tx) => {
      const s = await settingsRepository.get(tx);
      const next: LoyaltySettings = {
        phoneCountry: i.phone_country ?? s.phoneCountry,
        loyaltyEnabled: i.loyalty_enabled ?? s.loyaltyEnabled,
        earnPerAmount: i.earn_per_amount ? BigInt(i.earn_per_amount) : s.earnPerAmount,
        earnPoints: i.earn_points ?? s.earnPoints,
        pointsPerVisit: i.points_per_visit ?? s.pointsPerVisit,
        itemRules: i.item_rules ? i.item_rules.map((r) => ({ productId: r.product_id, categoryId: r.category_id, points: r.points })) : s.itemRules,
        tiers: i.tiers ? i.tiers.map((t) => ({ name: t.name, threshold: BigInt(t.threshold), multiplierPercent: t.multiplier_percent })) : s.tiers,
        pointValue: i.point_value ? BigInt(i.point_value) : s.pointValue,
        pointsExpireDays: i.points_expire_days === undefined ? s.pointsExpireDays : i.points_expire_days,
      };
      await settingsRepository.put(tx, next);
      return next;
    });
  }

  /** A manual correction, up or down (pos:loyalty:adjust). Down never below zero. */
  async adjustPoints(ctx: Ctx, customerId: string, input: unknown): Promise<BalanceChange> {
    requirePermission(ctx, 'pos:loyalty:adjust');
    const i = parseInput(pointsChangeInput, input);
    return this.change(ctx, customerId, 'points', 'adjust', BigInt(i.points), i.idempotency_key, i.reason, i.order_id);
  }

  /** Points redeemed for a discount (or anything outside a tender): partial redemption is any amount up to the balance. */
  async redeemPoints(ctx: Ctx, customerId: string, input: unknown): Promise<BalanceChange> {
    requirePermission(ctx, 'pos:customer:write');
    const i = parseInput(pointsChangeInput, input);
    const points = BigInt(i.points);
    if (points < 0n) throw validationError([{ field: 'points', message: 'must be greater than 0' }]);
    return this.change(ctx, customerId, 'points', 'redeem', -points, i.idempotency_key, i.reason, i.order_id);
  }

  /** Store credit issued (positive) or taken back (negative) by staff (pos:loyalty:adjust). */
  async changeCredit(ctx: Ctx, customerId: string, input: unknown): Promise<BalanceChange> {
    requirePermission(ctx, 'pos:loyalty:adjust');
    const i = parseInput(creditChangeInput, input);
    const amount = BigInt(i.amount);
    return this.change(ctx, customerId, 'credit', amount > 0n ? 'issue' : 'adjust', amount, i.idempotency_key, i.reason, undefined);
  }

  private async change(ctx: Ctx, customerId: string, account: Account, kind: NewEntry['kind'], signed: bigint, key: string | undefined, note: string | undefined, orderId: string | undefined): Promise<BalanceChange> {
    return withTransaction(ctx, async (tx) => {
      if (orderId && !(await customerRepository.orderExists(tx, orderId))) throw new AppError(OrderErrors.ORDER_NOT_FOUND, { field: 'order_id', id: orderId });
      await liveCustomer(tx, customerId);
      const s = await settingsRepository.get(tx);
      if (account === 'points' && kind === 'redeem' && !s.loyaltyEnabled) throw new AppError(CustomerErrors.LOYALTY_DISABLED);
      const { entry, replayed } = await changeBalance(tx, {
        customerId, account, kind, signed, amount: 0n,
        reference: key ? `key:${key}` : `op:${uuidv7()}`,
        expiresAt: account === 'points' && signed > 0n ? expiryOf(s) : null,
        money: kind === 'redeem' ? -signed * s.pointValue : null,
        orderId: orderId ?? null, note: note ?? null, createdBy: actorId(ctx),
      });
      if (!replayed) await recordEvent(tx, { type: account === 'points' ? 'loyalty.points_changed' : 'loyalty.credit_changed', aggregateType: 'customer', aggregateId: customerId, payload: { customer_id: customerId, entry_id: entry.id, kind, amount: entry.amount.toString() } });
      return { customer: (await customerRepository.byId(tx, customerId))!, entry, replayed, ...(kind === 'redeem' ? { value: -signed * s.pointValue } : {}) };
    });
  }

  async entries(ctx: Ctx, customerId: string, query: unknown): Promise<Page<LedgerEntry>> {
    requirePermission(ctx, 'pos:customer:read');
    const q = parseInput(entriesQuery, query);
    const { limit, after } = readPage(q);
    return withTransaction(ctx, async (tx) => {
      if (!(await customerRepository.byId(tx, customerId))) throw new AppError(CustomerErrors.CUSTOMER_NOT_FOUND, { id: customerId });
      return toPage(await ledgerRepository.list(tx, customerId, q.account, after, limit), limit);
    });
  }

  /** Expires the tenant's points past their expiry (the job does this for every tenant); at most 500 customers a call. */
  async expirePoints(ctx: Ctx, now = new Date()): Promise<{ customers: number; points: bigint }> {
    requirePermission(ctx, 'pos:loyalty:adjust');
    return withTransaction(ctx, async (tx) => {
      let points = 0n;
      const ids = await ledgerRepository.customersWithExpired(tx, now, 500);
      for (const id of ids) points += await ledgerRepository.expire(tx, id, now);
      return { customers: ids.length, points };
    });
  }
}
