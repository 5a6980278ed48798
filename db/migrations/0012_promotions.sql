-- Promotions and coupons (issue 7): automatic promotions with their scope, conditions and stacking rules;
-- coupon codes with limits and their redemptions (reserved at finalize, confirmed at completion, released on
-- void); the promotions applied to each order line; per-role limits of manual discounts.

-- A promotion. Lists (scope, outlets, channels, groups, weekdays) are jsonb arrays: the engine reads them whole
-- and no query filters on them. usage_count counts orders that hold the promotion (reserved or completed).
CREATE TABLE promotions (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 120),
  description text,
  kind text NOT NULL CHECK (kind IN ('percentage', 'fixed_amount', 'fixed_price', 'buy_x_get_y', 'bundle_price', 'order_discount')),
  priority integer NOT NULL DEFAULT 0,
  exclusive boolean NOT NULL DEFAULT false,
  rate_bp integer CHECK (rate_bp BETWEEN 0 AND 10000),
  amount bigint CHECK (amount >= 0),
  -- {product_ids, variant_ids, category_ids}; all empty = the whole order.
  scope jsonb NOT NULL DEFAULT '{}',
  buy_quantity integer CHECK (buy_quantity >= 1),
  get_quantity integer CHECK (get_quantity >= 1),
  get_scope jsonb,
  -- bundle_price: [{scope, quantity}].
  bundle jsonb NOT NULL DEFAULT '[]',
  min_subtotal bigint NOT NULL DEFAULT 0 CHECK (min_subtotal >= 0),
  outlet_ids jsonb NOT NULL DEFAULT '[]',
  channels jsonb NOT NULL DEFAULT '[]',
  order_types jsonb NOT NULL DEFAULT '[]',
  customer_group_ids jsonb NOT NULL DEFAULT '[]',
  starts_at timestamptz,
  ends_at timestamptz,
  days_of_week jsonb NOT NULL DEFAULT '[]',
  -- Minutes after local midnight at the outlet, [start, end); end < start wraps past midnight.
  start_minute integer CHECK (start_minute BETWEEN 0 AND 1439),
  end_minute integer CHECK (end_minute BETWEEN 0 AND 1440),
  coupon_only boolean NOT NULL DEFAULT false,
  usage_limit integer CHECK (usage_limit >= 1),
  usage_count integer NOT NULL DEFAULT 0 CHECK (usage_count >= 0),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CHECK (ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at),
  CHECK (usage_limit IS NULL OR usage_count <= usage_limit)
);
CREATE INDEX promotions_active_idx ON promotions (tenant_id, id) WHERE active;
SELECT kasir_protect('promotions');

-- One row per tenant that has promotions: version is bumped by every change a register's cached copy of the
-- active promotions must see (a promotion written, one running out of uses or getting a use back).
CREATE TABLE promotion_state (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  version bigint NOT NULL DEFAULT 1,
  PRIMARY KEY (tenant_id)
);
SELECT kasir_protect('promotion_state');

-- Coupon codes, stored normalised (upper case, trimmed): matching is case-insensitive. redeemed_count counts
-- reserved and confirmed redemptions; the guarded UPDATE that raises it never passes max_redemptions.
CREATE TABLE coupons (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  promotion_id uuid NOT NULL,
  code text NOT NULL CHECK (code = upper(code) AND char_length(code) BETWEEN 3 AND 40),
  batch_id uuid,
  max_redemptions integer CHECK (max_redemptions >= 1),
  per_customer_limit integer CHECK (per_customer_limit >= 1),
  first_order_only boolean NOT NULL DEFAULT false,
  starts_at timestamptz,
  expires_at timestamptz,
  redeemed_count integer NOT NULL DEFAULT 0 CHECK (redeemed_count >= 0),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, code),
  FOREIGN KEY (tenant_id, promotion_id) REFERENCES promotions (tenant_id, id),
  CHECK (max_redemptions IS NULL OR redeemed_count <= max_redemptions),
  CHECK (expires_at IS NULL OR starts_at IS NULL OR expires_at > starts_at)
);
CREATE INDEX coupons_promotion_idx ON coupons (tenant_id, promotion_id, id);
SELECT kasir_protect('coupons');

-- A coupon used by an order. RESERVED at finalize, CONFIRMED at completion (or at once by a one-request
-- checkout), RELEASED when the order is voided (the coupon's count is given back).
CREATE TABLE coupon_redemptions (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  coupon_id uuid NOT NULL,
  order_id uuid NOT NULL,
  customer_id uuid,
  status text NOT NULL CHECK (status IN ('RESERVED', 'CONFIRMED', 'RELEASED')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, coupon_id, order_id),
  FOREIGN KEY (tenant_id, coupon_id) REFERENCES coupons (tenant_id, id)
);
CREATE INDEX coupon_redemptions_order_idx ON coupon_redemptions (tenant_id, order_id);
CREATE INDEX coupon_redemptions_customer_idx ON coupon_redemptions (tenant_id, coupon_id, customer_id) WHERE customer_id IS NOT NULL;
SELECT kasir_protect('coupon_redemptions');

-- Coupon codes a DRAFT order was given, applied when it is finalized.
CREATE TABLE order_coupons (
  tenant_id uuid NOT NULL,
  order_id uuid NOT NULL,
  code text NOT NULL,
  PRIMARY KEY (tenant_id, order_id, code),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id)
);
SELECT kasir_protect('order_coupons');

-- What each promotion took off each line of a finalized or checked-out order. No foreign key to the line: a
-- one-request checkout writes these in the statement that reserves the coupons, before the lines exist.
CREATE TABLE order_item_promotions (
  tenant_id uuid NOT NULL,
  order_id uuid NOT NULL,
  order_item_id uuid NOT NULL,
  promotion_id uuid NOT NULL,
  coupon_id uuid,
  name text NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, order_item_id, promotion_id),
  FOREIGN KEY (tenant_id, promotion_id) REFERENCES promotions (tenant_id, id)
);
CREATE INDEX order_item_promotions_order_idx ON order_item_promotions (tenant_id, order_id);
CREATE INDEX order_item_promotions_promotion_idx ON order_item_promotions (tenant_id, promotion_id);
SELECT kasir_protect('order_item_promotions');

-- Manual discounts: the most a role may give without a manager's override (NULL = no limit of that kind).
CREATE TABLE discount_limits (
  tenant_id uuid NOT NULL,
  role_key text NOT NULL,
  max_rate_bp integer CHECK (max_rate_bp BETWEEN 0 AND 10000),
  max_amount bigint CHECK (max_amount >= 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, role_key)
);
SELECT kasir_protect('discount_limits');

-- A manual discount above the giver's role limit, let through by pos:sale:discount:override: who approved it.
CREATE TABLE discount_approvals (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  order_id uuid NOT NULL,
  -- The request field the discount came in (discount, items.2.discount).
  field text NOT NULL,
  discount_type text NOT NULL CHECK (discount_type IN ('percentage', 'fixed')),
  discount_value bigint NOT NULL,
  role_key text NOT NULL,
  approved_by uuid,
  approved_by_kind text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX discount_approvals_order_idx ON discount_approvals (tenant_id, order_id);
SELECT kasir_protect('discount_approvals');
