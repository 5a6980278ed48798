import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../platform/ids.js';
import { decodeApiKey, encodeApiKey, hashSecret, newApiKeySecret, secretMatches } from './api-key.js';

describe('API key format', () => {
  it('round-trips the tenant and key ids through the key string, whatever characters the parts hold', () => {
    for (let i = 0; i < 500; i++) {
    const tenantId = uuidv7();
    const keyId = uuidv7();
    const secret = newApiKeySecret();
    const key = encodeApiKey(tenantId, keyId, secret);
    expect(key).toMatch(/^ksr_[A-Za-z0-9_-]{43}_[A-Za-z0-9_-]{43}$/);
    expect(decodeApiKey(key)).toEqual({ tenantId, keyId, secret });
    }
  });

  it('rejects strings that are not Kasir keys', () => {
    for (const bad of ['', 'ksr_', 'abc', `ksr_${'A'.repeat(43)}_short`, `xyz_${'A'.repeat(43)}_${'B'.repeat(43)}`, 'ksr_' + 'A'.repeat(500)]) {
      expect(decodeApiKey(bad)).toBeUndefined();
    }
  });

  it('matches a secret only against its own hash', () => {
    const a = newApiKeySecret();
    const b = newApiKeySecret();
    expect(secretMatches(a, hashSecret(a))).toBe(true);
    expect(secretMatches(b, hashSecret(a))).toBe(false);
  });
});
