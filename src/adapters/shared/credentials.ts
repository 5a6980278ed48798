import { createHash, timingSafeEqual } from 'node:crypto';
import type { Credentials } from '../../modules/access/index.js';
import { AppError, CommonErrors } from '../../platform/errors.js';

/** Reads one header (REST) or metadata entry (gRPC) by its lower-case name. */
export type Lookup = (name: string) => string | undefined;

/** The credentials of seed 000's three modes, read the same way from REST headers and gRPC metadata. */
export function readCredentials(get: Lookup): Credentials {
  return {
    authorization: get('authorization'),
    apiKey: get('x-api-key'),
    devTenantId: get('x-dev-tenant-id'),
    devUserId: get('x-dev-user-id'),
    devMembershipId: get('x-dev-membership-id'),
    staffSession: get('x-staff-session'),
    managerOverride: get('x-manager-override'),
  };
}

/**
 * The platform-operator check: `x-platform-admin-key`, or `Authorization: Bearer <key>`. Digests compare in
 * constant time whatever the caller sent (a same-length value with a non-ASCII character would make
 * timingSafeEqual throw) and reveal nothing of the key's length. `where` names the transport in the refusal.
 */
export function assertPlatformKey(get: Lookup, expected: string | undefined, where: { header: string; disabled: string }): void {
  const given = get('x-platform-admin-key') ?? /^Bearer\s+(\S+)$/i.exec(get('authorization') ?? '')?.[1];
  const digest = (v: string) => createHash('sha256').update(v).digest();
  const ok = expected !== undefined && given !== undefined && timingSafeEqual(digest(given), digest(expected));
  if (!ok) {
    throw new AppError(CommonErrors.UNAUTHENTICATED, undefined, expected ? `A valid platform admin key is required (${where.header})` : `${where.disabled}: POS_PLATFORM_ADMIN_KEY is not set`);
  }
}
