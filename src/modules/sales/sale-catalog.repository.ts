import { sql } from 'drizzle-orm';
import type { ModifierGroupRules, PriceCandidate, TaxRuleRules } from '../catalog/index.js';
import type { TxScope } from '../../platform/context.js';
import type { RoundingMode, TaxRoundingLevel } from './pricing/index.js';
import { preparedRows } from '../../platform/prepared.js';
import { serviceChargeFromRow, type ServiceChargeRule } from './service-charge.js';

/**
 * Everything a sale needs from the tenant, the outlet and the catalog, read in ONE statement: the tenant's
 * currency and rounding policy, the outlet (named, the terminal's, or the tenant's first active one), the
 * variants sold with their products and per-outlet availability, every usable price of them with its book,
 * the products' modifier groups with all their modifiers, and the tenant's live tax rules with exemptions.
 * The rules applied to these rows stay the catalog's own pure functions (resolvePrice,
 * validateModifierSelection, selectTaxRules); only the fetch is here, because the checkout budget is one
 * read round trip and the catalog's loaders take one or two each. It belongs with the catalog and can move
 * there unchanged.
 */

export interface SaleTenant {
  currency: string;
  taxRounding: { mode: RoundingMode; level: TaxRoundingLevel };
  /** Minor units; 0 = no cash rounding. */
  cashRoundingUnit: bigint;
}

export interface SaleOutlet {
  id: string;
  code: string;
  timeZone: string;
  cutoffMinutes: number;
  active: boolean;
}

export interface SaleVariant {
  id: string;
  productId: string;
  name: string;
  sku: string | null;
  weightBased: boolean;
  active: boolean;
  archived: boolean;
  sortOrder: number;
  productName: string;
  productSku: string | null;
  taxCategoryId: string | null;
  trackStock: boolean;
  productActive: boolean;
  productArchived: boolean;
  /** false when the product is "86'd" at the outlet. */
  availableAtOutlet: boolean;
}

export interface CatalogSnapshot {
  tenant: SaleTenant;
  outlet: SaleOutlet | undefined;
  terminal: { id: string; outletId: string; active: boolean } | undefined;
  variants: SaleVariant[];
  /** Usable books only, by variant id. */
  prices: Map<string, PriceCandidate[]>;
  /** The product's attached groups in its order, each with all its modifiers (archived too), by product id. */
  modifierGroups: Map<string, ModifierGroupRules[]>;
  taxRules: TaxRuleRules[];
  /** The tenant's live service-charge rules (serviceChargesFor picks an order's). */
  serviceCharges: ServiceChargeRule[];
  /** The order that already has the request's client_id, if any (an offline sync replayed). */
  existingOrderId: string | undefined;
}

export interface SnapshotQuery {
  outletId?: string | undefined;
  terminalId?: string | undefined;
  variantIds: readonly string[];
  /** Products sold by product id alone (their variants are all loaded, to pick the one sold). */
  productIds: readonly string[];
  clientId?: string | undefined;
}

type J = Record<string, unknown>;
const date = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string));

