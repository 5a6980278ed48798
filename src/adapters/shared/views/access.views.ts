import { z } from 'zod';
import type { ApiKey, Membership, Role } from '../../../modules/access/index.js';
import { iso, timestamp } from './common.js';

export const roleView = z.object({
  id: z.string(),
  key: z.string(),
  name: z.string(),
  level: z.number().int(),
  permissions: z.array(z.string()),
  system: z.boolean(),
  created_at: timestamp(),
  updated_at: timestamp(),
});
export const presentRole = (r: Role) => ({
  id: r.id,
  key: r.key,
  name: r.name,
  level: r.level,
  permissions: r.permissions,
  system: r.system,
  created_at: iso(r.createdAt)!,
  updated_at: iso(r.updatedAt)!,
});

export const membershipView = z.object({
  id: z.string(),
  user_id: z.string(),
  role_id: z.string(),
  display_name: z.string(),
  email: z.string().nullable(),
  active: z.boolean(),
  created_at: timestamp(),
  updated_at: timestamp(),
});
export const presentMembership = (m: Membership) => ({
  id: m.id,
  user_id: m.userId,
  role_id: m.roleId,
  display_name: m.displayName,
  email: m.email,
  active: m.active,
  created_at: iso(m.createdAt)!,
  updated_at: iso(m.updatedAt)!,
});

export const apiKeyView = z.object({
  id: z.string(),
  name: z.string(),
  last4: z.string().describe('Last four characters of the secret, to tell keys apart'),
  permissions: z.array(z.string()),
  created_at: timestamp(),
  expires_at: timestamp().nullable(),
  revoked_at: timestamp().nullable(),
  last_used_at: timestamp().nullable(),
});
/** Never includes the secret or its hash. */
export const presentApiKey = (k: ApiKey) => ({
  id: k.id,
  name: k.name,
  last4: k.last4,
  permissions: k.permissions,
  created_at: iso(k.createdAt)!,
  expires_at: iso(k.expiresAt),
  revoked_at: iso(k.revokedAt),
  last_used_at: iso(k.lastUsedAt),
});
export const createdApiKeyView = apiKeyView.extend({ secret: z.string().describe('The full key: shown this once, never again') });
