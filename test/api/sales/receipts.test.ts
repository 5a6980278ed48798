import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTenant, openOrder, pricedProduct, startSalesServer, type Client, type TestServer, type TestTenant } from './support.js';

let s: TestServer;
let t: TestTenant;
let api: Client;
beforeAll(async () => {
  s = await startSalesServer();
  t = await createTenant(s.app);
  api = as(s, t);
  const patched = await api.patch('/api/v1/tenant', { receipt_header: 'NPWP 01.234.567.8-901.000', receipt_footer: 'Terima kasih!\nSampai jumpa' });
  expect(patched.status).toBe(200);
  expect(patched.body).toMatchObject({ receipt_header: 'NPWP 01.234.567.8-901.000', receipt_footer: 'Terima kasih!\nSampai jumpa' });
});
afterAll(() => s.stop());

const fetchRaw = async (path: string, headers: Record<string, string> = t.devHeaders) => {
  const res = await fetch(`${s.baseUrl}${path}`, { headers });
  return { status: res.status, type: res.headers.get('content-type'), bytes: new Uint8Array(await res.arrayBuffer()) };
};

/** A completed order: 2 × 2,500,000 IDR, paid with 6,000,000 cash (change 1,000,000). */
async function completedCashOrder(client: Client = api) {
  const p = await pricedProduct(client, 2_500_000);
  const o = await openOrder(client, [{ variant_id: p.variantId, quantity: 2 }]);
  await client.post(`/api/v1/orders/${o.id}/payments`, { tender_type: 'CASH', amount: 5_000_000, tendered: 6_000_000 });
  const done = await client.post(`/api/v1/orders/${o.id}/complete`);
  expect(done.body.status).toBe('COMPLETED');
  return done.body as { id: string; receipt_number: string; items: { id: string }[] };
}

describe('receipts over REST', () => {
  it('serves a completed cash sale as JSON, text, HTML and ESC/POS, and marks every later fetch COPY', async () => {
    const o = await completedCashOrder();
    const first = await api.get(`/api/v1/orders/${o.id}/receipt`);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      kind: 'sale', receipt_number: o.receipt_number, copy: false, print_number: 1, void: false, currency: 'IDR',
      header: { tenant_name: expect.any(String), outlet_name: expect.any(String), text_lines: ['NPWP 01.234.567.8-901.000'] },
      lines: [{ quantity: '2', unit_price: 2_500_000, line_total: 5_000_000 }],
      subtotal: 5_000_000, total: 5_000_000, change: 1_000_000,
      tenders: [{ type: 'CASH', label: 'Cash', amount: 5_000_000, tendered: 6_000_000, change: 1_000_000 }],
      footer_lines: ['Terima kasih!', 'Sampai jumpa'],
    });
    expect(first.body.local_time).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);

    const text = await api.get(`/api/v1/orders/${o.id}/receipt?format=text&width=48`);
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
    const lines = (text.body as string).split('\n');
    expect(lines.every((l) => [...l].length <= 48)).toBe(true);
    expect(text.body).toContain('Rp 50.000');
    expect(text.body).toContain('*** COPY ***');
    expect(text.body).toContain('Terima kasih!');

    const html = await api.get(`/api/v1/orders/${o.id}/receipt?format=html`);
    expect(html.headers.get('content-type')).toMatch(/^text\/html/);
    expect(html.body).toMatch(/^<!DOCTYPE html>/);
    expect(html.body).toContain('<div class="mark">COPY</div>');

    const esc = await fetchRaw(`/api/v1/orders/${o.id}/receipt?format=escpos&width=32`);
    expect(esc.type).toBe('application/octet-stream');
    expect([...esc.bytes.slice(0, 2)]).toEqual([0x1b, 0x40]);
    expect([...esc.bytes.slice(-4)]).toEqual([0x1d, 0x56, 0x42, 0x00]);
    expect(Buffer.from(esc.bytes).toString('latin1')).toContain('*** COPY ***');

    const again = await api.get(`/api/v1/orders/${o.id}/receipt?format=json`);
    expect(again.body).toMatchObject({ copy: true, print_number: 5 });
  });

  it('prints a refund receipt with its own number, the lines and the tenders refunded', async () => {
    const o = await completedCashOrder();
    const r = await api.post(`/api/v1/orders/${o.id}/refunds`, { reason: 'cold', items: [{ item_id: o.items[0]!.id, quantity: 1 }] });
    expect(r.status).toBe(201);
    const receipt = await api.get(`/api/v1/refunds/${r.body.refund.id}/receipt`);
    expect(receipt.status).toBe(200);
    expect(receipt.body).toMatchObject({
      kind: 'refund', receipt_number: r.body.refund.receipt_number, original_receipt_number: o.receipt_number, copy: false, print_number: 1,
      lines: [{ quantity: '1', line_total: 2_500_000 }], total: 2_500_000, reason: 'cold',
      tenders: [{ type: 'CASH', amount: 2_500_000 }],
    });
    expect(receipt.body.receipt_number).toMatch(/-R-\d{6}$/);
    const text = await api.get(`/api/v1/refunds/${r.body.refund.id}/receipt?format=text`);
    expect(text.body).toContain('REFUND TOTAL');
    expect(text.body).toContain('*** COPY ***');
    // the sale's own receipt count is separate from the refund's
    expect((await api.get(`/api/v1/orders/${o.id}/receipt`)).body).toMatchObject({ copy: false, print_number: 1 });
  });

  it('refuses a DRAFT order with 409 RECEIPT_NOT_AVAILABLE and counts nothing', async () => {
    const draft = await api.post('/api/v1/orders', {});
    const r = await api.get(`/api/v1/orders/${draft.body.id}/receipt?format=text`);
    expect(r.status).toBe(409);
    expect(r.body.error).toMatchObject({ code: 'RECEIPT_NOT_AVAILABLE', details: { status: 'DRAFT' } });
  });

  it('marks a voided order VOID', async () => {
    const p = await pricedProduct(api, 1_000_000);
    const o = await openOrder(api, [{ variant_id: p.variantId }]);
    expect((await api.post(`/api/v1/orders/${o.id}/void`, { reason: 'customer left' })).status).toBe(200);
    const r = await api.get(`/api/v1/orders/${o.id}/receipt?format=text&width=32`);
    expect(r.status).toBe(200);
    expect(r.body).toContain('*** VOID ***');
  });

  it('answers 404 for another tenant’s order and refund, and 400 for a bad width', async () => {
    const o = await completedCashOrder();
    const other = await createTenant(s.app);
    const them = as(s, other);
    expect((await them.get(`/api/v1/orders/${o.id}/receipt`)).body.error.code).toBe('ORDER_NOT_FOUND');
    expect((await them.get(`/api/v1/orders/${o.id}/receipt`)).status).toBe(404);
    const r = await api.post(`/api/v1/orders/${o.id}/refunds`, { reason: 'x', amount: 1_000 });
    const cross = await them.get(`/api/v1/refunds/${r.body.refund.id}/receipt`);
    expect(cross.status).toBe(404);
    expect(cross.body.error.code).toBe('REFUND_NOT_FOUND');
    expect((await api.get(`/api/v1/orders/${o.id}/receipt?width=40`)).status).toBe(400);
    // the other tenant's attempts were not counted as prints
    expect((await api.get(`/api/v1/orders/${o.id}/receipt`)).body).toMatchObject({ copy: false, print_number: 1 });
  });
});
