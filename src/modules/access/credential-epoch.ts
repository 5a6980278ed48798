import type { Database } from '../../platform/db.js';

/**
 * Credential changes (key revoked, role or membership changed) committed by this process, counted per
 * database. The Authenticator compares it before using or filling its caches, so a change is refused on the
 * node that made it as soon as the change's request returns. Other nodes learn of it by NOTIFY (see app.ts),
 * which arrives a moment after commit; this counter closes that moment on the node itself, where a client that
 * revokes a key and retries at once would otherwise still get in.
 */
const epochs = new WeakMap<Database, number>();

export const credentialEpoch = (database: Database): number => epochs.get(database) ?? 0;

export function credentialsChangedLocally(database: Database): void {
  epochs.set(database, credentialEpoch(database) + 1);
}
