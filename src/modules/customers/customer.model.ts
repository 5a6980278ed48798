/** A customer as the services and presenters see it. Money and points are bigint. */
export interface Customer {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  birthday: string | null;
  tags: string[];
  notes: string | null;
  marketingConsent: boolean;
  groupIds: string[];
  /** The loyalty tier its lifetime spend reaches (null: none). */
  tier: string | null;
  pointsBalance: bigint;
  /** The tenant's currency, which store credit and lifetime spend are in. */
  currency: string;
  creditBalance: bigint;
  ordersCount: number;
  lifetimeSpend: bigint;
  lastOrderAt: Date | null;
  mergedInto: string | null;
  archivedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface CustomerGroup {
  id: string;
  name: string;
  description: string | null;
  createdAt: Date;
  updatedAt: Date;
}

type Row = Record<string, unknown>;
const date = (v: unknown): Date | null => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(String(v)));

export function customerFromRow(r: Row): Customer {
  return {
    id: r.id as string,
    name: r.name as string,
    email: (r.email as string | null) ?? null,
    phone: (r.phone as string | null) ?? null,
    birthday: r.birthday === null || r.birthday === undefined ? null : r.birthday instanceof Date ? r.birthday.toISOString().slice(0, 10) : String(r.birthday).slice(0, 10),
    tags: (r.tags as string[] | null) ?? [],
    notes: (r.notes as string | null) ?? null,
    marketingConsent: Boolean(r.marketing_consent),
    tier: (r.tier as string | null) ?? null,
    groupIds: ((r.group_ids as string[] | null) ?? []).filter(Boolean).sort(),
    pointsBalance: BigInt(r.points_balance as string),
    currency: String(r.currency).trim(),
    creditBalance: BigInt(r.credit_balance as string),
    ordersCount: Number(r.orders_count),
    lifetimeSpend: BigInt(r.lifetime_spend as string),
    lastOrderAt: date(r.last_order_at),
    mergedInto: (r.merged_into as string | null) ?? null,
    archivedAt: date(r.archived_at),
    createdAt: date(r.created_at)!,
    updatedAt: date(r.updated_at)!,
  };
}

export function groupFromRow(r: Row): CustomerGroup {
  return { id: r.id as string, name: r.name as string, description: (r.description as string | null) ?? null, createdAt: date(r.created_at)!, updatedAt: date(r.updated_at)! };
}
