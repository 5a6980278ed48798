import * as grpc from '@grpc/grpc-js';
import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import protobuf from 'protobufjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodeStatusDetails } from '../../src/adapters/grpc/error-status.js';
import { IMPLEMENTED_RPCS } from '../../src/adapters/grpc/server.js';
import { filesFor, rootFrom } from '../grpc/reflection-client.js';
import { startTestGrpcServer, type TestGrpcServer } from '../support/grpc.js';
import { call, createTenant, type TestTenant } from '../support/server.js';
import { fingerprinter, type Fingerprinter } from './fingerprint.js';
import { CARD_NUMBERS, deepJson, noCard, findCardNumbers, fromSchema, hostileString, hostileValue, isRaw, malformedJson, type JsonSchema, type Raw } from './hostile.js';

/**
 * Issue 8, fuzzing. Every tenant route of /openapi.json and every implemented RPC (its request type read by
 * gRPC reflection, as grpcurl would) gets schema-shaped inputs gone wrong: wrong types, huge, negative and
 * fractional money, long and strange strings, injection strings, invalid UUIDs, missing and extra fields, deep
 * and malformed JSON, undecodable protobuf. Each answer must be below 500 (no INTERNAL/UNKNOWN over gRPC),
 * every error must carry a code, the server must keep answering /healthz, and a refused request must leave
 * its tenant's tables exactly as they were. Afterwards no table holds anything that looks like a full card
 * number, though card numbers were sent in every card field.
 *
 * FUZZ_CASES (default 4,000) is the number of requests, shared 70/30 between REST and gRPC; FUZZ_SEED replays a
 * run. CI's PostgreSQL pass raises FUZZ_CASES to reach 100,000.
 */
const CASES = Number(process.env.FUZZ_CASES ?? 4_000);
/** Per-test budget: about 5 ms a case on PostgreSQL, 8 on PGlite when the machine is quiet; 36 ms a REST case (25 ms per case of the total) was seen on a shared, overloaded one. */
// Only a limit for a hung run (a loaded 2-core machine takes ~35 ms a case on PGlite), not a speed target.
const BUDGET_MS = 60_000 + CASES * 60;
const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2_147_483_647);
const CARD_FIELDS = /card|last4|brand|reference/;
/**
 * Longest gRPC string field sent: 70,000, above the 64 KB HTTP/2 window. Calls once stalled on the shared
 * connection here: an error whose field path echoed a 30 KB+ map key made trailers too large for HTTP/2 and broke
 * the connection (fixed: errors are bounded, src/adapters/shared/error-bounds.ts; regression in
 * transport-refusals.test.ts).
 */
const GRPC_MAX_STRING = Number(process.env.FUZZ_GRPC_MAX_STRING ?? 70_000);

/**
 * Findings below the application, reported and awaiting a decision; counted and printed, not failed on, so
 * that any new finding stands out. Remove an entry once its fix lands. (Fixed and removed: Fastify's 414 and
 * Node's 431 without a code, grpc-js's bare INTERNAL for undecodable bytes, the gRPC stall; see
 * transport-refusals.test.ts.)
 */
