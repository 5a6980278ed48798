import { createHmac, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type JWK } from 'jose';
import { startTestServer, type TestServer, type TestTenant } from './server.js';

/**
 * A stand-in for the Auth service of seed 000: real Ed25519 keys, a real JWKS served over HTTP, and real
 * signed tokens, plus the forgeries an attacker would try (alg none, HS256 keyed with the public key).
 */
type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export interface SigningKey {
  kid: string;
  privateKey: PrivateKey;
  publicJwk: JWK;
  /** The public key as PEM, and its raw 32 bytes: what an algorithm-confusion attacker would HMAC with. */
  spkiPem: string;
  rawPublic: Buffer;
}

export async function newSigningKey(kid = `kid-${randomUUID()}`): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519' });
  const jwk = await exportJWK(publicKey);
  return {
    kid,
    privateKey,
    publicJwk: { ...jwk, kid, alg: 'EdDSA', use: 'sig' },
    spkiPem: await exportSPKI(publicKey),
    rawPublic: Buffer.from(jwk.x!, 'base64url'),
  };
}

/** A JWKS endpoint on an ephemeral port; `publish` swaps the served keys (rotation), `failWith` breaks it. */
export class JwksServer {
  fetches = 0;
  failWith: number | undefined;
  url = '';
  private keys: JWK[] = [];
  private readonly server: Server = createServer((_req, res) => {
    this.fetches += 1;
    if (this.failWith) {
      res.writeHead(this.failWith, { 'content-type': 'text/plain' }).end('auth service is down');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: this.keys }));
  });

  static async start(...keys: SigningKey[]): Promise<JwksServer> {
    const jwks = new JwksServer();
    jwks.publish(...keys);
    await new Promise<void>((resolve) => jwks.server.listen(0, '127.0.0.1', resolve));
    jwks.url = `http://127.0.0.1:${(jwks.server.address() as AddressInfo).port}/.well-known/jwks.json`;
    return jwks;
  }

  publish(...keys: SigningKey[]): void {
    this.keys = keys.map((k) => k.publicJwk);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export interface TokenOptions {
  /** Seconds from now; negative for the past. Default +300. `null` leaves the claim out. */
  exp?: number | null;
  iat?: number | null;
  nbf?: number;
  /** Header kid; defaults to the key's, `null` leaves it out. */
  kid?: string | null;
}

const now = () => Math.floor(Date.now() / 1000);

export async function signToken(key: SigningKey, claims: Record<string, unknown>, opts: TokenOptions = {}): Promise<string> {
  const payload: Record<string, unknown> = { ...claims };
  if (opts.exp !== null) payload.exp = now() + (opts.exp ?? 300);
  if (opts.iat !== null) payload.iat = now() + (opts.iat ?? 0);
  if (opts.nbf !== undefined) payload.nbf = now() + opts.nbf;
  const kid = opts.kid === undefined ? key.kid : opts.kid;
  return new SignJWT(payload).setProtectedHeader({ alg: 'EdDSA', typ: 'JWT', ...(kid === null ? {} : { kid }) }).sign(key.privateKey);
}

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** The claims of a valid token, with a header of the caller's choosing and no signature (`alg: none`). */
export function unsignedToken(claims: Record<string, unknown>, kid?: string): string {
  return `${b64({ alg: 'none', typ: 'JWT', ...(kid ? { kid } : {}) })}.${b64({ iat: now(), exp: now() + 300, ...claims })}.`;
}

/** Algorithm confusion: HS256 with the verifier's public key as the HMAC secret. */
export function hs256Token(secret: Buffer | string, claims: Record<string, unknown>, kid?: string): string {
  const signingInput = `${b64({ alg: 'HS256', typ: 'JWT', ...(kid ? { kid } : {}) })}.${b64({ iat: now(), exp: now() + 300, ...claims })}`;
  return `${signingInput}.${createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}

export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });

/** The claims the Auth service puts in a token for the tenant's owner. */
export const ownerClaims = (t: TestTenant, scope = 'pos:*'): Record<string, unknown> => ({
  sub: t.ownerUserId,
  tenant_id: t.tenantId,
  membership_id: t.ownerMembershipId,
  scope,
});

/** A Kasir server with POS_AUTH_ENABLED=true trusting `jwks`. */
export function startAuthServer(jwks: JwksServer, env: Record<string, string> = {}): Promise<TestServer> {
  return startTestServer({ POS_AUTH_ENABLED: 'true', POS_AUTH_JWKS_URL: jwks.url, ...env });
}
