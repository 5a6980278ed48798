import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as v from '../../src/adapters/shared/views/promotions.views.js';
import { ok, rpc, startTestGrpcServer, type TestGrpcServer } from '../support/grpc.js';
import { createTenant, type TestTenant } from '../support/server.js';
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { POS_PROTO_FILES, PROTO_DIR } from '../../src/adapters/grpc/protos.js';

const root = new protobuf.Root();
root.resolvePath = (_origin, target) => join(PROTO_DIR, target);
root.loadSync(POS_PROTO_FILES, { keepCase: true }).resolveAll();

let s: TestGrpcServer;
let t: TestTenant;
let variantId: string;
let promos: ReturnType<TestGrpcServer['client']>;
let sales: ReturnType<TestGrpcServer['client']>;

beforeAll(async () => {
  s = await startTestGrpcServer();
  t = await createTenant(s.app);
  promos = s.client('PromotionService');
  sales = s.client('SalesService');
  const catalog = s.client('CatalogService');
  const product = await ok(rpc(catalog, 'CreateProduct', { name: 'Kopi', variants: [{ name: 'Cup' }] }, t.devHeaders));
  variantId = product.product.variants[0].id;
  await ok(rpc(catalog, 'SetPrice', { variant_id: variantId, amount: '1000000', currency: 'IDR' }, t.devHeaders));
});
afterAll(() => s.stop());

describe('PromotionService over gRPC', () => {
  it('declares the same fields as the REST presenters', () => {
    const fields = (m: string) => Object.keys(root.lookupType(`pos.v1.${m}`).fields).sort();
    expect(fields('Promotion')).toEqual(Object.keys(v.promotionView.shape).sort());
    expect(fields('Coupon')).toEqual(Object.keys(v.couponView.shape).sort());
  });

  it('creates a promotion and a coupon, and CheckoutOrder applies it by code', async () => {
    const p = await ok(rpc(promos, 'CreatePromotion', { name: 'Happy hour', kind: 'percentage', rate_bp: 2500, coupon_only: true, idempotency_key: 'p-1' }, t.devHeaders));
    expect(p.promotion).toMatchObject({ name: 'Happy hour', kind: 'percentage', rate_bp: 2500, coupon_only: true, active: true });
    const c = await ok(rpc(promos, 'CreateCoupon', { promotion_id: p.promotion.id, code: 'happy', max_redemptions: 5 }, t.devHeaders));
    expect(c.coupon).toMatchObject({ code: 'HAPPY', max_redemptions: 5, redemptions: 0 });
    const check = await ok(rpc(promos, 'ValidateCoupon', { code: 'Happy' }, t.devHeaders));
    expect(check).toMatchObject({ valid: true });
    const calc = await ok(rpc(sales, 'CalculateOrder', { items: [{ variant_id: variantId }], coupon_codes: ['HAPPY'] }, t.devHeaders));
    expect(calc.calculation?.lines?.[0]?.promotions ?? calc.lines?.[0]?.promotions).toEqual([{ promotion_id: p.promotion.id, name: 'Happy hour', amount: '250000' }]);
    const done = await ok(rpc(sales, 'Checkout', { items: [{ variant_id: variantId }], tenders: [{ payment_type: 'CASH', amount: '750000' }], coupon_codes: ['happy'] }, t.devHeaders));
    expect(done.order.total).toBe('750000');
    expect(done.order.items[0].promotions[0]).toMatchObject({ name: 'Happy hour', amount: '250000' });
    const after = await ok(rpc(promos, 'GetCoupon', { id: c.coupon.id }, t.devHeaders));
    expect(after.coupon.redemptions).toBe(1);
  });

  it('refuses a percentage above 100 % naming rate_bp, and an unknown coupon naming coupon_codes.0', async () => {
    const bad = await rpc(promos, 'CreatePromotion', { name: 'Too much', kind: 'percentage', rate_bp: 20_000 }, t.devHeaders);
    expect(bad.ok).toBe(false);
    if (bad.ok) return;
    expect(bad.code).toBe(status.INVALID_ARGUMENT);
    expect(JSON.stringify(bad.details)).toContain('rate_bp');
    const unknown = await rpc(sales, 'Checkout', { items: [{ variant_id: variantId }], tenders: [{ payment_type: 'CASH', amount: '1000000' }], coupon_codes: ['NOPE-NOPE'] }, t.devHeaders);
    expect(unknown.ok).toBe(false);
    if (unknown.ok) return;
    expect(unknown.code).toBe(status.INVALID_ARGUMENT);
    expect(JSON.stringify(unknown.details)).toContain('coupon_codes.0');
  });

  it('lists, updates and generates', async () => {
    const p = await ok(rpc(promos, 'CreatePromotion', { name: 'Bundle', kind: 'bundle_price', amount: '1500000', bundle: [{ scope: { variant_ids: [variantId] }, quantity: 2 }] }, t.devHeaders));
    const changed = await ok(rpc(promos, 'UpdatePromotion', { id: p.promotion.id, active: false }, t.devHeaders));
    expect(changed.promotion).toMatchObject({ active: false, amount: '1500000' });
    const listed = await ok(rpc(promos, 'ListPromotions', { active: false }, t.devHeaders));
    expect(listed.promotions.map((x: { id: string }) => x.id)).toContain(p.promotion.id);
    const batch = await ok(rpc(promos, 'GenerateCoupons', { promotion_id: p.promotion.id, count: 5, prefix: 'B' }, t.devHeaders));
    expect(batch.codes).toHaveLength(5);
    const coupons = await ok(rpc(promos, 'ListCoupons', { promotion_id: p.promotion.id }, t.devHeaders));
    expect(coupons.coupons).toHaveLength(5);
    const off = await ok(rpc(promos, 'UpdateCoupon', { id: coupons.coupons[0].id, active: false }, t.devHeaders));
    expect(off.coupon.active).toBe(false);
  });
});
