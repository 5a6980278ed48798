import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import type { App } from '../../app.js';
import type { Ctx } from '../../platform/context.js';
import type { RouteKit } from './route-kit.js';

/**
 * RouteKit hands handlers no reply. A few routes need one: bodies that are not JSON (multipart, text/csv) and
 * responses that are streams with their own headers (image bytes, CSV export); they use the kit's server.
 */
export const fastifyOf = (r: RouteKit): FastifyInstance => r.server;

const header = (req: FastifyRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/**
 * A GET route authenticated exactly as RouteKit authenticates (same gate: credentials, then the tenant's
 * rate limit, before anything is read), whose handler gets the reply to stream into.
 */
export function tenantRawGet(
  r: RouteKit,
  app: Pick<App, 'gate' | 'database'>,
  url: string,
  schema: FastifySchema & { summary: string; tags: string[] },
  handler: (req: FastifyRequest, reply: FastifyReply, ctx: Ctx) => Promise<unknown>,
): void {
  fastifyOf(r).route({
    method: 'GET',
    url,
    schema: { ...schema, security: [{ bearer: [] }, { apiKey: [] }, { devTenant: [] }] } as FastifySchema,
    onRequest: async (req) => {
      const principal = await app.gate.authenticate({
        authorization: header(req, 'authorization'),
        apiKey: header(req, 'x-api-key'),
        devTenantId: header(req, 'x-dev-tenant-id'),
        devUserId: header(req, 'x-dev-user-id'),
        devMembershipId: header(req, 'x-dev-membership-id'),
      });
      req.tenantId = principal.tenantId;
      req.principal = principal;
    },
    handler: async (req, reply) => handler(req, reply, { ...req.principal!, requestId: String(req.id), database: app.database, log: req.log }),
  });
}