export async function loadCatalogSnapshot(tx: TxScope, q: SnapshotQuery): Promise<CatalogSnapshot> {
  const t = tx.tenantId;
  const [row] = await preparedRows<{ tenant: J | null; outlet: J | null; terminal: J | null; variants: J[]; prices: J[]; modifier_groups: J[]; tax_rules: J[]; service_charges: J[]; existing_order_id: string | null }>(
    tx,
    'sale_snapshot',
    sql`
      WITH vid AS (SELECT value::uuid AS id FROM jsonb_array_elements_text(${JSON.stringify(q.variantIds)}::jsonb)),
           pid AS (SELECT value::uuid AS id FROM jsonb_array_elements_text(${JSON.stringify(q.productIds)}::jsonb)),
           term AS (SELECT id, outlet_id, active FROM terminals WHERE tenant_id = ${t} AND id = ${q.terminalId ?? null}::uuid),
           o AS (SELECT id, code, time_zone, business_day_cutoff_minutes AS cutoff, active FROM outlets
                  WHERE tenant_id = ${t}
                    AND id = coalesce(${q.outletId ?? null}::uuid, (SELECT outlet_id FROM term),
                                      (SELECT id FROM outlets WHERE tenant_id = ${t} AND active ORDER BY created_at, id LIMIT 1))),
           v AS (SELECT v.id, v.product_id, v.name, v.sku, v.weight_based, v.active, v.archived_at IS NOT NULL AS archived, v.sort_order,
                        p.name AS product_name, p.sku AS product_sku, p.tax_category_id, p.track_stock,
                        p.active AS product_active, p.archived_at IS NOT NULL AS product_archived, coalesce(a.available, true) AS available
                   FROM variants v
                   JOIN products p ON p.tenant_id = v.tenant_id AND p.id = v.product_id
                   LEFT JOIN product_outlet_availability a ON a.tenant_id = v.tenant_id AND a.product_id = v.product_id AND a.outlet_id = (SELECT id FROM o)
                  WHERE v.tenant_id = ${t} AND (v.id IN (SELECT id FROM vid) OR v.product_id IN (SELECT id FROM pid)))
      SELECT
        (SELECT row_to_json(x) FROM (SELECT currency, tax_rounding_mode, tax_rounding_level, cash_rounding_unit::text AS cash_rounding_unit
                                       FROM tenants WHERE id = ${t}) x) AS tenant,
        (SELECT row_to_json(o) FROM o) AS outlet,
        (SELECT row_to_json(term) FROM term) AS terminal,
        (SELECT coalesce(json_agg(v), '[]') FROM v) AS variants,
        (SELECT coalesce(json_agg(x), '[]') FROM (
           SELECT pr.variant_id, pr.amount::text AS amount, pr.currency, b.id, b.name, b.is_default, b.priority, b.active, b.archived_at,
                  b.created_at, b.outlet_id, b.channel, b.customer_group_id, b.starts_at, b.ends_at, b.days_of_week, b.start_minute, b.end_minute
             FROM prices pr JOIN price_books b ON b.tenant_id = pr.tenant_id AND b.id = pr.price_book_id
            WHERE pr.tenant_id = ${t} AND pr.variant_id IN (SELECT id FROM v) AND b.active AND b.archived_at IS NULL) x) AS prices,
        (SELECT coalesce(json_agg(x ORDER BY x.product_id, x.link_order, x.group_id), '[]') FROM (
           SELECT l.product_id, l.sort_order AS link_order, g.id AS group_id, g.name, g.min_selections, g.max_selections, g.required,
                  g.allow_quantities, g.active, g.archived_at,
                  (SELECT coalesce(json_agg(m ORDER BY m.sort_order, m.id), '[]') FROM (
                     SELECT id, name, price_delta::text AS price_delta, linked_variant_id, max_quantity, active, archived_at, sort_order
                       FROM modifiers WHERE tenant_id = ${t} AND group_id = g.id) m) AS modifiers
             FROM product_modifier_groups l JOIN modifier_groups g ON g.tenant_id = l.tenant_id AND g.id = l.group_id
            WHERE l.tenant_id = ${t} AND l.product_id IN (SELECT product_id FROM v)) x) AS modifier_groups,
        (SELECT coalesce(json_agg(x), '[]') FROM (
           SELECT r.id, r.name, r.rate_bp, r.inclusive, r.compound, r.sequence, r.tax_category_id, r.outlet_id, r.order_types, r.created_at,
                  coalesce((SELECT json_agg(e.tax_category_id ORDER BY e.tax_category_id) FROM tax_exemptions e
                             WHERE e.tenant_id = r.tenant_id AND e.tax_rule_id = r.id), '[]') AS exempt
             FROM tax_rules r WHERE r.tenant_id = ${t} AND r.active AND r.archived_at IS NULL) x) AS tax_rules,
        (SELECT coalesce(json_agg(x), '[]') FROM (
           SELECT id, name, kind, rate_bp, amount::text AS amount, stage, taxable, tax_category_id, order_types, outlet_id, sort_order, created_at
             FROM service_charges WHERE tenant_id = ${t} AND active AND archived_at IS NULL) x) AS service_charges,
        (SELECT id FROM orders WHERE tenant_id = ${t} AND client_id = ${q.clientId ?? null}::uuid) AS existing_order_id`,
  );
  if (!row?.tenant) throw new Error('tenant row missing for a tenant transaction');
  return toSnapshot(row as Required<typeof row> & { tenant: J });
}

