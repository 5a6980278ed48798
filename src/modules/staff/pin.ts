import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { z } from 'zod';

/**
 * Staff PINs: 4–6 digits, kept only as scrypt (node:crypto) with a random salt per PIN, in a self-describing
 * string `scrypt$N$r$p$salt$hash` so the cost can be raised later without breaking stored PINs. A PIN has
 * little entropy, so the real protection is the lockout after a few failures (staff.service.ts).
 */
const N = 16_384;
const R = 8;
const P = 1;
const KEYLEN = 32;

export const pinField = () => z.string().regex(/^\d{4,6}$/, 'must be 4 to 6 digits');

const derive = (pin: string, salt: Buffer, opts: ScryptOptions, keylen: number): Promise<Buffer> =>
  new Promise((resolve, reject) => scrypt(pin, salt, keylen, { ...opts, maxmem: 64 * 1024 * 1024 }, (e, key) => (e ? reject(e) : resolve(key))));

export async function hashPin(pin: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(pin, salt, { N, r: R, p: P }, KEYLEN);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const [alg, n, r, p, salt, hash] = stored.split('$');
  if (alg !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(pin, Buffer.from(salt, 'base64'), { N: Number(n), r: Number(r), p: Number(p) }, expected.length);
  return timingSafeEqual(key, expected);
}
