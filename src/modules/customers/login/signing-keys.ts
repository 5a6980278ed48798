import { sql } from 'drizzle-orm';
import { exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JWK, type JWTPayload } from 'jose';
import type { Database } from '../../../platform/db.js';
import { rowsOf } from '../../../platform/db.js';
import { uuidv7 } from '../../../platform/ids.js';

export const CUSTOMER_TOKEN_ISSUER = 'kasir';
export const CUSTOMER_TOKEN_AUDIENCE = 'kasir:customer';

interface KeyRow {
  kid: string;
  private_jwk: JWK;
  public_jwk: JWK;
}

/**
 * Kasir's own Ed25519 keys for customer tokens, kept in the signing_keys table so every node of a deployment
 * signs and verifies alike. The first node to need one generates it; the newest key signs, every key verifies,
 * and GET /.well-known/jwks.json publishes the public halves.
 */
export class SigningKeys {
  private loaded: Promise<KeyRow[]> | undefined;
  private lastReload = 0;

  constructor(private readonly database: Database) {}

  private keys(): Promise<KeyRow[]> {
    this.loaded ??= this.load().catch((e: unknown) => {
      this.loaded = undefined;
      throw e;
    });
    return this.loaded;
  }

  private async load(): Promise<KeyRow[]> {
    const read = () => this.database.transaction(null, async (db) => rowsOf<KeyRow>(await db.execute(sql`SELECT kid, private_jwk, public_jwk FROM signing_keys ORDER BY created_at DESC, kid DESC`)));
    const rows = await read();
    if (rows.length > 0) return rows;
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const kid = uuidv7();
    const priv = { ...(await exportJWK(privateKey)), kid, alg: 'EdDSA', use: 'sig' };
    const pub = { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' };
    await this.database.transaction(null, (db) => db.execute(sql`INSERT INTO signing_keys (kid, private_jwk, public_jwk) VALUES (${kid}, ${JSON.stringify(priv)}::jsonb, ${JSON.stringify(pub)}::jsonb) ON CONFLICT DO NOTHING`));
    return read();
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    return { keys: (await this.keys()).map((k) => k.public_jwk) };
  }

  async sign(claims: JWTPayload & { tenant_id: string; customer_id: string }, subject: string, ttlSeconds: number): Promise<string> {
    const [key] = await this.keys();
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA', kid: key!.kid, typ: 'JWT' })
      .setIssuer(CUSTOMER_TOKEN_ISSUER)
      .setAudience(CUSTOMER_TOKEN_AUDIENCE)
      .setSubject(subject)
      .setIssuedAt()
      .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
      .sign(await importJWK(key!.private_jwk, 'EdDSA'));
  }

  /** The claims of a valid customer token; throws (jose's errors) otherwise. */
  async verify(token: string): Promise<JWTPayload> {
    let keys = await this.keys();
    const { payload } = await jwtVerify(
      token,
      async (header) => {
        let k = keys.find((x) => x.kid === header.kid);
        if (!k && Date.now() - this.lastReload > 30_000) {
          // A key another node generated after this one loaded: reload, at most every 30 s (an unknown kid
          // is also what a forger sends).
          this.lastReload = Date.now();
          this.loaded = undefined;
          keys = await this.keys();
          k = keys.find((x) => x.kid === header.kid);
        }
        if (!k) throw new Error('unknown key');
        return importJWK(k.public_jwk, 'EdDSA');
      },
      { algorithms: ['EdDSA', 'Ed25519'], issuer: CUSTOMER_TOKEN_ISSUER, audience: CUSTOMER_TOKEN_AUDIENCE, requiredClaims: ['exp', 'tenant_id', 'customer_id'], clockTolerance: 30 },
    );
    return payload;
  }
}