const KNOWN: { pattern: RegExp; why: string }[] = [
  {
    pattern: /^(0 {2}|no answer \(fetch failed)/,
    // FUZZ_VERBOSE=1 FUZZ_CASES=20000 FUZZ_SEED=2076723844 -t REST shows one within ~1,000 REST cases (PGlite):
    // ECONNRESET on a pooled keep-alive connection (GET /api/v1/catalog/export, no query), while the same request
    // sent again at once is answered 200; the request is not at fault, a connection reset under it is. Just
    // before, the server closed the two connections idle since the start (GET /openapi.json, a seed checkout) at
    // its 72 s keep-alive timeout: undici reuses an idle connection up to the advertised 72 s less ~2 s, and with
    // client and server in one event loop stalled for seconds by a loaded machine, it can pick one the server has
    // just closed. Likely a test artefact (separate processes keep their own clocks); see the report.
    why: 'WATCH: a REST request got no answer: ECONNRESET on a keep-alive connection reused as the server’s 72 s idle timeout closed it (same request retried at once is answered)',
  },
];
const known: Record<string, number> = {};

let s: TestGrpcServer;
let fp: Fingerprinter;
let lanes: Lane[];
const findings: string[] = [];
const tally = { rest: 0, grpc: 0, byStatus: {} as Record<string, number> };

interface Lane {
  tenant: TestTenant;
  ids: string[];
  last: string;
}

const note = (finding: string) => {
  const k = KNOWN.find((x) => x.pattern.test(finding));
  if (k) {
    // Counted and shown in the summary, not failed on.
    known[k.why] = (known[k.why] ?? 0) + 1;
    if (process.env.FUZZ_VERBOSE) console.log(`known: ${finding.slice(0, 400)}`);
  } else if (findings.length < 200) findings.push(finding);
};

async function seedLane(): Promise<Lane> {
  const tenant = await createTenant(s.app);
  const h = { headers: tenant.devHeaders };
  const ids = [tenant.outletId, tenant.terminalId];
  const cat = await call(s.baseUrl, 'POST', '/api/v1/categories', { ...h, body: { name: 'Fuzz' } });
  const p = await call(s.baseUrl, 'POST', '/api/v1/products', { ...h, body: { name: 'Fuzz product', category_id: cat.body.id } });
  const variantId = p.body.variants[0].id as string;
  await call(s.baseUrl, 'POST', '/api/v1/prices', { ...h, body: { variant_id: variantId, amount: 1_000_000, currency: 'IDR' } });
  const open = await call(s.baseUrl, 'POST', '/api/v1/orders', { ...h, body: { items: [{ variant_id: variantId, quantity: 2 }] } });
  const sale = await call(s.baseUrl, 'POST', '/api/v1/checkout', { ...h, body: { items: [{ variant_id: variantId }], tenders: [{ tender_type: 'CARD', amount: 1_000_000, card_last4: '4242' }] } });
  if (sale.status !== 201) throw new Error(`seed checkout: ${sale.status} ${JSON.stringify(sale.body)}`);
  ids.push(cat.body.id, p.body.id, variantId, open.body.id, open.body.items[0].id, sale.body.id, sale.body.items[0].id, sale.body.payments[0].id);
  return { tenant, ids, last: await fp.of(tenant.tenantId) };
}

/** Moves on when a test ends: a run that outlived its time limit stops sending, so it cannot blur the next test's findings. */
let generation = 0;

/** Runs `work` for each of `count` cases over the lanes, each lane one request at a time. */
async function overLanes<C>(cases: C[], work: (lane: Lane, c: C) => Promise<void>): Promise<void> {
  const mine = generation;
  let next = 0;
  await Promise.all(
    lanes.map(async (lane) => {
      while (next < cases.length && mine === generation) await work(lane, cases[next++]!);
    }),
  );
}

/** After an answer: a refused request must have left the lane's tenant as it was. */
async function checkNothingWritten(lane: Lane, refused: boolean, what: () => string): Promise<void> {
  const now = await fp.of(lane.tenant.tenantId);
  if (refused && now !== lane.last) note(`refused request wrote: ${fp.diff(lane.last, now).join(', ')} — ${what()}`);
  lane.last = now;
}

beforeAll(async () => {
  s = await startTestGrpcServer();
  if (process.env.FUZZ_VERBOSE) watchServerCloses(s.http.server);
  fp = await fingerprinter(s.app.database);
  lanes = [];
  const n = s.app.database.kind === 'postgres' ? 6 : 3;
  for (let i = 0; i < n; i++) lanes.push(await seedLane());
}, 120_000);

afterEach(() => {
  generation++;
});

afterAll(async () => {
  if (process.env.FUZZ_FINDINGS_FILE) (await import('node:fs')).writeFileSync(process.env.FUZZ_FINDINGS_FILE, findings.join('\n'));
  console.log(`fuzz: ${tally.rest} REST + ${tally.grpc} gRPC cases (seed ${SEED}) on ${s?.app.database.kind}; answers ${JSON.stringify(tally.byStatus)}; ${findings.length} findings; known, not failed on: ${JSON.stringify(known)}`);
  await s?.stop();
});

type Operation = { method: string; path: string; parameters?: { in: string; name: string; required?: boolean; schema?: JsonSchema }[]; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } };
interface RestCase {
  route: number;
  pathValues: unknown[];
  query: Record<string, unknown>;
  body: unknown;
  idempotencyKey: string | undefined;
}

