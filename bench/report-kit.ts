import { writeFileSync } from 'node:fs';

/**
 * The one result shape every module's benchmark emits, so that `npm run bench` (bench/report.ts) can put them
 * all in one table without knowing any module. A bench computes its figures, calls `emitFigures`, and is done:
 * when the report runs it, BENCH_FIGURES_FILE names where to write them; run alone, it prints them.
 */
export interface BenchFigure {
  /** What was measured, e.g. "sales: one-request checkout (3 lines, cash)". */
  figure: string;
  /** The issue's target in words ("≥ 1,500 sales/s"), or null for a figure without one (a baseline). */
  target: string | null;
  /** The headline number, in `unit`; null when it could not be measured. */
  measured: number | null;
  unit: string;
  /** What it ran on, e.g. "PostgreSQL 15.8", "PGlite", or "—" when no database is involved. */
  database: string;
  /** When it was measured (ISO 8601). */
  date: string;
  /** Whether the target is met; null without a target or a measurement. */
  met: boolean | null;
  /** Anything the number needs to be read right: latency percentiles, load, a ratio. */
  detail?: string;
}

export interface FigureInput {
  figure: string;
  measured: number | null | undefined;
  unit: string;
  database: string;
  date?: string;
  /** Met when measured ≥ atLeast (and ≤ atMost, when both are given). */
  atLeast?: number;
  atMost?: number;
  /** Extra condition (e.g. a p99 bound) that must hold too, with its words for the target column. */
  also?: { ok: boolean | null; target: string };
  detail?: string;
}

const num = (n: number): string => n.toLocaleString('en-US', { maximumFractionDigits: 2 });

/** A figure with its target and `met` computed from the bounds. */
export function figure(f: FigureInput): BenchFigure {
  const measured = f.measured ?? null;
  const bounds = [f.atLeast !== undefined ? `≥ ${num(f.atLeast)} ${f.unit}` : '', f.atMost !== undefined ? `≤ ${num(f.atMost)} ${f.unit}` : ''].filter(Boolean);
  const target = [...bounds, f.also?.target ?? ''].filter(Boolean).join(', ') || null;
  let met: boolean | null = null;
  if (target !== null && measured !== null) {
    met = (f.atLeast === undefined || measured >= f.atLeast) && (f.atMost === undefined || measured <= f.atMost);
    if (f.also) met = f.also.ok === null ? null : met && f.also.ok;
  }
  return { figure: f.figure, target, measured, unit: f.unit, database: f.database, date: f.date ?? new Date().toISOString(), met, ...(f.detail ? { detail: f.detail } : {}) };
}

/** Writes the bench's figures where the report asked (BENCH_FIGURES_FILE), and prints them. */
export function emitFigures(area: string, figures: BenchFigure[]): void {
  const file = process.env.BENCH_FIGURES_FILE;
  if (file) writeFileSync(file, `${JSON.stringify({ area, figures }, null, 2)}\n`);
  console.log(`\n${area}: ${figures.length} figure(s)`);
  for (const f of figures) {
    const mark = f.met === null ? 'n/a ' : f.met ? 'ok  ' : 'MISS';
    console.log(`  ${mark} ${f.figure}: ${f.measured ?? '—'} ${f.unit}${f.target ? ` (target ${f.target})` : ''}`);
  }
}

/** A result record as the module benches keep them in their own files (target a bound in words or a number). */
export interface BenchRecord {
  figure: string;
  target: string | number | null;
  measured: number | null;
  unit: string;
  database?: string;
  date?: string;
  met: boolean | null;
  detail?: unknown;
}

/** Emits records a bench already keeps in its own result file, in the report's shape. */
export function emitRecords(area: string, records: readonly BenchRecord[], database = 'PostgreSQL'): void {
  emitFigures(
    area,
    records.map((r) => figureOf(area, r, database)),
  );
}

function figureOf(area: string, r: BenchRecord, database: string): BenchFigure {
  const target = r.target === null || /^none\b/.test(String(r.target)) ? null : typeof r.target === 'number' ? `${r.target} ${r.unit}` : r.target;
  return {
    figure: `${area}: ${r.figure}`,
    target,
    measured: r.measured,
    unit: r.unit,
    database: r.database && r.database !== 'postgresql' ? r.database : database,
    date: r.date ?? new Date().toISOString(),
    // Without a target there is nothing to meet.
    met: target === null ? null : r.met,
    ...(r.detail === undefined ? {} : { detail: typeof r.detail === 'string' ? r.detail : JSON.stringify(r.detail) }),
  };
}

/** The `--quick` option every bench accepts: a few seconds a figure and small data, to prove the report runs. */
export const QUICK_OPTION = { quick: { type: 'boolean', default: false } } as const;

/** "PostgreSQL 15.8" from a connection string's server. */
export async function postgresLabel(url: string): Promise<string> {
  const pg = (await import('pg')).default;
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return `PostgreSQL ${String((await c.query('show server_version')).rows[0].server_version).split(' ')[0]}`;
  } finally {
    await c.end();
  }
}
