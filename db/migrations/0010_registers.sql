-- Registers and people: cash-drawer sessions with their ledger and Z reports, per-tenant register settings,
-- staff profiles (PINs, outlets) and the one-time staff tokens (PIN switch, manager override).
-- Money is bigint minor units; amounts in the ledger are signed (what went into (+) or out of (-) the drawer,
-- or for non-cash tenders what the session took (+) or gave back (-)).

-- Per-tenant settings of registers and staff, defaulted when the row is absent.
CREATE TABLE register_settings (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  -- Refuse payments, completions and cash refunds on a terminal with no open cash session.
  require_open_session boolean NOT NULL DEFAULT false,
  -- A close whose |variance| is above this needs pos:session:reconcile (else it waits in RECONCILING).
  variance_approval_threshold bigint NOT NULL DEFAULT 0 CHECK (variance_approval_threshold >= 0),
  -- Sessions still OPEN past their outlet's business-day cut-off are closed by the auto-close job, flagged.
  auto_close boolean NOT NULL DEFAULT true,
  pin_max_failures integer NOT NULL DEFAULT 5 CHECK (pin_max_failures BETWEEN 1 AND 20),
  pin_lockout_minutes integer NOT NULL DEFAULT 15 CHECK (pin_lockout_minutes BETWEEN 1 AND 1440),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id)
);
SELECT kasir_protect('register_settings');

-- A cash-drawer session on a terminal: OPEN (sales feed it) -> CLOSED, or -> RECONCILING when the variance
-- is above the tenant's threshold and the closer may not approve it, then -> CLOSED on approval.
CREATE TABLE cash_sessions (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  terminal_id uuid NOT NULL,
  outlet_id uuid NOT NULL,
  -- Per terminal, 1, 2, 3 ... (the seed's sessionNumber is "<terminal code>-<seq>").
  seq integer NOT NULL CHECK (seq > 0),
  status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'RECONCILING', 'CLOSED')),
  currency char(3) NOT NULL,
  opened_by uuid,
  opened_at timestamptz NOT NULL DEFAULT now(),
  opening_float bigint NOT NULL CHECK (opening_float >= 0),
  -- {"100000": 3, "50000": 2, ...}: denomination in minor units -> count, when counted by denomination.
  opening_count jsonb,
  -- The session whose counted cash this one took over (handover), if any.
  handover_from uuid,
  -- Running cash that should be in the drawer: float + every cash ledger entry. Moved only by guarded
  -- UPDATE ... WHERE status = 'OPEN', which also serializes sales against the close (FOR UPDATE).
  expected_cash bigint NOT NULL,
  blind boolean NOT NULL DEFAULT false,
  closed_by uuid,
  closed_at timestamptz,
  counted_cash bigint CHECK (counted_cash >= 0),
  closing_count jsonb,
  -- counted - expected: negative is a shortage, positive an overage. Never forced to zero.
  variance bigint,
  close_note text,
  approved_by uuid,
  approved_at timestamptz,
  -- Closed by the auto-close job (not counted): needs a person to look at it.
  auto_closed boolean NOT NULL DEFAULT false,
  needs_review boolean NOT NULL DEFAULT false,
  -- The Z report: an immutable snapshot taken in the closing transaction.
  z_report jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, terminal_id, seq),
  FOREIGN KEY (tenant_id, terminal_id) REFERENCES terminals (tenant_id, id),
  FOREIGN KEY (tenant_id, outlet_id) REFERENCES outlets (tenant_id, id),
  FOREIGN KEY (tenant_id, handover_from) REFERENCES cash_sessions (tenant_id, id),
  CHECK ((status = 'OPEN') = (closed_at IS NULL)),
  CHECK (status = 'OPEN' OR (variance IS NOT NULL AND z_report IS NOT NULL))
);
-- One open session per terminal: the schema's own guarantee.
CREATE UNIQUE INDEX cash_sessions_open_idx ON cash_sessions (tenant_id, terminal_id) WHERE status = 'OPEN';
CREATE INDEX cash_sessions_status_idx ON cash_sessions (tenant_id, status, id);
CREATE INDEX cash_sessions_terminal_idx ON cash_sessions (tenant_id, terminal_id, id);
-- A closed session's counted cash is handed over once.
CREATE UNIQUE INDEX cash_sessions_handover_idx ON cash_sessions (tenant_id, handover_from) WHERE handover_from IS NOT NULL;
SELECT kasir_protect('cash_sessions');

