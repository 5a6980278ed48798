import { z } from 'zod';

/**
 * Every setting Kasir reads, validated once at start-up. A wrong value stops start-up with a message naming
 * the variable and what it expects (see ConfigError). `.env.example` is generated from `configSpec` by
 * `scripts/gen-docs.ts`, so the two cannot drift.
 */
const bool = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'expected true or false' })
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1' || v === 'yes');

const int = (fallback: number, min: number, max: number) =>
  z
    .string()
    .default(String(fallback))
    .transform((v, c) => {
      const n = Number(v);
      if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
        c.addIssue({ code: 'custom', message: `expected a whole number from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    });

const optionalUrl = (protocols: string[]) =>
  z
    .string()
    .optional()
    .transform((v) => (v === '' ? undefined : v))
    .refine((v) => v === undefined || protocols.some((p) => v.startsWith(`${p}:`)) && URL.canParse(v), {
      message: `expected a ${protocols.join(' or ')} URL`,
    });

export const configSpec = {
  DATABASE_URL: {
    schema: optionalUrl(['postgres', 'postgresql']),
    doc: 'PostgreSQL connection URL. Unset: the embedded PGlite database in POS_DATA_DIR.',
    example: '',
  },
  POS_DATA_DIR: { schema: z.string().min(1).default('./data'), doc: 'Directory of the embedded PGlite database (used when DATABASE_URL is unset) and of local files.', example: './data' },
  POS_DB_POOL_SIZE: { schema: int(10, 1, 200), doc: 'Connections in the PostgreSQL pool.', example: '10' },
  POS_DB_APP_ROLE: {
    schema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'expected a PostgreSQL role name').default('kasir_app'),
    doc: 'Role every connection switches to (SET ROLE): not a superuser, not a table owner, so row-level security applies.',
    example: 'kasir_app',
  },
  POS_MIGRATE_ON_START: { schema: bool(true), doc: 'Apply pending migrations when `kasir serve` starts.', example: 'true' },
  POS_HOST: { schema: z.string().min(1).default('0.0.0.0'), doc: 'Address the REST and gRPC servers listen on.', example: '0.0.0.0' },
  POS_HTTP_PORT: { schema: int(4104, 0, 65535), doc: 'REST port.', example: '4104' },
  POS_GRPC_PORT: { schema: int(50053, 0, 65535), doc: 'gRPC port.', example: '50053' },
  POS_AUTH_ENABLED: {
    schema: bool(false),
    doc: 'false: development headers (x-dev-tenant-id, x-dev-user-id, x-dev-membership-id) are accepted. true: only Bearer JWTs and API keys.',
    example: 'false',
  },
  POS_AUTH_JWKS_URL: { schema: optionalUrl(['http', 'https']), doc: 'JWKS of the Auth service that signs Ed25519 tenant tokens. Required when POS_AUTH_ENABLED=true.', example: '' },
  POS_AUTH_ISSUER: { schema: z.string().optional(), doc: 'Expected `iss` of tenant tokens (checked when set).', example: '' },
  POS_AUTH_AUDIENCE: { schema: z.string().optional(), doc: 'Expected `aud` of tenant tokens (checked when set).', example: '' },
  POS_PLATFORM_ADMIN_KEY: {
    schema: z.string().min(24, 'expected at least 24 characters').optional(),
    doc: 'Secret for the platform-operator endpoints (/api/v1/platform/…). Unset: those endpoints refuse every call.',
    example: '',
  },
  POS_DEV_TENANT: { schema: bool(true), doc: 'When auth is disabled, make sure the seed development tenant 00000000-0000-0000-0000-000000000001 exists at start.', example: 'true' },
  POS_LOG_LEVEL: { schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), doc: 'Log level.', example: 'info' },
  POS_RATE_LIMIT_IP_PER_MINUTE: { schema: int(1200, 1, 100_000_000), doc: 'Requests per minute one client IP may make.', example: '1200' },
  POS_RATE_LIMIT_TENANT_PER_MINUTE: { schema: int(6000, 1, 100_000_000), doc: 'Requests per minute one tenant may make.', example: '6000' },
  POS_REDIS_URL: { schema: optionalUrl(['redis', 'rediss']), doc: 'Redis for rate-limit counters shared by several nodes. Unset: counters in memory.', example: '' },
  POS_IDEMPOTENCY_TTL_HOURS: { schema: int(168, 168, 24 * 365), doc: 'How long idempotency keys are kept (at least 7 days).', example: '168' },
  POS_JOBS_ENABLED: { schema: bool(true), doc: '`kasir serve` also runs the job worker.', example: 'true' },
  POS_SHUTDOWN_TIMEOUT_MS: { schema: int(10_000, 0, 600_000), doc: 'How long SIGTERM waits for in-flight requests before closing.', example: '10000' },
  POS_TRUST_PROXY: { schema: bool(false), doc: 'Take the client IP from X-Forwarded-For (behind a load balancer).', example: 'false' },
  POS_IMAGE_MAX_BYTES: {
    schema: int(5 * 1024 * 1024, 1024, 100 * 1024 * 1024),
    doc: 'Largest image upload accepted, in bytes (default 5 MiB). A larger file is refused with IMAGE_TOO_LARGE.',
    example: '5242880',
  },
  POS_CATALOG_IMPORT_MAX_BYTES: {
    schema: int(32 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    doc: 'Largest catalog CSV import accepted, in bytes (default 32 MiB, about 200,000 rows).',
    example: '33554432',
  },
  POS_S3_BUCKET: {
    schema: z.string().optional(),
    doc: 'S3 bucket for images and other blobs. Unset: blobs are files under POS_DATA_DIR/blobs.',
    example: '',
  },
  POS_S3_ENDPOINT: {
    schema: optionalUrl(['http', 'https']),
    doc: 'Endpoint of an S3-compatible store (MinIO, R2, Ceph…), addressed path-style. Unset with POS_S3_BUCKET set: AWS S3.',
    example: '',
  },
  POS_S3_REGION: { schema: z.string().min(1).default('us-east-1'), doc: 'Region the S3 requests are signed for.', example: 'us-east-1' },
  POS_S3_ACCESS_KEY_ID: {
    schema: z.string().optional(),
    doc: 'Access key of the S3 store. Unset: the AWS SDK default credential chain (environment, instance role…).',
    example: '',
  },
  POS_S3_SECRET_ACCESS_KEY: { schema: z.string().optional(), doc: 'Secret key of the S3 store; set together with POS_S3_ACCESS_KEY_ID.', example: '' },
  POS_CUSTOMER_MAGIC_LINK_TTL_MINUTES: { schema: int(15, 1, 1440), doc: 'How long a customer login magic link stays valid.', example: '15' },
  POS_CUSTOMER_OTP_TTL_MINUTES: { schema: int(5, 1, 60), doc: 'How long a customer login one-time code stays valid.', example: '5' },
  POS_CUSTOMER_OTP_MAX_ATTEMPTS: { schema: int(5, 1, 20), doc: 'Wrong codes after which a one-time code is locked (the customer must request a new one).', example: '5' },
  POS_CUSTOMER_TOKEN_TTL_MINUTES: { schema: int(1440, 5, 43_200), doc: 'Lifetime of the customer tokens Kasir issues after a login.', example: '1440' },
  POS_CUSTOMER_LOGIN_PER_ADDRESS: { schema: int(5, 1, 1000), doc: 'Login codes one e-mail address may be sent per 15 minutes.', example: '5' },
  POS_CUSTOMER_LOGIN_PER_IP: { schema: int(30, 1, 100_000), doc: 'Customer login requests and verifications one client IP may make per 15 minutes.', example: '30' },
  POS_CUSTOMER_LOGIN_URL: {
    schema: optionalUrl(['http', 'https']).default('http://localhost:4104/customer/login'),
    doc: 'Page the magic link opens; Kasir appends ?tenant=<id>&token=<token> (the page posts them to /api/v1/auth/customer/verify-magic-link).',
    example: 'http://localhost:4104/customer/login',
  },
  POS_SMTP_HOST: { schema: z.string().optional(), doc: 'SMTP server for customer e-mail. Unset: messages go to the mail_outbox table and the log.', example: '' },
  POS_SMTP_PORT: { schema: int(587, 1, 65535), doc: 'SMTP port.', example: '587' },
  POS_SMTP_SECURE: { schema: bool(false), doc: 'true: TLS from the start (port 465). false: STARTTLS when the server offers it.', example: 'false' },
  POS_SMTP_USER: { schema: z.string().optional(), doc: 'SMTP user (unset: no authentication).', example: '' },
  POS_SMTP_PASS: { schema: z.string().optional(), doc: 'SMTP password.', example: '' },
  POS_SMTP_FROM: { schema: z.string().min(3).default('Kasir <no-reply@kasir.local>'), doc: 'From address of customer e-mail.', example: 'Kasir <no-reply@kasir.local>' },
  OTEL_EXPORTER_OTLP_ENDPOINT: { schema: optionalUrl(['http', 'https']), doc: 'OpenTelemetry OTLP/HTTP endpoint. Unset: tracing is off.', example: '' },
  POS_OTEL_SAMPLE_RATIO: {
    schema: z.string().default('0.1').transform((v, c) => {
      const n = Number(v);
      if (!(n >= 0 && n <= 1)) {
        c.addIssue({ code: 'custom', message: 'expected a number from 0 to 1' });
        return z.NEVER;
      }
      return n;
    }),
    doc: 'Share of requests traced when tracing is on.',
    example: '0.1',
  },
} as const;

type Spec = typeof configSpec;
export type Config = { [K in keyof Spec]: z.output<Spec[K]['schema']> };

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string; value: string | undefined }[]) {
    super(
      'Kasir cannot start, its configuration is invalid:\n' +
        problems.map((p) => `  ${p.variable}=${JSON.stringify(p.value ?? '')}: ${p.message}`).join('\n'),
    );
  }
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const out: Record<string, unknown> = {};
  const problems: ConfigError['problems'] = [];
  for (const [name, { schema }] of Object.entries(configSpec)) {
    const raw = env[name] === '' && name !== 'DATABASE_URL' ? undefined : env[name];
    const parsed = (schema as z.ZodType).safeParse(raw);
    if (parsed.success) out[name] = parsed.data;
    else problems.push({ variable: name, message: parsed.error.issues.map((i) => i.message).join('; '), value: raw });
  }
  if (problems.length === 0 && out.POS_AUTH_ENABLED === true && !out.POS_AUTH_JWKS_URL) {
    problems.push({ variable: 'POS_AUTH_JWKS_URL', message: 'required when POS_AUTH_ENABLED=true (an http(s) URL of the JWKS)', value: undefined });
  }
  if (problems.length === 0 && Boolean(out.POS_S3_ACCESS_KEY_ID) !== Boolean(out.POS_S3_SECRET_ACCESS_KEY)) {
    problems.push({ variable: out.POS_S3_ACCESS_KEY_ID ? 'POS_S3_SECRET_ACCESS_KEY' : 'POS_S3_ACCESS_KEY_ID', message: 'set POS_S3_ACCESS_KEY_ID and POS_S3_SECRET_ACCESS_KEY together', value: undefined });
  }
  if (problems.length === 0 && !out.POS_S3_BUCKET && (out.POS_S3_ENDPOINT || out.POS_S3_ACCESS_KEY_ID)) {
    problems.push({ variable: 'POS_S3_BUCKET', message: 'required when other POS_S3_* settings are set', value: undefined });
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return out as Config;
}
