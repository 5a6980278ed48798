import type { ProductType } from './catalog.schema.js';
import { cell, CellError, type CellIssue, type CsvColumn, type Header } from './catalog-csv.js';

/**
 * One data row of an import, read but not yet matched against the database. For each field: `undefined` =
 * the column is not in the file (leave the field alone), `null` = the cell is blank (see catalog-csv.ts for
 * what blank means per column), anything else = the value, already normalised (SKUs and barcodes
 * upper-cased, money in minor units).
 */
export interface ImportRow {
  /** The spreadsheet row number (the header is row 1). */
  row: number;
  productId?: string | null;
  productSku?: string | null;
  productName?: string | null;
  description?: string | null;
  categoryPath?: string[] | null;
  tags?: string[] | null;
  type?: ProductType | null;
  taxCategoryCode?: string | null;
  trackStock?: boolean | null;
  active?: boolean | null;
  variantId?: string | null;
  variantSku?: string | null;
  variantName?: string | null;
  /** Present when the file has any option column: the non-blank ones. */
  options?: Record<string, string>;
  barcodes?: string[] | null;
  cost?: bigint | null;
  price?: bigint | null;
  weightBased?: boolean | null;
  variantActive?: boolean | null;
}

export interface RowIssue extends CellIssue {
  row: number;
}

type Parsed = Omit<ImportRow, 'row' | 'options'>;
const nonEmpty = (max: number) => (v: string) => cell.text(max)(v);

/** How each column is read, and which ImportRow field it fills. */
const READERS: Record<CsvColumn, [keyof Parsed, (v: string) => unknown]> = {
  product_id: ['productId', cell.uuid],
  product_sku: ['productSku', cell.sku],
  product_name: ['productName', nonEmpty(200)],
  description: ['description', cell.text(2000)],
  category: ['categoryPath', cell.categoryPath],
  tags: ['tags', cell.tags],
  type: ['type', cell.type],
  tax_category: ['taxCategoryCode', cell.text(40)],
  track_stock: ['trackStock', cell.bool],
  active: ['active', cell.bool],
  variant_id: ['variantId', cell.uuid],
  variant_sku: ['variantSku', cell.sku],
  variant_name: ['variantName', nonEmpty(100)],
  barcodes: ['barcodes', cell.barcodes],
  cost: ['cost', () => undefined],
  price: ['price', () => undefined],
  weight_based: ['weightBased', cell.bool],
  variant_active: ['variantActive', cell.bool],
};

/** Reads one data row; every bad cell is reported, not only the first. */
export function parseRow(header: Header, cells: string[], row: number, currencyExponent: number): { row: ImportRow; issues: RowIssue[] } {
  const out: ImportRow = { row };
  const fields = out as unknown as Record<string, unknown>;
  const issues: RowIssue[] = [];
  const money = cell.money(currencyExponent);
  if (header.optionKeys.length) out.options = {};
  header.index.forEach((slot, i) => {
    const value = (cells[i] ?? '').trim();
    if (slot.kind === 'option') {
      if (!value) return;
      if (value.length > 100) issues.push({ row, column: `option:${slot.key}`, message: 'must be at most 100 characters' });
      else out.options![slot.key] = value;
      return;
    }
    const [field, read] = READERS[slot.column];
    if (!value) {
      fields[field] = null;
      return;
    }
    try {
      const parsed = slot.column === 'cost' || slot.column === 'price' ? money(value) : read(value);
      fields[field] = parsed;
    } catch (e) {
      if (!(e instanceof CellError)) throw e;
      issues.push({ row, column: slot.column, message: e.message });
    }
  });
  if (out.options && Object.keys(out.options).length > 10) issues.push({ row, column: 'option:*', message: 'at most 10 options per variant' });
  if (!out.productId && !out.productSku && !issues.some((i) => i.column === 'product_sku' || i.column === 'product_id')) issues.push({ row, column: 'product_sku', message: 'each row needs a product_sku (or the product_id of an existing product)' });
  return { row: out, issues };
}