describe('fuzzing', () => {
  it('REST: every tenant route of /openapi.json survives hostile input: no 5xx, every error has a code, a refused request writes nothing', async () => {
    const spec = (await call(s.baseUrl, 'GET', '/openapi.json')).body as { paths: Record<string, Record<string, Operation & { security?: Record<string, unknown>[] }>> };
    const ops: Operation[] = [];
    for (const [path, methods] of Object.entries(spec.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        if (!op.security?.some((x) => 'devTenant' in x)) continue; // tenant routes only
        ops.push({ ...op, method: method.toUpperCase(), path });
      }
    }
    expect(ops.length).toBeGreaterThan(50);
    const ids = lanes.flatMap((l) => l.ids);
    const opts = { ids, chaos: 0.15, cardFields: CARD_FIELDS };
    const caseArb = fc.nat(ops.length - 1).chain((route): fc.Arbitrary<RestCase> => {
      const op = ops[route]!;
      const pathParams = [...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      const queryParams = (op.parameters ?? []).filter((p) => p.in === 'query');
      const bodySchema = op.requestBody?.content?.['application/json']?.schema;
      return fc.record({
        route: fc.constant(route),
        pathValues: fc.tuple(...pathParams.map((name) => fc.oneof({ weight: 8, arbitrary: fromSchema({ type: 'string', format: 'uuid' }, { ...opts, chaos: 0 }, 0, name) }, { weight: 1, arbitrary: hostileString().map((x) => x.slice(0, 300)) }))),
        query: fc.record(Object.fromEntries(queryParams.map((p) => [p.name, fromSchema(p.schema, opts, 0, p.name)])), { requiredKeys: [] }),
        body: bodySchema
          ? fc.oneof({ weight: 20, arbitrary: fromSchema(bodySchema, opts) }, { weight: 1, arbitrary: deepJson() }, { weight: 1, arbitrary: malformedJson() }, { weight: 1, arbitrary: hostileValue() })
          : fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: hostileValue() }),
        idempotencyKey: fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: fc.uuid() }, { weight: 1, arbitrary: hostileString().map((x) => x.slice(0, 300)) }),
      });
    });
    const cases = fc.sample(caseArb, { numRuns: Math.round(CASES * 0.7), seed: SEED });

    await overLanes(cases, async (lane, c) => {
      const op = ops[c.route]!;
      let i = 0;
      const path = op.path.replace(/\{\w+\}/g, () => encodePart(String(c.pathValues[i++])));
      const qs = new URLSearchParams();
      for (const [k, v] of Object.entries(c.query)) if (v !== undefined) qs.append(k, typeof v === 'string' ? v : JSON.stringify(v));
      const url = `${s.baseUrl}${path}${qs.size ? `?${qs}` : ''}`;
      const headers: Record<string, string> = { ...lane.tenant.devHeaders };
      let body: string | undefined;
      if (c.body !== undefined && op.method !== 'GET' && op.method !== 'HEAD') {
        headers['content-type'] = 'application/json';
        body = isRaw(c.body) ? (c.body as Raw).raw : JSON.stringify(c.body);
      }
      if (c.idempotencyKey !== undefined) headers['idempotency-key'] = c.idempotencyKey.replace(/[^\x20-\x7e]/g, '?') || 'k';
      const what = () => `${op.method} ${path.slice(0, 200)}${qs.size ? `?${qs.toString().slice(0, 200)}` : ''} ${body === undefined ? '' : body.slice(0, 300)}`;
      let status = 0;
      let text = '';
      try {
        const res = await fetch(url, { method: op.method, headers, body, signal: AbortSignal.timeout(20_000) });
        status = res.status;
        text = await res.text();
      } catch (e) {
        const cause = (e as { cause?: { code?: string; name?: string; message?: string } }).cause;
        // the same request again, at once: answered means the connection was at fault, not the request
        const again = await fetch(url, { method: op.method, headers, body, signal: AbortSignal.timeout(20_000) }).then(async (r) => `${r.status} ${(await r.text()).slice(0, 80)}`, (x: Error) => `no answer again: ${x.message}`);
        note(`no answer (${(e as Error).message}${cause ? `: ${cause.code ?? cause.name ?? ''} ${cause.message ?? ''}` : ''}; retried: ${again}) — ${what()}`);
      }
      tally.rest++;
      tally.byStatus[String(status)] = (tally.byStatus[String(status)] ?? 0) + 1;
      if (status >= 500 || status === 0) note(`${status} ${text.slice(0, 300)} — ${what()}`);
      if (status >= 400) {
        let code: unknown;
        try {
          code = (JSON.parse(text) as { error?: { code?: unknown } }).error?.code;
        } catch {
          code = undefined;
        }
        if (typeof code !== 'string' || !code) note(`error without a code: ${status} ${text.slice(0, 200)} — ${what()}`);
      }
      await checkNothingWritten(lane, status >= 400, what);
    });
    const health = await call(s.baseUrl, 'GET', '/healthz');
    expect(health.status).toBe(200);
    expect(findings).toEqual([]);
  }, BUDGET_MS);

  it('gRPC: every implemented RPC, typed from reflection, survives hostile messages and undecodable bytes', async () => {
    const services = [...new Set(IMPLEMENTED_RPCS.map((r) => r.path.split('/')[1]!))];
    const root = rootFrom((await Promise.all(services.map((svc) => filesFor(s.target, svc)))).flat().filter((f, i, all) => all.findIndex((g) => g.name === f.name) === i));
    const rpcs = IMPLEMENTED_RPCS.map((r) => {
      const [service, method] = r.path.slice(1).split('/') as [string, string];
      const m = root.lookupService(service).methods[method]!.resolve() as protobuf.Method;
      return { ...r, type: m.resolvedRequestType! };
    });
    const client = new grpc.Client(s.target, grpc.credentials.createInsecure());
    const ids = lanes.flatMap((l) => l.ids);
    const cases = fc.sample(
      fc.nat(rpcs.length - 1).chain((i) =>
        fc.record({
          rpc: fc.constant(i),
          message: fc.oneof({ weight: 12, arbitrary: messageArb(rpcs[i]!.type, ids, 0) }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)) }),
          idempotencyKey: fc.oneof({ weight: 5, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.uuid() }),
        }),
      ),
      { numRuns: CASES - Math.round(CASES * 0.7), seed: SEED + 1 },
    );
    try {
      await overLanes(cases, async (lane, c) => {
        const r = rpcs[c.rpc]!;
        let bytes: Buffer;
        try {
          bytes = Buffer.isBuffer(c.message) ? c.message : Buffer.from(r.type.encode(r.type.fromObject(c.message as object)).finish());
        } catch {
          bytes = Buffer.from(r.type.encode(r.type.fromObject({})).finish());
        }
        const md = new grpc.Metadata();
        for (const [k, v] of Object.entries(lane.tenant.devHeaders)) md.set(k, v);
        if (c.idempotencyKey) md.set('idempotency-key', c.idempotencyKey);
        const what = () => `${r.path} ${Buffer.isBuffer(c.message) ? `bytes ${c.message.toString('hex').slice(0, 80)}` : JSON.stringify(c.message, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)).slice(0, 300)}`;
        const result = await new Promise<{ code: number; details: string; metadata?: grpc.Metadata }>((resolve) => {
          client.makeUnaryRequest(
            r.path,
            (b: Buffer) => b,
            (b: Buffer) => b,
            bytes,
            md,
            { deadline: Date.now() + 20_000 },
            (err) => resolve(err ? { code: err.code, details: err.details, metadata: err.metadata } : { code: 0, details: '' }),
          );
        });
        tally.grpc++;
        const key = `grpc:${grpc.status[result.code]}`;
        tally.byStatus[key] = (tally.byStatus[key] ?? 0) + 1;
        if ([grpc.status.INTERNAL, grpc.status.UNKNOWN, grpc.status.DATA_LOSS, grpc.status.DEADLINE_EXCEEDED, grpc.status.UNAVAILABLE].includes(result.code)) note(`${grpc.status[result.code]} ${result.details} — ${what()}`);
        if (result.code !== 0 && !decodeStatusDetails(result.metadata)?.errorInfo?.reason) note(`error without a code: ${grpc.status[result.code]} ${result.details} — ${what()}`);
        await checkNothingWritten(lane, result.code !== 0, what);
      });
    } finally {
      client.close();
    }
    expect((await call(s.baseUrl, 'GET', '/healthz')).status).toBe(200);
    expect(findings).toEqual([]);
  }, BUDGET_MS);

  it('no table holds anything that looks like a full card number (13–19 digits passing Luhn)', async () => {
    // the fuzzers sent these in every card field; make sure at least the plain fields were tried too
    const h = { headers: lanes[0]!.tenant.devHeaders };
    const variant = lanes[0]!.ids[4]!;
    for (const pan of CARD_NUMBERS) {
      await call(s.baseUrl, 'POST', '/api/v1/checkout', { ...h, body: { items: [{ variant_id: variant }], tenders: [{ tender_type: 'CARD', amount: 1_000_000, card_last4: pan }] } });
      await call(s.baseUrl, 'POST', '/api/v1/checkout', { ...h, body: { items: [{ variant_id: variant }], tenders: [{ tender_type: 'CARD', amount: 1_000_000, card_last4: '1111', card_reference: pan }] } });
      const viaReference = await call(s.baseUrl, 'POST', '/api/v1/checkout', { ...h, body: { items: [{ variant_id: variant }], tenders: [{ tender_type: 'EXTERNAL', amount: 1_000_000, reference: `paid by ${pan}` }] } });
      expect(viaReference.status).toBe(400);
      expect(viaReference.body.error.details.fields).toEqual([expect.objectContaining({ field: 'tenders.0.reference' })]);
    }
    const columns = (
      await s.app.database.query<{ table_name: string; column_name: string }>(
        `SELECT c.table_name, c.column_name FROM information_schema.columns c
           JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
          WHERE c.table_schema = 'public' AND c.data_type IN ('text', 'jsonb', 'json', 'character varying', 'character')`,
      )
    ).rows;
    const hits: string[] = [];
    const unreadable: string[] = [];
    await s.app.database.systemTransaction(async (db) => {
      for (const { table_name: t, column_name: col } of columns) {
        try {
          await db.execute(sql.raw('SAVEPOINT scan'));
          const rows = (await db.execute(sql.raw(`SELECT "${col}"::text AS v FROM "${t}" WHERE "${col}"::text ~ '[0-9]([ -]?[0-9]){12,18}'`))) as unknown as { rows: { v: string }[] };
          for (const r of rows.rows) for (const pan of findCardNumbers(r.v)) hits.push(`${t}.${col}: …${pan.slice(-4)} in ${r.v.slice(0, 120)}`);
          await db.execute(sql.raw('RELEASE SAVEPOINT scan'));
        } catch (e) {
          await db.execute(sql.raw('ROLLBACK TO SAVEPOINT scan'));
          unreadable.push(`${t}.${col} (${(e as Error).message.slice(0, 60)})`);
        }
      }
    });
    for (const h of hits.slice(0, 20)) console.log(`card number stored: ${h}`);
    console.log(`card scan: ${columns.length} text/jsonb columns, ${unreadable.length} unreadable${unreadable.length ? `: ${unreadable.join('; ')}` : ''}; ${hits.length} hits`);
    expect(hits).toEqual([]);
  });
});

