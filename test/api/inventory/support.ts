import { ledgerDriftQuery } from '../../../src/modules/inventory/index.js';
import { as, pricedProduct, query, type Client, type TestServer, type TestTenant } from '../sales/support.js';

export * from '../sales/support.js';

/** Levels whose on_hand or reserved is not explained by the ledger and reservations (empty when all is well). */
export const ledgerDrift = (s: TestServer, t: TestTenant) => query<Record<string, unknown>>(s, t, ledgerDriftQuery(t.tenantId));

/** A tracked product priced `amount` with `stock` units received at the tenant's outlet at `cost` each. */
export async function stockedProduct(api: Client, t: TestTenant, stock: number, opts: { amount?: number; cost?: number } = {}): Promise<{ productId: string; variantId: string }> {
  const p = await pricedProduct(api, opts.amount ?? 10_000);
  if (stock !== 0) {
    const r = await api.post('/api/v1/inventory/adjustments', { location_id: t.outletId, variant_id: p.variantId, quantity: stock, type: 'purchase_receipt', unit_cost: opts.cost ?? 4_000 });
    if (r.status !== 201) throw new Error(`stock: ${r.status} ${JSON.stringify(r.body)}`);
  }
  return p;
}

export const stockOf = async (api: Client, locationId: string, variantId: string) => {
  const r = await api.get(`/api/v1/inventory/stock/${locationId}/${variantId}`);
  if (r.status !== 200) throw new Error(`stock: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body as { on_hand: number; reserved: number; available: number; unit_cost: number };
};

export const setSettings = (api: Client, body: Record<string, unknown>) => api.put('/api/v1/inventory/settings', body);

export { as };
