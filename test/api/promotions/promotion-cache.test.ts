import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTenant, pricedProduct, startSalesServer, type Client, type TestServer, type TestTenant } from '../sales/support.js';

/**
 * Each node caches a tenant's active promotions and trusts its copy while it hears every change (a NOTIFY from
 * promotion_state's trigger). What a merchant must never see: a promotion just made that some register ignores.
 */
let one: TestServer;
let two: TestServer;
let t: TestTenant;
let viaOne: Client;
let viaTwo: Client;
let coffee: { productId: string; variantId: string };

beforeAll(async () => {
  [one, two] = await Promise.all([startSalesServer(), startSalesServer()]); // two nodes on one database
  t = await createTenant(one.app);
  viaOne = as(one, t);
  viaTwo = as(two, t);
  coffee = await pricedProduct(viaOne, 3_000_000);
});
afterAll(async () => {
  await one.stop();
  await two.stop();
});

const calculate = (c: Client) => c.post('/api/v1/orders/calculate', { items: [{ variant_id: coffee.variantId, quantity: 1 }] });

describe('the promotions cache', () => {
  it('applies a promotion made on this node at once, and one made on another node as soon as its notice arrives', async () => {
    // Both nodes have seen the tenant without promotions (and now trust that copy).
    expect((await calculate(viaOne)).body.discount_total).toBe(0);
    expect((await calculate(viaTwo)).body.discount_total).toBe(0);

    const here = await viaOne.post('/api/v1/promotions', { name: 'Ten off', kind: 'percentage', rate_bp: 1000 });
    expect(here.status).toBe(201);
    expect((await calculate(viaOne)).body.discount_total).toBe(300_000);

    // Node two learns of it through the database's notification, well within the 5 s its copy is trusted
    // for without one (so this fails if the notice never comes).
    let seen = 0;
    for (let i = 0; i < 30 && seen === 0; i++) {
      seen = (await calculate(viaTwo)).body.discount_total as number;
      if (seen === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen).toBe(300_000);

    const off = await viaTwo.patch(`/api/v1/promotions/${here.body.id}`, { active: false });
    expect(off.status).toBe(200);
    expect((await calculate(viaTwo)).body.discount_total).toBe(0);
    let after = -1;
    for (let i = 0; i < 30 && after !== 0; i++) {
      after = (await calculate(viaOne)).body.discount_total as number;
      if (after !== 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(after).toBe(0);
  });
});
