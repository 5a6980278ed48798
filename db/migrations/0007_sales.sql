-- Sales: orders and their lines, payments (tenders), refunds with their lines and tenders, and the gap-free
-- receipt counters. Money is bigint minor units beside a currency; quantities are numeric (3 decimals, for
-- weighed goods). Every key starts with tenant_id and every foreign key includes it.

-- Orders. Lifecycle (src/modules/sales/order-state.ts): DRAFT -> OPEN -> COMPLETED, DRAFT|OPEN -> VOIDED.
-- Totals are the pricing engine's figures: live while DRAFT, snapshotted at finalize.
CREATE TABLE orders (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  outlet_id uuid NOT NULL,
  terminal_id uuid,
  -- The membership that rang the sale up. No foreign key: development headers may name a membership that
  -- does not exist (seed 000's quick start), and an order must outlive a removed membership anyway.
  cashier_membership_id uuid,
  -- Customers and tables belong to modules that do not exist yet; their foreign keys come with them.
  customer_id uuid,
  table_id uuid,
  order_type text NOT NULL DEFAULT 'takeaway' CHECK (order_type IN ('dine_in', 'takeaway', 'delivery', 'kiosk', 'online', 'bar_tab')),
  channel text NOT NULL DEFAULT 'pos' CHECK (channel IN ('pos', 'kiosk', 'qr', 'web', 'app', 'api', 'integration')),
  notes text,
  -- A register's own UUID for an order created offline: replaying the sync finds the order instead of a twin.
  client_id uuid,
  status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'OPEN', 'COMPLETED', 'VOIDED')),
  payment_status text NOT NULL DEFAULT 'UNPAID' CHECK (payment_status IN ('UNPAID', 'PARTIALLY_PAID', 'PAID', 'PARTIALLY_REFUNDED', 'REFUNDED')),
  -- Optimistic concurrency: every change bumps it; a change naming a stale expected_version is refused.
  version integer NOT NULL DEFAULT 1,
  currency char(3) NOT NULL,
  -- The order-level discount as asked for (percentage in basis points, or fixed minor units).
  discount_type text CHECK (discount_type IN ('percentage', 'fixed')),
  discount_value bigint CHECK (discount_value >= 0),
  discount_reason text,
  subtotal bigint NOT NULL DEFAULT 0,
  discount_total bigint NOT NULL DEFAULT 0,
  service_charge_total bigint NOT NULL DEFAULT 0,
  tax_total bigint NOT NULL DEFAULT 0,
  tip_total bigint NOT NULL DEFAULT 0,
  rounding_adjustment bigint NOT NULL DEFAULT 0,
  total bigint NOT NULL DEFAULT 0,
  -- What captured payments applied to the order (change given back is not in it), and what was refunded.
  paid_total bigint NOT NULL DEFAULT 0 CHECK (paid_total >= 0),
  change_total bigint NOT NULL DEFAULT 0 CHECK (change_total >= 0),
  refunded_total bigint NOT NULL DEFAULT 0 CHECK (refunded_total >= 0 AND refunded_total <= paid_total),
  -- The engine's whole breakdown (tax lines, service charges, rounding) at finalize, for receipts.
  pricing jsonb,
  receipt_number text,
  receipt_seq bigint,
  -- The outlet's business day (its time zone and cut-off): of creation, then of completion.
  business_date date NOT NULL,
  void_reason text,
  voided_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  finalized_at timestamptz,
  completed_at timestamptz,
  voided_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, outlet_id) REFERENCES outlets (tenant_id, id),
  FOREIGN KEY (tenant_id, terminal_id) REFERENCES terminals (tenant_id, id),
  CHECK ((status = 'COMPLETED') = (receipt_number IS NOT NULL)),
  CHECK (status <> 'VOIDED' OR void_reason IS NOT NULL)
);
CREATE UNIQUE INDEX orders_client_idx ON orders (tenant_id, client_id) WHERE client_id IS NOT NULL;
-- The receipt counter makes numbers unique; this is the schema's own guarantee of it.
CREATE UNIQUE INDEX orders_receipt_seq_idx ON orders (tenant_id, outlet_id, receipt_seq) WHERE receipt_seq IS NOT NULL;
CREATE INDEX orders_receipt_number_idx ON orders (tenant_id, receipt_number) WHERE receipt_number IS NOT NULL;
CREATE INDEX orders_outlet_day_idx ON orders (tenant_id, outlet_id, business_date, id);
CREATE INDEX orders_customer_idx ON orders (tenant_id, customer_id, id) WHERE customer_id IS NOT NULL;
CREATE INDEX orders_cashier_idx ON orders (tenant_id, cashier_membership_id, id);
SELECT kasir_protect('orders');

