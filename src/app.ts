import { sql } from 'drizzle-orm';
import { RequestGate } from './adapters/shared/gate.js';
import { ensureDevTenant, provisionTenant } from './flows/provision-tenant.js';
import { AccessService, Authenticator } from './modules/access/index.js';
import { CatalogExportService, CatalogImportService, createCatalogCoreServices, createCatalogPricingServices, ImageService } from './modules/catalog/index.js';
import { createBlobStore } from './platform/blob-store.js';
import { createSalesServices } from './modules/sales/index.js';
import { createInventoryServices } from './modules/inventory/index.js';
import { createCustomerServices, customerFacts, CUSTOMER_TOKEN_AUDIENCE, CustomerLoginService, loyaltySaleHooks, loyaltyTenderHooks, outboxMailer, registerLoyaltyJobs, SigningKeys, smtpMailer } from './modules/customers/index.js';
import { createPromotionServices, PROMOTIONS_CHANNEL } from './modules/promotions/index.js';
import { OutletService, TenantService } from './modules/tenancy/index.js';
import type { Config } from './platform/config.js';
import type { TxScope } from './platform/context.js';
import { openDatabase, type Database } from './platform/db.js';
import { IdempotencyStore } from './platform/idempotency.js';
import { JobWorker } from './platform/job-worker.js';
import type { Logger } from './platform/logger.js';
import { Metrics } from './platform/metrics.js';
import { migrate } from './platform/migrate.js';
import { OutboxRelay } from './platform/outbox.js';
import { MemoryRateLimiter, RedisRateLimiter, type RateLimiter } from './platform/rate-limit.js';
import type { Services } from './services.js';
import { AUTO_CLOSE_EVERY_MS, AUTO_CLOSE_QUEUE, autoCloseStaleSessions, CashSessionService, DeviceService, RegisterSaleHooks, RegisterSettingsService, TerminalService } from './modules/registers/index.js';
import { LicenseService } from './modules/tenancy/index.js';
import { AUTO_CLOCK_OUT_QUEUE, autoClockOut, CommissionHooks, CommissionService, ShiftService, StaffCredentialResolver, StaffService } from './modules/staff/index.js';

export interface App {
  config: Config;
  log: Logger;
  database: Database;
  metrics: Metrics;
  services: Services;
  authenticator: Authenticator;
  gate: RequestGate;
  idempotency: IdempotencyStore;
  limiter: RateLimiter;
  /** Job queue: modules register handlers here; it runs only where startWorker (src/worker.ts) starts it. */
  jobs: JobWorker;
  /** Outbox relay: modules subscribe to events here; started by startWorker too. */
  outbox: OutboxRelay;
  close(): Promise<void>;
}

/** Channel on which credential changes are announced, so every node drops its auth caches at once. */
const CREDENTIALS_CHANNEL = 'kasir_credentials';

