import fc from 'fast-check';

/**
 * Hostile inputs for the fuzzers: schema-shaped values that go wrong in one place or many (wrong types, huge,
 * negative and fractional numbers, long and strange strings, injection strings, invalid UUIDs, missing and extra
 * fields, deep nesting). A generated body is either a JSON value or `{ raw }`, text sent as it is.
 */
export type Raw = { raw: string };
export const isRaw = (v: unknown): v is Raw => typeof v === 'object' && v !== null && 'raw' in v && Object.keys(v).length === 1;

const MB = 1 << 20;
export const INJECTIONS = [
  "' OR '1'='1",
  "'; DROP TABLE orders; --",
  '" OR ""="',
  '1; SELECT pg_sleep(5)',
  "$$; SELECT set_config('app.tenant_id', '00000000-0000-0000-0000-000000000001', false); --",
  '<script>alert(1)</script>',
  '{{7*7}}',
  '${7*7}',
  '../../../../etc/passwd',
  '%00',
  '\\',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\u202eevil',
  '🍜☕️🇮🇩',
  'Ｋａｓｉｒ',
  'ǅ̶̡̛͙̳̐͑ͅ',
  '__proto__',
  'constructor',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '0x10',
  '   ',
  '',
];

export const BAD_UUIDS = ['not-a-uuid', '00000000-0000-0000-0000-00000000000g', '0190000000007000800000000000c0de', '{01900000-0000-7000-8000-00000000c0de}', 'ffffffff-ffff-ffff-ffff-ffffffffffff', '00000000-0000-0000-0000-000000000000', '01900000-0000-7000-8000-00000000C0DE', "01900000-0000-7000-8000-00000000c0de' OR 1=1 --"];

export const HUGE_NUMBERS = [Number.MAX_SAFE_INTEGER + 2, 9.223372036854776e18, -9.223372036854776e18, 1e308, -1e308, 1e21, 2 ** 63, 2 ** 64, 5e-324, -0];
export const MONEY_STRINGS = ['9223372036854775808', '-9223372036854775809', '99999999999999999999999999999', '-1', '1.5', '0.001', '1e5', ' 100', '100 ', '+100', '1_000', '١٢٣', '0x1F'];

/** Digits that pass Luhn: what a full card number looks like to the scan. */
export const CARD_NUMBERS = ['4111111111111111', '5555555555554444', '378282246310005', '4242 4242 4242 4242', '4000-0566-5566-5556', '6011111111111117'];

/**
 * Generic values never look like a card number: only card fields get those (CARD_NUMBERS), so the scan's hits
 * mean Kasir kept one. (-9223372036854775809 passes Luhn, and amounts are stored as digits in JSON.)
 */
export const noCard = (v: unknown): boolean => findCardNumbers(String(v)).length === 0;

export const hostileString = (): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...INJECTIONS) },
    { weight: 3, arbitrary: fc.constantFrom(...BAD_UUIDS) },
    { weight: 2, arbitrary: fc.constantFrom(...MONEY_STRINGS) },
    { weight: 4, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 70_000 }).map((n) => 'x'.repeat(n)) },
    // a 1 MB string: above the body limit, so the request itself is refused (413)
    { weight: 1, arbitrary: fc.constant('A'.repeat(MB)) },
  ).filter(noCard);

export const hostileNumber = (): fc.Arbitrary<number> =>
  fc.oneof(
    fc.constantFrom(...HUGE_NUMBERS),
    fc.integer({ min: -1_000_000_000, max: -1 }),
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }).filter((d) => !Number.isInteger(d)),
    fc.constantFrom(0, 1, -1, 0.5, -0.5, 0.1, 2.675),
  ).filter(noCard);

/** A value of the wrong kind, of any kind. */
export const hostileValue = (): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 5, arbitrary: hostileString() },
    { weight: 4, arbitrary: hostileNumber() },
    { weight: 2, arbitrary: fc.constantFrom(null, true, false, [], {}, [null], { '': null }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 1, arbitrary: fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'a'), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }) },
  );

/** A deep nesting sent as raw JSON text (too deep to build as a value cheaply). */
export const deepJson = (): fc.Arbitrary<Raw> =>
  fc.tuple(fc.integer({ min: 100, max: 50_000 }), fc.constantFrom('[', '{"a":')).map(([depth, open]) => {
    const close = open === '[' ? ']' : '}';
    return { raw: `${open.repeat(depth)}1${close.repeat(depth)}` };
  });

export const malformedJson = (): fc.Arbitrary<Raw> =>
  fc.oneof(
    fc.constantFrom('{', '{"a":}', '[1,2', '{"a":1,}', "{'a':1}", 'null', 'true', '"str"', '1e999', '{"a":NaN}', '\u0000', '', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"polluted":1}}}'),
    fc.string({ maxLength: 60 }),
  ).map((raw) => ({ raw }));

/** The subset of JSON Schema that the OpenAPI document and our generator use. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  $ref?: string;
}

export interface GenOptions {
  /** Ids that exist in the caller's tenant, so generated references sometimes hit real rows. */
  ids: string[];
  /** Chance (0..1) that any one node is replaced by something hostile. */
  chaos: number;
  /** Object fields that carry card data: these get full card numbers now and then. */
  cardFields?: RegExp;
}