/** FUZZ_VERBOSE: prints each connection the server closed (the client had not), with its last request and status. */
function watchServerCloses(server: import('node:http').Server): void {
  server.on('connection', (socket: import('node:net').Socket) => {
    let clientEnded = false;
    let last = 'none';
    socket.on('end', () => (clientEnded = true));
    socket.on('close', (hadError) => {
      if (!clientEnded) console.log(`server closed a connection (error ${hadError}) after: ${last}`);
    });
    (socket as unknown as { lastRequest?: (r: string) => void }).lastRequest = (r) => (last = r);
  });
  server.on('request', (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) => {
    res.on('finish', () => (req.socket as unknown as { lastRequest?: (r: string) => void }).lastRequest?.(`${req.method} ${req.url?.slice(0, 120)} → ${res.statusCode} (content-length ${req.headers['content-length'] ?? '-'}, complete ${req.complete}, keep-alive ${res.shouldKeepAlive})`));
  });
}

/** encodeURIComponent, with lone surrogates (which it refuses) replaced. */
function encodePart(v: string): string {
  try {
    return encodeURIComponent(v);
  } catch {
    return encodeURIComponent(v.replace(/[\ud800-\udfff]/g, '?'));
  }
}

/** Messages of `type` with hostile contents, encodable on the wire (protobuf already fixes each field's type). */
function messageArb(type: protobuf.Type, ids: string[], depth: number): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.values(type.fields).filter((f) => !f.map);
  return fc.record(Object.fromEntries(fields.map((f) => [f.name, depth > 3 ? fc.constant(undefined) : fieldArb(f, ids, depth)])), { requiredKeys: [] });
}

