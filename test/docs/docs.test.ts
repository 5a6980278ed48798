import { readFileSync } from 'node:fs';
import { status } from '@grpc/grpc-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { GRPC_STATUS } from '../../src/adapters/grpc/error-status.js';
import { HTTP_STATUS } from '../../src/adapters/http/error-response.js';
import { loadConfig } from '../../src/platform/config.js';
import type { ErrorDefinition, ErrorKind } from '../../src/platform/errors.js';
import {
  definedCodesInSource,
  ENV_EXAMPLE,
  ERRORS_DOC,
  loadErrorCatalogue,
  renderEnvExample,
  renderErrorsDoc,
} from '../../scripts/docs.js';

/**
 * Every kind, listed so that adding one to ErrorKind without deciding its statuses fails to compile here, and
 * with the statuses DESIGN.md promises (its error table, plus 422 for a reused Idempotency-Key).
 */
const CONTRACT = {
  invalid: [400, status.INVALID_ARGUMENT],
  unauthenticated: [401, status.UNAUTHENTICATED],
  forbidden: [403, status.PERMISSION_DENIED],
  not_found: [404, status.NOT_FOUND],
  already_exists: [409, status.ALREADY_EXISTS],
  precondition: [409, status.FAILED_PRECONDITION],
  conflict: [409, status.ABORTED],
  idempotency_mismatch: [422, status.INVALID_ARGUMENT],
  rate_limited: [429, status.RESOURCE_EXHAUSTED],
  unavailable: [503, status.UNAVAILABLE],
  internal: [500, status.INTERNAL],
} as const satisfies Record<ErrorKind, readonly [number, status]>;
const KINDS = Object.keys(CONTRACT) as ErrorKind[];

const read = (path: string): string => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
};
const STALE = 'is out of date with the code: run `npm run docs` and commit the result';

let catalogue: ErrorDefinition[];
beforeAll(async () => {
  catalogue = await loadErrorCatalogue();
});

describe('error kinds', () => {
  it('map every kind to an HTTP status and a gRPC status, and nothing else', () => {
    expect(Object.keys(HTTP_STATUS).sort()).toEqual([...KINDS].sort());
    expect(Object.keys(GRPC_STATUS).sort()).toEqual([...KINDS].sort());
    for (const kind of KINDS) {
      expect(HTTP_STATUS[kind], `HTTP status of ${kind}`).toBeGreaterThanOrEqual(400);
      expect(HTTP_STATUS[kind], `HTTP status of ${kind}`).toBeLessThan(600);
      expect(status[GRPC_STATUS[kind]], `gRPC status of ${kind}`).toBeTypeOf('string');
      expect(GRPC_STATUS[kind], `gRPC status of ${kind}`).not.toBe(status.OK);
    }
  });

  it('map as DESIGN.md promises', () => {
    for (const kind of KINDS) {
      expect([HTTP_STATUS[kind], status[GRPC_STATUS[kind]]], kind).toEqual([CONTRACT[kind][0], status[CONTRACT[kind][1]]]);
    }
  });
});

describe('error catalogue', () => {
  it('holds every code the sources define, and only those', () => {
    const inSource = definedCodesInSource();
    expect(inSource.size).toBeGreaterThan(0);
    expect(catalogue.map((e) => e.code).sort()).toEqual([...inSource.keys()].sort());
  });

  it('gives every code a MODULE_REASON name, a known kind and a message', () => {
    for (const e of catalogue) {
      expect(e.code, e.code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      expect(KINDS, e.code).toContain(e.kind);
      expect(e.message.trim().length, `${e.code} has no message`).toBeGreaterThan(0);
    }
  });

  it('documents every code in docs/errors.md', () => {
    const doc = read(ERRORS_DOC);
    const undocumented = catalogue.filter((e) => !doc.includes(`| \`${e.code}\` | ${e.kind} |`)).map((e) => e.code);
    expect(undocumented, `undocumented error codes; run npm run docs`).toEqual([]);
  });

  it('keeps docs/errors.md up to date', () => {
    expect(read(ERRORS_DOC), `docs/errors.md ${STALE}`).toBe(renderErrorsDoc(catalogue, GRPC_STATUS, definedCodesInSource()));
  });
});

describe('.env.example', () => {
  it('is up to date with configSpec', () => {
    expect(read(ENV_EXAMPLE), `.env.example ${STALE}`).toBe(renderEnvExample());
  });

  it('lists every setting, and its values load to the defaults', () => {
    const text = read(ENV_EXAMPLE);
    const env: Record<string, string> = {};
    const listed = new Set<string>();
    for (const line of text.split('\n')) {
      const set = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
      const unset = /^# ([A-Z][A-Z0-9_]*)=$/.exec(line);
      if (set) {
        env[set[1]!] = set[2]!;
        listed.add(set[1]!);
      } else if (unset) listed.add(unset[1]!);
    }
    expect([...listed].sort()).toEqual(Object.keys(loadConfig({})).sort());
    expect(loadConfig(env)).toEqual(loadConfig({}));
  });
});