/** The composition root: opens the database (migrating first if asked) and wires every service by hand. */
export async function createApp(config: Config, log: Logger, opts: { migrate: boolean; database?: Database }): Promise<App> {
  // Tests share one migrated database per worker between several apps; such a database outlives the app.
  const ownsDatabase = !opts.database;
  const database = opts.database ?? await openDatabase({
    url: config.DATABASE_URL,
    dataDir: config.POS_DATA_DIR,
    poolSize: config.POS_DB_POOL_SIZE,
    appRole: config.POS_DB_APP_ROLE,
    ...(opts.migrate
      ? {
          beforeRoleSwitch: async (q) => {
            const applied = await migrate(q, (m) => log.info(m), config.POS_DB_APP_ROLE);
            if (applied.length) log.info({ applied }, 'migrations applied');
          },
        }
      : {}),
  });
  const metrics = new Metrics();
  metrics.onScrape(async () => {
    const s = database.poolStats();
    metrics.dbPool.set({ state: 'total' }, s.total);
    metrics.dbPool.set({ state: 'idle' }, s.idle);
    metrics.dbPool.set({ state: 'waiting' }, s.waiting);
  });

  const signingKeys = new SigningKeys(database);
  const authenticator = new Authenticator(database, {
    customerTokens: { audience: CUSTOMER_TOKEN_AUDIENCE, verify: (token) => signingKeys.verify(token) },
    authEnabled: config.POS_AUTH_ENABLED,
    jwksUrl: config.POS_AUTH_JWKS_URL,
    issuer: config.POS_AUTH_ISSUER,
    audience: config.POS_AUTH_AUDIENCE,
  });
  const unlisten = await database.listen(CREDENTIALS_CHANNEL, () => authenticator.invalidate()).catch((e: Error) => {
    log.warn({ err: e.message }, 'cannot LISTEN for credential changes; auth caches expire after 5 s instead');
    return async () => undefined;
  });
  const announceCredentialsChanged = async (tx: TxScope) => {
    await tx.db.execute(sql`select pg_notify(${CREDENTIALS_CHANNEL}, ${tx.tenantId})`);
  };

  const blobs = await createBlobStore(config);
  const tenants = new TenantService(database);
  tenants.onChange((tenantId) => {
    authenticator.invalidate();
    void database.transaction(null, (db) => db.execute(sql`select pg_notify(${CREDENTIALS_CHANNEL}, ${tenantId})`)).catch(() => undefined);
  });
  const access = new AccessService(announceCredentialsChanged);
  const outlets = new OutletService();
  const inventory = createInventoryServices();
  const customerServices = createCustomerServices();
  const customerLogin = new CustomerLoginService({
    database,
    // The limiter is built further down; the service uses it only once requests arrive.
    limiter: { hit: (key, max, windowMs) => limiter.hit(key, max, windowMs), close: async () => undefined },
    keys: signingKeys,
    log,
    mailer: config.POS_SMTP_HOST
      ? smtpMailer({ host: config.POS_SMTP_HOST, port: config.POS_SMTP_PORT, secure: config.POS_SMTP_SECURE, user: config.POS_SMTP_USER, pass: config.POS_SMTP_PASS, from: config.POS_SMTP_FROM })
      : outboxMailer(database, log),
    settings: {
      linkTtlMinutes: config.POS_CUSTOMER_MAGIC_LINK_TTL_MINUTES,
      otpTtlMinutes: config.POS_CUSTOMER_OTP_TTL_MINUTES,
      otpMaxAttempts: config.POS_CUSTOMER_OTP_MAX_ATTEMPTS,
      tokenTtlMinutes: config.POS_CUSTOMER_TOKEN_TTL_MINUTES,
      perAddress: config.POS_CUSTOMER_LOGIN_PER_ADDRESS,
      perIp: config.POS_CUSTOMER_LOGIN_PER_IP,
      loginUrl: config.POS_CUSTOMER_LOGIN_URL,
    },
  });
  // Promotions see a customer's groups and order count through the customers module.
  const promotions = createPromotionServices({ customers: { of: customerFacts } });
  // Every node hears every promotions change, so a sale needs no read to know a tenant has none.
  const unlistenPromotions = await database
    .listen(PROMOTIONS_CHANNEL, (tenantId) => promotions.cache.forget(tenantId))
    .then((stop) => (promotions.cache.trustNotifications(), stop))
    .catch((e: Error) => {
      log.warn({ err: e.message }, 'cannot LISTEN for promotion changes; every sale reads the promotions version instead');
      return async () => undefined;
    });
  const services: Services = {
    tenants,
    outlets,
    access,
    catalog: createCatalogCoreServices(),
    pricing: createCatalogPricingServices(),
    images: new ImageService(blobs, { maxBytes: config.POS_IMAGE_MAX_BYTES }),
    catalogImport: new CatalogImportService(),
    catalogExport: new CatalogExportService(),
    ...createSalesServices({
      promotions: promotions.saleHook,
      hooks: [inventory.saleHooks, promotions.saleHook, new RegisterSaleHooks(), new CommissionHooks(), loyaltySaleHooks],
      tenderHooks: loyaltyTenderHooks,
    }),
    inventory: inventory.inventory,
    purchasing: inventory.purchasing,
    transfers: inventory.transfers,
    stockCounts: inventory.counts,
    recipes: inventory.recipes,
    cashSessions: new CashSessionService(),
    registerSettings: new RegisterSettingsService(),
    staff: new StaffService(),
    shifts: new ShiftService(),
    commissions: new CommissionService(),
    terminals: new TerminalService(announceCredentialsChanged),
    devices: new DeviceService(database, access),
    licenses: new LicenseService(database),
    customers: customerServices.customers,
    loyalty: customerServices.loyalty,
    customerLogin,
    signingKeys,
    promotions,
    provisionTenant: (input) => provisionTenant({ database, tenants, access, log }, input),
  };

  if (!config.POS_AUTH_ENABLED && config.POS_DEV_TENANT && opts.migrate) {
    if (await ensureDevTenant({ database, tenants, access, log })) log.info('created the development tenant 00000000-0000-0000-0000-000000000001');
  }

  const limiter: RateLimiter = config.POS_REDIS_URL
    ? new RedisRateLimiter(config.POS_REDIS_URL, (e) => log.warn({ err: e.message }, 'Redis rate limiter unavailable; requests are let through'))
    : new MemoryRateLimiter();
  const gate = new RequestGate(authenticator, limiter, { ipPerMinute: config.POS_RATE_LIMIT_IP_PER_MINUTE, tenantPerMinute: config.POS_RATE_LIMIT_TENANT_PER_MINUTE }, metrics, new StaffCredentialResolver(database));
  const idempotency = new IdempotencyStore(config.POS_IDEMPOTENCY_TTL_HOURS);
  const jobs = new JobWorker(database, { log, metrics });
  const outbox = new OutboxRelay(database, { log });
  jobs.handle(AUTO_CLOSE_QUEUE, async () => {
    const closed = await autoCloseStaleSessions(database);
    if (closed > 0) log.info({ closed }, 'auto-closed cash sessions left open past the business-day cut-off');
  });
  jobs.schedule(AUTO_CLOSE_QUEUE, AUTO_CLOSE_QUEUE, AUTO_CLOSE_EVERY_MS);
  jobs.handle(AUTO_CLOCK_OUT_QUEUE, async () => {
    const ended = await autoClockOut(database);
    if (ended > 0) log.info({ ended }, 'clocked out shifts left open past the business-day cut-off');
  });
  jobs.schedule(AUTO_CLOCK_OUT_QUEUE, AUTO_CLOCK_OUT_QUEUE, AUTO_CLOSE_EVERY_MS);
  registerLoyaltyJobs(jobs, database, log);

  return {
    config,
    log,
    database,
    metrics,
    services,
    authenticator,
    gate,
    idempotency,
    limiter,
    jobs,
    outbox,
    async close() {
      await unlisten();
      await unlistenPromotions();
      await limiter.close();
      await blobs.close();
      if (ownsDatabase) await database.close();
    },
  };
}
