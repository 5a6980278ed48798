import type { TxScope } from '../../platform/context.js';
import { recordEvent } from '../../platform/outbox.js';
import type { Promotion } from './promotions.schema.js';

export const PromotionEvents = {
  PROMOTION_CREATED: 'promotion.created',
  PROMOTION_UPDATED: 'promotion.updated',
  COUPONS_CREATED: 'coupons.created',
} as const;

/** A promotion was created or changed (registers that price offline refresh theirs). */
export async function recordPromotionWritten(tx: TxScope, p: Promotion, created: boolean): Promise<void> {
  await recordEvent(tx, {
    type: created ? PromotionEvents.PROMOTION_CREATED : PromotionEvents.PROMOTION_UPDATED,
    aggregateType: 'promotion',
    aggregateId: p.id,
    payload: { promotion_id: p.id, name: p.name, kind: p.kind, active: p.active, starts_at: p.startsAt?.toISOString() ?? null, ends_at: p.endsAt?.toISOString() ?? null },
  });
}

/** Coupon codes were created for a promotion (one, or a generated batch). */
export async function recordCouponsCreated(tx: TxScope, promotionId: string, count: number, batchId: string | null): Promise<void> {
  await recordEvent(tx, { type: PromotionEvents.COUPONS_CREATED, aggregateType: 'promotion', aggregateId: promotionId, payload: { promotion_id: promotionId, count, batch_id: batchId } });
}
