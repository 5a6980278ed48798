/**
 * `npm run bench`: every module's benchmark in one report (issue 8).
 *
 * Runs bench/run.ts (the foundation) and every bench/<area>/run.ts, found by that convention, one after the
 * other, each in its own process with BENCH_FIGURES_FILE set: each writes its figures in the common shape of
 * report-kit.ts ({figure, target, measured, unit, database, date, met}). The report then writes
 * bench/results/latest.json (every figure, with the machine and commit) and bench/RESULTS.md (the table, then
 * bench/RESULTS.notes.md, hand-written, when it exists). A bench that fails gets a row saying so; the others
 * still run.
 *
 * Options: --quick (each bench's --quick: a few minutes in all, to prove the report runs; not a measurement)
 *          --only foundation,sales (areas to run; the other areas keep their last figures)   --render (no run: rewrite RESULTS.md from latest.json)
 * Benchmarks never run inside the test suite; they load the machine, so run them with nothing else running.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem, type } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { type BenchFigure } from './report-kit.js';
import { discoverBenches, renderResults, type BenchReport } from './report-render.js';
import { ROOT } from './server.js';

const { values: opt } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    render: { type: 'boolean', default: false },
  },
  strict: true,
});

const RESULTS_DIR = join(ROOT, 'bench', 'results');
const LATEST = join(RESULTS_DIR, 'latest.json');
const MARKDOWN = join(ROOT, 'bench', 'RESULTS.md');
const NOTES = join(ROOT, 'bench', 'RESULTS.notes.md');

function runBench(file: string, figuresFile: string): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file, ...(opt.quick ? ['--quick'] : [])], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, BENCH_FIGURES_FILE: figuresFile },
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
    child.on('error', () => resolve(1));
  });
}

const git = async (...args: string[]): Promise<string> => {
  const { execFileSync } = await import('node:child_process');
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
};

async function run(): Promise<BenchReport> {
  const wanted = opt.only ? new Set(opt.only.split(',').map((s) => s.trim())) : undefined;
  const benches = discoverBenches(ROOT).filter((b) => !wanted || wanted.has(b.area));
  if (wanted) for (const w of wanted) if (!benches.some((b) => b.area === w)) throw new Error(`no bench for area "${w}" (have: ${discoverBenches(ROOT).map((b) => b.area).join(', ')})`);
  const tmp = mkdtempSync(join(tmpdir(), 'kasir-bench-report-'));
  const started = new Date().toISOString();
  const areas: BenchReport['areas'] = [];
  try {
    for (const b of benches) {
      const file = join(tmp, `${b.area}.json`);
      console.log(`\n=== ${b.area}: ${relative(ROOT, b.file)}${opt.quick ? ' --quick' : ''} ===`);
      const t0 = Date.now();
      const code = await runBench(b.file, file);
      const seconds = Math.round((Date.now() - t0) / 100) / 10;
      let figures: BenchFigure[] = [];
      if (existsSync(file)) figures = (JSON.parse(readFileSync(file, 'utf8')) as { figures: BenchFigure[] }).figures;
      const error = code !== 0 ? `exited with ${code}` : figures.length === 0 ? 'emitted no figures (does it call emitFigures?)' : undefined;
      areas.push({ area: b.area, bench: relative(ROOT, b.file), seconds, figures, ...(error ? { error } : {}) });
      console.log(`=== ${b.area}: ${error ?? `${figures.length} figure(s)`} in ${seconds} s ===`);
    }
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  return {
    started,
    finished: new Date().toISOString(),
    quick: Boolean(opt.quick),
    commit: await git('rev-parse', 'HEAD'),
    working_tree_dirty: (await git('status', '--porcelain', '--untracked-files=no')) !== '',
    machine: { cpus: cpus().length, cpu_model: cpus()[0]?.model ?? 'unknown', memory_gb: Math.round(totalmem() / 1e8) / 10, os: `${type()} ${release()}`, node: process.version, load_average_at_start: loadavg().map((l) => Math.round(l * 100) / 100) },
    areas,
  };
}

async function main() {
  const report = opt.render ? (JSON.parse(readFileSync(LATEST, 'utf8')) as BenchReport) : await run();
  if (opt.only && !opt.render && existsSync(LATEST)) {
    // A partial run replaces its areas' figures and keeps the others' from the last report.
    const previous = JSON.parse(readFileSync(LATEST, 'utf8')) as BenchReport;
    const rerun = new Set(report.areas.map((a) => a.area));
    report.areas = [...previous.areas.filter((a) => !rerun.has(a.area)), ...report.areas];
  }
  if (!opt.render) {
    mkdirSync(RESULTS_DIR, { recursive: true });
    writeFileSync(LATEST, `${JSON.stringify(report, null, 2)}\n`);
  }
  const notes = existsSync(NOTES) ? readFileSync(NOTES, 'utf8') : undefined;
  writeFileSync(MARKDOWN, renderResults(report, notes));
  const failed = report.areas.filter((a) => a.error);
  console.log(`\nwrote ${relative(ROOT, LATEST)} and ${relative(ROOT, MARKDOWN)}${failed.length ? `; FAILED: ${failed.map((a) => `${a.area} (${a.error})`).join(', ')}` : ''}`);
  if (failed.length) process.exitCode = 1;
}

main().catch((e: Error) => {
  console.error(`bench report failed: ${e.stack ?? e.message}`);
  process.exit(1);
});
