import type { FastifyInstance } from 'fastify';
import type { App } from '../../../app.js';

export interface ReadinessReport {
  ready: boolean;
  checks: Record<string, { ok: boolean; detail?: string }>;
}
export type Readiness = () => Promise<ReadinessReport>;

/** Liveness, readiness and metrics: unauthenticated, not rate limited, hidden from the API document. */
export function systemRoutes(server: FastifyInstance, app: App, readiness: Readiness): void {
  server.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  server.get('/readyz', { schema: { hide: true } }, async (_req, reply) => {
    const report = await readiness();
    return reply.code(report.ready ? 200 : 503).send({ status: report.ready ? 'ready' : 'not_ready', checks: report.checks });
  });
  server.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    const { contentType, body } = await app.metrics.render();
    return reply.type(contentType).serializer((s: string) => s).send(body);
  });
}
