import { createLocalJWKSet, jwtVerify } from 'jose';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTenant, pricedProduct, type Client, type TestServer, type TestTenant } from '../sales/support.js';
import { call, startTestServer } from '../../support/server.js';

/** A real SMTP server on a free port, keeping every delivered message. */
const inbox: { to: string[]; raw: string }[] = [];
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      inbox.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
      callback();
    });
  },
});

/** The text of the last message to `to`, quoted-printable soft breaks and escapes undone. */
function lastMailTo(to: string): string | undefined {
  const m = inbox.filter((x) => x.to.includes(to)).at(-1);
  return m?.raw.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}
const otpIn = (mail: string | undefined) => /login code is (\d{6})/.exec(mail ?? '')?.[1];
const tokenIn = (mail: string | undefined) => /[?&]token=([A-Za-z0-9_-]+)/.exec(mail ?? '')?.[1];

let s: TestServer;
let t: TestTenant;
let other: TestTenant;
let api: Client;

beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as { port: number }).port;
  s = await startTestServer({ POS_SMTP_HOST: '127.0.0.1', POS_SMTP_PORT: String(port), POS_SMTP_FROM: 'Kopi Senja <login@kopi.test>', POS_CUSTOMER_LOGIN_PER_ADDRESS: '4' });
  t = await createTenant(s.app);
  other = await createTenant(s.app);
  api = as(s, t);
});
afterAll(async () => {
  await s.stop();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

const post = (path: string, body: unknown, headers: Record<string, string> = {}) => call(s.baseUrl, 'POST', path, { body, headers });
const get = (path: string, token: string) => call(s.baseUrl, 'GET', path, { headers: { authorization: `Bearer ${token}` } });
const tenantOf = (x: TestTenant) => x.tenantId;

describe('passwordless customer login', () => {
  it('sends a code over SMTP that logs the customer in once, and the token reads only its own orders', async () => {
    const me = (await api.post('/api/v1/customers', { name: 'Rina', email: 'rina@example.com' })).body;
    const someoneElse = (await api.post('/api/v1/customers', { name: 'Tono', email: 'tono@example.com' })).body;
    const latte = await pricedProduct(api, 25_000);
    const mine = (await api.post('/api/v1/checkout', { customer_id: me.id, items: [{ variant_id: latte.variantId, quantity: 1 }], tenders: [{ tender_type: 'CASH', amount: 25_000 }] })).body;
    const draft = (await api.post('/api/v1/orders', { customer_id: me.id, items: [{ variant_id: latte.variantId, quantity: 1 }] })).body;
    await api.post('/api/v1/checkout', { customer_id: someoneElse.id, items: [{ variant_id: latte.variantId, quantity: 1 }], tenders: [{ tender_type: 'CASH', amount: 25_000 }] });

    const asked = await post('/api/v1/auth/customer/request-otp', { tenant: tenantOf(t), email: 'RINA@example.com' });
    expect(asked.status).toBe(202);
    const mail = lastMailTo('rina@example.com');
    expect(mail).toContain('From: Kopi Senja <login@kopi.test>');
    const otp = otpIn(mail);
    expect(otp).toMatch(/^\d{6}$/);

    const ok = await post('/api/v1/auth/customer/verify-otp', { tenant: tenantOf(t), email: 'rina@example.com', otp });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body).toMatchObject({ token_type: 'bearer', customer: { id: me.id } });
    const again = await post('/api/v1/auth/customer/verify-otp', { tenant: tenantOf(t), email: 'rina@example.com', otp });
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('CUSTOMER_LOGIN_INVALID');

    const token: string = ok.body.access_token;
    const jwks = (await call(s.baseUrl, 'GET', '/.well-known/jwks.json')).body;
    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks), { audience: 'kasir:customer', issuer: 'kasir' });
    expect(protectedHeader.alg).toBe('EdDSA');
    expect(payload).toMatchObject({ tenant_id: t.tenantId, customer_id: me.id, sub: me.id });

    expect((await get('/api/v1/auth/customer/me', token)).body).toMatchObject({ id: me.id, email: 'rina@example.com' });
    const orders = await get('/api/v1/orders/my-orders', token);
    expect(orders.body.items.map((o: { id: string }) => o.id).sort()).toEqual([mine.id, draft.id].sort());
    const completed = await get('/api/v1/orders/my-orders?status=COMPLETED', token);
    expect(completed.body.items.map((o: { id: string }) => o.id)).toEqual([mine.id]);
    const sneaky = await get(`/api/v1/orders/my-orders?customer_id=${someoneElse.id}`, token);
    expect(sneaky.status).toBe(400);

    // The token opens nothing else: not staff routes, not another tenant, not gRPC.
    expect((await get('/api/v1/customers', token)).status).toBe(403);
    expect((await get(`/api/v1/orders/${mine.id}`, token)).status).toBe(403);
    expect((await call(s.baseUrl, 'GET', '/api/v1/orders/my-orders', { headers: t.devHeaders })).status).toBe(403);
    const forged = token.split('.');
    forged[1] = Buffer.from(JSON.stringify({ ...payload, tenant_id: other.tenantId })).toString('base64url');
    expect((await get('/api/v1/orders/my-orders', forged.join('.'))).status).toBe(401);
  });

  it('answers the same for an unknown address and sends it nothing', async () => {
    const before = inbox.length;
    const unknown = await post('/api/v1/auth/customer/request-magic-link', { tenant: tenantOf(t), email: 'nobody@example.com' });
    const noTenant = await post('/api/v1/auth/customer/request-magic-link', { tenant: 'no-such-merchant', email: 'nobody@example.com' });
    await api.post('/api/v1/customers', { name: 'Known', email: 'known@example.com' });
    const known = await post('/api/v1/auth/customer/request-magic-link', { tenant: tenantOf(t), email: 'known@example.com' });
    expect([unknown.status, unknown.body]).toEqual([known.status, known.body]);
    expect([noTenant.status, noTenant.body]).toEqual([known.status, known.body]);
    expect(inbox.slice(before).map((m) => m.to)).toEqual([['known@example.com']]);
  });

  it('logs in by magic link once; the link used twice is refused', async () => {
    await api.post('/api/v1/customers', { name: 'Linked', email: 'linked@example.com' });
    await post('/api/v1/auth/customer/request-magic-link', { tenant: tenantOf(t), email: 'linked@example.com' });
    const mail = lastMailTo('linked@example.com');
    expect(mail).toContain(`tenant=${t.tenantId}`);
    const token = tokenIn(mail);
    const first = await post('/api/v1/auth/customer/verify-magic-link', { tenant: tenantOf(t), token });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const second = await post('/api/v1/auth/customer/verify-magic-link', { tenant: tenantOf(t), token });
    expect([second.status, second.body.error.code]).toEqual([401, 'CUSTOMER_LOGIN_INVALID']);
    const elsewhere = await post('/api/v1/auth/customer/verify-magic-link', { tenant: tenantOf(other), token });
    expect(elsewhere.status).toBe(401);
  });

  it('locks a code after 5 wrong tries, even for the right code afterwards', async () => {
    await api.post('/api/v1/customers', { name: 'Guessed', email: 'guessed@example.com' });
    await post('/api/v1/auth/customer/request-otp', { tenant: tenantOf(t), email: 'guessed@example.com' });
    const otp = otpIn(lastMailTo('guessed@example.com'))!;
    const wrong = otp === '000000' ? '111111' : '000000';
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) codes.push((await post('/api/v1/auth/customer/verify-otp', { tenant: tenantOf(t), email: 'guessed@example.com', otp: wrong })).body.error.code);
    expect(codes).toEqual(['CUSTOMER_LOGIN_INVALID', 'CUSTOMER_LOGIN_INVALID', 'CUSTOMER_LOGIN_INVALID', 'CUSTOMER_LOGIN_INVALID', 'CUSTOMER_LOGIN_LOCKED']);
    const right = await post('/api/v1/auth/customer/verify-otp', { tenant: tenantOf(t), email: 'guessed@example.com', otp });
    expect([right.status, right.body.error?.code]).toEqual([401, 'CUSTOMER_LOGIN_LOCKED']);
  });

  it('rate limits codes per address', async () => {
    await api.post('/api/v1/customers', { name: 'Spammed', email: 'spammed@example.com' });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await post('/api/v1/auth/customer/request-otp', { tenant: tenantOf(t), email: 'spammed@example.com' })).status);
    expect(statuses).toEqual([202, 202, 202, 202, 429]);
  });

  it('refuses malformed requests naming the field', async () => {
    const r = await post('/api/v1/auth/customer/verify-otp', { tenant: tenantOf(t), email: 'not-an-email', otp: '12' });
    expect(r.status).toBe(400);
    expect(r.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['email', 'otp']);
  });
});

describe('without an SMTP server', () => {
  it('keeps the message in mail_outbox (and the log) so a developer can still log in', async () => {
    const dev = await startTestServer();
    try {
      const tenant = await createTenant(dev.app);
      await as(dev, tenant).post('/api/v1/customers', { name: 'Local', email: 'local@example.com' });
      const r = await call(dev.baseUrl, 'POST', '/api/v1/auth/customer/request-otp', { body: { tenant: tenant.tenantId, email: 'local@example.com' } });
      expect(r.status).toBe(202);
      const { sql } = await import('drizzle-orm');
      const rows = await dev.app.database.transaction(tenant.tenantId, async (db) => (await db.execute(sql`SELECT recipient, subject, body FROM mail_outbox`)) as unknown as { rows: { recipient: string; body: string }[] });
      expect(rows.rows.map((m) => m.recipient)).toEqual(['local@example.com']);
      const otp = otpIn(rows.rows[0]!.body);
      const ok = await call(dev.baseUrl, 'POST', '/api/v1/auth/customer/verify-otp', { body: { tenant: tenant.tenantId, email: 'local@example.com', otp } });
      expect(ok.status).toBe(200);
    } finally {
      await dev.stop();
    }
  });
});
