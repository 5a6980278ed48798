import { z } from 'zod';
import type { FieldIssue } from '../../platform/errors.js';
import { nameField, uuidField } from '../../platform/validation.js';
import { currencyCodeField, instantField, minorUnitsField } from './price.js';
import { CHANNELS, WEEKDAYS, maskFromDays } from './price-resolver.js';
import type { PriceBook } from './catalog.schema.js';

/** "HH:MM" local time; `24:00` is allowed as an end ("until midnight"). */
const clockField = (allowMidnightEnd: boolean) =>
  z
    .string()
    .regex(allowMidnightEnd ? /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/ : /^([01]\d|2[0-3]):[0-5]\d$/, `must be HH:MM, 00:00 to ${allowMidnightEnd ? '24:00' : '23:59'}`);

/** "HH:MM" (already validated) → minutes after midnight; "24:00" is 1440. */
const minuteOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

const daysField = () =>
  z
    .array(z.enum(WEEKDAYS, { error: `must be one of ${WEEKDAYS.join(', ')}` }))
    .min(1, 'name at least one day, or null for every day')
    .max(7)
    .superRefine((days, c) => days.forEach((d, i) => days.indexOf(d) !== i && c.addIssue({ code: 'custom', path: [i], message: `${d} is listed twice` })));

/** Conditions: each null or omitted means "any". */
const conditionFields = {
  outlet_id: uuidField().nullable().optional(),
  channel: z.enum(CHANNELS).nullable().optional(),
  customer_group_id: uuidField().nullable().optional().describe('A customer group id (customers module); stored as given'),
  starts_at: instantField().nullable().optional().describe('Applies from this instant (inclusive)'),
  ends_at: instantField().nullable().optional().describe('Applies until this instant (exclusive)'),
  days_of_week: daysField().nullable().optional().describe('Local days on which it applies, e.g. ["mon","fri"]'),
  hours_start: clockField(false).nullable().optional().describe('Local time at the outlet from which it applies, HH:MM'),
  hours_end: clockField(true).nullable().optional().describe('Local time until which it applies (exclusive), HH:MM; earlier than hours_start spans midnight'),
};

const bookFields = {
  name: nameField(),
  priority: z.number().int('must be an integer').min(-1000).max(1000).optional().describe('Higher wins among books whose conditions all match; default 0'),
  currency: currencyCodeField().optional(),
  active: z.boolean().optional(),
  ...conditionFields,
};

export const createPriceBookInput = z.strictObject(bookFields);
export const updatePriceBookInput = z.strictObject({ ...bookFields, name: nameField().optional() });
export type CreatePriceBookInput = z.input<typeof createPriceBookInput>;
export type UpdatePriceBookInput = z.input<typeof updatePriceBookInput>;
type BookPatch = z.output<typeof updatePriceBookInput>;

export const setBookPricesInput = z.strictObject({
  set: z
    .array(z.strictObject({ variant_id: uuidField(), amount: minorUnitsField() }))
    .max(1000, 'at most 1000 prices per call')
    .optional(),
  remove: z.array(uuidField()).max(1000, 'at most 1000 prices per call').optional().describe('Variant ids whose price in this book is removed'),
});
export type SetBookPricesInput = z.input<typeof setBookPricesInput>;

/** The condition columns of a book. */
export type BookConditions = Pick<PriceBook, 'outletId' | 'channel' | 'customerGroupId' | 'startsAt' | 'endsAt' | 'daysOfWeek' | 'startMinute' | 'endMinute'>;

export const NO_CONDITIONS: BookConditions = { outletId: null, channel: null, customerGroupId: null, startsAt: null, endsAt: null, daysOfWeek: null, startMinute: null, endMinute: null };

const pick = <T>(patch: T | null | undefined, current: T | null): T | null => (patch === undefined ? current : patch);

/** The conditions after applying `patch` (undefined keeps, null clears) to `current`. */
export function mergeConditions(current: BookConditions, patch: BookPatch): BookConditions {
  return {
    outletId: pick(patch.outlet_id, current.outletId),
    channel: pick(patch.channel, current.channel),
    customerGroupId: pick(patch.customer_group_id, current.customerGroupId),
    startsAt: patch.starts_at === undefined ? current.startsAt : patch.starts_at === null ? null : new Date(patch.starts_at),
    endsAt: patch.ends_at === undefined ? current.endsAt : patch.ends_at === null ? null : new Date(patch.ends_at),
    daysOfWeek: patch.days_of_week === undefined ? current.daysOfWeek : patch.days_of_week === null ? null : maskFromDays(patch.days_of_week),
    startMinute: patch.hours_start === undefined ? current.startMinute : patch.hours_start === null ? null : minuteOf(patch.hours_start),
    endMinute: patch.hours_end === undefined ? current.endMinute : patch.hours_end === null ? null : minuteOf(patch.hours_end),
  };
}

/** Cross-field problems of a book's final conditions, each naming a field. */
export function conditionProblems(c: BookConditions): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (c.startsAt && c.endsAt && c.startsAt.getTime() >= c.endsAt.getTime()) issues.push({ field: 'ends_at', message: 'must be after starts_at' });
  if ((c.startMinute === null) !== (c.endMinute === null)) {
    issues.push({ field: c.startMinute === null ? 'hours_start' : 'hours_end', message: 'hours_start and hours_end go together' });
  } else if (c.startMinute !== null && c.endMinute !== null && c.startMinute === c.endMinute % 1440) {
    issues.push({ field: 'hours_end', message: 'must differ from hours_start (leave both out for all day)' });
  }
  return issues;
}

export const hasConditions = (c: BookConditions): boolean => Object.values(c).some((v) => v !== null);

/** The wire names of the conditions a book sets, for "the default book cannot have …" messages. */
export function conditionFieldsSet(c: BookConditions): string[] {
  const map: [keyof BookConditions, string][] = [
    ['outletId', 'outlet_id'],
    ['channel', 'channel'],
    ['customerGroupId', 'customer_group_id'],
    ['startsAt', 'starts_at'],
    ['endsAt', 'ends_at'],
    ['daysOfWeek', 'days_of_week'],
    ['startMinute', 'hours_start'],
    ['endMinute', 'hours_end'],
  ];
  return map.filter(([k]) => c[k] !== null).map(([, f]) => f);
}
