/**
 * The one price resolver: "the price of variant V at outlet O for channel C and customer group K at time T".
 * Pure: the caller loads the variant's prices with their books and the outlet's time zone.
 *
 * Rules, in order:
 *  1. Archived or inactive books never apply.
 *  2. A non-default book applies only when every condition it sets matches (a condition the query cannot
 *     answer, e.g. a channel book when no channel is given, does not match).
 *  3. Among applicable books the highest priority wins; ties go to the more specific book (more conditions
 *     set), then to the later created one (then the larger id, so the answer never depends on input order).
 *  4. The default book is the fallback: it answers only when no other book applies.
 *  5. No applicable price at all → undefined (the service turns it into PRICE_NOT_FOUND).
 *
 * Time conditions are evaluated in the outlet's IANA time zone. Local hours are [start, end) minutes after
 * midnight; end < start spans midnight, and such a window belongs to the day it starts on, so a Friday
 * 22:00–02:00 window applies at 01:00 on Saturday morning and not at 01:00 on Friday.
 */

/** Order types and price-book channels (issue 4's order types). */
export const CHANNELS = ['dine_in', 'takeaway', 'delivery', 'kiosk', 'online', 'bar_tab'] as const;
export type Channel = (typeof CHANNELS)[number];

/** ISO weekday names, Monday first: bit i of days_of_week is WEEKDAYS[i]. */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** What the resolver reads of a price book (a `PriceBook` row is one). */
export interface BookRules {
  id: string;
  name: string;
  isDefault: boolean;
  priority: number;
  active: boolean;
  archivedAt: Date | null;
  createdAt: Date;
  outletId: string | null;
  channel: string | null;
  customerGroupId: string | null;
  startsAt: Date | null;
  endsAt: Date | null;
  /** Bit i set = ISO weekday i+1 (bit 0 Monday … bit 6 Sunday); null = every day. */
  daysOfWeek: number | null;
  /** Local minutes after midnight, [start, end); end < start spans midnight. Both null or both set. */
  startMinute: number | null;
  endMinute: number | null;
}

/** One book's price for the variant: the resolver's candidates. */
export interface PriceCandidate {
  book: BookRules;
  /** Minor units. */
  amount: bigint;
  currency: string;
}

export interface PriceQuery {
  outletId?: string | undefined;
  channel?: string | undefined;
  customerGroupId?: string | undefined;
  at: Date;
  /** The outlet's IANA time zone (the tenant's when no outlet is given). */
  timeZone: string;
}

export type ConditionName = 'outlet' | 'channel' | 'customer_group' | 'date_range' | 'days_of_week' | 'hours';

export interface ConditionCheck {
  condition: ConditionName;
  matched: boolean;
  detail: string;
}

export type Outcome = 'won' | 'not_matching' | 'inactive' | 'archived' | 'lower_priority' | 'less_specific' | 'created_earlier' | 'tie_broken_by_id' | 'fallback_not_needed';

export interface CandidateReport {
  priceBookId: string;
  priceBookName: string;
  isDefault: boolean;
  priority: number;
  /** Number of conditions the book sets. */
  specificity: number;
  amount: bigint;
  currency: string;
  outcome: Outcome;
  detail: string;
  conditions: ConditionCheck[];
}

export interface PriceReason {
  summary: string;
  /** The query's instant as the outlet sees it, e.g. `Fri 2024-05-03 17:05 Asia/Jakarta`. */
  localTime: string;
  /** The winner's conditions, all matched (empty for the default book). */
  matched: ConditionCheck[];
  /** Every book that has a price for the variant, winner first, then in the order they lost. */
  candidates: CandidateReport[];
}

export interface PriceResolution {
  amount: bigint;
  currency: string;
  priceBookId: string;
  priceBookName: string;
  reason: PriceReason;
}

export interface LocalTime {
  /** ISO weekday, 1 = Monday … 7 = Sunday. */
  weekday: number;
  /** Minutes after local midnight, 0–1439. */
  minute: number;
  /** YYYY-MM-DD, local. */
  date: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
const SHORT_DAYS: Record<string, number> = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };

/** The wall-clock weekday and minute of `at` in `timeZone` (Intl does the DST arithmetic). */
export function localTime(at: Date, timeZone: string): LocalTime {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
    formatters.set(timeZone, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(at)) p[part.type] = part.value;
  return { weekday: SHORT_DAYS[p.weekday!]!, minute: (Number(p.hour) % 24) * 60 + Number(p.minute), date: `${p.year}-${p.month}-${p.day}` };
}

export const clock = (minute: number): string => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
export const dayName = (isoWeekday: number): Weekday => WEEKDAYS[isoWeekday - 1]!;
export const daysFromMask = (mask: number): Weekday[] => WEEKDAYS.filter((_, i) => (mask & (1 << i)) !== 0);
export const maskFromDays = (days: readonly Weekday[]): number => days.reduce((m, d) => m | (1 << WEEKDAYS.indexOf(d)), 0);

