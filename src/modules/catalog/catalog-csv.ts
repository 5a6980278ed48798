import { codeProblem, normalizeBarcode, normalizeSku } from './catalog-codes.js';
import { PRODUCT_TYPES, type ProductType } from './catalog.schema.js';

/**
 * The catalog CSV format, shared by import and export: one row per variant, product columns repeated on
 * each row of the product (later rows may leave them blank). Rules for a cell:
 *  - a column missing from the header leaves that field as it is (defaults for new rows);
 *  - a blank cell clears the field (null, empty list, or its default), except `price` (blank leaves the
 *    price as it is; an import never removes a price) and the names (blank keeps the name, or is
 *    "Regular" for a new variant);
 *  - money (`cost`, `price`) is in major units of the tenant currency with a dot, e.g. 25000.00;
 *  - lists (`tags`, `barcodes`) are separated by `|`; `category` is a path `Drinks/Coffee` (`\/` for a slash
 *    inside a name); options are one column per option, `option:size`, `option:milk`.
 */
export const CSV_COLUMNS = [
  'product_id',
  'product_sku',
  'product_name',
  'description',
  'category',
  'tags',
  'type',
  'tax_category',
  'track_stock',
  'active',
  'variant_id',
  'variant_sku',
  'variant_name',
  'barcodes',
  'cost',
  'price',
  'weight_based',
  'variant_active',
] as const;
export type CsvColumn = (typeof CSV_COLUMNS)[number];
export const OPTION_PREFIX = 'option:';
/** Columns whose values belong to the product, repeated on every row of it. */
export const PRODUCT_COLUMNS: readonly CsvColumn[] = ['product_sku', 'product_name', 'description', 'category', 'tags', 'type', 'tax_category', 'track_stock', 'active'];

/** A cell that cannot be read; its message is shown against the row and column. */
export class CellError extends Error {}

export interface CellIssue {
  column: string;
  message: string;
}

export interface Header {
  columns: Set<CsvColumn>;
  /** Option keys by column index. */
  optionKeys: string[];
  /** Column index → what it holds. */
  index: ({ kind: 'field'; column: CsvColumn } | { kind: 'option'; key: string })[];
}

