/**
 * `npm run bench:foundation` (and part of `npm run bench`, bench/report.ts): the foundation's performance
 * figures against the targets of issue 2.
 *
 *   (a) cold start to /readyz 200: PostgreSQL (median of --cold-runs, migrations already applied; the first
 *       start, which applies them, is reported apart) and a first PGlite start in an empty directory;
 *   (b) GET /api/v1/outlets with autocannon at each of --connections, after a warm-up;
 *   (c) pos.v1.HealthService/Check from a grpc-js client loop with many calls in flight;
 *   (d) the server's RSS idle after start, and after the load.
 *
 * The server is `kasir serve` in a child process (dist/ from `npm run build` when present, else tsx) on a
 * fresh PostgreSQL database created from BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432) and
 * dropped afterwards; auth disabled (dev headers), rate limits raised, logs at warn. The load generator runs
 * in this process, on the same machine. Results go to bench/results/<name>-<date>.json; the common figures
 * (report-kit.ts) to the report.
 *
 * Options: --name <label>  --connections 10,50  --warmup 3  --duration 10  --cold-runs 5
 *          --grpc-workers 2  --grpc-in-flight 64  --grpc-channels 1 (per worker thread)
 *          --skip-pglite  --skip-rest  --skip-grpc
 *          --cpu-prof (profile the server under load; summary printed and saved)
 *          --wait-idle <s> (first wait up to s seconds for the CPUs to be idle: other work skews every figure)
 *          --quick (10 connections, 1 s warm-up, 3 s runs, one cold start: proves it runs, not a measurement)
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem, type } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadGrpcHealth, type GrpcResult } from './grpc.js';
import { emitFigures, figure, QUICK_OPTION } from './report-kit.js';
import { loadProfiles, printSummary, summarize, type ProfileSummary } from './profile.js';
import { loadRest, type RestResult } from './rest.js';
import type { CpuUse } from './server.js';
import { machineCpu, median, memoryOf, ROOT, round, serverCommand, sleep, startServer, type ServerCommand } from './server.js';

const DEV_ID = '00000000-0000-0000-0000-000000000001';
const DEV_HEADERS = { 'x-dev-tenant-id': DEV_ID, 'x-dev-user-id': DEV_ID, 'x-dev-membership-id': DEV_ID };
const TARGETS = {
  rest_outlets_per_s: 10_000,
  grpc_health_per_s: 10_000,
  cold_start_postgres_ms: 1_500,
  first_start_pglite_ms: 10_000,
  idle_rss_mb: 200,
};

const { values: opt } = parseArgs({
  options: {
    name: { type: 'string', default: 'bench' },
    connections: { type: 'string', default: '10,50' },
    warmup: { type: 'string', default: '3' },
    duration: { type: 'string', default: '10' },
    'cold-runs': { type: 'string', default: '5' },
    'grpc-workers': { type: 'string', default: '2' },
    'grpc-in-flight': { type: 'string', default: '64' },
    'grpc-channels': { type: 'string', default: '1' },
    'skip-pglite': { type: 'boolean', default: false },
    'skip-rest': { type: 'boolean', default: false },
    'skip-grpc': { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    'wait-idle': { type: 'string', default: '0' },
    ...QUICK_OPTION,
  },
  strict: true,
});
if (opt.quick) Object.assign(opt, { connections: '10', warmup: '1', duration: '3', 'cold-runs': '1' });
const num = (v: string | undefined, name: string): number => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} expects a number, got ${v}`);
  return n;
};
const settings = {
  connections: opt.connections!.split(',').map((c) => num(c, 'connections')),
  warmup_s: num(opt.warmup, 'warmup'),
  duration_s: num(opt.duration, 'duration'),
  cold_runs: Math.max(1, num(opt['cold-runs'], 'cold-runs')),
  grpc_workers: num(opt['grpc-workers'], 'grpc-workers'),
  grpc_in_flight: Math.max(1, num(opt['grpc-in-flight'], 'grpc-in-flight')),
  grpc_channels: Math.max(1, num(opt['grpc-channels'], 'grpc-channels')),
};

const SERVER_ENV = {
  NODE_ENV: 'production',
  POS_LOG_LEVEL: 'warn',
  POS_AUTH_ENABLED: 'false',
  POS_DEV_TENANT: 'true',
  POS_RATE_LIMIT_IP_PER_MINUTE: '100000000',
  POS_RATE_LIMIT_TENANT_PER_MINUTE: '100000000',
};

const git = (...args: string[]): string => {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
};

/** A fresh, empty database next to the one BENCH_DATABASE_URL names; returns its URL and a drop function. */
async function freshDatabase(): Promise<{ url: string; serverVersion: string; drop(): Promise<void> }> {
  const base = new URL(process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432');
  const name = `kasir_bench_${Date.now()}`;
  const adminUrl = new URL(base);
  adminUrl.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: adminUrl.toString() });
  await admin.connect();
  const serverVersion = String((await admin.query('show server_version')).rows[0].server_version);
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    serverVersion,
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl.toString() });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