const uuidArb = (o: GenOptions) => fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...(o.ids.length ? o.ids : ['01900000-0000-7000-8000-00000000c0de'])) }, { weight: 1, arbitrary: fc.uuid({ version: 7 }) });

/** Values shaped by `schema`, each node replaced by a hostile one with probability `o.chaos`. */
export function fromSchema(schema: JsonSchema | undefined, o: GenOptions, depth = 0, field = ''): fc.Arbitrary<unknown> {
  const shaped = shapedBy(schema ?? {}, o, depth, field);
  if (o.chaos <= 0) return shaped;
  const w = Math.max(1, Math.round(o.chaos * 100));
  return fc.oneof({ weight: 100 - w, arbitrary: shaped }, { weight: w, arbitrary: hostileValue() });
}

function shapedBy(s: JsonSchema, o: GenOptions, depth: number, field: string): fc.Arbitrary<unknown> {
  if (depth > 6) return fc.constant(null);
  if (o.cardFields?.test(field)) return fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...CARD_NUMBERS) }, { weight: 3, arbitrary: typed(s, o, depth, field) });
  return typed(s, o, depth, field);
}

function typed(s: JsonSchema, o: GenOptions, depth: number, field: string): fc.Arbitrary<unknown> {
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum?.length) return fc.constantFrom(...s.enum);
  const alts = s.anyOf ?? s.oneOf;
  if (alts?.length) return fc.oneof(...alts.map((a) => fromSchema(a, o, depth + 1, field)));
  if (s.allOf?.length) return fromSchema(Object.assign({}, ...s.allOf) as JsonSchema, o, depth + 1, field);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'object':
    case undefined: {
      if (!s.properties) return type === 'object' ? fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }) : fc.jsonValue({ maxDepth: 2 });
      const required = new Set(s.required ?? []);
      const props = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, fromSchema(v, o, depth + 1, k)]));
      const base = fc.record(props, { requiredKeys: Object.keys(props).filter((k) => required.has(k)) });
      // sometimes drop a required field, sometimes add one the schema does not know
      return fc.tuple(base, fc.nat(20), fc.constantFrom(...INJECTIONS.slice(0, 5), 'tenant_id', 'extra', 'id', 'is_admin'), hostileValue()).map(([rec, dice, extraKey, extraValue]) => {
        const out = { ...(rec as Record<string, unknown>) };
        if (dice === 0 && required.size) delete out[[...required][0]!];
        if (dice === 1) out[extraKey] = extraValue;
        if (dice === 2) out.tenant_id = '00000000-0000-0000-0000-000000000001';
        return out;
      });
    }
    case 'array':
      return fc.array(fromSchema(s.items, o, depth + 1, field), { maxLength: Math.min(s.maxItems ?? 4, 4), minLength: Math.min(s.minItems ?? 0, 4) });
    case 'string':
      if (s.format === 'uuid' || /uuid/i.test(s.pattern ?? '') || /(^|_)id$/.test(field)) return uuidArb(o);
      if (s.format === 'date') return fc.constantFrom('2026-01-31', '2026-02-30', '0000-00-00', '9999-12-31');
      if (s.format === 'date-time') return fc.constantFrom('2026-01-31T00:00:00Z', 'yesterday', '2026-13-01T00:00:00Z');
      if (/amount|price|total|tip|cost/.test(field)) return fc.oneof(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).map(String), fc.constantFrom(...MONEY_STRINGS)).filter(noCard);
      return fc.oneof({ weight: 4, arbitrary: fc.string({ minLength: Math.min(s.minLength ?? 1, 3), maxLength: Math.min(s.maxLength ?? 20, 20) }) }, { weight: 1, arbitrary: hostileString() });
    case 'integer':
    case 'number':
      return fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: Math.max(s.minimum ?? -5, -1_000_000), max: Math.min(s.maximum ?? 10_000_000, 1e12) }) },
        { weight: 1, arbitrary: hostileNumber() },
      );
    case 'boolean':
      return fc.boolean();
    default:
      return fc.constant(null);
  }
}

/** Strings of 13–19 digits (spaces or dashes allowed between) that pass the Luhn check. */
export function findCardNumbers(text: string): string[] {
  const out: string[] = [];
  // UUIDs are ids, not card numbers: a hex group ending in a digit, then an all-digit group (…-add7-851000000017)
  // would otherwise read as 13 digits that happen to pass Luhn.
  text = text.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ' ');
  for (const m of text.matchAll(/(?<![0-9])(?:[0-9][ -]?){12,18}[0-9](?![0-9])/g)) {
    const digits = m[0].replace(/[ -]/g, '');
    // no card number starts with 0 or repeats one digit (zero runs in UUIDs would otherwise pass Luhn)
    if (digits.length >= 13 && digits.length <= 19 && !/^0|^(\d)\1+$/.test(digits) && luhn(digits)) out.push(m[0]);
  }
  return out;
}

export function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