const same = (name: ConditionName, label: string, want: string | null, given: string | undefined): ConditionCheck | undefined => {
  if (want === null) return undefined;
  if (given === want) return { condition: name, matched: true, detail: `${label} is ${want}` };
  return { condition: name, matched: false, detail: given === undefined ? `no ${label} given; the book is for ${label} ${want}` : `${label} ${given} is not ${want}` };
};

/** Each condition the book sets, checked against the query. A book with none (the default) returns []. */
export function checkConditions(book: BookRules, q: PriceQuery, local: LocalTime = localTime(q.at, q.timeZone)): ConditionCheck[] {
  const checks: (ConditionCheck | undefined)[] = [
    same('outlet', 'outlet', book.outletId, q.outletId),
    same('channel', 'channel', book.channel, q.channel),
    same('customer_group', 'customer group', book.customerGroupId, q.customerGroupId),
  ];
  if (book.startsAt || book.endsAt) {
    const t = q.at.getTime();
    const afterStart = !book.startsAt || t >= book.startsAt.getTime();
    const beforeEnd = !book.endsAt || t < book.endsAt.getTime();
    const range = `${book.startsAt?.toISOString() ?? '…'} to ${book.endsAt?.toISOString() ?? '…'}`;
    checks.push({
      condition: 'date_range',
      matched: afterStart && beforeEnd,
      detail: afterStart && beforeEnd ? `${q.at.toISOString()} is within ${range}` : `${q.at.toISOString()} is ${afterStart ? 'after' : 'before'} ${range}`,
    });
  }
  // A window that spans midnight belongs to the day it starts: after midnight, "today" for the days check is yesterday.
  let serviceDay = local.weekday;
  if (book.startMinute !== null && book.endMinute !== null) {
    const { startMinute: s, endMinute: e } = book;
    const window = `${clock(s)}–${clock(e)}`;
    const inEvening = local.minute >= s && (s < e ? local.minute < e : true);
    const inMorning = s > e && local.minute < e;
    if (inMorning) serviceDay = local.weekday === 1 ? 7 : local.weekday - 1;
    const matched = inEvening || inMorning;
    checks.push({ condition: 'hours', matched, detail: `local time ${clock(local.minute)} is ${matched ? 'inside' : 'outside'} ${window}${s > e ? ' (spans midnight)' : ''}` });
  }
  if (book.daysOfWeek !== null) {
    const days = daysFromMask(book.daysOfWeek);
    const matched = (book.daysOfWeek & (1 << (serviceDay - 1))) !== 0;
    const which = serviceDay === local.weekday ? dayName(serviceDay) : `${dayName(serviceDay)} (the window started the day before)`;
    checks.push({ condition: 'days_of_week', matched, detail: `${which} is ${matched ? '' : 'not '}one of ${days.join(', ')}` });
  }
  return checks.filter((c): c is ConditionCheck => c !== undefined);
}

/** How many conditions a book sets: the tie-breaker after priority. */
export function specificity(book: BookRules): number {
  let n = 0;
  if (book.outletId !== null) n++;
  if (book.channel !== null) n++;
  if (book.customerGroupId !== null) n++;
  if (book.startsAt !== null || book.endsAt !== null) n++;
  if (book.daysOfWeek !== null) n++;
  if (book.startMinute !== null) n++;
  return n;
}

/** > 0 when `a` beats `b` among applicable non-default books. */
function compare(a: BookRules, b: BookRules): number {
  return a.priority - b.priority || specificity(a) - specificity(b) || a.createdAt.getTime() - b.createdAt.getTime() || (a.id > b.id ? 1 : a.id < b.id ? -1 : 0);
}

function whyLost(loser: BookRules, winner: BookRules): { outcome: Outcome; detail: string } {
  if (loser.priority !== winner.priority) return { outcome: 'lower_priority', detail: `priority ${loser.priority} < ${winner.priority} of ${winner.name}` };
  if (specificity(loser) !== specificity(winner)) return { outcome: 'less_specific', detail: `same priority, but ${specificity(loser)} conditions < ${specificity(winner)} of ${winner.name}` };
  if (loser.createdAt.getTime() !== winner.createdAt.getTime()) return { outcome: 'created_earlier', detail: `same priority and specificity, created before ${winner.name}` };
  return { outcome: 'tie_broken_by_id', detail: `identical rank to ${winner.name}; the larger id wins` };
}

const describeTime = (q: PriceQuery, l: LocalTime): string => `${dayName(l.weekday)} ${l.date} ${clock(l.minute)} ${q.timeZone}`;

interface Evaluation {
  local: LocalTime;
  reports: Map<PriceCandidate, CandidateReport>;
  /** Usable non-default books whose conditions all match, best first. */
  applicable: PriceCandidate[];
  fallback: PriceCandidate | undefined;
}

