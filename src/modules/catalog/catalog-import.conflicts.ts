import { pushTo } from './catalog-import.model.js';
import type { PlanBook, ProductGroup } from './catalog-import.plan.js';

interface Claim {
  /** The file's row that gives the code; undefined for a row of the catalog the file leaves alone. */
  row?: number;
  column?: string;
  label: string;
}

/**
 * SKUs (unique across products and variants) and barcodes (unique per tenant) as they would be after the
 * import: what the file does not touch keeps its codes, what it touches gets the file's. A code claimed twice
 * is an error on each row of the file that claims it. The snapshot holds every product and variant that has
 * one of the file's codes, so nothing outside it can clash.
 */
export function findConflicts(book: PlanBook, groups: ProductGroup[]): void {
  const { snap, plan } = book;
  const skus = new Map<string, Claim[]>();
  const barcodes = new Map<string, Claim[]>();
  const claim = (map: Map<string, Claim[]>, code: string | null, c: Claim) => {
    if (code !== null) pushTo(map, code, c);
  };

  const touched = new Set(groups.map((g) => g.id));
  for (const p of snap.products.values()) if (!touched.has(p.id)) claim(skus, p.sku, { label: `product "${p.name}"` });
  for (const v of snap.variants.values()) if (!book.fileVariants.has(v.id)) claim(skus, v.sku, { label: `variant "${v.name}"` });
  const replaced = new Map(plan.barcodeSets.map((s) => [s.variantId, s.codes]));
  for (const [code, owner] of snap.barcodeOwner) {
    if (!replaced.has(owner)) claim(barcodes, code, { label: `variant "${snap.variants.get(owner)?.name ?? owner}"` });
  }

  for (const g of groups) {
    const row = g.rows[0]!.row;
    claim(skus, g.final.sku, { row, column: 'product_sku', label: `product "${g.final.name}" (row ${row})` });
  }
  for (const [id, { row, final }] of book.fileVariants) {
    const label = `variant "${final.name}" (row ${row})`;
    claim(skus, final.sku, { row, column: 'variant_sku', label });
    for (const code of replaced.get(id) ?? []) claim(barcodes, code, { row, column: 'barcodes', label });
  }

  const report = (map: Map<string, Claim[]>, what: string) => {
    for (const [code, claims] of map) {
      if (claims.length < 2) continue;
      for (const c of claims) {
        if (c.row === undefined) continue;
        const other = claims.find((o) => o !== c)!;
        book.error(c.row, c.column!, `${what} ${code} is also used by ${other.label}`);
      }
    }
  };
  report(skus, 'SKU');
  report(barcodes, 'barcode');
}
