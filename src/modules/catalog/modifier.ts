/**
 * Modifier selection rules, pure: sales calls `validateModifierSelection` with the product's attached groups
 * (in their order) and the cashier's selections, and gets either the priced selection or every problem.
 *
 * Semantics:
 *  - A group's selection count is the sum of the quantities chosen in it (2 × extra shot counts 2).
 *  - A group is required when `required` is set or min_select > 0; a required group needs at least
 *    max(1, min_select); an optional group with nothing chosen is fine, and with something chosen needs at
 *    least min_select (0 for a plain optional group). max_select null = no upper limit.
 *  - Without allow_quantities each modifier may be chosen once with quantity 1; with it, up to the
 *    modifier's max_quantity (null = no per-modifier limit, the group's max still applies).
 *  - A modifier must belong to one of the product's groups (and to the group the selection names, if any),
 *    and both the modifier and its group must be active and not archived.
 *  - The same modifier twice in one selection is refused: send it once with a quantity.
 */
import { AppError } from '../../platform/errors.js';
import { ModifierErrors } from './modifier.errors.js';

export interface ModifierRules {
  id: string;
  name: string;
  /** Minor units added to the line's unit price per quantity; may be negative. */
  priceDelta: bigint;
  linkedVariantId: string | null;
  maxQuantity: number | null;
  active: boolean;
  archivedAt: Date | null;
}

export interface ModifierGroupRules {
  id: string;
  name: string;
  minSelections: number;
  maxSelections: number | null;
  required: boolean;
  allowQuantities: boolean;
  active: boolean;
  archivedAt: Date | null;
  modifiers: ModifierRules[];
}

export interface ModifierSelection {
  modifierId: string;
  /** Optional; when given, the modifier must belong to this group. */
  groupId?: string | undefined;
  /** Positive integer; 1 when omitted. */
  quantity?: number | undefined;
}

export type SelectionIssueCode =
  | 'MODIFIER_UNKNOWN'
  | 'MODIFIER_NOT_IN_GROUP'
  | 'MODIFIER_INACTIVE'
  | 'MODIFIER_GROUP_INACTIVE'
  | 'MODIFIER_DUPLICATE'
  | 'MODIFIER_QUANTITY_INVALID'
  | 'MODIFIER_QUANTITY_NOT_ALLOWED'
  | 'MODIFIER_QUANTITY_ABOVE_MAX'
  | 'MODIFIER_GROUP_REQUIRED'
  | 'MODIFIER_GROUP_BELOW_MIN'
  | 'MODIFIER_GROUP_ABOVE_MAX';

export interface SelectionIssue {
  code: SelectionIssueCode;
  /** Dotted path in the caller's input, e.g. `modifiers.2.quantity`, or `modifiers` for group-level problems. */
  field: string;
  message: string;
  groupId?: string;
  modifierId?: string;
}

export interface SelectedModifier {
  groupId: string;
  groupName: string;
  modifierId: string;
  name: string;
  quantity: number;
  /** Per unit of the line, minor units. */
  priceDelta: bigint;
  linkedVariantId: string | null;
}

export type SelectionResult =
  | { ok: true; selected: SelectedModifier[]; /** Σ priceDelta × quantity, per unit of the line. */ priceDeltaTotal: bigint }
  | { ok: false; issues: SelectionIssue[] };

const usable = (x: { active: boolean; archivedAt: Date | null }) => x.active && x.archivedAt === null;

/** The least a group needs when anything (or, if required, nothing) is chosen. */
export function effectiveMin(g: Pick<ModifierGroupRules, 'minSelections' | 'required'>): number {
  return g.required || g.minSelections > 0 ? Math.max(1, g.minSelections) : 0;
}