-- The session ledger: every movement of money through the session, append-only.
--   FLOAT (the opening float, cash), PAY_IN, PAY_OUT, NO_SALE (amount 0), PAYMENT (a captured tender; cash net
--   of change), PAYMENT_VOID (negative), REFUND (a refund tender paid out, negative), SALE (an order completed
--   here: amount is its total, tender_type NULL; the Z report joins it to orders for tax and discounts).
CREATE TABLE cash_session_entries (
  tenant_id uuid NOT NULL,
  session_id uuid NOT NULL,
  id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('FLOAT', 'PAY_IN', 'PAY_OUT', 'NO_SALE', 'PAYMENT', 'PAYMENT_VOID', 'REFUND', 'SALE')),
  tender_type text,
  amount bigint NOT NULL,
  -- Cash payments: the change handed back (already netted out of amount).
  change bigint,
  order_id uuid,
  payment_id uuid,
  refund_id uuid,
  reason text,
  -- A pay-out larger than the cash in the drawer, let through by a manager: for review.
  flagged boolean NOT NULL DEFAULT false,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, session_id, id),
  FOREIGN KEY (tenant_id, session_id) REFERENCES cash_sessions (tenant_id, id),
  CHECK (kind NOT IN ('PAY_IN', 'PAY_OUT', 'NO_SALE') OR reason IS NOT NULL)
);
SELECT kasir_protect('cash_session_entries');

-- Staff profile of a membership: PIN (scrypt), lockout, the outlets the person may work at.
CREATE TABLE staff_profiles (
  tenant_id uuid NOT NULL,
  membership_id uuid NOT NULL,
  -- scrypt$N$r$p$<salt b64>$<hash b64>; NULL until a PIN is set.
  pin_hash text,
  pin_set_at timestamptz,
  pin_failures integer NOT NULL DEFAULT 0 CHECK (pin_failures >= 0),
  locked_until timestamptz,
  -- Empty: every outlet.
  outlet_ids uuid[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, membership_id),
  FOREIGN KEY (tenant_id, membership_id) REFERENCES memberships (tenant_id, id)
);
SELECT kasir_protect('staff_profiles');

-- One-time, short-lived tokens issued after a PIN check: 'switch' (a cashier on a shared register) and
-- 'override' (a manager lends one permission to one request). Only the sha256 of the token is kept.
CREATE TABLE staff_tokens (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('switch', 'override')),
  token_hash bytea NOT NULL,
  membership_id uuid NOT NULL,
  permission text,
  action text,
  requested_by uuid,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  used_by uuid,
  used_request text,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, membership_id) REFERENCES memberships (tenant_id, id),
  CHECK (kind <> 'override' OR permission IS NOT NULL)
);
CREATE UNIQUE INDEX staff_tokens_hash_idx ON staff_tokens (tenant_id, token_hash);
SELECT kasir_protect('staff_tokens');

-- Licensing: the plan the platform operator set for a tenant. No row: unlimited. NULL limit: unlimited.
CREATE TABLE license_plans (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  plan text NOT NULL,
  max_outlets integer CHECK (max_outlets >= 0),
  max_terminals integer CHECK (max_terminals >= 0),
  max_devices integer CHECK (max_devices >= 0),
  features text[] NOT NULL DEFAULT '{}',
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id)
);
SELECT kasir_protect('license_plans');

-- Devices paired to a terminal. The credential is an API key (api_keys) made at pairing; revoking the device
-- revokes the key, which every node refuses at once. last seen is the key's last_used_at.
CREATE TABLE devices (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  terminal_id uuid NOT NULL,
  name text NOT NULL,
  platform text,
  api_key_id uuid NOT NULL,
  status text NOT NULL DEFAULT 'ACTIVE' CHECK (status IN ('ACTIVE', 'REVOKED')),
  paired_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  revoked_by uuid,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, terminal_id) REFERENCES terminals (tenant_id, id),
  FOREIGN KEY (tenant_id, api_key_id) REFERENCES api_keys (tenant_id, id)
);
CREATE INDEX devices_terminal_idx ON devices (tenant_id, terminal_id);
SELECT kasir_protect('devices');

