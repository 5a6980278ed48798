import type { FastifyInstance, FastifyReply, FastifyRequest, FastifySchema } from 'fastify';
import type { App } from '../../app.js';
import type { Ctx } from '../../platform/context.js';
import { authenticateRequest, type RouteKit } from './route-kit.js';

/**
 * RouteKit hands handlers no reply. A few routes need one: bodies that are not JSON (multipart, text/csv) and
 * responses that are streams with their own headers (image bytes, CSV export); they use the kit's server.
 */
export const fastifyOf = (r: RouteKit): FastifyInstance => r.server;

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
      await authenticateRequest(app.gate, req);
    },
    handler: async (req, reply) => handler(req, reply, { ...req.principal!, requestId: String(req.id), database: app.database, log: req.log }),
  });
}