function toSnapshot(row: { tenant: J; outlet: J | null; terminal: J | null; variants: J[]; prices: J[]; modifier_groups: J[]; tax_rules: J[]; service_charges: J[]; existing_order_id: string | null }): CatalogSnapshot {
  const tn = row.tenant;
  const prices = new Map<string, PriceCandidate[]>();
  for (const p of row.prices) {
    const list = prices.get(p.variant_id as string) ?? [];
    list.push({
      amount: BigInt(p.amount as string),
      currency: (p.currency as string).trim(),
      book: {
        id: p.id as string,
        name: p.name as string,
        isDefault: p.is_default as boolean,
        priority: p.priority as number,
        active: p.active as boolean,
        archivedAt: date(p.archived_at),
        createdAt: date(p.created_at)!,
        outletId: (p.outlet_id as string | null) ?? null,
        channel: (p.channel as string | null) ?? null,
        customerGroupId: (p.customer_group_id as string | null) ?? null,
        startsAt: date(p.starts_at),
        endsAt: date(p.ends_at),
        daysOfWeek: (p.days_of_week as number | null) ?? null,
        startMinute: (p.start_minute as number | null) ?? null,
        endMinute: (p.end_minute as number | null) ?? null,
      },
    });
    prices.set(p.variant_id as string, list);
  }
  const modifierGroups = new Map<string, ModifierGroupRules[]>();
  for (const g of row.modifier_groups) {
    const list = modifierGroups.get(g.product_id as string) ?? [];
    list.push({
      id: g.group_id as string,
      name: g.name as string,
      minSelections: g.min_selections as number,
      maxSelections: (g.max_selections as number | null) ?? null,
      required: g.required as boolean,
      allowQuantities: g.allow_quantities as boolean,
      active: g.active as boolean,
      archivedAt: date(g.archived_at),
      modifiers: (g.modifiers as J[]).map((m) => ({
        id: m.id as string,
        name: m.name as string,
        priceDelta: BigInt(m.price_delta as string),
        linkedVariantId: (m.linked_variant_id as string | null) ?? null,
        maxQuantity: (m.max_quantity as number | null) ?? null,
        active: m.active as boolean,
        archivedAt: date(m.archived_at),
      })),
    });
    modifierGroups.set(g.product_id as string, list);
  }
  return {
    tenant: {
      currency: (tn.currency as string).trim(),
      taxRounding: { mode: tn.tax_rounding_mode as RoundingMode, level: tn.tax_rounding_level as TaxRoundingLevel },
      cashRoundingUnit: BigInt(tn.cash_rounding_unit as string),
    },
    outlet: row.outlet
      ? { id: row.outlet.id as string, code: row.outlet.code as string, timeZone: row.outlet.time_zone as string, cutoffMinutes: row.outlet.cutoff as number, active: row.outlet.active as boolean }
      : undefined,
    terminal: row.terminal ? { id: row.terminal.id as string, outletId: row.terminal.outlet_id as string, active: row.terminal.active as boolean } : undefined,
    variants: row.variants.map((v) => ({
      id: v.id as string,
      productId: v.product_id as string,
      name: v.name as string,
      sku: (v.sku as string | null) ?? null,
      weightBased: v.weight_based as boolean,
      active: v.active as boolean,
      archived: v.archived as boolean,
      sortOrder: v.sort_order as number,
      productName: v.product_name as string,
      productSku: (v.product_sku as string | null) ?? null,
      taxCategoryId: (v.tax_category_id as string | null) ?? null,
      trackStock: v.track_stock as boolean,
      productActive: v.product_active as boolean,
      productArchived: v.product_archived as boolean,
      availableAtOutlet: v.available as boolean,
    })),
    prices,
    modifierGroups,
    taxRules: row.tax_rules.map((r) => ({
      id: r.id as string,
      name: r.name as string,
      rateBp: r.rate_bp as number,
      inclusive: r.inclusive as boolean,
      compound: r.compound as boolean,
      sequence: r.sequence as number,
      taxCategoryId: (r.tax_category_id as string | null) ?? null,
      outletId: (r.outlet_id as string | null) ?? null,
      orderTypes: (r.order_types as string[] | null) ?? null,
      exemptTaxCategoryIds: r.exempt as string[],
      active: true,
      archivedAt: null,
      createdAt: date(r.created_at)!,
    })),
    serviceCharges: row.service_charges.map(serviceChargeFromRow),
    existingOrderId: row.existing_order_id ?? undefined,
  };
}
