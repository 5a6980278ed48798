import type { TxScope } from '../../platform/context.js';
import { recordEvent } from '../../platform/outbox.js';
import type { PriceBook } from './catalog.schema.js';

export const PriceEvents = {
  /** Prices of one book changed (set, changed or removed): one event per write, listing every variant. */
  PRICE_CHANGED: 'price.changed',
} as const;

export interface PriceChange {
  variantId: string;
  /** Minor units; null when the price was removed from the book. */
  amount: bigint | null;
  /** Minor units; null when the book had no price for the variant before. */
  previousAmount: bigint | null;
}

/** Amounts are bounded to safe integers on input, so they travel as JSON integers like the REST API's. */
const num = (v: bigint | null): number | null => (v === null ? null : Number(v));

/** Records price.changed for the changes that changed something; nothing when none did. */
export async function recordPricesChanged(tx: TxScope, book: PriceBook, changes: readonly PriceChange[]): Promise<void> {
  const real = changes.filter((c) => c.amount !== c.previousAmount);
  if (real.length === 0) return;
  await recordEvent(tx, {
    type: PriceEvents.PRICE_CHANGED,
    aggregateType: 'price_book',
    aggregateId: book.id,
    payload: {
      price_book_id: book.id,
      price_book_name: book.name,
      is_default: book.isDefault,
      outlet_id: book.outletId,
      currency: book.currency,
      changes: real.map((c) => ({ variant_id: c.variantId, amount: num(c.amount), previous_amount: num(c.previousAmount) })),
    },
  });
}
