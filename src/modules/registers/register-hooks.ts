import type { TxCtx } from '../../platform/context.js';
import { AppError } from '../../platform/errors.js';
import { assertDeviceTerminal } from '../access/index.js';
import type { CompletedSale, Order, Payment, RefundFacts, SaleHooks } from '../sales/index.js';
import { cashSessionRepository, type NewEntry } from './cash-session.repository.js';
import { RegisterErrors } from './registers.errors.js';

const cashOf = (entries: readonly NewEntry[]): bigint => entries.reduce((s, e) => (e.tenderType === 'CASH' ? s + e.amount : s), 0n);

/**
 * How sales reach the drawer: each hook is ONE statement (cash-session.repository.ts recordSale) and none runs
 * for an order that is not on a terminal. Captured payments go into the open session of the order's terminal
 * (cash net of the change handed back), a voided payment comes back out, a refund's tenders leave the drawer of
 * the terminal that paid it out, and a completed sale is entered for the Z report's sales, tax and discounts.
 * When the tenant requires an open session, a terminal without one refuses the sale (CASH_SESSION_REQUIRED).
 */
export class RegisterSaleHooks implements SaleHooks {
  async paymentsCaptured(tx: TxCtx, capture: { order: Order; payments: readonly Payment[] }): Promise<void> {
    const terminal = capture.order.terminalId;
    if (!terminal) return;
    const entries: NewEntry[] = capture.payments
      .filter((p) => p.status === 'CAPTURED')
      .map((p) => ({ kind: 'PAYMENT', tenderType: p.tenderType, amount: p.amount, change: p.change, orderId: p.orderId, paymentId: p.id }));
    if (entries.length === 0) return;
    await this.record(tx, terminal, entries);
  }

  async paymentVoided(tx: TxCtx, voided: { order: Order; payment: Payment }): Promise<void> {
    const terminal = voided.order.terminalId;
    if (!terminal) return;
    const p = voided.payment;
    await this.record(tx, terminal, [{ kind: 'PAYMENT_VOID', tenderType: p.tenderType, amount: -p.amount, change: p.change, orderId: p.orderId, paymentId: p.id }]);
  }

  async orderCompleted(tx: TxCtx, sale: CompletedSale): Promise<void> {
    const terminal = sale.order.terminalId;
    if (!terminal) return;
    await this.record(tx, terminal, [{ kind: 'SALE', tenderType: null, amount: sale.order.total, orderId: sale.order.id }]);
  }

  async orderRefunded(tx: TxCtx, refund: RefundFacts): Promise<void> {
    if (!refund.terminalId || refund.tenders.length === 0) return;
    await this.record(
      tx,
      refund.terminalId,
      refund.tenders.map((t) => ({ kind: 'REFUND', tenderType: t.tenderType, amount: -t.amount, orderId: refund.orderId, paymentId: t.paymentId, refundId: refund.refundId })),
    );
  }

  private async record(tx: TxCtx, terminalId: string, entries: NewEntry[]): Promise<void> {
    // A paired device takes money only into its own terminal's drawer (not an order rung up on another one).
    assertDeviceTerminal(tx.actor, terminalId);
    const r = await cashSessionRepository.recordSale(tx, terminalId, entries, cashOf(entries), tx.actor.membershipId ?? null);
    if (r.sessionId === null && r.required) {
      throw new AppError(RegisterErrors.CASH_SESSION_REQUIRED, { field: 'terminal_id', terminal_id: terminalId }, `Terminal ${terminalId} has no open cash session; open one before selling on it`);
    }
  }
}
