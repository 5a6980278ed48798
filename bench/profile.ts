/**
 * Where a CPU profile's time went: self time by package (or Node internal module, or Kasir source file) and the
 * top functions. `npx tsx bench/profile.ts <file.cpuprofile | dir>`; `npm run bench:foundation -- --cpu-prof` writes
 * the server's profile under bench/results/profiles/ and prints this summary.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  total_ms: number;
  by_package: { name: string; self_ms: number; share: number }[];
  top_functions: { name: string; where: string; self_ms: number; share: number }[];
}

/** node_modules/@scope/pkg/… → @scope/pkg; node:internal/… → node:…; /src/… → src/…; (program) as is. */
function packageOf(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]!.startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]!;
  }
  if (url.startsWith('node:')) return `node:${url.slice(5).replace(/^internal\//, '').split('/')[0]}`;
  const src = url.search(/\/(src|dist)\//);
  if (src >= 0) return url.slice(src + 1).replace(/^file:\/\//, '');
  return url;
}

export function summarize(profile: CpuProfile, top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  let total = 0;
  const pkgs = new Map<string, number>();
  const fns = new Map<string, { where: string; us: number }>();
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    total += us;
    const { functionName, url, lineNumber } = n.callFrame;
    const pkg = packageOf(url, functionName);
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + us);
    const name = functionName || '(anonymous)';
    const where = url ? `${pkg}:${lineNumber + 1}` : pkg;
    const key = `${name} ${where}`;
    const f = fns.get(key) ?? { where, us: 0 };
    f.us += us;
    fns.set(key, f);
  }
  const ms = (us: number) => Math.round(us / 100) / 10;
  const share = (us: number) => Math.round((us / total) * 1000) / 10;
  return {
    total_ms: ms(total),
    by_package: [...pkgs].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, us]) => ({ name, self_ms: ms(us), share: share(us) })),
    top_functions: [...fns]
      .sort((a, b) => b[1].us - a[1].us)
      .slice(0, top)
      .map(([key, f]) => ({ name: key.slice(0, key.length - f.where.length - 1), where: f.where, self_ms: ms(f.us), share: share(f.us) })),
  };
}

export function printSummary(s: ProfileSummary): void {
  console.log(`\nCPU profile: ${s.total_ms} ms of samples\n  self time by package / module:`);
  for (const p of s.by_package) console.log(`    ${String(p.share).padStart(5)} %  ${p.name}`);
  console.log('  top functions by self time:');
  for (const f of s.top_functions) console.log(`    ${String(f.share).padStart(5)} %  ${f.name}  (${f.where})`);
}

export function loadProfiles(path: string): CpuProfile[] {
  const files = statSync(path).isDirectory()
    ? readdirSync(path).filter((f) => f.endsWith('.cpuprofile')).map((f) => join(path, f))
    : [path];
  return files.map((f) => JSON.parse(readFileSync(f, 'utf8')) as CpuProfile);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const target = process.argv[2];
  if (!target) {
    console.error('usage: tsx bench/profile.ts <file.cpuprofile | directory>');
    process.exit(2);
  }
  for (const p of loadProfiles(target)) printSummary(summarize(p));
}