-- Short-lived one-time pairing codes; only their sha256 is kept. Unique across tenants: the device that types
-- one has no credentials yet, so the code alone names the tenant.
CREATE TABLE device_pairing_codes (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  terminal_id uuid NOT NULL,
  code_hash bytea NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  device_id uuid,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, terminal_id) REFERENCES terminals (tenant_id, id)
);
CREATE UNIQUE INDEX device_pairing_codes_hash_idx ON device_pairing_codes (code_hash);
SELECT kasir_protect('device_pairing_codes');

-- Shifts (timecards): clock in/out at an outlet, breaks, one open shift per person. business_date is the
-- outlet's business day at clock-in (time zone and cut-off); the auto clock-out job ends shifts left open
-- past that day's cut-off at the cut-off itself, flagged for review.
CREATE TABLE shifts (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  membership_id uuid NOT NULL,
  outlet_id uuid NOT NULL,
  terminal_id uuid,
  status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'CLOSED')),
  business_date date NOT NULL,
  clock_in_at timestamptz NOT NULL DEFAULT now(),
  clock_out_at timestamptz,
  auto_clocked_out boolean NOT NULL DEFAULT false,
  needs_review boolean NOT NULL DEFAULT false,
  note text,
  created_by uuid,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, membership_id) REFERENCES memberships (tenant_id, id),
  FOREIGN KEY (tenant_id, outlet_id) REFERENCES outlets (tenant_id, id),
  FOREIGN KEY (tenant_id, terminal_id) REFERENCES terminals (tenant_id, id),
  CHECK ((status = 'OPEN') = (clock_out_at IS NULL)),
  CHECK (clock_out_at IS NULL OR clock_out_at >= clock_in_at)
);
CREATE UNIQUE INDEX shifts_open_idx ON shifts (tenant_id, membership_id) WHERE status = 'OPEN';
CREATE INDEX shifts_day_idx ON shifts (tenant_id, business_date, membership_id);
SELECT kasir_protect('shifts');

CREATE TABLE shift_breaks (
  tenant_id uuid NOT NULL,
  shift_id uuid NOT NULL,
  id uuid NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz,
  PRIMARY KEY (tenant_id, shift_id, id),
  FOREIGN KEY (tenant_id, shift_id) REFERENCES shifts (tenant_id, id),
  CHECK (ended_at IS NULL OR ended_at >= started_at)
);
-- One break at a time.
CREATE UNIQUE INDEX shift_breaks_open_idx ON shift_breaks (tenant_id, shift_id) WHERE ended_at IS NULL;
SELECT kasir_protect('shift_breaks');

-- Commission rules: for a staff member or a role (or everyone), on a product or a category (or everything);
-- a percentage (basis points) of the line's net sales after discounts and before tax, or a fixed amount per
-- item. The most specific rule matching a line wins (staff over role over anyone, then product over category
-- over everything).
CREATE TABLE commission_rules (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  name text NOT NULL,
  membership_id uuid,
  role_id uuid,
  product_id uuid,
  category_id uuid,
  kind text NOT NULL CHECK (kind IN ('percentage', 'fixed_per_item')),
  rate_bps integer CHECK (rate_bps BETWEEN 0 AND 10000),
  amount bigint CHECK (amount >= 0),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, membership_id) REFERENCES memberships (tenant_id, id),
  FOREIGN KEY (tenant_id, role_id) REFERENCES roles (tenant_id, id),
  FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id),
  FOREIGN KEY (tenant_id, category_id) REFERENCES categories (tenant_id, id),
  CHECK (membership_id IS NULL OR role_id IS NULL),
  CHECK (product_id IS NULL OR category_id IS NULL),
  CHECK ((kind = 'percentage') = (rate_bps IS NOT NULL) AND (kind = 'fixed_per_item') = (amount IS NOT NULL))
);
SELECT kasir_protect('commission_rules');

-- Commissions earned per sale line (EARNED, positive) and taken back by refunds (REVERSED, negative).
CREATE TABLE commissions (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  membership_id uuid NOT NULL,
  order_id uuid NOT NULL,
  order_item_id uuid NOT NULL,
  rule_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('EARNED', 'REVERSED')),
  base bigint NOT NULL,
  amount bigint NOT NULL CHECK ((kind = 'EARNED') = (amount >= 0)),
  refund_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
  FOREIGN KEY (tenant_id, rule_id) REFERENCES commission_rules (tenant_id, id)
);
CREATE INDEX commissions_staff_idx ON commissions (tenant_id, membership_id, created_at);
CREATE INDEX commissions_order_idx ON commissions (tenant_id, order_id);
SELECT kasir_protect('commissions');
