import fc from 'fast-check';
import type { Client } from '../api/sales/support.js';
import type { OrderView } from './invariants.js';

/**
 * Random sequences of what a till does with money, as REST calls: orders with line and order discounts and
 * tips, one-request checkouts paid cash / card / split, payments on open orders (cash over the balance, card
 * parts), completions, voided payments and orders, refunds by amount and by items, partial and full. A step
 * names its target by a number taken modulo the orders that qualify, so every sequence is valid to run; many
 * steps are refused (a refund beyond what is left, paying a voided order): refusals must be 4xx with a code.
 *
 * EXTENSION POINT: a later module adds its operations to STEPS (a cash movement, a stock count) with an
 * executor; its invariant goes to INVARIANTS (invariants.ts).
 */

export interface Menu {
  variants: string[];
}

const discount = (maxRateBp: number, maxFixed: number) =>
  fc.oneof(fc.record({ type: fc.constant('percentage' as const), rate_bp: fc.integer({ min: 0, max: maxRateBp }) }), fc.record({ type: fc.constant('fixed' as const), amount: fc.integer({ min: 0, max: maxFixed }) }));

const lines = fc.array(
  fc.record({ product: fc.nat(2), quantity: fc.integer({ min: 1, max: 3 }), discount: fc.option(discount(5_000, 300_000), { nil: undefined, freq: 3 }) }),
  { minLength: 1, maxLength: 4 },
);
const orderShape = { lines, discount: fc.option(discount(3_000, 1_000_000), { nil: undefined, freq: 3 }), tip: fc.option(fc.integer({ min: 1, max: 200_000 }), { nil: undefined, freq: 4 }) };
const pick = fc.nat(1_000);
/** Cash handed over beyond what is due: 1–99 over lands between the exact and the rounded cash total. */
const overpay = fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 100, max: 60_000 }));

export const STEPS = {
  order: fc.record({ kind: fc.constant('order' as const), ...orderShape, finalize: fc.boolean() }),
  checkout: fc.record({ kind: fc.constant('checkout' as const), ...orderShape, tenders: fc.constantFrom('cash', 'card', 'split'), overpay }),
  pay: fc.record({ kind: fc.constant('pay' as const), pick, tender: fc.constantFrom('CASH', 'CARD'), sharePct: fc.integer({ min: 1, max: 110 }), overpay }),
  complete: fc.record({ kind: fc.constant('complete' as const), pick }),
  voidPayment: fc.record({ kind: fc.constant('voidPayment' as const), pick, which: fc.nat(5) }),
  voidOrder: fc.record({ kind: fc.constant('voidOrder' as const), pick }),
  refund: fc.record({ kind: fc.constant('refund' as const), pick, by: fc.constantFrom('amount', 'items'), sharePct: fc.integer({ min: 1, max: 120 }), line: fc.nat(5), quantity: fc.integer({ min: 1, max: 3 }) }),
};
export type Step = { [K in keyof typeof STEPS]: (typeof STEPS)[K] extends fc.Arbitrary<infer T> ? T : never }[keyof typeof STEPS];

/** A sequence of `min`–`max` steps; open orders and refunds are made likely so that the paths get exercised. */
export const sequence = (min: number, max: number): fc.Arbitrary<Step[]> =>
  fc.array(
    fc.oneof(
      { weight: 3, arbitrary: STEPS.order },
      { weight: 3, arbitrary: STEPS.checkout },
      { weight: 4, arbitrary: STEPS.pay },
      { weight: 3, arbitrary: STEPS.complete },
      { weight: 1, arbitrary: STEPS.voidPayment },
      { weight: 1, arbitrary: STEPS.voidOrder },
      { weight: 4, arbitrary: STEPS.refund },
    ) as fc.Arbitrary<Step>,
    { minLength: min, maxLength: max },
  );

export interface Answer {
  status: number;
  body: { error?: { code?: string } } & Record<string, unknown>;
}

