import { sql } from 'drizzle-orm';
import type { TxCtx, TxScope } from '../../platform/context.js';
import { rowsOf } from '../../platform/db.js';
import { AppError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import type { CompletedSale, RefundFacts, SaleHooks, TenderHook } from '../sales/index.js';
import { CustomerErrors } from './customers.errors.js';
import { ledgerRepository, type Account } from './ledger.repository.js';
import { pointsEarned, pointsFor, proportionalStep, tierFor, type SaleLine } from './loyalty-rules.js';
import { changeBalance, expiryOf } from './loyalty.service.js';
import { settingsFromRow, settingsRepository } from './settings.repository.js';
import { DEFAULT_SETTINGS } from './loyalty-rules.js';

/** The customer's lifetime spend and the tenant's settings, in one round trip; undefined if no such customer. */
async function customerAndSettings(tx: TxScope, customerId: string) {
  const [r] = rowsOf<{ lifetime_spend: string; settings: Record<string, unknown> | null }>(await tx.db.execute(sql`
    SELECT c.lifetime_spend, to_jsonb(s) AS settings FROM customers c LEFT JOIN customer_settings s ON s.tenant_id = c.tenant_id
     WHERE c.tenant_id = ${tx.tenantId} AND c.id = ${customerId}`));
  return r ? { lifetimeSpend: BigInt(r.lifetime_spend), settings: r.settings ? settingsFromRow(r.settings) : DEFAULT_SETTINGS } : undefined;
}

/** Categories of the sold products, only when a category rule needs them. */
async function categoriesOf(tx: TxScope, productIds: string[]): Promise<Map<string, string | null>> {
  if (productIds.length === 0) return new Map();
  const rows = rowsOf<{ id: string; category_id: string | null }>(await tx.db.execute(sql`SELECT id, category_id FROM products WHERE tenant_id = ${tx.tenantId} AND id IN (${sql.join(productIds.map((p) => sql`${p}`), sql`, `)})`));
  return new Map(rows.map((r) => [r.id, r.category_id]));
}

/**
 * How loyalty follows a sale: a completed order with a customer counts as a visit, adds to lifetime spend and
 * earns points (entry `earn:<order>`, so a retried completion cannot earn twice); a refund takes back the same
 * share of what the order earned (never below zero: points already spent stay spent). Orders without a
 * customer cost nothing.
 */
export const loyaltySaleHooks: SaleHooks = {
  async orderCompleted(tx: TxCtx, sale: CompletedSale): Promise<void> {
    const customerId = sale.order.customerId;
    if (!customerId) return;
    const found = await customerAndSettings(tx, customerId);
    if (!found) return; // an order may name a customer id this module does not know: nothing to earn for
    const s = found.settings;
    const needsCategories = s.loyaltyEnabled && s.itemRules.some((r) => r.categoryId);
    const cats = needsCategories ? await categoriesOf(tx, [...new Set(sale.items.map((i) => i.productId))]) : new Map<string, string | null>();
    const lines: SaleLine[] = sale.items.map((i) => ({ productId: i.productId, categoryId: cats.get(i.productId) ?? null, quantity: Number(i.quantity) }));
    const spend = sale.order.total;
    const points = pointsEarned(s, spend, lines, tierFor(s.tiers, found.lifetimeSpend));
    await tx.db.execute(sql`
      WITH ins AS (
        INSERT INTO loyalty_entries (tenant_id, id, customer_id, account, kind, amount, remaining, expires_at, money, order_id, reference)
        VALUES (${tx.tenantId}, ${uuidv7()}, ${customerId}, 'points', 'earn', ${points}, ${points}, ${expiryOf(s)?.toISOString() ?? null}::timestamptz, ${spend}, ${sale.order.id}, ${`earn:${sale.order.id}`})
        ON CONFLICT (tenant_id, account, reference) DO NOTHING RETURNING id)
      UPDATE customers SET points_balance = points_balance + ${points}, orders_count = orders_count + 1, lifetime_spend = lifetime_spend + ${spend},
             last_order_at = now(), updated_at = now()
       WHERE tenant_id = ${tx.tenantId} AND id = ${customerId} AND EXISTS (SELECT 1 FROM ins)`);
  },

  async orderRefunded(tx: TxCtx, refund: RefundFacts): Promise<void> {
    const customerId = refund.customerId;
    if (!customerId) return;
    const balances = await ledgerRepository.lockBalances(tx, customerId);
    if (!balances) return;
    // Every refund of a customer's order leaves a reverse entry (even of 0 points): its reference says whether this refund was counted.
    if (await ledgerRepository.byReference(tx, 'points', `reverse:${refund.refundId}`)) return;
    await tx.db.execute(sql`UPDATE customers SET lifetime_spend = lifetime_spend - ${refund.amount}, updated_at = now() WHERE tenant_id = ${tx.tenantId} AND id = ${customerId}`);
    const entries = await ledgerRepository.ofOrder(tx, refund.orderId);
    const earned = entries.find((e) => e.kind === 'earn');
    const before = entries.filter((e) => e.kind === 'reverse').reduce((sum, e) => sum + (e.money ?? 0n), 0n);
    const due = earned ? proportionalStep(earned.amount, earned.money ?? 0n, before, refund.amount) : 0n;
    const take = due < balances.points ? due : balances.points;
    await changeBalance(tx, { customerId, account: 'points', kind: 'reverse', signed: -take, amount: 0n, reference: `reverse:${refund.refundId}`, money: refund.amount, orderId: refund.orderId, refundId: refund.refundId, note: take < due ? `${due - take} points had been spent already` : null });
  },
};

/**
 * Points and store credit as tenders (sales' TenderHook): a payment debits the balance with a guarded UPDATE
 * in the payment's transaction (entry `redeem:<payment>`: one payment, one debit); a refund of that payment
 * gives back its share (entry `return:<refund>:<payment>`). Points pay point_value minor units each, rounded
 * up to whole points.
 */
function tenderHook(account: Account): TenderHook {
  return {
    async debit(tx, p) {
      if (!p.customerId) throw new AppError(CustomerErrors.LOYALTY_CUSTOMER_REQUIRED, { field: 'customer_id' });
      const s = await settingsRepository.get(tx);
      if (account === 'points' && !s.loyaltyEnabled) throw new AppError(CustomerErrors.LOYALTY_DISABLED, { field: 'tender_type' });
      const units = account === 'points' ? pointsFor(p.amount, s.pointValue) : p.amount;
      await changeBalance(tx, { customerId: p.customerId, account, kind: 'redeem', signed: -units, amount: 0n, reference: `redeem:${p.paymentId}`, money: p.amount, orderId: p.orderId, paymentId: p.paymentId });
    },
    async credit(tx, p) {
      if (!p.customerId) return;
      const paid = await ledgerRepository.byReference(tx, account, `redeem:${p.paymentId}`);
      if (!paid) return;
      const entries = await ledgerRepository.ofOrder(tx, p.orderId);
      const before = entries.filter((e) => e.kind === 'return' && e.paymentId === p.paymentId && e.account === account).reduce((sum, e) => sum + (e.money ?? 0n), 0n);
      const back = proportionalStep(-paid.amount, paid.money ?? 0n, before, p.amount);
      const s = account === 'points' ? await settingsRepository.get(tx) : undefined;
      await changeBalance(tx, {
        customerId: paid.customerId, account, kind: 'return', signed: back, amount: 0n, reference: `return:${p.refundId}:${p.paymentId}`,
        money: p.amount, orderId: p.orderId, paymentId: p.paymentId, refundId: p.refundId, expiresAt: s ? expiryOf(s) : null,
      });
    },
  };
}

export const loyaltyTenderHooks = { LOYALTY_POINTS: tenderHook('points'), STORE_CREDIT: tenderHook('credit') } as const;
