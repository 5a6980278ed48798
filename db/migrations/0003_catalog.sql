-- Catalog: categories, products, variants and barcodes, per-outlet availability, modifier groups, tax
-- categories and rules, price books and prices, images, and the change feed registers sync from.

-- Trusted extensions (PostgreSQL 13+): any role that may CREATE in the database can add them.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;

-- Change feed clock. Every catalog write takes the tenant's clock row lock and stamps rows with the next
-- value, so within a tenant change_seq order is commit order: a register that has seen seq N has seen every
-- change up to N. Catalog writes are back-office work, so serializing them per tenant costs nothing.
CREATE TABLE catalog_clocks (
  tenant_id uuid PRIMARY KEY REFERENCES tenants (id),
  seq bigint NOT NULL DEFAULT 0
);
SELECT kasir_protect('catalog_clocks');

-- Hard deletions, so the feed can tell registers to drop a row.
CREATE TABLE catalog_tombstones (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  entity_type text NOT NULL,
  entity_id uuid NOT NULL,
  change_seq bigint NOT NULL,
  deleted_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, entity_type, entity_id)
);
CREATE INDEX catalog_tombstones_seq_idx ON catalog_tombstones (tenant_id, change_seq);
SELECT kasir_protect('catalog_tombstones');

CREATE TABLE categories (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  parent_id uuid,
  name text NOT NULL,
  sort_order integer NOT NULL DEFAULT 0,
  color text,
  image_id uuid,
  active boolean NOT NULL DEFAULT true,
  archived_at timestamptz,
  change_seq bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, parent_id) REFERENCES categories (tenant_id, id)
);
CREATE INDEX categories_parent_idx ON categories (tenant_id, parent_id);
CREATE INDEX categories_seq_idx ON categories (tenant_id, change_seq);
SELECT kasir_protect('categories');

CREATE TABLE tax_categories (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  code text NOT NULL,
  name text NOT NULL,
  change_seq bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  UNIQUE (tenant_id, code)
);
SELECT kasir_protect('tax_categories');

CREATE TABLE products (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  name text NOT NULL,
  description text,
  sku text,
  category_id uuid,
  tags text[] NOT NULL DEFAULT '{}',
  tax_category_id uuid,
  type text NOT NULL DEFAULT 'standard' CHECK (type IN ('standard', 'service', 'combo')),
  track_stock boolean NOT NULL DEFAULT true,
  active boolean NOT NULL DEFAULT true,
  archived_at timestamptz,
  image_id uuid,
  change_seq bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, category_id) REFERENCES categories (tenant_id, id),
  FOREIGN KEY (tenant_id, tax_category_id) REFERENCES tax_categories (tenant_id, id)
);
-- SKUs are unique per tenant across products and variants; each table enforces its own half and the
-- service checks the other (see catalog sku guard), under the tenant's catalog clock lock.
CREATE UNIQUE INDEX products_sku_idx ON products (tenant_id, sku) WHERE sku IS NOT NULL;
CREATE INDEX products_category_idx ON products (tenant_id, category_id);
CREATE INDEX products_seq_idx ON products (tenant_id, change_seq);
-- Name search with typo tolerance; btree_gin lets the trigram index lead with tenant_id like every index.
CREATE INDEX products_name_trgm_idx ON products USING gin (tenant_id, name gin_trgm_ops);
CREATE INDEX products_name_lower_idx ON products (tenant_id, lower(name) text_pattern_ops);
SELECT kasir_protect('products');

CREATE TABLE variants (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  product_id uuid NOT NULL,
  name text NOT NULL,
  sku text,
  -- Option values such as {"size": "L", "milk": "oat"}.
  options jsonb NOT NULL DEFAULT '{}',
  -- Unit cost in minor units of the tenant currency (for margins; inventory keeps actual cost layers).
  cost bigint CHECK (cost >= 0),
  weight_based boolean NOT NULL DEFAULT false,
  sort_order integer NOT NULL DEFAULT 0,
  active boolean NOT NULL DEFAULT true,
  archived_at timestamptz,
  change_seq bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id)
);
CREATE UNIQUE INDEX variants_sku_idx ON variants (tenant_id, sku) WHERE sku IS NOT NULL;
CREATE INDEX variants_product_idx ON variants (tenant_id, product_id);
CREATE INDEX variants_seq_idx ON variants (tenant_id, change_seq);
SELECT kasir_protect('variants');

