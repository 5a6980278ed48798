-- Kasir's own job queue and outbox relay (src/platform/jobs.ts, src/platform/outbox.ts). Runs identically on
-- PostgreSQL >= 15 and PGlite.

-- A singleton key is per tenant: tenant A's pending "recount" must not swallow tenant B's, nor reveal that it
-- exists. Platform jobs (tenant_id NULL) share one namespace, hence NULLS NOT DISTINCT (PostgreSQL 15+).
DROP INDEX jobs_singleton_idx;
CREATE UNIQUE INDEX jobs_singleton_idx ON jobs (queue, tenant_id, singleton_key) NULLS NOT DISTINCT
  WHERE singleton_key IS NOT NULL AND state IN ('pending', 'running');

-- Finished jobs are kept for a while for inspection, then purged by the worker's maintenance job.
CREATE INDEX jobs_finished_idx ON jobs (finished_at) WHERE state IN ('done', 'failed');

-- Recurring schedules: one row per schedule name. Every worker registers its schedules (an upsert), and the
-- one that locks a due row first enqueues the run and moves next_run_at on, so N workers never multiply runs.
-- Platform-level (no tenant): only kasir_system may see it.
CREATE TABLE job_schedules (
  name text PRIMARY KEY,
  queue text NOT NULL,
  payload jsonb NOT NULL DEFAULT '{}',
  every_ms bigint NOT NULL CHECK (every_ms > 0),
  next_run_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE job_schedules ENABLE ROW LEVEL SECURITY;
ALTER TABLE job_schedules FORCE ROW LEVEL SECURITY;
CREATE POLICY system_access ON job_schedules TO kasir_system USING (true) WITH CHECK (true);

-- Relay bookkeeping: a subscriber that keeps failing on an event is retried with backoff; after the relay's
-- limit the event is set aside (published_at set, last_error kept) so one bad event cannot stall every tenant.
ALTER TABLE outbox_events ADD COLUMN attempts integer NOT NULL DEFAULT 0;
ALTER TABLE outbox_events ADD COLUMN last_error text;
