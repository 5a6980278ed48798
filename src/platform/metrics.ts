import client from 'prom-client';

/**
 * Prometheus metrics, one registry per process (exposed at /metrics). Gauges that need a database query
 * (job queue depth) are filled at scrape time by collectors registered with `onScrape`.
 */
export class Metrics {
  readonly registry = new client.Registry();
  readonly httpDuration = new client.Histogram({
    name: 'kasir_http_request_duration_seconds',
    help: 'REST request latency by route and status code',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly grpcDuration = new client.Histogram({
    name: 'kasir_grpc_request_duration_seconds',
    help: 'gRPC call latency by method and status code',
    labelNames: ['method', 'code'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly dbPool = new client.Gauge({
    name: 'kasir_db_pool_connections',
    help: 'Database pool connections by state',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
  readonly jobQueueDepth = new client.Gauge({
    name: 'kasir_job_queue_depth',
    help: 'Jobs waiting or running, by queue',
    labelNames: ['queue', 'state'] as const,
    registers: [this.registry],
  });
  readonly jobsProcessed = new client.Counter({
    name: 'kasir_jobs_processed_total',
    help: 'Jobs finished, by queue and outcome',
    labelNames: ['queue', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly rateLimited = new client.Counter({
    name: 'kasir_rate_limited_total',
    help: 'Requests refused by the rate limiter, by scope (ip or tenant)',
    labelNames: ['scope'] as const,
    registers: [this.registry],
  });
  private readonly collectors: (() => Promise<void>)[] = [];

  constructor() {
    client.collectDefaultMetrics({ register: this.registry, prefix: 'kasir_' });
  }

  onScrape(collect: () => Promise<void>): void {
    this.collectors.push(collect);
  }

  async render(): Promise<{ contentType: string; body: string }> {
    await Promise.all(this.collectors.map((c) => c().catch(() => undefined)));
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
