import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys read `ksr_<locator>_<secret>`. The locator is base64url(tenant id ‖ key id), so a key is found
 * inside its own tenant's row-level-security scope without a cross-tenant lookup; the secret (32 random
 * bytes) is stored only as its SHA-256 (it has 256 bits of entropy, so a slow hash adds nothing).
 */
const PREFIX = 'ksr_';

export interface DecodedApiKey {
  tenantId: string;
  keyId: string;
  secret: string;
}

const uuidToBytes = (u: string) => Buffer.from(u.replace(/-/g, ''), 'hex');
const bytesToUuid = (b: Buffer) => {
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

export function newApiKeySecret(): string {
  return randomBytes(32).toString('base64url');
}

export function encodeApiKey(tenantId: string, keyId: string, secret: string): string {
  const locator = Buffer.concat([uuidToBytes(tenantId), uuidToBytes(keyId)]).toString('base64url');
  return `${PREFIX}${locator}_${secret}`;
}

export function decodeApiKey(key: string): DecodedApiKey | undefined {
  if (!key.startsWith(PREFIX) || key.length > 200) return undefined;
  const rest = key.slice(PREFIX.length);
  // Both parts are fixed-length base64url (which itself may contain '_'), so split by position.
  if (rest.length !== 87 || rest[43] !== '_') return undefined;
  const locator = Buffer.from(rest.slice(0, 43), 'base64url');
  const secret = rest.slice(44);
  if (locator.length !== 32 || !/^[A-Za-z0-9_-]{43}$/.test(secret)) return undefined;
  return { tenantId: bytesToUuid(locator.subarray(0, 16)), keyId: bytesToUuid(locator.subarray(16)), secret };
}

export const hashSecret = (secret: string): Buffer => createHash('sha256').update(secret).digest();

export function secretMatches(secret: string, storedHash: Buffer): boolean {
  const h = hashSecret(secret);
  return h.length === storedHash.length && timingSafeEqual(h, storedHash);
}
