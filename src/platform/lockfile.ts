import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export class DataDirLockedError extends Error {}

/**
 * PGlite has no lock of its own: two processes on one data directory silently lose writes. We take an
 * exclusive lock file (O_EXCL create) holding our pid; a lock left by a process that no longer exists on this
 * host is taken over. Returns the release function.
 */
export function lockDataDir(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'kasir.lock');
  const me = `${process.pid}@${hostname()}`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, me);
      closeSync(fd);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          if (readFileSync(path, 'utf8') === me) rmSync(path);
        } catch {
          /* already gone */
        }
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = safeRead(path);
      const [pidText, host] = holder.split('@');
      const pid = Number(pidText);
      if (host === hostname() && Number.isInteger(pid) && pid > 0 && !isAlive(pid)) {
        rmSync(path, { force: true }); // stale lock from a crashed process
        continue;
      }
      throw new DataDirLockedError(
        `The data directory ${dir} is in use by another Kasir process (${holder || 'unknown'}). ` +
          'PGlite allows one process per directory: stop the other process, or set POS_DATA_DIR to another directory, ' +
          'or use PostgreSQL (DATABASE_URL) to run several processes.',
      );
    }
  }
  throw new DataDirLockedError(`Could not take the lock ${path}`);
}

function safeRead(path: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