-- Order lines. While DRAFT they hold what the cashier chose; finalize snapshots names, SKU, prices,
-- modifiers, taxes and discounts into them, so later catalog changes never alter a sale.
CREATE TABLE order_items (
  tenant_id uuid NOT NULL,
  order_id uuid NOT NULL,
  id uuid NOT NULL,
  line_no integer NOT NULL,
  product_id uuid NOT NULL,
  variant_id uuid NOT NULL,
  quantity numeric(14, 3) NOT NULL CHECK (quantity > 0),
  -- Modifier selection: [{modifier_id, group_id, quantity}] while DRAFT; at finalize also names and prices.
  modifiers jsonb NOT NULL DEFAULT '[]',
  -- Per-line discount as asked for (percentage in basis points, or fixed minor units for the line).
  discount_type text CHECK (discount_type IN ('percentage', 'fixed')),
  discount_value bigint CHECK (discount_value >= 0),
  discount_reason text,
  seat integer CHECK (seat >= 0),
  notes text,
  -- Snapshot (set at finalize; live values while DRAFT).
  name text NOT NULL,
  variant_name text NOT NULL,
  sku text,
  tax_category_id uuid,
  track_stock boolean NOT NULL DEFAULT true,
  unit_price bigint NOT NULL DEFAULT 0,
  price_book_id uuid,
  subtotal bigint NOT NULL DEFAULT 0,
  discount_total bigint NOT NULL DEFAULT 0,
  tax_total bigint NOT NULL DEFAULT 0,
  total bigint NOT NULL DEFAULT 0,
  taxes jsonb NOT NULL DEFAULT '[]',
  discounts jsonb NOT NULL DEFAULT '[]',
  -- Refund guards: updated with a conditional UPDATE so concurrent refunds can never exceed the line.
  refunded_quantity numeric(14, 3) NOT NULL DEFAULT 0 CHECK (refunded_quantity >= 0 AND refunded_quantity <= quantity),
  refunded_amount bigint NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, order_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
  FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id),
  FOREIGN KEY (tenant_id, variant_id) REFERENCES variants (tenant_id, id)
);
CREATE INDEX order_items_variant_idx ON order_items (tenant_id, variant_id);
SELECT kasir_protect('order_items');

-- Payments (tenders). amount is what the payment applies to the order; for cash, tendered is what the
-- customer handed over and change = tendered - amount. Card data: reference, last four and brand only —
-- never a full card number (the CHECK refuses anything but four digits).
CREATE TABLE payments (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  order_id uuid NOT NULL,
  tender_type text NOT NULL CHECK (tender_type IN ('CASH', 'CARD', 'EXTERNAL', 'STORE_CREDIT', 'LOYALTY_POINTS')),
  status text NOT NULL CHECK (status IN ('PENDING', 'AUTHORIZED', 'CAPTURED', 'FAILED', 'VOIDED')),
  currency char(3) NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  tendered bigint CHECK (tendered >= amount),
  change bigint CHECK (change >= 0),
  refunded_amount bigint NOT NULL DEFAULT 0 CHECK (refunded_amount >= 0 AND refunded_amount <= amount),
  card_brand text,
  card_last4 text CHECK (card_last4 ~ '^[0-9]{4}$'),
  card_reference text,
  provider text,
  provider_reference text,
  failure_reason text,
  -- Each payment's own key: a retried payment with the same key finds this row instead of charging twice.
  idempotency_key text NOT NULL,
  request_hash text NOT NULL,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  captured_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, idempotency_key),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
  CHECK ((tender_type = 'CASH') OR (tendered IS NULL AND change IS NULL))
);
CREATE INDEX payments_order_idx ON payments (tenant_id, order_id);
SELECT kasir_protect('payments');