function fieldArb(f: protobuf.Field, ids: string[], depth: number): fc.Arbitrary<unknown> {
  const one = scalarArb(f, ids, depth);
  return f.repeated ? fc.array(one, { maxLength: 3 }) : one;
}

function scalarArb(f: protobuf.Field, ids: string[], depth: number): fc.Arbitrary<unknown> {
  const resolved = f.resolve().resolvedType;
  if (resolved instanceof protobuf.Type) {
    if (resolved.fullName === '.google.protobuf.Struct' || resolved.fullName === '.google.protobuf.Value') return fc.constant({});
    return messageArb(resolved, ids, depth + 1);
  }
  if (resolved instanceof protobuf.Enum) return fc.oneof(fc.constantFrom(...Object.values(resolved.values)), fc.integer({ min: -5, max: 1000 }));
  switch (f.type) {
    case 'string':
      if (CARD_FIELDS.test(f.name)) return fc.oneof(fc.constantFrom(...CARD_NUMBERS), hostileString().map((x) => x.slice(0, 2000)));
      if (/(^|_)id$|_ids?$/.test(f.name)) return fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...ids) }, { weight: 2, arbitrary: fc.uuid() }, { weight: 1, arbitrary: hostileString().map((x) => x.slice(0, 300)) });
      if (/amount|price|total|tip/.test(f.name)) return fc.oneof(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }).map(String), fc.constantFrom('1.5', '-1', 'abc', '1e5', '')).filter(noCard);
      return fc.oneof({ weight: 3, arbitrary: fc.string({ maxLength: 20 }) }, { weight: 2, arbitrary: hostileString().map((x) => x.slice(0, GRPC_MAX_STRING)) });
    case 'int64':
    case 'sint64':
    case 'sfixed64':
      return fc.oneof(fc.constantFrom('9223372036854775807', '-9223372036854775808', '0', '-1'), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String)).filter(noCard);
    case 'uint64':
    case 'fixed64':
      return fc.oneof(fc.constantFrom('18446744073709551615', '0'), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map(String)).filter(noCard);
    case 'int32':
    case 'sint32':
    case 'sfixed32':
      return fc.oneof(fc.constantFrom(2_147_483_647, -2_147_483_648, 0, -1), fc.integer());
    case 'uint32':
    case 'fixed32':
      return fc.oneof(fc.constantFrom(4_294_967_295, 0), fc.nat());
    case 'double':
    case 'float':
      return fc.oneof(fc.double(), fc.constantFrom(Number.NaN, Infinity, -Infinity, 0.1, -0.5));
    case 'bool':
      return fc.boolean();
    case 'bytes':
      return fc.uint8Array({ maxLength: 32 });
    default:
      return fc.constant(undefined);
  }
}