CREATE TABLE barcodes (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  code text NOT NULL,
  variant_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, code),
  FOREIGN KEY (tenant_id, variant_id) REFERENCES variants (tenant_id, id) ON DELETE CASCADE
);
CREATE INDEX barcodes_variant_idx ON barcodes (tenant_id, variant_id);
SELECT kasir_protect('barcodes');

-- A product "86'd" (unavailable) at an outlet; absence of a row means available.
CREATE TABLE product_outlet_availability (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  product_id uuid NOT NULL,
  outlet_id uuid NOT NULL,
  available boolean NOT NULL,
  reason text,
  change_seq bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, product_id, outlet_id),
  FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id),
  FOREIGN KEY (tenant_id, outlet_id) REFERENCES outlets (tenant_id, id)
);
CREATE INDEX product_outlet_availability_seq_idx ON product_outlet_availability (tenant_id, change_seq);
SELECT kasir_protect('product_outlet_availability');

CREATE TABLE modifier_groups (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  name text NOT NULL,
  min_selections integer NOT NULL DEFAULT 0 CHECK (min_selections >= 0),
  max_selections integer CHECK (max_selections IS NULL OR max_selections >= 1),
  required boolean NOT NULL DEFAULT false,
  allow_quantities boolean NOT NULL DEFAULT false,
  active boolean NOT NULL DEFAULT true,
  archived_at timestamptz,
  change_seq bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  CHECK (max_selections IS NULL OR min_selections <= max_selections)
);
CREATE INDEX modifier_groups_seq_idx ON modifier_groups (tenant_id, change_seq);
SELECT kasir_protect('modifier_groups');

CREATE TABLE modifiers (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  group_id uuid NOT NULL,
  name text NOT NULL,
  -- Added to the line's unit price, minor units of the tenant currency; may be negative (e.g. "no ice -500").
  price_delta bigint NOT NULL DEFAULT 0,
  -- The stock item this modifier consumes, if any (e.g. "extra shot" → espresso beans).
  linked_variant_id uuid,
  max_quantity integer CHECK (max_quantity IS NULL OR max_quantity >= 1),
  sort_order integer NOT NULL DEFAULT 0,
  active boolean NOT NULL DEFAULT true,
  archived_at timestamptz,
  change_seq bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, group_id) REFERENCES modifier_groups (tenant_id, id),
  FOREIGN KEY (tenant_id, linked_variant_id) REFERENCES variants (tenant_id, id)
);
CREATE INDEX modifiers_group_idx ON modifiers (tenant_id, group_id);
CREATE INDEX modifiers_seq_idx ON modifiers (tenant_id, change_seq);
SELECT kasir_protect('modifiers');

CREATE TABLE product_modifier_groups (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  product_id uuid NOT NULL,
  group_id uuid NOT NULL,
  sort_order integer NOT NULL DEFAULT 0,
  change_seq bigint NOT NULL,
  PRIMARY KEY (tenant_id, product_id, group_id),
  FOREIGN KEY (tenant_id, product_id) REFERENCES products (tenant_id, id),
  FOREIGN KEY (tenant_id, group_id) REFERENCES modifier_groups (tenant_id, id)
);
CREATE INDEX product_modifier_groups_seq_idx ON product_modifier_groups (tenant_id, change_seq);
SELECT kasir_protect('product_modifier_groups');

-- Tax rules: which rate applies to which tax category, outlet and order type. Sales computes the tax.
CREATE TABLE tax_rules (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  name text NOT NULL,
  -- Rate in basis points: 1100 = 11 %.
  rate_bp integer NOT NULL CHECK (rate_bp BETWEEN 0 AND 100000),
  inclusive boolean NOT NULL DEFAULT false,
  -- Compound taxes apply on top of the non-compound taxes of the same line.
  compound boolean NOT NULL DEFAULT false,
  -- NULL = every category / every outlet / every order type.
  tax_category_id uuid,
  outlet_id uuid,
  order_types text[],
  -- Order of application among compound rules.
  sequence integer NOT NULL DEFAULT 0,
  active boolean NOT NULL DEFAULT true,
  archived_at timestamptz,
  change_seq bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, tax_category_id) REFERENCES tax_categories (tenant_id, id),
  FOREIGN KEY (tenant_id, outlet_id) REFERENCES outlets (tenant_id, id)
);
CREATE INDEX tax_rules_seq_idx ON tax_rules (tenant_id, change_seq);
SELECT kasir_protect('tax_rules');

