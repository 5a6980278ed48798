import { localTime } from '../catalog/index.js';

/**
 * The outlet's business day of an instant: its local date in the outlet's IANA time zone, moved back one day
 * when the local time is before the outlet's cut-off (a bar open until 03:00 with a 04:00 cut-off books the
 * 02:30 sale on the evening's date). Daily figures, receipts lists and reports all use it.
 */
export function businessDate(at: Date, timeZone: string, cutoffMinutes: number): string {
  // The answer changes at most once a minute; Intl is the cost, so remember the last few minutes' answers.
  const key = `${timeZone}|${cutoffMinutes}|${Math.floor(at.getTime() / 60_000)}`;
  const hit = recent.get(key);
  if (hit) return hit;
  const local = localTime(at, timeZone);
  const day = local.minute >= cutoffMinutes ? local.date : previousDay(local.date);
  if (recent.size >= 256) recent.clear();
  recent.set(key, day);
  return day;
}

const recent = new Map<string, string>();

/** YYYY-MM-DD of the day before (calendar arithmetic in UTC, where days have no DST). */
export function previousDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}