async function coldStarts(command: ServerCommand, env: Record<string, string>) {
  console.log('\n(a) cold start on PostgreSQL');
  const first = await startServer(command, env);
  await first.stop();
  console.log(`  first start, applying migrations: ${round(first.readyMs)} ms`);
  const runs: number[] = [];
  for (let i = 0; i < settings.cold_runs; i++) {
    const s = await startServer(command, env);
    runs.push(round(s.readyMs));
    await s.stop();
  }
  console.log(`  runs: ${runs.join(', ')} ms; median ${median(runs)} ms`);
  return { first_start_with_migrations_ms: round(first.readyMs), runs_ms: runs, median_ms: median(runs) };
}

async function pgliteFirstStart(command: ServerCommand) {
  console.log('\n(a) first start on PGlite in an empty directory, including migrations');
  const dir = mkdtempSync(join(tmpdir(), 'kasir-bench-pglite-'));
  try {
    const s = await startServer(command, { ...SERVER_ENV, POS_DATA_DIR: dir });
    const readyMs = round(s.readyMs);
    await sleep(3000);
    const mem = memoryOf(s.pid);
    await s.stop();
    console.log(`  ready after ${readyMs} ms; idle RSS ${mem?.rss_mb ?? '?'} MB`);
    return { first_start_with_migrations_ms: readyMs, idle_rss_mb: mem?.rss_mb ?? null };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const cpuNote = (c: CpuUse) =>
  `server CPU ${c.server_cpu_us_per_op ?? '?'} µs per operation (${c.server_cores ?? '?'} cores busy), machine ${c.machine_busy_share === null ? '?' : Math.round(c.machine_busy_share * 100)} % busy`;

async function underLoad(command: ServerCommand, env: Record<string, string>, profileDir: string | undefined) {
  const s = await startServer(command, env, profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []);
  try {
    await sleep(3000);
    const idle = memoryOf(s.pid);
    console.log(`\n(d) idle RSS after start: ${idle?.rss_mb ?? '?'} MB`);
    const rest: RestResult[] = [];
    if (!opt['skip-rest']) {
      console.log(`\n(b) GET /api/v1/outlets, ${settings.warmup_s} s warm-up + ${settings.duration_s} s`);
      for (const connections of settings.connections) {
        const r = await loadRest({ pid: s.pid, baseUrl: `http://127.0.0.1:${s.httpPort}`, path: '/api/v1/outlets', headers: DEV_HEADERS, connections, warmupS: settings.warmup_s, durationS: settings.duration_s });
        rest.push(r);
        console.log(`  ${String(connections).padStart(4)} connections: ${r.requests_per_s} req/s, p50 ${r.latency_ms.p50} ms, p99 ${r.latency_ms.p99} ms, non-2xx ${r.non_2xx}, errors ${r.errors}; ${cpuNote(r.cpu)}`);
      }
    }
    let grpc: GrpcResult | { error: string } | undefined;
    if (!opt['skip-grpc']) {
      const threads = Math.max(1, settings.grpc_workers);
      console.log(`\n(c) pos.v1.HealthService/Check from ${threads} client thread(s), each ${settings.grpc_in_flight} calls in flight over ${settings.grpc_channels} connection(s)`);
      grpc = await loadGrpcHealth({ pid: s.pid, target: `127.0.0.1:${s.grpcPort}`, workers: settings.grpc_workers, channels: settings.grpc_channels, inFlight: settings.grpc_in_flight, warmupS: settings.warmup_s, durationS: settings.duration_s }).catch(
        (e: Error) => ({ error: e.message }),
      );
      console.log('error' in grpc ? `  failed: ${grpc.error}` : `  ${grpc.calls_per_s} calls/s, p50 ${grpc.latency_ms.p50} ms, p99 ${grpc.latency_ms.p99} ms, errors ${grpc.errors}; ${cpuNote(grpc.cpu)}`);
    }
    const loaded = memoryOf(s.pid);
    console.log(`\n(d) RSS after load: ${loaded?.rss_mb ?? '?'} MB (peak ${loaded?.peak_rss_mb ?? '?'} MB)`);
    return { rest, grpc, idle, loaded };
  } finally {
    await s.stop();
  }
}

/** Share of CPU time spent idle over `ms`, from /proc/stat (Linux); 1 elsewhere. */
async function idleShare(ms = 1000): Promise<number> {
  const a = machineCpu();
  await sleep(ms);
  const b = machineCpu();
  return a && b && b.total > a.total ? 1 - (b.busy - a.busy) / (b.total - a.total) : 1;
}

/** Waits until the CPUs have been at least 85 % idle for three seconds in a row, or `maxS` has passed. */
async function waitForIdle(maxS: number): Promise<number> {
  const until = Date.now() + maxS * 1000;
  let quiet = 0;
  let last = 1;
  while (Date.now() < until && quiet < 3) {
    last = await idleShare();
    quiet = last >= 0.85 ? quiet + 1 : 0;
  }
  return last;
}

async function main() {
  const command = serverCommand();
  const waitIdle = num(opt['wait-idle'], 'wait-idle');
  if (waitIdle > 0) {
    console.log(`waiting up to ${waitIdle} s for idle CPUs…`);
    const idle = await waitForIdle(waitIdle);
    if (idle < 0.85) console.warn(`WARNING: the CPUs are still busy (${Math.round((1 - idle) * 100)} % used); the figures will be low`);
  }
  const cpuIdleAtStart = round(await idleShare(), 2);
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const machine = {
    cpu_model: cpus()[0]?.model ?? 'unknown',
    cpus: cpus().length,
    memory_gb: round(totalmem() / 1e9, 1),
    os: `${type()} ${release()}`,
    load_average_at_start: loadavg().map((l) => round(l, 2)),
    cpu_idle_share_at_start: cpuIdleAtStart,
  };
  console.log(`Kasir bench "${opt.name}": ${machine.cpus} × ${machine.cpu_model}, Node ${process.version}, server from ${command.mode}`);
  if (command.staleWarning) console.warn(`WARNING: ${command.staleWarning}`);
  if (cpuIdleAtStart < 0.85) console.warn(`WARNING: the CPUs were ${Math.round((1 - cpuIdleAtStart) * 100)} % busy at start; something else is running and the figures will be low`);

  const database = await freshDatabase();
  const env = { ...SERVER_ENV, DATABASE_URL: database.url };
  const profileDir = opt['cpu-prof'] ? join(ROOT, 'bench', 'results', 'profiles', `${opt.name}-${date.replace(/:/g, '-')}`) : undefined;
  let cold, load;
  try {
    cold = await coldStarts(command, env);
    load = await underLoad(command, env, profileDir);
  } finally {
    await database.drop();
  }
  const pglite = opt['skip-pglite'] ? undefined : await pgliteFirstStart(command);

  let profile: ProfileSummary | undefined;
  if (profileDir) {
    const profiles = loadProfiles(profileDir);
    if (profiles[0]) {
      profile = summarize(profiles[0]);
      printSummary(profile);
      console.log(`  (profile in ${profileDir}; open it in Chrome DevTools › Performance)`);
    }
  }

  const bestRest = load.rest.reduce<RestResult | undefined>((b, r) => (!b || r.requests_per_s > b.requests_per_s ? r : b), undefined);
  const grpcOk = load.grpc && !('error' in load.grpc) ? load.grpc : undefined;
  const checks = [
    { metric: 'GET /api/v1/outlets (best connection count)', value: bestRest?.requests_per_s, unit: 'req/s', target: TARGETS.rest_outlets_per_s, higherIsBetter: true },
    { metric: 'pos.v1.HealthService/Check', value: grpcOk?.calls_per_s, unit: 'calls/s', target: TARGETS.grpc_health_per_s, higherIsBetter: true },
    { metric: 'cold start to ready, PostgreSQL (median)', value: cold.median_ms, unit: 'ms', target: TARGETS.cold_start_postgres_ms, higherIsBetter: false },
    { metric: 'first start to ready, PGlite, with migrations', value: pglite?.first_start_with_migrations_ms, unit: 'ms', target: TARGETS.first_start_pglite_ms, higherIsBetter: false },
    { metric: 'RSS idle after start (PostgreSQL)', value: load.idle?.rss_mb, unit: 'MB', target: TARGETS.idle_rss_mb, higherIsBetter: false },
  ].map((c) => ({ ...c, met: c.value === undefined ? null : c.higherIsBetter ? c.value >= c.target : c.value <= c.target }));

  const result = {
    name: opt.name,
    date,
    machine,
    node: process.version,
    commit: git('rev-parse', 'HEAD'),
    working_tree_dirty: git('status', '--porcelain', '--untracked-files=no') !== '',
    server: { mode: command.mode, stale_build: Boolean(command.staleWarning), env: SERVER_ENV },
    database: { kind: 'postgresql', server_version: database.serverVersion },
    settings,
    units: { '*_ms': 'milliseconds', '*_mb': 'megabytes (10^6 bytes)', requests_per_s: 'completed requests per second', calls_per_s: 'completed calls per second' },
    results: {
      cold_start: { postgres: cold, pglite: pglite ?? null },
      rest: load.rest,
      grpc: load.grpc ?? null,
      memory: {
        idle_after_start_mb: load.idle?.rss_mb ?? null,
        after_load_mb: load.loaded?.rss_mb ?? null,
        peak_mb: load.loaded?.peak_rss_mb ?? null,
        pglite_idle_after_start_mb: pglite?.idle_rss_mb ?? null,
      },
    },
    targets: checks.map(({ metric, value, unit, target, met }) => ({ metric, value: value ?? null, unit, target, met })),
    ...(profile ? { cpu_profile: profile } : {}),
  };

  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${opt.name}-${date.replace(/:/g, '-')}${opt.quick ? '-quick' : ''}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');

  console.log('\nSummary against the targets of issue 2:');
  for (const c of checks) {
    const mark = c.met === null ? 'n/a ' : c.met ? 'ok  ' : 'MISS';
    const cmp = c.higherIsBetter ? '≥' : '≤';
    console.log(`  ${mark} ${c.metric.padEnd(48)} ${String(c.value ?? '—').padStart(8)} ${c.unit.padEnd(7)} (target ${cmp} ${c.target})`);
  }
  console.log(`\nwrote ${file.slice(ROOT.length + 1)}`);
  const pgLabel = `PostgreSQL ${database.serverVersion.split(' ')[0]}`;
  const dbOf = (metric: string) => (metric.includes('PGlite') ? 'PGlite' : metric.includes('HealthService') ? '—' : pgLabel);
  const details: Record<string, string | undefined> = {
    [checks[0]!.metric]: bestRest ? `${bestRest.connections} connections, p99 ${bestRest.latency_ms.p99} ms` : undefined,
    [checks[1]!.metric]: grpcOk ? `p99 ${grpcOk.latency_ms.p99} ms` : undefined,
    [checks[2]!.metric]: `median of ${cold.runs_ms.length}; ${cold.first_start_with_migrations_ms} ms with migrations`,
    [checks[4]!.metric]: load.loaded ? `after load ${load.loaded.rss_mb ?? '?'} MB, peak ${load.loaded.peak_rss_mb ?? '?'} MB` : undefined,
  };
  emitFigures(
    'foundation',
    checks.map((c) =>
      figure({ figure: c.metric, measured: c.value, unit: c.unit, database: dbOf(c.metric), date, ...(c.higherIsBetter ? { atLeast: c.target } : { atMost: c.target }), ...(details[c.metric] ? { detail: details[c.metric] } : {}) }),
    ),
  );
}

main().then(
  () => process.exit(0),
  (e: Error) => {
    console.error(`bench failed: ${e.stack ?? e.message}`);
    process.exit(1);
  },
);
