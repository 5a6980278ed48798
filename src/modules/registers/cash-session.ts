import { z } from 'zod';
import { minorUnitsField } from '../catalog/index.js';
import { uuidField } from '../../platform/validation.js';

/**
 * Cash-drawer sessions, the pure part: counting a drawer by denomination, variance and its kind, when a
 * close needs a manager, and the inputs both transports validate. A session's expected cash is its float
 * plus every cash entry of its ledger (sales net of change, voided payments, cash refunds, pay-ins and outs).
 */

export const SESSION_STATUSES = ['OPEN', 'RECONCILING', 'CLOSED'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];
export const ENTRY_KINDS = ['FLOAT', 'PAY_IN', 'PAY_OUT', 'NO_SALE', 'PAYMENT', 'PAYMENT_VOID', 'REFUND', 'SALE'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];
export const MOVEMENT_KINDS = ['PAY_IN', 'PAY_OUT', 'NO_SALE'] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

/** Denomination in minor units (a decimal string key) → how many notes or coins. */
export type DenominationCount = Record<string, number>;

const MAX_COUNT = 1_000_000;
export const denominationCountField = () =>
  z
    .record(z.string().regex(/^[1-9]\d{0,14}$/, 'denominations are positive integers in minor units, e.g. "100000"'), z.number().int('counts are whole numbers').min(0, 'counts must not be negative').max(MAX_COUNT))
    .refine((c) => Object.keys(c).length <= 50, 'at most 50 denominations')
    .describe('Denomination in minor units → count, e.g. {"100000": 3, "50000": 2}');

/** Σ denomination × count, exact. */
export function countTotal(count: DenominationCount): bigint {
  return Object.entries(count).reduce((s, [d, n]) => s + BigInt(d) * BigInt(n), 0n);
}

/** counted − expected: negative is a shortage, positive an overage, zero balanced. Never adjusted. */
export const varianceOf = (counted: bigint, expected: bigint): bigint => counted - expected;
export type VarianceKind = 'SHORTAGE' | 'OVERAGE' | 'BALANCED';
export const varianceKind = (v: bigint): VarianceKind => (v < 0n ? 'SHORTAGE' : v > 0n ? 'OVERAGE' : 'BALANCED');
/** A variance whose size is above the tenant's threshold needs someone with pos:session:reconcile. */
export const needsApproval = (v: bigint, threshold: bigint): boolean => (v < 0n ? -v : v) > threshold;

/** The float or the count, whichever was given; both given must agree. Returns undefined when neither was. */
export function amountOrCount(amount: bigint | undefined, count: DenominationCount | undefined): { total: bigint; mismatch: boolean } | undefined {
  if (amount === undefined && count === undefined) return undefined;
  const counted = count === undefined ? undefined : countTotal(count);
  const total = amount ?? counted!;
  return { total, mismatch: counted !== undefined && amount !== undefined && counted !== amount };
}

const reason = () => z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters');

export const openSessionInput = z.strictObject({
  terminal_id: uuidField().optional().describe('Required, except from a paired device: its own terminal'),
  opening_float: minorUnitsField().optional().describe('The counted float as a total (or give opening_count)'),
  opening_count: denominationCountField().optional(),
  handover_from: uuidField().optional().describe('A closed session of this terminal whose counted cash this one takes over as its float'),
  blind: z.boolean().optional().describe('Blind close: the cashier is never shown the expected cash or the variance'),
  note: reason().optional(),
});
export type OpenSessionInput = z.input<typeof openSessionInput>;

export const movementInput = z
  .strictObject({
    kind: z.enum(MOVEMENT_KINDS),
    amount: minorUnitsField().optional().describe('Required and > 0 for PAY_IN and PAY_OUT; absent for NO_SALE'),
    reason: reason(),
  })
  .superRefine((m, c) => {
    const amount = m.amount === undefined ? undefined : BigInt(m.amount);
    if (m.kind === 'NO_SALE' && amount !== undefined && amount !== 0n) c.addIssue({ code: 'custom', path: ['amount'], message: 'a no-sale moves no money' });
    if (m.kind !== 'NO_SALE' && (amount === undefined || amount <= 0n)) c.addIssue({ code: 'custom', path: ['amount'], message: `${m.kind} needs an amount greater than 0` });
  });
export type MovementInput = z.input<typeof movementInput>;

export const closeSessionInput = z.strictObject({
  counted_cash: minorUnitsField().optional().describe('The counted cash as a total (or give closing_count)'),
  closing_count: denominationCountField().optional(),
  note: reason().optional(),
});
export type CloseSessionInput = z.input<typeof closeSessionInput>;

export const approveSessionInput = z.strictObject({ note: reason().optional() });

export const listSessionsQuery = z.object({
  terminal_id: uuidField().optional(),
  status: z.enum(SESSION_STATUSES).optional(),
  needs_review: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
});

export const registerSettingsInput = z.strictObject({
  require_open_session: z.boolean().optional(),
  variance_approval_threshold: minorUnitsField().optional(),
  auto_close: z.boolean().optional(),
  pin_max_failures: z.number().int().min(1).max(20).optional(),
  pin_lockout_minutes: z.number().int().min(1).max(1440).optional(),
});
export type RegisterSettingsInput = z.input<typeof registerSettingsInput>;
