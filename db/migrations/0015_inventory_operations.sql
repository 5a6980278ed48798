-- Inventory operations (issue 5): suppliers and purchase orders, transfers between locations, stock counts.
-- Each posts its stock through the ledger (stock_movements) with the same guarded statement as adjustments.

CREATE TABLE suppliers (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  email text CHECK (char_length(email) <= 200),
  phone text CHECK (char_length(phone) <= 40),
  notes text CHECK (char_length(notes) <= 1000),
  archived_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
SELECT kasir_protect('suppliers');

-- DRAFT -> ORDERED -> PARTIALLY_RECEIVED -> RECEIVED; DRAFT | ORDERED -> CANCELLED.
CREATE TABLE purchase_orders (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  supplier_id uuid NOT NULL,
  location_id uuid NOT NULL,
  status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'ORDERED', 'PARTIALLY_RECEIVED', 'RECEIVED', 'CANCELLED')),
  currency char(3) NOT NULL,
  notes text CHECK (char_length(notes) <= 1000),
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  ordered_at timestamptz,
  received_at timestamptz,
  cancelled_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, supplier_id) REFERENCES suppliers (tenant_id, id),
  FOREIGN KEY (tenant_id, location_id) REFERENCES stock_locations (tenant_id, id)
);
CREATE INDEX purchase_orders_status_idx ON purchase_orders (tenant_id, status, id);
SELECT kasir_protect('purchase_orders');

CREATE TABLE purchase_order_lines (
  tenant_id uuid NOT NULL,
  purchase_order_id uuid NOT NULL,
  variant_id uuid NOT NULL,
  line_no integer NOT NULL,
  quantity_ordered numeric(14, 3) NOT NULL CHECK (quantity_ordered > 0),
  quantity_received numeric(14, 3) NOT NULL DEFAULT 0 CHECK (quantity_received >= 0),
  -- Expected unit cost, minor units.
  unit_cost bigint NOT NULL CHECK (unit_cost >= 0),
  -- Set when more than ordered was received (allowed only when the receipt said so).
  over_received boolean NOT NULL DEFAULT false,
  PRIMARY KEY (tenant_id, purchase_order_id, variant_id),
  FOREIGN KEY (tenant_id, purchase_order_id) REFERENCES purchase_orders (tenant_id, id),
  FOREIGN KEY (tenant_id, variant_id) REFERENCES variants (tenant_id, id)
);
SELECT kasir_protect('purchase_order_lines');

-- DRAFT -> IN_TRANSIT -> RECEIVED; DRAFT | IN_TRANSIT -> CANCELLED (in transit: the units go back).
CREATE TABLE stock_transfers (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  from_location_id uuid NOT NULL,
  to_location_id uuid NOT NULL,
  status text NOT NULL DEFAULT 'DRAFT' CHECK (status IN ('DRAFT', 'IN_TRANSIT', 'RECEIVED', 'CANCELLED')),
  notes text CHECK (char_length(notes) <= 1000),
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  shipped_at timestamptz,
  received_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, from_location_id) REFERENCES stock_locations (tenant_id, id),
  FOREIGN KEY (tenant_id, to_location_id) REFERENCES stock_locations (tenant_id, id),
  CHECK (from_location_id <> to_location_id)
);
SELECT kasir_protect('stock_transfers');

CREATE TABLE stock_transfer_lines (
  tenant_id uuid NOT NULL,
  transfer_id uuid NOT NULL,
  variant_id uuid NOT NULL,
  quantity numeric(14, 3) NOT NULL CHECK (quantity > 0),
  -- Unit cost the units left with (the sending level's average when shipped).
  unit_cost bigint,
  quantity_received numeric(14, 3) CHECK (quantity_received >= 0),
  -- quantity - quantity_received once received: lost (or found, when negative) in transit.
  discrepancy numeric(14, 3),
  PRIMARY KEY (tenant_id, transfer_id, variant_id),
  FOREIGN KEY (tenant_id, transfer_id) REFERENCES stock_transfers (tenant_id, id),
  FOREIGN KEY (tenant_id, variant_id) REFERENCES variants (tenant_id, id)
);
SELECT kasir_protect('stock_transfer_lines');

-- OPEN -> POSTED | CANCELLED. expected is on hand when the count began; posting writes counted - expected.
CREATE TABLE stock_counts (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  location_id uuid NOT NULL,
  scope text NOT NULL CHECK (scope IN ('full', 'partial')),
  blind boolean NOT NULL DEFAULT false,
  status text NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN', 'POSTED', 'CANCELLED')),
  created_by uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  posted_at timestamptz,
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, location_id) REFERENCES stock_locations (tenant_id, id)
);
SELECT kasir_protect('stock_counts');

CREATE TABLE stock_count_lines (
  tenant_id uuid NOT NULL,
  count_id uuid NOT NULL,
  variant_id uuid NOT NULL,
  expected numeric(14, 3) NOT NULL,
  counted numeric(14, 3) CHECK (counted >= 0),
  PRIMARY KEY (tenant_id, count_id, variant_id),
  FOREIGN KEY (tenant_id, count_id) REFERENCES stock_counts (tenant_id, id),
  FOREIGN KEY (tenant_id, variant_id) REFERENCES variants (tenant_id, id)
);
SELECT kasir_protect('stock_count_lines');

-- Recipes (bill of materials). A variant's stock is kept in one unit of measure (pcs unless set); recipe
-- quantities are stored in the component's unit, converted when written (18 g of beans kept in kg = 0.018).
CREATE TABLE variant_stock_units (
  tenant_id uuid NOT NULL,
  variant_id uuid NOT NULL,
  unit text NOT NULL CHECK (unit IN ('pcs', 'dozen', 'mg', 'g', 'kg', 'ml', 'l')),
  PRIMARY KEY (tenant_id, variant_id),
  FOREIGN KEY (tenant_id, variant_id) REFERENCES variants (tenant_id, id)
);
SELECT kasir_protect('variant_stock_units');

-- What one unit of a sold variant, or one of a modifier, consumes. A modifier's component may replace a
-- component of the line's variant recipe (oat milk replacing milk).
CREATE TABLE recipe_components (
  tenant_id uuid NOT NULL,
  owner_type text NOT NULL CHECK (owner_type IN ('variant', 'modifier')),
  owner_id uuid NOT NULL,
  component_variant_id uuid NOT NULL,
  quantity numeric(14, 3) NOT NULL CHECK (quantity > 0),
  replaces_variant_id uuid,
  PRIMARY KEY (tenant_id, owner_type, owner_id, component_variant_id),
  FOREIGN KEY (tenant_id, component_variant_id) REFERENCES variants (tenant_id, id),
  CHECK (owner_type = 'modifier' OR replaces_variant_id IS NULL)
);
SELECT kasir_protect('recipe_components');
