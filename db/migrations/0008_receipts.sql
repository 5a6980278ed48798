-- Receipts (issue 4): the tenant's receipt header and footer text, and how many times each sale or refund
-- receipt has been fetched, so every fetch after the first is marked COPY.

ALTER TABLE tenants
  ADD COLUMN receipt_header text CHECK (char_length(receipt_header) <= 500),
  ADD COLUMN receipt_footer text CHECK (char_length(receipt_footer) <= 500);

-- One row per receipted document (a sale's order, or a refund). print_count is the number of fetches so far:
-- 1 after the original, 2 after the first copy. Incremented with an upsert, so concurrent fetches of the same
-- receipt get distinct print numbers and exactly one of them is the original.
CREATE TABLE receipt_prints (
  tenant_id uuid NOT NULL REFERENCES tenants (id),
  document_kind text NOT NULL CHECK (document_kind IN ('order', 'refund')),
  document_id uuid NOT NULL,
  print_count integer NOT NULL CHECK (print_count >= 1),
  first_printed_at timestamptz NOT NULL DEFAULT now(),
  last_printed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, document_kind, document_id)
);
SELECT kasir_protect('receipt_prints');
