-- Catalog core: the placeholder flag of auto-created variants.

-- A product created without variants gets one variant named "Regular" so that every product is sellable;
-- it is flagged here. The first variant created explicitly for that product replaces the placeholder while
-- the placeholder is still untouched (never edited, referenced by nothing), so the seed's quick start
-- (CreateProduct, then CreateVariant "Regular") leaves exactly the variant the user created. Editing the
-- placeholder clears the flag: it is then the user's own variant. See src/modules/catalog/variant.service.ts.
ALTER TABLE variants ADD COLUMN auto_created boolean NOT NULL DEFAULT false;

-- Change feed: every catalog table's feed index also holds the row's key, so a page is one index range scan in
-- exactly the feed's order, (change_seq, key), with no sort — even inside one very large transaction (a CSV
-- import stamps thousands of rows with one change_seq and the feed pages through them by key).
DROP INDEX categories_seq_idx;
CREATE INDEX categories_seq_idx ON categories (tenant_id, change_seq, id);
CREATE INDEX tax_categories_seq_idx ON tax_categories (tenant_id, change_seq, id);
DROP INDEX products_seq_idx;
CREATE INDEX products_seq_idx ON products (tenant_id, change_seq, id);
DROP INDEX variants_seq_idx;
CREATE INDEX variants_seq_idx ON variants (tenant_id, change_seq, id);
DROP INDEX product_outlet_availability_seq_idx;
CREATE INDEX product_outlet_availability_seq_idx ON product_outlet_availability (tenant_id, change_seq, product_id, outlet_id);
DROP INDEX modifier_groups_seq_idx;
CREATE INDEX modifier_groups_seq_idx ON modifier_groups (tenant_id, change_seq, id);
DROP INDEX modifiers_seq_idx;
CREATE INDEX modifiers_seq_idx ON modifiers (tenant_id, change_seq, id);
DROP INDEX product_modifier_groups_seq_idx;
CREATE INDEX product_modifier_groups_seq_idx ON product_modifier_groups (tenant_id, change_seq, product_id, group_id);
DROP INDEX tax_rules_seq_idx;
CREATE INDEX tax_rules_seq_idx ON tax_rules (tenant_id, change_seq, id);
DROP INDEX price_books_seq_idx;
CREATE INDEX price_books_seq_idx ON price_books (tenant_id, change_seq, id);
DROP INDEX prices_seq_idx;
CREATE INDEX prices_seq_idx ON prices (tenant_id, change_seq, price_book_id, variant_id);
DROP INDEX images_seq_idx;
CREATE INDEX images_seq_idx ON images (tenant_id, change_seq, id);
DROP INDEX catalog_tombstones_seq_idx;
CREATE INDEX catalog_tombstones_seq_idx ON catalog_tombstones (tenant_id, change_seq, entity_type, entity_id);