-- Tax categories exempt from a rule (e.g. basic food exempt from the service tax).
CREATE TABLE tax_exemptions (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  tax_rule_id uuid NOT NULL,
  tax_category_id uuid NOT NULL,
  PRIMARY KEY (tenant_id, tax_rule_id, tax_category_id),
  FOREIGN KEY (tenant_id, tax_rule_id) REFERENCES tax_rules (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, tax_category_id) REFERENCES tax_categories (tenant_id, id)
);
SELECT kasir_protect('tax_exemptions');

-- Price books: the default book holds SetPrice's prices; others apply when all their conditions match
-- (outlet, channel, customer group, date range, days of week, local hours) and the highest priority wins.
CREATE TABLE price_books (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  name text NOT NULL,
  is_default boolean NOT NULL DEFAULT false,
  currency char(3) NOT NULL,
  priority integer NOT NULL DEFAULT 0,
  outlet_id uuid,
  channel text,
  customer_group_id uuid,
  starts_at timestamptz,
  ends_at timestamptz,
  -- Bit i set = applies on ISO weekday i+1 (bit 0 Monday … bit 6 Sunday); NULL = every day.
  days_of_week smallint CHECK (days_of_week IS NULL OR days_of_week BETWEEN 1 AND 127),
  -- Local minutes after midnight at the outlet, [start, end); end < start spans midnight.
  start_minute integer CHECK (start_minute IS NULL OR start_minute BETWEEN 0 AND 1439),
  end_minute integer CHECK (end_minute IS NULL OR end_minute BETWEEN 0 AND 1440),
  active boolean NOT NULL DEFAULT true,
  archived_at timestamptz,
  change_seq bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id),
  FOREIGN KEY (tenant_id, outlet_id) REFERENCES outlets (tenant_id, id),
  CHECK (starts_at IS NULL OR ends_at IS NULL OR starts_at < ends_at),
  CHECK ((start_minute IS NULL) = (end_minute IS NULL))
);
CREATE UNIQUE INDEX price_books_default_idx ON price_books (tenant_id) WHERE is_default;
CREATE INDEX price_books_seq_idx ON price_books (tenant_id, change_seq);
SELECT kasir_protect('price_books');

CREATE TABLE prices (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  price_book_id uuid NOT NULL,
  variant_id uuid NOT NULL,
  amount bigint NOT NULL CHECK (amount >= 0),
  currency char(3) NOT NULL,
  change_seq bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, price_book_id, variant_id),
  FOREIGN KEY (tenant_id, price_book_id) REFERENCES price_books (tenant_id, id) ON DELETE CASCADE,
  FOREIGN KEY (tenant_id, variant_id) REFERENCES variants (tenant_id, id)
);
CREATE INDEX prices_variant_idx ON prices (tenant_id, variant_id);
CREATE INDEX prices_seq_idx ON prices (tenant_id, change_seq);
SELECT kasir_protect('prices');

CREATE TABLE images (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  id uuid NOT NULL,
  -- What the image shows: a product, a variant or a category.
  owner_type text NOT NULL CHECK (owner_type IN ('product', 'variant', 'category')),
  owner_id uuid NOT NULL,
  content_type text NOT NULL CHECK (content_type IN ('image/jpeg', 'image/png', 'image/webp')),
  byte_size integer NOT NULL,
  width integer NOT NULL,
  height integer NOT NULL,
  storage_key text NOT NULL,
  sort_order integer NOT NULL DEFAULT 0,
  change_seq bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX images_owner_idx ON images (tenant_id, owner_type, owner_id);
CREATE INDEX images_seq_idx ON images (tenant_id, change_seq);
SELECT kasir_protect('images');
