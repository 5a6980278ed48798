/**
 * Money is bigint end to end: no conversion to a JS number and no float arithmetic in the engine's source.
 * (Counts and rates may be numbers at the edges; they are turned into bigint with BigInt() before any math.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const DIR = fileURLToPath(new URL('.', import.meta.url));
const FORBIDDEN: [RegExp, string][] = [
  [/\bNumber\s*\(/, 'Number('],
  [/\bparse(?:Float|Int)\s*\(/, 'parseFloat/parseInt'],
  [/\bMath\./, 'Math.'],
  [/\.toFixed\s*\(/, 'toFixed'],
  [/(?<![\w.])\d+\.\d+(?![\w.])/, 'a float literal'],
];
const stripComments = (src: string): string =>
  src.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1').replace(/'[^'\n]*'|`[^`]*`/g, "''");

describe('pricing source', () => {
  it('never turns money into a float', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
    expect(files.length).toBeGreaterThan(5);
    const hits = files.flatMap((f) => {
      const code = stripComments(readFileSync(`${DIR}/${f}`, 'utf8'));
      return FORBIDDEN.filter(([re]) => re.test(code)).map(([, what]) => `${f}: ${what}`);
    });
    expect(hits).toEqual([]);
  });
});
