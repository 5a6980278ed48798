-- Customers and loyalty (issue 7): profiles and groups, the tenant's customer/loyalty settings, one ledger of
-- loyalty points and store credit whose balances are held on the customer row, passwordless customer login
-- (hashed single-use codes), mail that could not be sent, and Kasir's own token signing keys.

-- Customer profiles. e-mail is stored lower-cased, phone in E.164; both unique per tenant among live
-- customers (a merged or archived customer frees them). Balances are sums of the ledger below, kept here so a
-- redemption is one guarded UPDATE (CHECK >= 0 is the last wall: never below zero).
CREATE TABLE customers (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  email text CHECK (email = lower(email)),
  phone text CHECK (phone ~ '^\+[1-9][0-9]{6,14}$'),
  birthday date,
  tags text[] NOT NULL DEFAULT '{}',
  notes text CHECK (char_length(notes) <= 2000),
  marketing_consent boolean NOT NULL DEFAULT false,
  points_balance bigint NOT NULL DEFAULT 0 CHECK (points_balance >= 0),
  credit_balance bigint NOT NULL DEFAULT 0 CHECK (credit_balance >= 0),
  -- Completed orders and what they came to (less refunds), for lifetime value, tiers and "first order".
  orders_count integer NOT NULL DEFAULT 0 CHECK (orders_count >= 0),
  lifetime_spend bigint NOT NULL DEFAULT 0,
  last_order_at timestamptz,
  merged_into uuid,
  archived_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX customers_email_idx ON customers (tenant_id, email) WHERE email IS NOT NULL AND archived_at IS NULL;
CREATE UNIQUE INDEX customers_phone_idx ON customers (tenant_id, phone) WHERE phone IS NOT NULL AND archived_at IS NULL;
CREATE INDEX customers_name_trgm_idx ON customers USING gin (tenant_id, lower(name) gin_trgm_ops);
SELECT kasir_protect('customers');

CREATE TABLE customer_groups (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
  description text CHECK (char_length(description) <= 500),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX customer_groups_name_idx ON customer_groups (tenant_id, lower(name));
SELECT kasir_protect('customer_groups');

CREATE TABLE customer_group_members (
  tenant_id uuid NOT NULL,
  customer_id uuid NOT NULL,
  group_id uuid NOT NULL,
  PRIMARY KEY (tenant_id, customer_id, group_id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id),
  FOREIGN KEY (tenant_id, group_id) REFERENCES customer_groups (tenant_id, id)
);
CREATE INDEX customer_group_members_group_idx ON customer_group_members (tenant_id, group_id);
SELECT kasir_protect('customer_group_members');

-- The tenant's customer and loyalty settings; absent = the defaults (loyalty off, phones in Indonesia).
-- Earning: floor(spend * earn_points / earn_per_amount) + points_per_visit + item rules, times the tier's
-- multiplier (percent). A point is worth point_value minor units when redeemed.
CREATE TABLE customer_settings (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  phone_country char(2) NOT NULL DEFAULT 'ID',
  loyalty_enabled boolean NOT NULL DEFAULT false,
  earn_per_amount bigint NOT NULL DEFAULT 10000 CHECK (earn_per_amount > 0),
  earn_points integer NOT NULL DEFAULT 1 CHECK (earn_points >= 0),
  points_per_visit integer NOT NULL DEFAULT 0 CHECK (points_per_visit >= 0),
  -- [{"product_id"|"category_id": uuid, "points": n}] points per unit sold
  item_rules jsonb NOT NULL DEFAULT '[]',
  -- [{"name": text, "threshold": minor units of lifetime spend, "multiplier_percent": n}]
  tiers jsonb NOT NULL DEFAULT '[]',
  point_value bigint NOT NULL DEFAULT 100 CHECK (point_value > 0),
  points_expire_days integer CHECK (points_expire_days > 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id)
);
SELECT kasir_protect('customer_settings');

-- The ledger of points and store credit. A customer's balance of an account is the sum of its entries,
-- always. `reference` makes a retried write a no-op (earn:<order>, redeem:<payment>, key:<idempotency key>…).
-- Points are spent oldest-expiring first: positive point entries keep what is left of them (`remaining`),
-- and the expiry job takes only what is left.
CREATE TABLE loyalty_entries (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  customer_id uuid NOT NULL,
  account text NOT NULL CHECK (account IN ('points', 'credit')),
  kind text NOT NULL CHECK (kind IN ('earn', 'reverse', 'redeem', 'return', 'adjust', 'expire', 'issue')),
  amount bigint NOT NULL,
  remaining bigint NOT NULL DEFAULT 0 CHECK (remaining >= 0 AND (remaining = 0 OR remaining <= amount)),
  expires_at timestamptz,
  -- The money the entry concerns: the spend an earn was for, the payment a redemption paid, a refund's amount.
  money bigint,
  order_id uuid,
  payment_id uuid,
  refund_id uuid,
  reference text NOT NULL,
  note text CHECK (char_length(note) <= 500),
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id)
);
CREATE UNIQUE INDEX loyalty_entries_reference_idx ON loyalty_entries (tenant_id, account, reference);
CREATE INDEX loyalty_entries_customer_idx ON loyalty_entries (tenant_id, customer_id, account, id);
CREATE INDEX loyalty_entries_open_idx ON loyalty_entries (tenant_id, customer_id, expires_at) WHERE remaining > 0;
CREATE INDEX loyalty_entries_order_idx ON loyalty_entries (tenant_id, order_id) WHERE order_id IS NOT NULL;
SELECT kasir_protect('loyalty_entries');

-- Passwordless login: a magic link or a one-time code sent by e-mail, stored as a SHA-256 digest, single use,
-- short-lived; an OTP is locked after too many wrong tries.
CREATE TABLE customer_login_codes (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  email text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('link', 'otp')),
  secret_hash text NOT NULL,
  attempts integer NOT NULL DEFAULT 0,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX customer_login_codes_secret_idx ON customer_login_codes (tenant_id, secret_hash);
CREATE INDEX customer_login_codes_email_idx ON customer_login_codes (tenant_id, email, kind, created_at);
SELECT kasir_protect('customer_login_codes');

-- Mail Kasir could not hand to an SMTP server because none is configured: a developer reads it here.
CREATE TABLE mail_outbox (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  recipient text NOT NULL,
  subject text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
SELECT kasir_protect('mail_outbox');

-- Kasir's own Ed25519 signing keys (for customer tokens), one deployment-wide; the newest signs, all verify.
CREATE TABLE signing_keys (
  kid text PRIMARY KEY,
  private_jwk jsonb NOT NULL,
  public_jwk jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
