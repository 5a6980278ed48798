import { customType, integer, boolean, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => 'bytea',
  fromDriver: (v) => Buffer.from(v),
});

// Mirrors db/migrations/0001_platform.sql.
export const roles = pgTable(
  'roles',
  {
    tenantId: uuid().notNull(),
    id: uuid().notNull(),
    key: text().notNull(),
    name: text().notNull(),
    level: integer().notNull(),
    permissions: text().array().notNull(),
    system: boolean().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const memberships = pgTable(
  'memberships',
  {
    tenantId: uuid().notNull(),
    id: uuid().notNull(),
    userId: uuid().notNull(),
    roleId: uuid().notNull(),
    displayName: text().notNull(),
    email: text(),
    active: boolean().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    tenantId: uuid().notNull(),
    id: uuid().notNull(),
    name: text().notNull(),
    secretHash: bytea().notNull(),
    last4: text().notNull(),
    permissions: text().array().notNull(),
    createdBy: uuid(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    lastUsedAt: timestamp({ withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.id] })],
);

export type Role = typeof roles.$inferSelect;
export type Membership = typeof memberships.$inferSelect;
export type ApiKey = typeof apiKeys.$inferSelect;
