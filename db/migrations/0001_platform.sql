-- Kasir platform: roles, row-level security helpers, tenants, outlets, terminals, roles, memberships, API keys,
-- idempotency keys, outbox and the job queue. Runs identically on PostgreSQL >= 15 and PGlite.

-- kasir_app: what every request runs as. Not a superuser, owns nothing: row-level security applies to it.
-- kasir_system: the relay and job worker, which work across tenants (purges, scans); reached only by
-- `SET LOCAL ROLE` inside Database.systemTransaction.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kasir_app') THEN
    CREATE ROLE kasir_app NOLOGIN NOSUPERUSER NOBYPASSRLS;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'kasir_system') THEN
    CREATE ROLE kasir_system NOLOGIN NOSUPERUSER NOBYPASSRLS;
  END IF;
END $$;

GRANT USAGE ON SCHEMA public TO kasir_app, kasir_system;

-- The tenant of the current transaction, or NULL when none is set (then tenant tables show no rows).
CREATE OR REPLACE FUNCTION kasir_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;

-- Puts a tenant table behind row-level security: kasir_app sees and writes only the current tenant's rows;
-- kasir_system sees all. FORCE makes the policies bind the table owner too.
CREATE OR REPLACE FUNCTION kasir_protect(tbl regclass) RETURNS void
  LANGUAGE plpgsql
  AS $$
BEGIN
  EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tbl);
  EXECUTE format('ALTER TABLE %s FORCE ROW LEVEL SECURITY', tbl);
  EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %s', tbl);
  EXECUTE format('CREATE POLICY tenant_isolation ON %s TO kasir_app USING (tenant_id = kasir_current_tenant()) WITH CHECK (tenant_id = kasir_current_tenant())', tbl);
  EXECUTE format('DROP POLICY IF EXISTS system_access ON %s', tbl);
  EXECUTE format('CREATE POLICY system_access ON %s TO kasir_system USING (true) WITH CHECK (true)', tbl);
END $$;

-- Tenants are the platform's registry of merchants, not tenant-owned data: no tenant_id column, no RLS.
-- The application reads a tenant only by the id its credentials carry; listing is for the platform operator.
CREATE TABLE tenants (
  id uuid PRIMARY KEY,
  slug text NOT NULL UNIQUE,
  name text NOT NULL,
  business_type text NOT NULL DEFAULT 'fnb' CHECK (business_type IN ('fnb', 'retail', 'service', 'other')),
  pos_mode text NOT NULL DEFAULT 'centralized' CHECK (pos_mode IN ('centralized', 'distributed', 'hybrid')),
  currency char(3) NOT NULL DEFAULT 'IDR',
  time_zone text NOT NULL DEFAULT 'Asia/Jakarta',
  tax_rounding_mode text NOT NULL DEFAULT 'half_up' CHECK (tax_rounding_mode IN ('half_up', 'half_even')),
  tax_rounding_level text NOT NULL DEFAULT 'line' CHECK (tax_rounding_level IN ('line', 'order')),
  prices_include_tax boolean NOT NULL DEFAULT false,
  cash_rounding_unit bigint NOT NULL DEFAULT 0 CHECK (cash_rounding_unit >= 0),
  status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
  suspended_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE outlets (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  code text NOT NULL,
  name text NOT NULL,
  address_line1 text,
  address_line2 text,
  city text,
  region text,
  postal_code text,
  country char(2),
  phone text,
  time_zone text NOT NULL,
  -- Minutes after local midnight at which the business day rolls over (e.g. 240 = 04:00).
  business_day_cutoff_minutes integer NOT NULL DEFAULT 0 CHECK (business_day_cutoff_minutes BETWEEN 0 AND 1439),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, code)
);
SELECT kasir_protect('outlets');

CREATE TABLE terminals (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  outlet_id uuid NOT NULL,
  code text NOT NULL,
  name text NOT NULL,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, code),
  FOREIGN KEY (tenant_id, outlet_id) REFERENCES outlets (tenant_id, id)
);
CREATE INDEX terminals_outlet_idx ON terminals (tenant_id, outlet_id);
SELECT kasir_protect('terminals');

CREATE TABLE roles (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  key text NOT NULL,
  name text NOT NULL,
  level integer NOT NULL CHECK (level BETWEEN 0 AND 1000),
  permissions text[] NOT NULL DEFAULT '{}',
  system boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, key)
);
SELECT kasir_protect('roles');

CREATE TABLE memberships (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  user_id uuid NOT NULL,
  role_id uuid NOT NULL,
  display_name text NOT NULL,
  email text,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, user_id),
  FOREIGN KEY (tenant_id, role_id) REFERENCES roles (tenant_id, id)
);
SELECT kasir_protect('memberships');

CREATE TABLE api_keys (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  name text NOT NULL,
  -- sha256 of the secret part; the secret itself is shown once at creation and never stored.
  secret_hash bytea NOT NULL,
  last4 text NOT NULL,
  permissions text[] NOT NULL,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  revoked_at timestamptz,
  last_used_at timestamptz,
  PRIMARY KEY (tenant_id, id)
);
SELECT kasir_protect('api_keys');

CREATE TABLE idempotency_keys (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  key text NOT NULL,
  -- Transport and operation the key was first used for, e.g. `POST /api/v1/outlets`.
  scope text NOT NULL,
  request_hash text NOT NULL,
  state text NOT NULL CHECK (state IN ('in_flight', 'done')),
  -- Whoever holds the current lease; only the holder may record the response (see platform/idempotency.ts).
  lock_token uuid NOT NULL,
  response_status integer,
  response_body text,
  locked_until timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, key)
);
CREATE INDEX idempotency_keys_expiry_idx ON idempotency_keys (expires_at);
SELECT kasir_protect('idempotency_keys');

-- Events written in the business transaction; the relay publishes them after commit.
CREATE TABLE outbox_events (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  type text NOT NULL,
  aggregate_type text NOT NULL,
  aggregate_id text NOT NULL,
  payload jsonb NOT NULL,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  published_at timestamptz,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX outbox_events_unpublished_idx ON outbox_events (id) WHERE published_at IS NULL;
SELECT kasir_protect('outbox_events');

-- The job queue. tenant_id is nullable: platform jobs (purges, schedules) belong to no tenant.
CREATE TABLE jobs (
  id uuid PRIMARY KEY,
  tenant_id uuid REFERENCES tenants (id),
  queue text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}',
  -- A singleton key makes enqueueing idempotent: a second job with the same key while one is pending is dropped.
  singleton_key text,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'running', 'done', 'failed')),
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL DEFAULT 5,
  run_at timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE INDEX jobs_ready_idx ON jobs (queue, run_at) WHERE state IN ('pending', 'running');
CREATE UNIQUE INDEX jobs_singleton_idx ON jobs (queue, singleton_key) WHERE singleton_key IS NOT NULL AND state IN ('pending', 'running');
-- Jobs are reached only by the worker (kasir_system); requests enqueue through kasir_app with their own tenant.
ALTER TABLE jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE jobs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_enqueue ON jobs TO kasir_app USING (tenant_id = kasir_current_tenant()) WITH CHECK (tenant_id = kasir_current_tenant());
CREATE POLICY system_access ON jobs TO kasir_system USING (true) WITH CHECK (true);