export function validateModifierSelection(groups: readonly ModifierGroupRules[], selections: readonly ModifierSelection[], fieldPrefix = 'modifiers'): SelectionResult {
  const issues: SelectionIssue[] = [];
  const owner = new Map<string, { group: ModifierGroupRules; modifier: ModifierRules }>();
  for (const group of groups) for (const modifier of group.modifiers) owner.set(modifier.id, { group, modifier });
  const counted = new Map<string, number>();
  const seen = new Set<string>();
  const selected: SelectedModifier[] = [];

  selections.forEach((s, i) => {
    const at = `${fieldPrefix}.${i}`;
    const push = (code: SelectionIssueCode, field: string, message: string, extra: Partial<SelectionIssue> = {}) => issues.push({ code, field, message, modifierId: s.modifierId, ...extra });
    const quantity = s.quantity ?? 1;
    const found = owner.get(s.modifierId);
    if (!found) return push('MODIFIER_UNKNOWN', `${at}.modifier_id`, `modifier ${s.modifierId} is not in any modifier group of this product`);
    const { group, modifier } = found;
    const ids = { groupId: group.id };
    if (s.groupId !== undefined && s.groupId !== group.id) {
      return push('MODIFIER_NOT_IN_GROUP', `${at}.modifier_id`, `${modifier.name} belongs to ${group.name}, not to group ${s.groupId}`, { groupId: s.groupId });
    }
    if (!usable(group)) return push('MODIFIER_GROUP_INACTIVE', `${at}.modifier_id`, `${group.name} is not available`, ids);
    if (!usable(modifier)) return push('MODIFIER_INACTIVE', `${at}.modifier_id`, `${modifier.name} is not available`, ids);
    if (seen.has(modifier.id)) return push('MODIFIER_DUPLICATE', `${at}.modifier_id`, `${modifier.name} is chosen twice; send it once with a quantity`, ids);
    seen.add(modifier.id);
    if (!Number.isSafeInteger(quantity) || quantity < 1) return push('MODIFIER_QUANTITY_INVALID', `${at}.quantity`, 'must be a positive integer', ids);
    if (quantity > 1 && !group.allowQuantities) return push('MODIFIER_QUANTITY_NOT_ALLOWED', `${at}.quantity`, `${group.name} allows each modifier once`, ids);
    if (modifier.maxQuantity !== null && quantity > modifier.maxQuantity) {
      return push('MODIFIER_QUANTITY_ABOVE_MAX', `${at}.quantity`, `${modifier.name} allows at most ${modifier.maxQuantity}`, ids);
    }
    counted.set(group.id, (counted.get(group.id) ?? 0) + quantity);
    selected.push({ groupId: group.id, groupName: group.name, modifierId: modifier.id, name: modifier.name, quantity, priceDelta: modifier.priceDelta, linkedVariantId: modifier.linkedVariantId });
  });

  for (const group of groups) {
    if (!usable(group)) continue; // an unavailable group asks for nothing (its selections were refused above)
    const count = counted.get(group.id) ?? 0;
    const min = effectiveMin(group);
    const push = (code: SelectionIssueCode, message: string) => issues.push({ code, field: fieldPrefix, message, groupId: group.id });
    if (count === 0 && min > 0) push('MODIFIER_GROUP_REQUIRED', `${group.name} is required: choose at least ${min}`);
    else if (count > 0 && count < min) push('MODIFIER_GROUP_BELOW_MIN', `${group.name} needs at least ${min}, got ${count}`);
    if (group.maxSelections !== null && count > group.maxSelections) push('MODIFIER_GROUP_ABOVE_MAX', `${group.name} allows at most ${group.maxSelections}, got ${count}`);
  }

  if (issues.length) return { ok: false, issues };
  // Present in the product's group order, then the group's modifier order, whatever order the till sent.
  const rank = new Map<string, number>();
  let r = 0;
  for (const g of groups) for (const m of g.modifiers) rank.set(m.id, r++);
  selected.sort((a, b) => rank.get(a.modifierId)! - rank.get(b.modifierId)!);
  return { ok: true, selected, priceDeltaTotal: selected.reduce((sum, m) => sum + m.priceDelta * BigInt(m.quantity), 0n) };
}

/** As `validateModifierSelection`, but throws MODIFIER_SELECTION_INVALID (400) listing every issue. */
export function assertModifierSelection(groups: readonly ModifierGroupRules[], selections: readonly ModifierSelection[], fieldPrefix = 'modifiers') {
  const r = validateModifierSelection(groups, selections, fieldPrefix);
  if (r.ok) return r;
  const summary = r.issues.map((i) => i.message).join('; ');
  throw new AppError(ModifierErrors.MODIFIER_SELECTION_INVALID, { issues: r.issues, fields: r.issues.map(({ field, message }) => ({ field, message })) }, `Invalid modifiers: ${summary}`);
}
