import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply } from 'fastify';
import { jsonSchemaTransform, validatorCompiler } from 'fastify-type-provider-zod';
import type { App } from '../../app.js';
import { uuidv7, isUuid } from '../../platform/ids.js';
import { AppError, CommonErrors } from '../../platform/errors.js';
import { answerClientError } from './client-error.js';
import { errorBody, MAX_PARAM_LENGTH, statusFor, toAppError } from './error-response.js';
import { toJson } from './json.js';
import { RouteKit } from './route-kit.js';
import { registerMultipart } from './multipart.js';
import { accessRoutes } from './routes/access.routes.js';
import { catalogImportRoutes } from './routes/catalog-import.routes.js';
import { catalogRoutes } from './routes/catalog.routes.js';
import { customerRoutes } from './routes/customers.routes.js';
import { customerAuthRoutes } from './routes/customer-auth.routes.js';
import { imageRoutes } from './routes/image.routes.js';
import { inventoryRoutes } from './routes/inventory.routes.js';
import { inventoryOperationRoutes } from './routes/inventory-operations.routes.js';
import { pricingRoutes } from './routes/pricing.routes.js';
import { receiptRoutes } from './routes/receipt.routes.js';
import { serviceChargeRoutes } from './routes/service-charge.routes.js';
import { salesRoutes } from './routes/sales.routes.js';
import { promotionRoutes } from './routes/promotions.routes.js';
import { platformRoutes } from './routes/platform.routes.js';
import { systemRoutes, type Readiness } from './routes/system.routes.js';
import { tenancyRoutes } from './routes/tenancy.routes.js';
import { registersRoutes } from './routes/registers.routes.js';
import { devicesRoutes } from './routes/devices.routes.js';
import { commissionRoutes, shiftsRoutes } from './routes/shifts.routes.js';

export const API_VERSION = '0.1.0';

/** Routes registered by modules beyond the foundation: each later module adds one function here. */
export type RouteModule = (r: RouteKit, app: App) => void;

export async function buildHttpServer(app: App, readiness: Readiness, extra: RouteModule[] = []): Promise<{ server: FastifyInstance; kit: RouteKit }> {
  const server = Fastify({
    // Handlers log through req.log (ctx.log): the app's logger, with the request id. Fastify's own request lines
    // are off (one line per request is written in onResponse below). With `logger: false`, req.log was a no-op
    // and every ctx.log line of a REST handler was lost (a catalog export cut mid-stream left no trace).
    loggerInstance: app.log as unknown as FastifyBaseLogger,
    // Kasir writes its own one line per request (onResponse); Fastify's per-request lines stay off.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'req_id' }),
    bodyLimit: 1_048_576,
    trustProxy: app.config.POS_TRUST_PROXY,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && (isUuid(given) || /^[A-Za-z0-9._-]{8,64}$/.test(given)) ? given : uuidv7();
    },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PARAM_LENGTH },
    // refusals before routing (HTTP parser, router) carry a Kasir code too: client-error.ts, error-response.ts
    clientErrorHandler: answerClientError,
    frameworkErrors: (err, _req, reply) => {
      const { error } = toAppError(err);
      const r = reply as unknown as FastifyReply;
      void r.code(statusFor(error, err)).type('application/json; charset=utf-8').serializer(toJson).send(errorBody(error));
    },
  });
  server.setValidatorCompiler(validatorCompiler);
  // Responses are plain presenter output; serialize them directly (bigint-safe) instead of re-validating.
  server.setSerializerCompiler(() => (data) => toJson(data));

  await server.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Kasir REST API',
        version: API_VERSION,
        description: 'Multi-tenant point-of-sale backend. Money is integer minor units; errors are {"error":{"code","message","details"}}; every POST accepts Idempotency-Key.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT (EdDSA)' },
          apiKey: { type: 'apiKey', in: 'header', name: 'x-api-key' },
          devTenant: { type: 'apiKey', in: 'header', name: 'x-dev-tenant-id', description: 'Only when POS_AUTH_ENABLED=false' },
          platformKey: { type: 'apiKey', in: 'header', name: 'x-platform-admin-key' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await server.register(swaggerUi, { routePrefix: '/docs' });

  server.addHook('onRequest', async (req) => {
    (req as { startedAt?: bigint }).startedAt = process.hrtime.bigint();
    if (req.url.startsWith('/api/')) await app.gate.admitIp(req.ip);
  });
  server.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', String(req.id));
    // Before the answer leaves: a retry after a refused request finds its manager override usable again.
    if (reply.statusCode >= 400) await app.gate.failed(req.principal, req.log);
  });
  server.addHook('onResponse', async (req, reply) => {
    const started = (req as { startedAt?: bigint }).startedAt ?? process.hrtime.bigint();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const route = req.routeOptions.url ?? 'unmatched';
    app.metrics.httpDuration.observe({ method: req.method, route, status: String(reply.statusCode) }, seconds);
    if (route === '/metrics' || route === '/healthz') return;
    app.log.info(
      { req_id: req.id, tenant_id: req.tenantId, method: req.method, route, url: req.url, status: reply.statusCode, duration_ms: Math.round(seconds * 1e4) / 10, ip: req.ip },
      'request',
    );
  });

  server.setErrorHandler(async (err, req, reply) => {
    const { error, unexpected } = toAppError(err);
    if (unexpected) app.log.error({ req_id: req.id, err }, 'unexpected error');
    const status = statusFor(error, err);
    if (error.kind === 'rate_limited') reply.header('retry-after', String(error.details?.retry_after_seconds ?? 1));
    return reply.code(status).type('application/json; charset=utf-8').serializer(toJson).send(errorBody(error));
  });
  server.setNotFoundHandler(async (req, reply) =>
    reply.code(404).send(errorBody(new AppError(CommonErrors.ROUTE_NOT_FOUND, { method: req.method, url: req.url.split('?')[0] }, `No route ${req.method} ${req.url.split('?')[0]}`))),
  );

  const kit = new RouteKit(server, { gate: app.gate, idempotency: app.idempotency, database: app.database, log: app.log, platformAdminKey: app.config.POS_PLATFORM_ADMIN_KEY });
  systemRoutes(server, app, readiness);
  platformRoutes(kit, app.services);
  tenancyRoutes(kit, app.services);
  accessRoutes(kit, app.services);
  registerMultipart(server, app.config);
  catalogRoutes(kit, app.services.catalog);
  pricingRoutes(kit, app.services.pricing);
  imageRoutes(kit, app, app.services.images);
  catalogImportRoutes(kit, app, { imports: app.services.catalogImport, exports: app.services.catalogExport });
  salesRoutes(kit, { sales: app.services.sales });
  serviceChargeRoutes(kit, app.services.serviceCharges);
  receiptRoutes(kit, app, { sales: app.services.sales });
  inventoryRoutes(kit, { inventory: app.services.inventory });
  inventoryOperationRoutes(kit, app.services);
  registersRoutes(kit, app.services);
  devicesRoutes(kit, app.services);
  shiftsRoutes(kit, app.services);
  commissionRoutes(kit, app.services);
  customerRoutes(kit, { customers: app.services.customers, loyalty: app.services.loyalty }, app.services.sales);
  customerAuthRoutes(kit, app);
  promotionRoutes(kit, app.services.promotions);
  for (const add of extra) add(kit, app);
  server.get('/openapi.json', { schema: { hide: true } }, async () => server.swagger());
  await server.ready();
  return { server, kit };
}
