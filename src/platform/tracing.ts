import { subscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { GrpcInstrumentation } from '@opentelemetry/instrumentation-grpc';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor, NodeTracerProvider, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace-node';
import { ATTR_HTTP_ROUTE, ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { Config } from './config.js';

/**
 * OpenTelemetry tracing, off unless OTEL_EXPORTER_OTLP_ENDPOINT is set. The CLI imports this module (and so the
 * SDK) only in that case, and before it imports the app, because instrumentations patch modules as they load.
 * pg, @grpc/grpc-js and Fastify are CommonJS; Node loads them through Module._load even when ESM imports them,
 * so the require hooks see them and no ESM loader hook (import-in-the-middle) is needed.
 *
 * Tracing every request cut a database route from 22k to 7k req/s here, so it is sampled
 * (POS_OTEL_SAMPLE_RATIO of new traces; a caller's sampling decision in `traceparent` is followed) and limited
 * to four instrumentations: incoming HTTP, outgoing fetch (undici: JWKS, webhooks, payment providers),
 * PostgreSQL queries (pg) and gRPC. The exporter reads the standard OTEL_EXPORTER_OTLP_* variables (endpoint,
 * headers, timeout) and posts OTLP/HTTP JSON to `<endpoint>/v1/traces`.
 */
export interface Tracing {
  /** Exports the spans still buffered, then stops. */
  shutdown(): Promise<void>;
}

const ROUTE = Symbol('kasir.route');

export function startTracing(config: Pick<Config, 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'POS_OTEL_SAMPLE_RATIO'>, serviceVersion = '0.1.0'): Tracing {
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({
      [ATTR_SERVICE_NAME]: process.env.OTEL_SERVICE_NAME || 'kasir',
      [ATTR_SERVICE_VERSION]: serviceVersion,
    }),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(config.POS_OTEL_SAMPLE_RATIO) }),
    // A short delay so that little is lost when the process exits without a flush.
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter(), { scheduledDelayMillis: 1000 })],
  });
  provider.register();

  registerInstrumentations({
    tracerProvider: provider,
    instrumentations: [
      new HttpInstrumentation({
        // Probes and scrapes are noise; outgoing calls go through fetch (undici), traced below.
        ignoreIncomingRequestHook: (req) => /^\/(healthz|readyz|metrics)(\?|$)/.test(req.url ?? ''),
        disableOutgoingRequestInstrumentation: true,
        applyCustomAttributesOnSpan: (span, req) => {
          const route = (req as IncomingMessage & { [ROUTE]?: string })[ROUTE];
          if (route) {
            span.setAttribute(ATTR_HTTP_ROUTE, route);
            span.updateName(`${req.method ?? 'GET'} ${route}`);
          }
        },
      }),
      new UndiciInstrumentation(),
      new PgInstrumentation({ requireParentSpan: true }),
      new GrpcInstrumentation(),
    ],
  });

  // Fastify announces the matched route on a diagnostics channel; name the HTTP span after it
  // (`GET /api/v1/outlets/:id`), so spans group by route rather than by method alone.
  subscribe('tracing:fastify.request.handler:start', (message) => {
    const store = message as { request?: { raw?: IncomingMessage & { [ROUTE]?: string } }; route?: { url?: string } };
    if (store.request?.raw && store.route?.url) store.request.raw[ROUTE] = store.route.url;
  });

  return {
    async shutdown() {
      await provider.shutdown();
    },
  };
}
