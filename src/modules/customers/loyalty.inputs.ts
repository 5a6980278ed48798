import { z } from 'zod';
import { pageRequestSchema } from '../../platform/pagination.js';
import { uuidField } from '../../platform/validation.js';

const count = (max: number) => z.number().int('must be a whole number').min(0, 'must be 0 or more').max(max, `must be at most ${max}`);
/**
 * Minor units or points: an integer, or a string of digits (int64 over JSON). Parsed to a canonical decimal
 * string, not a bigint: the route validates a body and the service parses it again, so the output must be
 * valid input too. `big` turns it into the bigint the services use.
 */
const positive = z
  .union([z.number().int('must be a whole number').refine((n) => Number.isSafeInteger(n), 'is too large'), z.string().regex(/^-?\d{1,18}$/, 'must be a whole number')])
  .transform((v) => BigInt(v).toString());
export const big = (v: string): bigint => BigInt(v);

export const loyaltySettingsInput = z.strictObject({
  phone_country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as ID').optional(),
  loyalty_enabled: z.boolean().optional(),
  earn_per_amount: positive.refine((v) => BigInt(v) > 0n, 'must be greater than 0').optional().describe('Spend (minor units) that earns earn_points'),
  earn_points: count(1_000_000).optional(),
  points_per_visit: count(1_000_000).optional(),
  item_rules: z
    .array(z.strictObject({ product_id: uuidField().optional(), category_id: uuidField().optional(), points: count(1_000_000) }).refine((r) => Boolean(r.product_id) !== Boolean(r.category_id), 'name exactly one of product_id or category_id'))
    .max(200, 'at most 200 rules')
    .optional(),
  tiers: z
    .array(z.strictObject({ name: z.string().trim().min(1, 'must not be empty').max(50, 'must be at most 50 characters'), threshold: positive.refine((v) => BigInt(v) >= 0n, 'must be 0 or more'), multiplier_percent: count(1000) }))
    .max(20, 'at most 20 tiers')
    .refine((ts) => new Set(ts.map((t) => t.name.toLowerCase())).size === ts.length, 'tier names must be unique')
    .optional(),
  point_value: positive.refine((v) => BigInt(v) > 0n, 'must be greater than 0').optional().describe('What one point pays, in minor units'),
  points_expire_days: z.number().int('must be a whole number').min(1, 'must be at least 1').max(3650, 'must be at most 3650').nullable().optional(),
});

export const pointsChangeInput = z.strictObject({
  points: positive.refine((v) => BigInt(v) !== 0n, 'must not be 0'),
  reason: z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters').optional(),
  order_id: uuidField().optional(),
  idempotency_key: z.string().min(1).max(255).optional().describe('Makes the change safe to retry: the same key never changes the balance twice'),
});

export const creditChangeInput = z.strictObject({
  amount: positive.refine((v) => BigInt(v) !== 0n, 'must not be 0').describe('Minor units; negative takes credit away'),
  reason: z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters').optional(),
  idempotency_key: z.string().min(1).max(255).optional(),
});

export const entriesQuery = pageRequestSchema.extend({ account: z.enum(['points', 'credit']).optional() });
