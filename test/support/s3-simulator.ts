import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local stand-in for an S3-compatible store, for tests: a node:http server speaking the S3 REST calls Kasir's
 * blob store makes (PutObject, GetObject, HeadObject, DeleteObject), path-style (`/<bucket>/<key>`), that checks
 * the AWS Signature Version 4 of every request exactly as S3 does: the canonical request, the credential scope,
 * the clock skew and the payload hash. The real @aws-sdk/client-s3 talks to it over HTTP, so a test exercises
 * the same bytes on the wire as production does.
 */
export interface S3Simulator {
  endpoint: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  objects: Map<string, { body: Buffer; contentType: string; etag: string; lastModified: Date }>;
  /** Every request handled, with the S3 error code when it failed. */
  requests: { method: string; key: string; status: number; code?: string }[];
  close(): Promise<void>;
}

export interface S3SimulatorOptions {
  bucket?: string;
  region?: string;
  accessKeyId?: string;
  secretAccessKey?: string;
}

class S3Error extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding as SigV4 defines it: everything but A-Z a-z 0-9 - _ . ~ is percent-encoded. */
const awsEncode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

function canonicalQuery(raw: string): string {
  if (!raw) return '';
  return raw
    .split('&')
    .filter(Boolean)
    .map((pair) => {
      const i = pair.indexOf('=');
      const [k, v] = i < 0 ? [pair, ''] : [pair.slice(0, i), pair.slice(i + 1)];
      const dec = (x: string) => decodeURIComponent(x.replace(/\+/g, '%20'));
      return [awsEncode(dec(k)), awsEncode(dec(v))] as const;
    })
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

function parseAuthorization(header: string | undefined) {
  if (!header) throw new S3Error(403, 'AccessDenied', 'Anonymous access is not allowed');
  const m = /^AWS4-HMAC-SHA256 (.+)$/.exec(header);
  if (!m) throw new S3Error(400, 'InvalidArgument', 'Unsupported Authorization Type');
  const fields = Object.fromEntries(m[1]!.split(/,\s*/).map((p) => p.split('=', 2) as [string, string]));
  const { Credential: credential, SignedHeaders: signedHeaders, Signature: signature } = fields;
  if (!credential || !signedHeaders || !signature) throw new S3Error(400, 'AuthorizationHeaderMalformed', 'The authorization header is malformed');
  const [accessKeyId, date, region, service, terminator] = credential.split('/');
  if (!accessKeyId || !date || !region || service !== 's3' || terminator !== 'aws4_request') {
    throw new S3Error(400, 'AuthorizationHeaderMalformed', 'The credential scope is malformed');
  }
  return { accessKeyId, date, region, signedHeaders: signedHeaders.split(';'), signature };
}

function verifySignature(req: IncomingMessage, body: Buffer, sim: S3Simulator): void {
  const auth = parseAuthorization(req.headers.authorization);
  if (auth.accessKeyId !== sim.accessKeyId) throw new S3Error(403, 'InvalidAccessKeyId', 'The AWS access key Id you provided does not exist in our records');
  if (auth.region !== sim.region) throw new S3Error(400, 'AuthorizationHeaderMalformed', `the region '${auth.region}' is wrong; expecting '${sim.region}'`);
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  const when = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
  if (!when || amzDate.slice(0, 8) !== auth.date) throw new S3Error(403, 'AccessDenied', 'x-amz-date is missing or does not match the credential scope');
  const t = Date.UTC(+when[1]!, +when[2]! - 1, +when[3]!, +when[4]!, +when[5]!, +when[6]!);
  if (Math.abs(Date.now() - t) > 15 * 60_000) throw new S3Error(403, 'RequestTimeTooSkewed', 'The difference between the request time and the current time is too large');
  for (const required of ['host', 'x-amz-date', 'x-amz-content-sha256']) {
    if (!auth.signedHeaders.includes(required)) throw new S3Error(403, 'AccessDenied', `${required} must be a signed header`);
  }
  const payloadHash = String(req.headers['x-amz-content-sha256'] ?? '');
  if (payloadHash.startsWith('STREAMING-')) throw new S3Error(501, 'NotImplemented', 'aws-chunked uploads are not simulated');
  if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== sha256(body)) {
    throw new S3Error(400, 'XAmzContentSHA256Mismatch', 'The provided x-amz-content-sha256 header does not match what was computed');
  }

  const [rawPath = '/', rawQuery = ''] = (req.url ?? '/').split('?', 2);
  const canonicalUri = rawPath.split('/').map((seg) => awsEncode(decodeURIComponent(seg))).join('/');
  const canonicalHeaders = auth.signedHeaders
    .map((name) => {
      const v = req.headers[name];
      const value = Array.isArray(v) ? v.join(',') : (v ?? '');
      return `${name}:${String(value).trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
  const canonicalRequest = [req.method, canonicalUri, canonicalQuery(rawQuery), canonicalHeaders, auth.signedHeaders.join(';'), payloadHash].join('\n');
  const scope = `${auth.date}/${auth.region}/s3/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
  const signingKey = ['s3', 'aws4_request'].reduce((k, part) => hmac(k, part), hmac(hmac(`AWS4${sim.secretAccessKey}`, auth.date), auth.region));
  const expected = createHmac('sha256', signingKey).update(stringToSign).digest();
  const given = Buffer.from(/^[0-9a-f]{64}$/.test(auth.signature) ? auth.signature : '', 'hex');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new S3Error(403, 'SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.');
  }
}

const xmlError = (code: string, message: string, key: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><Key>${key}</Key><RequestId>sim</RequestId></Error>`;

function handle(req: IncomingMessage, body: Buffer, res: ServerResponse, sim: S3Simulator): { key: string; status: number; code?: string } {
  const path = (req.url ?? '/').split('?', 1)[0]!;
  const [, bucket = '', ...rest] = path.split('/');
  const key = rest.map(decodeURIComponent).join('/');
  try {
    verifySignature(req, body, sim);
    if (decodeURIComponent(bucket) !== sim.bucket) throw new S3Error(404, 'NoSuchBucket', 'The specified bucket does not exist');
    if (!key) throw new S3Error(501, 'NotImplemented', 'Only object operations are simulated');
    const obj = sim.objects.get(key);
    const sendObjectHeaders = (o: NonNullable<typeof obj>) =>
      res.writeHead(200, { 'content-type': o.contentType, 'content-length': o.body.length, etag: o.etag, 'last-modified': o.lastModified.toUTCString() });
    switch (req.method) {
      case 'PUT': {
        const etag = `"${createHash('md5').update(body).digest('hex')}"`;
        sim.objects.set(key, { body, contentType: String(req.headers['content-type'] ?? 'application/octet-stream'), etag, lastModified: new Date() });
        res.writeHead(200, { etag, 'content-length': 0 }).end();
        return { key, status: 200 };
      }
      case 'GET':
      case 'HEAD':
        if (!obj) throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.');
        sendObjectHeaders(obj);
        res.end(req.method === 'GET' ? obj.body : undefined);
        return { key, status: 200 };
      case 'DELETE':
        sim.objects.delete(key);
        res.writeHead(204).end();
        return { key, status: 204 };
      default:
        throw new S3Error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
    }
  } catch (e) {
    if (!(e instanceof S3Error)) throw e;
    const xml = req.method === 'HEAD' ? '' : xmlError(e.code, e.message, key);
    res.writeHead(e.status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) }).end(xml);
    return { key, status: e.status, code: e.code };
  }
}

export async function startS3Simulator(opts: S3SimulatorOptions = {}): Promise<S3Simulator> {
  const sim: S3Simulator = {
    endpoint: '',
    bucket: opts.bucket ?? 'kasir-test',
    region: opts.region ?? 'us-east-1',
    accessKeyId: opts.accessKeyId ?? 'AKIASIMULATOR0000001',
    secretAccessKey: opts.secretAccessKey ?? 'simulator-secret-key-0123456789abcdefghij',
    objects: new Map(),
    requests: [],
    close: async () => undefined,
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = handle(req, Buffer.concat(chunks), res, sim);
      sim.requests.push({ method: req.method ?? '', ...r });
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  sim.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  sim.close = () =>
    new Promise<void>((ok, fail) => {
      server.closeAllConnections();
      server.close((e) => (e ? fail(e) : ok()));
    });
  return sim;
}