function evaluate(candidates: readonly PriceCandidate[], q: PriceQuery, local: LocalTime): Evaluation {
  const reports = new Map<PriceCandidate, CandidateReport>();
  const applicable: PriceCandidate[] = [];
  let fallback: PriceCandidate | undefined;
  for (const c of candidates) {
    const b = c.book;
    const conditions = b.isDefault ? [] : checkConditions(b, q, local);
    const report: CandidateReport = {
      priceBookId: b.id,
      priceBookName: b.name,
      isDefault: b.isDefault,
      priority: b.priority,
      specificity: specificity(b),
      amount: c.amount,
      currency: c.currency,
      outcome: 'not_matching',
      detail: '',
      conditions,
    };
    reports.set(c, report);
    const failed = conditions.filter((x) => !x.matched);
    if (b.archivedAt) Object.assign(report, { outcome: 'archived', detail: 'the book is archived' });
    else if (!b.active) Object.assign(report, { outcome: 'inactive', detail: 'the book is inactive' });
    else if (failed.length) report.detail = failed.map((x) => x.detail).join('; ');
    else if (b.isDefault) fallback = c;
    else applicable.push(c);
  }
  applicable.sort((a, b) => compare(b.book, a.book));
  return { local, reports, applicable, fallback };
}

const RANK: Record<Outcome, number> = { won: 0, lower_priority: 1, less_specific: 1, created_earlier: 1, tie_broken_by_id: 1, fallback_not_needed: 2, not_matching: 3, inactive: 4, archived: 5 };

function ordered(reports: Map<PriceCandidate, CandidateReport>): CandidateReport[] {
  return [...reports.entries()]
    .sort(([ca, a], [cb, b]) => RANK[a.outcome] - RANK[b.outcome] || (RANK[a.outcome] === 1 ? compare(cb.book, ca.book) : 0))
    .map(([, r]) => r);
}

/** Why each candidate does or does not apply, without choosing: what a "no price applies" error explains. */
export function explainCandidates(candidates: readonly PriceCandidate[], q: PriceQuery): { localTime: string; candidates: CandidateReport[] } {
  const e = evaluate(candidates, q, localTime(q.at, q.timeZone));
  return { localTime: describeTime(q, e.local), candidates: ordered(e.reports) };
}

/**
 * Resolves the price from the variant's candidates; undefined when no book applies. `local` is `q.at` in
 * `q.timeZone`; a caller resolving many variants for one query computes it once (Intl is most of the cost).
 */
export function resolvePrice(candidates: readonly PriceCandidate[], q: PriceQuery, local: LocalTime = localTime(q.at, q.timeZone)): PriceResolution | undefined {
  const { reports, applicable, fallback } = evaluate(candidates, q, local);
  const winner = applicable[0] ?? fallback;
  if (!winner) return undefined;
  const w = reports.get(winner)!;
  w.outcome = 'won';
  w.detail = winner.book.isDefault ? 'no other book applies; the default book is the fallback' : w.conditions.length ? `every condition matches: ${w.conditions.map((x) => x.condition).join(', ')}` : 'the book sets no conditions';
  for (const c of applicable.slice(1)) Object.assign(reports.get(c)!, whyLost(c.book, winner.book));
  if (fallback && fallback !== winner) Object.assign(reports.get(fallback)!, { outcome: 'fallback_not_needed', detail: `${winner.book.name} applies, so the default book is not used` });
  const lost = reports.size - 1;
  return {
    amount: winner.amount,
    currency: winner.currency,
    priceBookId: winner.book.id,
    priceBookName: winner.book.name,
    reason: {
      summary: `${winner.book.name} (priority ${winner.book.priority}) wins: ${w.detail}${lost ? `; ${lost} other book${lost === 1 ? '' : 's'} with a price did not` : ''}`,
      localTime: describeTime(q, local),
      matched: w.conditions,
      candidates: ordered(reports),
    },
  };
}

/**
 * The books that answer for query `q`, in the order they answer, whatever the variant: the applicable
 * non-default books best first, then the default book. A book's conditions and rank do not depend on the
 * variant, so the price resolvePrice picks from a variant's candidates is always its price in the first of
 * these books that has one (price-resolver.test.ts checks this against resolvePrice). A page of many variants
 * is then priced by the database with one ordered probe per variant, without loading every candidate.
 */
export function bookPrecedence(books: readonly BookRules[], q: PriceQuery, local: LocalTime = localTime(q.at, q.timeZone)): string[] {
  const usable = books.filter((b) => b.active && !b.archivedAt);
  const applicable = usable.filter((b) => !b.isDefault && checkConditions(b, q, local).every((c) => c.matched)).sort((a, b) => compare(b, a));
  return [...applicable, ...usable.filter((b) => b.isDefault)].map((b) => b.id);
}
