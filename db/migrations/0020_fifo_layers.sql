-- FIFO costing (issue 5): cost layers per (location, variant) for tenants whose inventory_settings say 'fifo'.
-- Each inbound movement with a cost opens a layer; outbound movements consume the oldest layers first and are
-- costed at the weighted cost of what they took. Invariant (test/api/inventory/fifo*.test.ts): for a FIFO
-- tenant the remaining quantity of a level's layers equals max(on_hand, 0). Moving-average tenants have none.
CREATE TABLE cost_layers (
  tenant_id uuid NOT NULL,
  location_id uuid NOT NULL,
  variant_id uuid NOT NULL,
  -- UUIDv7: the layer order (oldest first) is the id order.
  id uuid NOT NULL,
  quantity numeric(14, 3) NOT NULL CHECK (quantity > 0),
  remaining numeric(14, 3) NOT NULL CHECK (remaining >= 0 AND remaining <= quantity),
  unit_cost bigint NOT NULL CHECK (unit_cost >= 0),
  -- The movement that opened it (null: opened when the tenant switched to FIFO, from the moving average).
  movement_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, location_id, variant_id, id),
  FOREIGN KEY (tenant_id, location_id, variant_id) REFERENCES stock_levels (tenant_id, location_id, variant_id)
);
CREATE INDEX cost_layers_open_idx ON cost_layers (tenant_id, location_id, variant_id, id) WHERE remaining > 0;
SELECT kasir_protect('cost_layers');

-- The exact cost of a sale line under FIFO (the layers it took, summed); null under the moving average, where
-- the line's cost is quantity × unit_cost. unit_cost stays the (rounded) weighted unit cost either way.
ALTER TABLE sale_costs ADD COLUMN total_cost bigint CHECK (total_cost >= 0);

-- The exact value of a movement costed by FIFO (the slices it took or the layer it opened); null under the
-- moving average. With stock never below zero, a FIFO level's inbound totals minus its outbound totals equal
-- its remaining layers' value.
ALTER TABLE stock_movements ADD COLUMN total_cost bigint CHECK (total_cost >= 0);