export function parseHeader(cells: string[]): { header: Header; issues: CellIssue[] } {
  const issues: CellIssue[] = [];
  const header: Header = { columns: new Set(), optionKeys: [], index: [] };
  const known = new Set<string>(CSV_COLUMNS);
  const seen = new Set<string>();
  for (const raw of cells) {
    const name = raw.trim();
    const lower = name.toLowerCase();
    if (lower.startsWith(OPTION_PREFIX)) {
      const key = name.slice(OPTION_PREFIX.length).trim();
      if (!key || key.length > 40) issues.push({ column: name, message: 'an option column is option:<name>, the name 1 to 40 characters' });
      else if (seen.has(`option:${key}`)) issues.push({ column: name, message: 'this column appears twice' });
      seen.add(`option:${key}`);
      header.optionKeys.push(key);
      header.index.push({ kind: 'option', key });
    } else if (known.has(lower)) {
      if (seen.has(lower)) issues.push({ column: name, message: 'this column appears twice' });
      seen.add(lower);
      header.columns.add(lower as CsvColumn);
      header.index.push({ kind: 'field', column: lower as CsvColumn });
    } else {
      issues.push({ column: name || '(blank)', message: `unknown column; the columns are ${CSV_COLUMNS.join(', ')} and option:<name>` });
      header.index.push({ kind: 'field', column: 'product_id' });
    }
  }
  if (!header.columns.has('product_sku') && !header.columns.has('product_id')) issues.push({ column: 'product_sku', message: 'the header needs product_sku (or product_id)' });
  return { header, issues };
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TRUE = new Set(['true', 'yes', 'y', '1']);
const FALSE = new Set(['false', 'no', 'n', '0']);

/** Cell parsers: each returns the value or throws a CellError (caught per cell by the row parser). */
export const cell = {
  uuid(v: string): string {
    if (!UUID_RE.test(v)) throw new CellError('must be a UUID');
    return v.toLowerCase();
  },
  sku(v: string): string {
    const sku = normalizeSku(v);
    const problem = codeProblem(sku);
    if (problem) throw new CellError(problem);
    return sku;
  },
  text(max: number) {
    return (v: string): string => {
      if (v.length > max) throw new CellError(`must be at most ${max} characters`);
      return v;
    };
  },
  bool(v: string): boolean {
    const l = v.toLowerCase();
    if (TRUE.has(l)) return true;
    if (FALSE.has(l)) return false;
    throw new CellError('must be true or false');
  },
  type(v: string): ProductType {
    const l = v.toLowerCase();
    if (!(PRODUCT_TYPES as readonly string[]).includes(l)) throw new CellError(`must be one of ${PRODUCT_TYPES.join(', ')}`);
    return l as ProductType;
  },
  tags(v: string): string[] {
    const tags = [...new Set(v.split('|').map((t) => t.trim()).filter(Boolean))];
    if (tags.length > 20) throw new CellError('at most 20 tags');
    const long = tags.find((t) => t.length > 40);
    if (long) throw new CellError(`tag "${long.slice(0, 20)}…" is longer than 40 characters`);
    return tags;
  },
  barcodes(v: string): string[] {
    const codes = v.split('|').map(normalizeBarcode).filter(Boolean);
    if (codes.length > 20) throw new CellError('at most 20 barcodes per variant');
    for (const [i, code] of codes.entries()) {
      const problem = codeProblem(code);
      if (problem) throw new CellError(`barcode ${code}: ${problem}`);
      if (codes.indexOf(code) !== i) throw new CellError(`barcode ${code} is listed twice`);
    }
    return codes;
  },
  categoryPath(v: string): string[] {
    const names = splitCategoryPath(v);
    if (names.some((n) => n.length === 0)) throw new CellError('a category path is names separated by /, e.g. Drinks/Coffee, with no empty names');
    if (names.length > 10) throw new CellError('at most 10 levels');
    const long = names.find((n) => n.length > 100);
    if (long) throw new CellError(`category name "${long.slice(0, 20)}…" is longer than 100 characters`);
    return names;
  },
  /** Major units with a dot, at most `exponent` decimals → minor units. Never goes through a float. */
  money(exponent: number) {
    return (v: string): bigint => {
      if (v.startsWith('-')) throw new CellError('must not be negative');
      if (/^\d{1,3}([,.\s]\d{3})+([.,]\d+)?$/.test(v) && !/^\d+(\.\d+)?$/.test(v)) throw new CellError('no thousands separators; write 25000.00');
      if (/^\d+,\d{1,2}$/.test(v)) throw new CellError(`use a dot for decimals: ${v.replace(',', '.')}`);
      const m = /^(\d{1,16})(?:\.(\d+))?$/.exec(v);
      if (!m) throw new CellError('must be an amount such as 25000 or 25000.50');
      const frac = m[2] ?? '';
      if (frac.length > exponent) throw new CellError(exponent === 0 ? 'this currency has no decimals' : `at most ${exponent} decimals`);
      const minor = BigInt(m[1]!) * 10n ** BigInt(exponent) + BigInt(frac.padEnd(exponent, '0') || '0');
      if (minor > BigInt(Number.MAX_SAFE_INTEGER)) throw new CellError('is too large');
      return minor;
    };
  },
};

/** Minor units → the CSV's major-unit text (2500000, exponent 2 → "25000.00"). */
export function formatMoney(minor: bigint, exponent: number): string {
  if (exponent === 0) return minor.toString();
  const s = minor.toString().padStart(exponent + 1, '0');
  return `${s.slice(0, -exponent)}.${s.slice(-exponent)}`;
}

/** `Drinks/Hot \/ Iced` → ['Drinks', 'Hot / Iced']; each name trimmed. */
export function splitCategoryPath(path: string): string[] {
  const names: string[] = [];
  let current = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (c === '\\' && (path[i + 1] === '/' || path[i + 1] === '\\')) current += path[++i];
    else if (c === '/') {
      names.push(current.trim());
      current = '';
    } else current += c;
  }
  names.push(current.trim());
  return names;
}

export const joinCategoryPath = (names: readonly string[]): string => names.map((n) => n.replace(/\\/g, '\\\\').replace(/\//g, '\\/')).join('/');
