import type { FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import { z } from 'zod';
import type { App } from '../../../app.js';
import { requestLoginInput, verifyLinkInput, verifyOtpInput, type IssuedToken } from '../../../modules/customers/index.js';
import type { Ctx } from '../../../platform/context.js';
import { pageRequestSchema } from '../../../platform/pagination.js';
import { presentPage } from '../../shared/views/common.js';
import { presentCustomer } from '../../shared/views/customers.views.js';
import { presentOrder } from '../../shared/views/sales.views.js';
import { toJson } from '../json.js';
import { fastifyOf } from '../raw-route.js';
import { authenticateRequest, type RouteKit } from '../route-kit.js';

const tags = ['Customer auth'];
const accepted = { status: 'accepted', message: 'If the address belongs to a customer of this merchant, an e-mail is on its way.' };
const myOrdersQuery = pageRequestSchema.extend({ status: z.enum(['DRAFT', 'OPEN', 'COMPLETED', 'VOIDED']).optional() }).strict();

const json = (reply: FastifyReply, status: number, body: unknown) => reply.code(status).type('application/json; charset=utf-8').send(toJson(body));
const tokenBody = (t: IssuedToken) => ({ access_token: t.accessToken, token_type: 'bearer', expires_in: t.expiresIn, customer: presentCustomer(t.customer) });

/**
 * Passwordless customer login (seed 002) and what a customer token opens: its profile and its own orders.
 * These routes need the client's IP (rate limits per IP) or a customer token, so they are declared on the
 * server directly; JWKS of Kasir's customer-token keys at /.well-known/jwks.json.
 */
export function customerAuthRoutes(r: RouteKit, app: App): void {
  const server = fastifyOf(r);
  const login = app.services.customerLogin;
  const publicPost = (url: string, summary: string, body: z.ZodType, handle: (req: FastifyRequest) => Promise<{ status: number; body: unknown }>) =>
    server.route({
      method: 'POST',
      url,
      schema: { summary, tags, body } as FastifySchema,
      handler: async (req, reply) => {
        const out = await handle(req);
        return json(reply.header('cache-control', 'no-store'), out.status, out.body);
      },
    });

  publicPost('/api/v1/auth/customer/request-magic-link', 'E-mail a single-use login link (valid 15 minutes); answers the same whether or not the address is a customer’s', requestLoginInput, async (req) => {
    await login.request('link', req.body, req.ip);
    return { status: 202, body: accepted };
  });
  publicPost('/api/v1/auth/customer/request-otp', 'E-mail a 6-digit login code (valid 5 minutes, locked after 5 wrong tries); answers the same whether or not the address is a customer’s', requestLoginInput, async (req) => {
    await login.request('otp', req.body, req.ip);
    return { status: 202, body: accepted };
  });
  publicPost('/api/v1/auth/customer/verify-magic-link', 'Exchange a magic link’s token for a customer token (once)', verifyLinkInput, async (req) => ({ status: 200, body: tokenBody(await login.verifyLink(req.body, req.ip)) }));
  publicPost('/api/v1/auth/customer/verify-otp', 'Exchange an e-mailed code for a customer token (once)', verifyOtpInput, async (req) => ({ status: 200, body: tokenBody(await login.verifyOtp(req.body, req.ip)) }));

  server.get('/.well-known/jwks.json', { schema: { summary: 'Public keys of Kasir’s customer tokens (Ed25519)', tags } }, async (_req, reply) =>
    json(reply.header('cache-control', 'public, max-age=300'), 200, await app.services.signingKeys.jwks()),
  );

  const customerGet = (url: string, summary: string, querystring: z.ZodType | undefined, handle: (req: FastifyRequest, ctx: Ctx) => Promise<unknown>) =>
    server.route({
      method: 'GET',
      url,
      schema: { summary, tags, ...(querystring ? { querystring } : {}), security: [{ bearer: [] }] } as FastifySchema,
      onRequest: async (req) => {
        await authenticateRequest(app.gate, req, 'customer');
      },
      handler: async (req, reply) => {
        const p = req.principal!;
        // The customer reads its own orders: sales' read permission, and never any other customer's (the filter is forced).
        const ctx: Ctx = { tenantId: p.tenantId, actor: { ...p.actor, permissions: new Set(['pos:sale:read']) }, requestId: String(req.id), database: app.database, log: req.log, readOnly: true };
        return json(reply.header('cache-control', 'no-store'), 200, await handle(req, ctx));
      },
    });

  customerGet('/api/v1/auth/customer/me', 'The customer a customer token names', undefined, async (_req, ctx) => presentCustomer(await login.me(ctx.tenantId, ctx.actor.customerId!)));
  customerGet('/api/v1/orders/my-orders', 'The orders of the customer a customer token names, newest last (status filter)', myOrdersQuery, async (req, ctx) => {
    await login.me(ctx.tenantId, ctx.actor.customerId!);
    const q = req.query as z.output<typeof myOrdersQuery>;
    return presentPage(await app.services.sales.list(ctx, { ...q, customer_id: ctx.actor.customerId!, include_items: true }), presentOrder);
  });
}
