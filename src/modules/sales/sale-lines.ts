import { localTime, resolvePrice, selectTaxRules, validateModifierSelection, type ModifierSelection, type SelectedModifier, type TaxQuery, type TaxRuleRules } from '../catalog/index.js';
import { ModifierErrors } from '../catalog/index.js';
import { AppError, validationError } from '../../platform/errors.js';
import type { DiscountInput, PricingLineInput, TaxRate } from './pricing/index.js';
import { OrderErrors } from './order.errors.js';
import { isWhole, type Quantity } from './quantity.js';
import type { CatalogSnapshot, SaleVariant } from './sale-catalog.repository.js';
import { toPricingQuantity } from './order-pricing.js';
import type { DiscountType } from './sales.schema.js';

/**
 * Turns what the cashier asked for (variant or product, quantity, modifiers, discount) into priced-engine
 * lines, applying the catalog's own rules to the snapshot: which variant is sold, whether it may be sold here
 * and now, its price (the one resolver), its modifiers (the one validator) and its taxes (the one selector).
 * Pure: the snapshot was read beforehand. Throws the first problem as an AppError naming the field.
 */

export interface RequestedLine {
  /** The order item id: the engine's line key and tie-break (UUIDv7, so in order of adding). */
  key: string;
  productId?: string | undefined;
  variantId?: string | undefined;
  quantity: Quantity;
  modifiers: readonly ModifierSelection[];
  discount?: { type: DiscountType; value: bigint } | null | undefined;
  /** Where the line came from in the request, e.g. `items.2`, for error fields. */
  field: string;
}

export interface SaleContext {
  outletId: string;
  orderType: string;
  at: Date;
  customerGroupId?: string | undefined;
}

export interface BuiltLine {
  key: string;
  variant: SaleVariant;
  quantity: Quantity;
  unitPrice: bigint;
  priceBookId: string;
  modifiers: SelectedModifier[];
  taxes: TaxRate[];
  discount: { type: DiscountType; value: bigint } | null;
  pricing: PricingLineInput;
}

/** `items.2` + `quantity` → `items.2.quantity`; a single item's request (field '') → `quantity`. */
export const at = (field: string, sub: string): string => (field ? `${field}.${sub}` : sub);

export function pickVariant(snap: CatalogSnapshot, line: Pick<RequestedLine, 'productId' | 'variantId' | 'field'>): SaleVariant {
  if (line.variantId) {
    const v = snap.variants.find((x) => x.id === line.variantId);
    if (!v) throw validationError([{ field: at(line.field, 'variant_id'), message: 'no such variant' }]);
    if (line.productId && v.productId !== line.productId) throw validationError([{ field: at(line.field, 'variant_id'), message: 'is not a variant of product_id' }]);
    return v;
  }
  const all = snap.variants.filter((x) => x.productId === line.productId);
  if (all.length === 0) throw validationError([{ field: at(line.field, 'product_id'), message: 'no such product' }]);
  const sellable = all.filter((x) => x.active && !x.archived);
  if (sellable.length === 1) return sellable[0]!;
  if (sellable.length === 0) return all[0]!; // unsellable: sellability() says why
  throw new AppError(OrderErrors.ORDER_VARIANT_REQUIRED, { field: at(line.field, 'variant_id'), variant_ids: sellable.map((v) => v.id) });
}

/** Why the variant cannot be sold at the outlet, or undefined. */
export function unsellableReason(v: SaleVariant): string | undefined {
  if (v.productArchived) return 'product_archived';
  if (!v.productActive) return 'product_inactive';
  if (v.archived) return 'variant_archived';
  if (!v.active) return 'variant_inactive';
  if (!v.availableAtOutlet) return 'unavailable_at_outlet';
  return undefined;
}

export const toDiscountInput = (d: { type: DiscountType; value: bigint }): DiscountInput =>
  d.type === 'percentage' ? { kind: 'percentage', rateBp: Number(d.value) } : { kind: 'fixed', amount: d.value };

/** The tax rates of a line (or a taxable charge) in `q`'s tax category, outlet and order type, in application order. */
export function taxRatesFor(rules: readonly TaxRuleRules[], q: TaxQuery): TaxRate[] {
  return selectTaxRules(rules, q).map((r) => ({ id: r.id, name: r.name, rateBp: r.rateBp, inclusive: r.inclusive, compound: r.compound, sequence: r.sequence }));
}

export function buildLines(snap: CatalogSnapshot, lines: readonly RequestedLine[], c: SaleContext): BuiltLine[] {
  const query = { outletId: c.outletId, channel: c.orderType, customerGroupId: c.customerGroupId, at: c.at, timeZone: snap.outlet?.timeZone ?? 'UTC' };
  const local = localTime(query.at, query.timeZone);
  return lines.map((line) => {
    const variant = pickVariant(snap, line);
    const reason = unsellableReason(variant);
    if (reason) {
      throw new AppError(OrderErrors.ORDER_PRODUCT_UNAVAILABLE, { field: line.field || 'variant_id', variant_id: variant.id, product_id: variant.productId, reason }, `${variant.productName} cannot be sold: ${reason.replace(/_/g, ' ')}`);
    }
    if (!variant.weightBased && !isWhole(line.quantity)) {
      throw validationError([{ field: at(line.field, 'quantity'), message: 'must be a whole number: this variant is not sold by weight' }]);
    }
    const price = resolvePrice(snap.prices.get(variant.id) ?? [], query, local);
    if (!price) throw new AppError(OrderErrors.ORDER_ITEM_NO_PRICE, { field: line.field || 'variant_id', variant_id: variant.id }, `No price applies to ${variant.productName} (${variant.name}); set one with SetPrice`);
    if (price.currency !== snap.tenant.currency) throw new AppError(OrderErrors.ORDER_CURRENCY_MISMATCH, { field: line.field || 'variant_id', price_currency: price.currency });
    const selection = validateModifierSelection(snap.modifierGroups.get(variant.productId) ?? [], line.modifiers, at(line.field, 'modifiers'));
    if (!selection.ok) {
      const summary = selection.issues.map((i) => i.message).join('; ');
      throw new AppError(ModifierErrors.MODIFIER_SELECTION_INVALID, { issues: selection.issues, fields: selection.issues.map(({ field, message }) => ({ field, message })) }, `Invalid modifiers: ${summary}`);
    }
    const taxes = taxRatesFor(snap.taxRules, { taxCategoryId: variant.taxCategoryId, outletId: c.outletId, orderType: c.orderType });
    const discount = line.discount ?? null;
    return {
      key: line.key,
      variant,
      quantity: line.quantity,
      unitPrice: price.amount,
      priceBookId: price.priceBookId,
      modifiers: selection.selected,
      taxes,
      discount,
      pricing: {
        key: line.key,
        unitPrice: price.amount,
        quantity: toPricingQuantity(line.quantity),
        modifiers: selection.selected.map((m) => ({ id: m.modifierId, name: m.name, priceDelta: m.priceDelta, quantity: m.quantity })),
        discounts: discount ? [toDiscountInput(discount)] : [],
        taxes,
      },
    };
  });
}
