-- Service charges: the tenant's rules for what is added to an order besides its lines (a restaurant's 5 %
-- service on dine-in, a fixed delivery fee). Sales reads the live ones with the rest of its snapshot and the
-- pricing engine applies them; each order keeps what it was charged in its pricing snapshot.
CREATE TABLE service_charges (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  kind text NOT NULL CHECK (kind IN ('percentage', 'fixed')),
  -- Basis points of the base (percentage) or minor units (fixed): exactly one of them.
  rate_bp integer CHECK (rate_bp BETWEEN 0 AND 100000),
  amount bigint CHECK (amount >= 0),
  -- before_tax: base = the lines' tax-exclusive amounts; after_tax: base = lines with their taxes.
  stage text NOT NULL CHECK (stage IN ('before_tax', 'after_tax')),
  -- A taxable charge is taxed by the rules of its tax category (or of the tenant's rules with no category).
  taxable boolean NOT NULL DEFAULT false,
  tax_category_id uuid,
  -- NULL = every order type / every outlet.
  order_types text[],
  outlet_id uuid,
  sort_order integer NOT NULL DEFAULT 0,
  active boolean NOT NULL DEFAULT true,
  archived_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, tax_category_id) REFERENCES tax_categories (tenant_id, id),
  FOREIGN KEY (tenant_id, outlet_id) REFERENCES outlets (tenant_id, id),
  CHECK ((kind = 'percentage') = (rate_bp IS NOT NULL) AND (kind = 'fixed') = (amount IS NOT NULL))
);
CREATE INDEX service_charges_live_idx ON service_charges (tenant_id) WHERE active AND archived_at IS NULL;
SELECT kasir_protect('service_charges');
