/**
 * Starting and watching a `kasir serve` child process for the benchmarks: the built CLI (dist/, from
 * `npm run build`) when present, otherwise the sources through tsx. Nothing is built here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface ServerCommand {
  mode: 'dist' | 'tsx';
  /** Arguments to `node` that start `kasir serve`. */
  args: string[];
  /** Set when dist/ is older than the newest source file: the numbers would describe old code. */
  staleWarning?: string;
}

const newestMtime = (dir: string): number => {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
};

export function serverCommand(): ServerCommand {
  const built = join(ROOT, 'dist', 'cli.js');
  if (existsSync(built)) {
    const stale = newestMtime(join(ROOT, 'src')) > statSync(built).mtimeMs;
    return {
      mode: 'dist',
      args: [built, 'serve'],
      ...(stale ? { staleWarning: 'dist/ is older than src/: run `npm run build` first, or delete dist/ to bench the sources through tsx' } : {}),
    };
  }
  return { mode: 'tsx', args: ['--import', 'tsx', join(ROOT, 'src', 'cli.ts'), 'serve'] };
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

export interface RunningServer {
  child: ChildProcess;
  pid: number;
  httpPort: number;
  grpcPort: number;
  /** From spawn to the first 200 of GET /readyz, in milliseconds. */
  readyMs: number;
  output(): string;
  /** SIGTERM, then wait for the exit (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Spawns `kasir serve` with `env` on fresh ports and resolves once /readyz answers 200, polling every 10 ms.
 * `nodeArgs` go before the script (e.g. --cpu-prof).
 */
export async function startServer(command: ServerCommand, env: Record<string, string>, nodeArgs: string[] = [], timeoutMs = 60_000): Promise<RunningServer> {
  const httpPort = await freePort();
  const grpcPort = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, ...command.args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env, POS_HOST: '127.0.0.1', POS_HTTP_PORT: String(httpPort), POS_GRPC_PORT: String(grpcPort) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  child.stderr!.on('data', (d: Buffer) => (out = (out + d.toString()).slice(-20_000)));
  let exitCode: number | null | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exitCode = code ?? (signal ? -1 : null);
      resolve();
    }),
  );

  const url = `http://127.0.0.1:${httpPort}/readyz`;
  for (;;) {
    if (exitCode !== undefined) throw new Error(`kasir serve exited (${exitCode}) before it was ready:\n${out}`);
    if (performance.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`kasir serve was not ready within ${timeoutMs} ms:\n${out}`);
    }
    const ok = await fetch(url, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  const readyMs = performance.now() - started;
  return {
    child,
    pid: child.pid!,
    httpPort,
    grpcPort,
    readyMs,
    output: () => out,
    async stop(graceMs = 15_000) {
      if (exitCode !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Resident set size and its peak (VmHWM) of a process, in MB (10^6 bytes), from /proc (Linux). */
export function memoryOf(pid: number): { rss_mb: number; peak_rss_mb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss_mb: round((kib('VmRSS') * 1024) / 1e6, 1), peak_rss_mb: round((kib('VmHWM') * 1024) / 1e6, 1) };
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) a process has used so far, in milliseconds, from /proc (Linux; 100 ticks/s). */
export function cpuMsOf(pid: number): number | undefined {
  try {
    // Fields after the command name (which may hold spaces) start at field 3; utime and stime are 14 and 15.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) * 10;
  } catch {
    return undefined;
  }
}

/** Busy and total CPU time of the whole machine so far, in ticks, from /proc/stat (Linux). */
export function machineCpu(): { busy: number; total: number } | undefined {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    const total = f.reduce((a, b) => a + b, 0);
    return { busy: total - f[3]! - (f[4] ?? 0), total };
  } catch {
    return undefined;
  }
}

export interface CpuUse {
  /** CPU time of the server process over the measured run. */
  server_cpu_ms: number | null;
  /** Server CPU time per completed request or call, in microseconds: the ceiling is 1e6 / this per core. */
  server_cpu_us_per_op: number | null;
  /** Average cores the server kept busy (Node runs JavaScript on one; GC and I/O threads add a little). */
  server_cores: number | null;
  /** Share of all the machine's CPU time that was busy: server, PostgreSQL, the load generator, anything else. */
  machine_busy_share: number | null;
}

/**
 * Measures what `work` costs: the server process's CPU (ms, and cores used on average) and how busy the whole
 * machine was (share of all CPUs: the server, PostgreSQL, the load generator and anything else running).
 */
export async function measureCpu<T>(pid: number, work: () => Promise<T>, operations: (r: T) => number): Promise<{ result: T; cpu: CpuUse }> {
  const c0 = cpuMsOf(pid);
  const m0 = machineCpu();
  const t0 = performance.now();
  const result = await work();
  const wall = performance.now() - t0;
  const c1 = cpuMsOf(pid);
  const m1 = machineCpu();
  const serverMs = c0 !== undefined && c1 !== undefined ? c1 - c0 : null;
  const ops = operations(result);
  return {
    result,
    cpu: {
      server_cpu_ms: serverMs,
      server_cpu_us_per_op: serverMs === null || ops === 0 ? null : round((serverMs * 1000) / ops, 1),
      server_cores: serverMs === null ? null : round(serverMs / wall, 2),
      machine_busy_share: m0 && m1 && m1.total > m0.total ? round((m1.busy - m0.busy) / (m1.total - m0.total), 2) : null,
    },
  };
}

export const round = (n: number, digits = 0): number => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
