import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A private PostgreSQL instance on a temp directory and a free loopback port, so a test may stop it (even
 * `-m immediate`, a simulated crash) without touching the shared server on 5432 that other suites use.
 * Binaries come from PG_BIN, else the newest /usr/lib/postgresql/<n>/bin. initdb refuses to run as root, so as
 * root every command runs as the `postgres` OS user.
 */
export interface PrivatePostgres {
  port: number;
  /** Superuser URL of database `postgres`. */
  url: string;
  /** URL of another database on this instance. */
  urlFor(database: string): string;
  createDatabase(name: string): void;
  stop(mode?: 'fast' | 'immediate'): void;
  start(): void;
  destroy(): void;
}

export function postgresBinaries(): string | undefined {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => /^\d+$/.test(v) && Number(v) >= 15 && existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], 'bin') : undefined;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinaries();
  if (!bin) throw new Error('No PostgreSQL ≥ 15 binaries found (set PG_BIN to the directory holding initdb and pg_ctl)');
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), 'kasir-pg-'));
  chmodSync(dir, 0o777); // the postgres OS user writes here when we are root
  const data = join(dir, 'data');
  const log = join(dir, 'server.log');
  const run = (tool: string, args: string[], allowFail = false) => {
    const cmd = asRoot ? 'runuser' : join(bin, tool);
    const argv = asRoot ? ['-u', 'postgres', '--', join(bin, tool), ...args] : args;
    const r = spawnSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    if (r.status !== 0 && !allowFail) throw new Error(`${tool} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
    return r;
  };
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '--no-instructions', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  // Loopback TCP only, no Unix socket in a shared directory; enough connections for a pool per server restart.
  const opts = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories='' -c max_connections=200 -c shared_buffers=64MB`;
  const start = () => {
    run('pg_ctl', ['-D', data, '-l', log, '-w', '-t', '60', '-o', opts, 'start']);
  };
  start();
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const psql = (sqlText: string) => execFileSync(join(bin, 'psql'), [url, '-v', 'ON_ERROR_STOP=1', '-qAtc', sqlText], { encoding: 'utf8' });
  return {
    port,
    url,
    urlFor: (database) => `postgres://postgres@127.0.0.1:${port}/${database}`,
    createDatabase: (name) => void psql(`CREATE DATABASE "${name}"`),
    stop: (mode = 'fast') => void run('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop'], mode === 'immediate'),
    start,
    destroy() {
      run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'], true);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
