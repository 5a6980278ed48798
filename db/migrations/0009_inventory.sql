-- Inventory (issue 5): stock locations, stock levels per (location, variant), the append-only movement ledger,
-- reservations, per-tenant inventory settings and the cost each sale line took (COGS). Quantities are
-- numeric(14, 3) like order lines (weighed goods); costs are bigint minor units of the tenant's currency.
-- Invariant (test/support/inventory.ts checks it): a level's on_hand is the sum of its movements' quantities,
-- and its reserved is the sum of its live reservations.

-- Per-tenant policy; a tenant without a row has the defaults.
CREATE TABLE inventory_settings (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
  -- false: a sale that would take available stock below zero is refused (STOCK_INSUFFICIENT). Default true: a
  -- merchant who has not counted stock yet still sells; the ledger shows the negative levels to fix.
  allow_negative_stock boolean NOT NULL DEFAULT true,
  -- consume_on_completion: stock moves when the sale completes; reserve_on_add: lines of open orders reserve it.
  reservation_mode text NOT NULL DEFAULT 'consume_on_completion' CHECK (reservation_mode IN ('consume_on_completion', 'reserve_on_add')),
  reservation_ttl_minutes integer NOT NULL DEFAULT 30 CHECK (reservation_ttl_minutes BETWEEN 1 AND 10080),
  costing_method text NOT NULL DEFAULT 'moving_average' CHECK (costing_method IN ('moving_average', 'fifo')),
  updated_at timestamptz NOT NULL DEFAULT now()
);
SELECT kasir_protect('inventory_settings');

-- Warehouses and outlet stock rooms. An outlet's default selling location has the outlet's own id (created on
-- first use), so a sale finds it without a lookup.
CREATE TABLE stock_locations (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  kind text NOT NULL CHECK (kind IN ('outlet', 'warehouse')),
  outlet_id uuid,
  is_default boolean NOT NULL DEFAULT false,
  archived_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, outlet_id) REFERENCES outlets (tenant_id, id),
  CHECK (NOT is_default OR (outlet_id IS NOT NULL AND id = outlet_id))
);
SELECT kasir_protect('stock_locations');

-- Stock per (location, variant). Changed only by guarded updates in the statement that writes the movement.
CREATE TABLE stock_levels (
  tenant_id uuid NOT NULL,
  location_id uuid NOT NULL,
  variant_id uuid NOT NULL,
  on_hand numeric(14, 3) NOT NULL DEFAULT 0,
  reserved numeric(14, 3) NOT NULL DEFAULT 0 CHECK (reserved >= 0),
  reorder_point numeric(14, 3) CHECK (reorder_point >= 0),
  par_level numeric(14, 3) CHECK (par_level >= 0),
  -- Moving-average unit cost (minor units) of the units on hand.
  avg_cost bigint NOT NULL DEFAULT 0 CHECK (avg_cost >= 0),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, location_id, variant_id),
  FOREIGN KEY (tenant_id, location_id) REFERENCES stock_locations (tenant_id, id),
  FOREIGN KEY (tenant_id, variant_id) REFERENCES variants (tenant_id, id)
);
CREATE INDEX stock_levels_variant_idx ON stock_levels (tenant_id, variant_id);
SELECT kasir_protect('stock_levels');

-- The ledger: append-only. quantity is signed (negative takes stock out). occurred_at is the client's clock
-- (offline registers), recorded_at the server's.
CREATE TABLE stock_movements (
  tenant_id uuid NOT NULL,
  id uuid NOT NULL,
  location_id uuid NOT NULL,
  variant_id uuid NOT NULL,
  type text NOT NULL CHECK (type IN ('sale', 'refund', 'void', 'purchase_receipt', 'transfer_out', 'transfer_in', 'adjustment', 'count', 'waste', 'production')),
  quantity numeric(14, 3) NOT NULL CHECK (quantity <> 0),
  unit_cost bigint NOT NULL DEFAULT 0 CHECK (unit_cost >= 0),
  reference_type text CHECK (reference_type IN ('order', 'refund', 'purchase_order', 'transfer', 'count')),
  reference_id uuid,
  actor_membership_id uuid,
  reason text CHECK (char_length(reason) <= 500),
  occurred_at timestamptz NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, location_id, variant_id) REFERENCES stock_levels (tenant_id, location_id, variant_id)
);
CREATE INDEX stock_movements_level_idx ON stock_movements (tenant_id, location_id, variant_id, id);
CREATE INDEX stock_movements_location_idx ON stock_movements (tenant_id, location_id, id);
CREATE INDEX stock_movements_reference_idx ON stock_movements (tenant_id, reference_id) WHERE reference_id IS NOT NULL;
SELECT kasir_protect('stock_movements');

-- Units held for open orders (reserve_on_add); released on completion, void, or by the expiry job.
CREATE TABLE stock_reservations (
  tenant_id uuid NOT NULL,
  order_id uuid NOT NULL,
  location_id uuid NOT NULL,
  variant_id uuid NOT NULL,
  quantity numeric(14, 3) NOT NULL CHECK (quantity > 0),
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (tenant_id, order_id, location_id, variant_id),
  FOREIGN KEY (tenant_id, location_id, variant_id) REFERENCES stock_levels (tenant_id, location_id, variant_id)
);
CREATE INDEX stock_reservations_expiry_idx ON stock_reservations (expires_at);
SELECT kasir_protect('stock_reservations');

-- What each sale line's stock cost (COGS), so margins are exact and a refund returns the cost it took.
CREATE TABLE sale_costs (
  tenant_id uuid NOT NULL,
  order_id uuid NOT NULL,
  order_item_id uuid NOT NULL,
  variant_id uuid NOT NULL,
  location_id uuid NOT NULL,
  quantity numeric(14, 3) NOT NULL CHECK (quantity > 0),
  unit_cost bigint NOT NULL CHECK (unit_cost >= 0),
  refunded_quantity numeric(14, 3) NOT NULL DEFAULT 0 CHECK (refunded_quantity >= 0 AND refunded_quantity <= quantity),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, order_item_id, variant_id)
);
CREATE INDEX sale_costs_order_idx ON sale_costs (tenant_id, order_id);
SELECT kasir_protect('sale_costs');
