import { z } from 'zod';

/**
 * SKUs and barcodes are what a cashier types or a scanner sends, so they are compared in one canonical form:
 *  - SKU: surrounding spaces trimmed, upper-cased ("ice-latte-001 " is ICE-LATTE-001); 1–64 printable ASCII
 *    characters without spaces. Unique per tenant across products and variants together.
 *  - Barcode: every space removed (scanners and people group digits: "8 992761 002015"), upper-cased; 1–64
 *    printable ASCII characters. Unique per tenant; a variant may have many.
 * A lookup code is normalised as a barcode; because SKUs hold no spaces, the same string also finds a SKU.
 */
export const MAX_CODE_LENGTH = 64;
const PRINTABLE = /^[\x21-\x7e]+$/;

export const normalizeSku = (raw: string): string => raw.trim().toUpperCase();
export const normalizeBarcode = (raw: string): string => raw.replace(/\s+/g, '').toUpperCase();
export const normalizeLookupCode = normalizeBarcode;

/** Why `code` (already normalised) is not acceptable, or undefined when it is. */
export function codeProblem(code: string): string | undefined {
  if (code.length === 0) return 'must not be empty';
  if (code.length > MAX_CODE_LENGTH) return `must be at most ${MAX_CODE_LENGTH} characters`;
  if (!PRINTABLE.test(code)) return 'printable ASCII characters only, no spaces inside';
  return undefined;
}

const codeField = (normalize: (s: string) => string) =>
  z
    .string()
    .transform(normalize)
    .superRefine((v, c) => {
      const problem = codeProblem(v);
      if (problem) c.addIssue({ code: 'custom', message: problem });
    });

export const skuField = () => codeField(normalizeSku).describe('Unique per tenant across products and variants; trimmed and upper-cased');
export const barcodeField = () => codeField(normalizeBarcode).describe('Spaces removed, upper-cased; unique per tenant');

/** Barcodes of one variant: distinct after normalisation, at most 20. */
export const barcodeListField = () =>
  z
    .array(barcodeField())
    .max(20, 'at most 20 barcodes per variant')
    .superRefine((codes, c) => {
      const seen = new Set<string>();
      codes.forEach((code, i) => {
        if (seen.has(code)) c.addIssue({ code: 'custom', path: [i], message: `duplicates barcode ${code}` });
        seen.add(code);
      });
    });

/** The first value that occurs twice in `values` (ignoring null/undefined), with the indexes of both. */
export function firstDuplicate(values: readonly (string | null | undefined)[]): { value: string; first: number; second: number } | undefined {
  const seen = new Map<string, number>();
  for (const [i, v] of values.entries()) {
    if (v === null || v === undefined) continue;
    const first = seen.get(v);
    if (first !== undefined) return { value: v, first, second: i };
    seen.set(v, i);
  }
  return undefined;
}