-- Refunds of completed orders: by items and quantities, or by amount. Numbered in the outlet's refund series.
CREATE TABLE refunds (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  order_id uuid NOT NULL,
  outlet_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('items', 'amount', 'full')),
  currency char(3) NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  reason text NOT NULL,
  receipt_number text NOT NULL,
  receipt_seq bigint NOT NULL,
  business_date date NOT NULL,
  idempotency_key text,
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id),
  FOREIGN KEY (tenant_id, outlet_id) REFERENCES outlets (tenant_id, id),
  UNIQUE (tenant_id, outlet_id, receipt_seq)
);
CREATE UNIQUE INDEX refunds_idempotency_idx ON refunds (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX refunds_order_idx ON refunds (tenant_id, order_id);
SELECT kasir_protect('refunds');

-- What each refund gave back per order line; restock tells the inventory module whether the goods return to stock.
CREATE TABLE refund_lines (
  tenant_id uuid NOT NULL,
  refund_id uuid NOT NULL,
  order_id uuid NOT NULL,
  order_item_id uuid NOT NULL,
  quantity numeric(14, 3) NOT NULL CHECK (quantity >= 0),
  amount bigint NOT NULL CHECK (amount >= 0),
  tax_amount bigint NOT NULL DEFAULT 0,
  restock boolean NOT NULL DEFAULT false,
  PRIMARY KEY (tenant_id, refund_id, order_item_id),
  FOREIGN KEY (tenant_id, refund_id) REFERENCES refunds (tenant_id, id),
  FOREIGN KEY (tenant_id, order_id, order_item_id) REFERENCES order_items (tenant_id, order_id, id)
);
SELECT kasir_protect('refund_lines');

-- How each refund was paid back: per original payment (cash as cash, card to card).
CREATE TABLE refund_tenders (
  tenant_id uuid NOT NULL,
  refund_id uuid NOT NULL,
  payment_id uuid NOT NULL,
  tender_type text NOT NULL,
  amount bigint NOT NULL CHECK (amount > 0),
  status text NOT NULL CHECK (status IN ('PENDING', 'SUCCEEDED', 'FAILED')),
  provider_reference text,
  PRIMARY KEY (tenant_id, refund_id, payment_id),
  FOREIGN KEY (tenant_id, refund_id) REFERENCES refunds (tenant_id, id),
  FOREIGN KEY (tenant_id, payment_id) REFERENCES payments (tenant_id, id)
);
CREATE INDEX refund_tenders_payment_idx ON refund_tenders (tenant_id, payment_id);
SELECT kasir_protect('refund_tenders');

-- Gap-free receipt numbering per outlet and series ('sale', 'refund'). The completing transaction increments
-- the row with INSERT … ON CONFLICT DO UPDATE … RETURNING: the row lock serializes concurrent completions,
-- and a rollback takes its number back with it, so numbers never repeat and never skip.
CREATE TABLE receipt_counters (
  tenant_id uuid NOT NULL,
  outlet_id uuid NOT NULL,
  series text NOT NULL CHECK (series IN ('sale', 'refund')),
  last_value bigint NOT NULL CHECK (last_value >= 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, outlet_id, series),
  FOREIGN KEY (tenant_id, outlet_id) REFERENCES outlets (tenant_id, id)
);
SELECT kasir_protect('receipt_counters');