/** Runs one step against the server; returns every answer it got (the caller checks them) and tracks order ids. */
export async function runStep(api: Client, menu: Menu, ids: string[], step: Step): Promise<{ what: string; answers: Answer[] }> {
  const answers: Answer[] = [];
  const send = async (r: Promise<Answer>): Promise<Answer> => {
    const a = await r;
    answers.push(a);
    return a;
  };
  const orders = async (): Promise<OrderView[]> => Promise.all(ids.map(async (id) => (await api.get(`/api/v1/orders/${id}`)).body as unknown as OrderView));
  const choose = async (ok: (o: OrderView) => boolean, n: number): Promise<OrderView | undefined> => {
    const fit = (await orders()).filter(ok);
    return fit.length ? fit[n % fit.length] : undefined;
  };
  const body = (s: { lines: { product: number; quantity: number; discount?: unknown }[]; discount?: unknown; tip?: number | undefined }) => ({
    items: s.lines.map((l) => ({ variant_id: menu.variants[l.product % menu.variants.length]!, quantity: l.quantity, ...(l.discount ? { discount: l.discount } : {}) })),
    ...(s.discount ? { discount: s.discount } : {}),
    ...(s.tip ? { tip: s.tip } : {}),
  });

  switch (step.kind) {
    case 'order': {
      const o = await send(api.post('/api/v1/orders', body(step)));
      if (o.status === 201) {
        ids.push(o.body.id as string);
        if (step.finalize) await send(api.post(`/api/v1/orders/${o.body.id as string}/finalize`, {}));
      }
      break;
    }
    case 'checkout': {
      const calc = await send(api.post('/api/v1/orders/calculate', body(step)));
      const total = Number(calc.body.total ?? 0);
      const cash = (amount: number) => ({ tender_type: 'CASH', amount: amount + step.overpay });
      const tenders = step.tenders === 'cash' ? [cash(total)] : step.tenders === 'card' ? [{ tender_type: 'CARD', amount: total, card_last4: '4242' }] : [{ tender_type: 'CARD', amount: Math.floor(total / 2), card_last4: '1881' }, cash(total - Math.floor(total / 2))];
      const sale = await send(api.post('/api/v1/checkout', { ...body(step), tenders }));
      if (sale.status === 201) ids.push(sale.body.id as string);
      break;
    }
    case 'pay': {
      const o = await choose((x) => x.status === 'OPEN' || x.status === 'DRAFT', step.pick);
      if (!o) break;
      const balance = o.total - o.paid_total;
      const amount = Math.max(1, Math.floor((balance * step.sharePct) / 100));
      await send(api.post(`/api/v1/orders/${o.id}/payments`, step.tender === 'CASH' ? { tender_type: 'CASH', amount: amount + step.overpay } : { tender_type: 'CARD', amount, card_last4: '4242' }));
      break;
    }
    case 'complete': {
      const o = await choose((x) => x.status === 'OPEN', step.pick);
      if (o) await send(api.post(`/api/v1/orders/${o.id}/complete`, {}));
      break;
    }
    case 'voidPayment': {
      const o = await choose((x) => x.status === 'OPEN' && x.payments.some((p) => p.status === 'CAPTURED'), step.pick);
      const p = o?.payments.filter((x) => x.status === 'CAPTURED')[step.which % o.payments.filter((x) => x.status === 'CAPTURED').length];
      if (o && p) await send(api.post(`/api/v1/orders/${o.id}/payments/${p.id}/void`, {}));
      break;
    }
    case 'voidOrder': {
      const o = await choose((x) => x.status === 'OPEN' || x.status === 'DRAFT', step.pick);
      if (o) await send(api.post(`/api/v1/orders/${o.id}/void`, { reason: 'property test' }));
      break;
    }
    case 'refund': {
      const o = await choose((x) => x.status === 'COMPLETED', step.pick);
      if (!o) break;
      if (step.by === 'amount') {
        const left = o.paid_total - o.refunded_total;
        await send(api.post(`/api/v1/orders/${o.id}/refunds`, { reason: 'property test', amount: Math.max(1, Math.floor((Math.max(left, 1) * step.sharePct) / 100)) }));
      } else {
        const item = o.items[step.line % o.items.length]!;
        await send(api.post(`/api/v1/orders/${o.id}/refunds`, { reason: 'property test', items: [{ item_id: item.id, quantity: step.quantity }] }));
      }
      break;
    }
  }
  return { what: JSON.stringify(step), answers };
}
