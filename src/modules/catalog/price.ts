import { z } from 'zod';
import { AppError } from '../../platform/errors.js';
import { uuidField } from '../../platform/validation.js';
import { PriceErrors } from './price.errors.js';
import { CHANNELS } from './price-resolver.js';

/**
 * A money amount on the wire: integer minor units, as a JSON integer or a decimal-integer string (gRPC int64
 * arrives as a string in proto JSON: `"amount": "2500000"`). Fractions, exponents and values beyond
 * Number.MAX_SAFE_INTEGER (which JSON could not carry exactly) are refused; negatives only when `signed`.
 * The parsed value is the canonical decimal string (a valid input again, so the route and the service can both
 * parse the same body); `minorUnits()` turns it into the bigint the database stores.
 */
export const minorUnitsField = (opts: { signed?: boolean } = {}) =>
  z
    .union([z.number(), z.string()], { error: 'must be an integer amount in minor units, e.g. 2500000' })
    .transform((v, c): string => {
      const bad = (message: string) => {
        c.addIssue({ code: 'custom', message });
        return z.NEVER;
      };
      let n: bigint;
      if (typeof v === 'number') {
        if (!Number.isFinite(v) || !Number.isInteger(v)) return bad('must be a whole number of minor units (2500000 is Rp 25,000), not a fraction');
        if (!Number.isSafeInteger(v)) return bad(`must be at most ${Number.MAX_SAFE_INTEGER} in magnitude`);
        n = BigInt(v);
      } else {
        if (!/^-?\d{1,20}$/.test(v.trim())) return bad('must be an integer in minor units, e.g. "2500000"');
        n = BigInt(v.trim());
        if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < -BigInt(Number.MAX_SAFE_INTEGER)) return bad(`must be at most ${Number.MAX_SAFE_INTEGER} in magnitude`);
      }
      if (n < 0n && !opts.signed) return bad('must not be negative');
      return n.toString();
    })
    .describe(`Integer minor units (e.g. 2500000 = Rp 25,000), as a JSON integer or a decimal string${opts.signed ? '; may be negative' : ''}`);

/** A parsed `minorUnitsField` value as the bigint minor units the database stores. */
export const minorUnits = (canonical: string): bigint => BigInt(canonical);

export const currencyCodeField = () => z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as IDR').describe('ISO 4217; must be the tenant’s currency');
export const instantField = () => z.iso.datetime({ offset: true, error: 'must be an RFC 3339 date-time such as 2024-05-03T16:30:00+07:00' });

const priceFields = {
  amount: minorUnitsField(),
  currency: currencyCodeField(),
  outlet_id: uuidField().optional().describe('Price for this outlet only (its outlet price book); the default price book when omitted'),
};

/** SetPrice exactly as seed 000 sends it: {"variant_id", "amount": "2500000", "currency": "IDR"}. */
export const setPriceInput = z.strictObject({ variant_id: uuidField(), ...priceFields });
/** PUT /variants/{id}/price: the same without the id, which the path carries. */
export const variantPriceInput = z.strictObject(priceFields);
export type SetPriceInput = z.input<typeof setPriceInput>;
export type VariantPriceInput = z.input<typeof variantPriceInput>;

const queryFields = {
  outlet_id: uuidField().optional().describe('Where the sale happens; its time zone evaluates hour and day conditions'),
  channel: z.enum(CHANNELS).optional(),
  customer_group_id: uuidField().optional(),
  at: instantField().optional().describe('When the sale happens; now when omitted'),
};

/** "The price of V at outlet O for channel C and customer group K at time T". */
export const priceQueryInput = z.object(queryFields);
export const resolvePricesInput = z.strictObject({
  ...queryFields,
  variant_ids: z.array(uuidField()).min(1, 'name at least one variant').max(100, 'at most 100 variants per call'),
});
export type PriceQueryInput = z.input<typeof priceQueryInput>;
export type ResolvePricesInput = z.input<typeof resolvePricesInput>;

/** Refuses a currency other than the tenant's: 400 PRICE_CURRENCY_MISMATCH naming `field`. */
export function assertTenantCurrency(tenantCurrency: string, given: string | undefined, field = 'currency'): void {
  if (given === undefined || given === tenantCurrency) return;
  const message = `must be ${tenantCurrency}, the tenant’s currency`;
  throw new AppError(PriceErrors.PRICE_CURRENCY_MISMATCH, { field, expected: tenantCurrency, given, fields: [{ field, message }] }, `${field} ${message} (got ${given})`);
}
