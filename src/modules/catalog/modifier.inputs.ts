import { z } from 'zod';
import type { FieldIssue } from '../../platform/errors.js';
import { nameField, uuidField } from '../../platform/validation.js';
import { minorUnitsField } from './price.js';

/** Wire inputs of modifier groups and modifiers (snake_case; field names as pos.v1.ModifierGroup has them). */

const count = () => z.number().int('must be an integer');
const sortOrder = () => count().min(-1_000_000).max(1_000_000).optional().describe('Ascending; ties by creation');

const modifierFields = {
  name: nameField(),
  price_delta: minorUnitsField({ signed: true }).optional().describe('Added to the line’s unit price per quantity, minor units; may be negative; default 0'),
  linked_variant_id: uuidField().nullable().optional().describe('The variant whose stock this modifier consumes'),
  max_quantity: count().min(1, 'must be at least 1 (or null for no limit)').max(1000).nullable().optional().describe('Per line, when the group allows quantities'),
  sort_order: sortOrder(),
  active: z.boolean().optional(),
};

export const createModifierInput = z.strictObject(modifierFields);
export const updateModifierInput = z.strictObject({ ...modifierFields, name: nameField().optional() });
export type CreateModifierInput = z.input<typeof createModifierInput>;
export type UpdateModifierInput = z.input<typeof updateModifierInput>;

const groupFields = {
  name: nameField(),
  min_select: count().min(0, 'must not be negative').max(1000).optional().describe('Least number of selections (quantities count); default 0'),
  max_select: count().min(1, 'must be at least 1 (or null for no limit)').max(1000).nullable().optional().describe('Most selections (quantities count); null = no limit'),
  required: z.boolean().optional().describe('Must choose at least max(1, min_select); defaults to min_select > 0'),
  allow_quantities: z.boolean().optional().describe('Whether one modifier may be chosen more than once (up to its max_quantity)'),
  active: z.boolean().optional(),
};

export interface GroupShape {
  minSelections: number;
  maxSelections: number | null;
  required: boolean;
}

/** Cross-field problems of a group's final shape, each naming a field. */
export function groupProblems(g: GroupShape): FieldIssue[] {
  const issues: FieldIssue[] = [];
  if (g.maxSelections !== null && g.minSelections > g.maxSelections) issues.push({ field: 'min_select', message: `must not exceed max_select (${g.maxSelections})` });
  if (!g.required && g.minSelections > 0) issues.push({ field: 'required', message: `min_select ${g.minSelections} makes the group required; set required to true or min_select to 0` });
  return issues;
}

export const createModifierGroupInput = z.strictObject({
  ...groupFields,
  modifiers: z.array(createModifierInput).max(100, 'at most 100 modifiers per group').optional(),
});
export const updateModifierGroupInput = z.strictObject({ ...groupFields, name: nameField().optional() });
export type CreateModifierGroupInput = z.input<typeof createModifierGroupInput>;
export type UpdateModifierGroupInput = z.input<typeof updateModifierGroupInput>;

/** PUT /products/{id}/modifier-groups: the whole ordered list; a group listed twice is refused. */
export const setProductModifierGroupsInput = z.strictObject({
  modifier_group_ids: z
    .array(uuidField())
    .max(50, 'at most 50 modifier groups per product')
    .superRefine((ids, c) =>
      ids.forEach((id, i) => {
        const first = ids.indexOf(id);
        if (first !== i) c.addIssue({ code: 'custom', path: [i], message: `modifier group ${id} is attached twice (also at position ${first})` });
      }),
    ),
});
export type SetProductModifierGroupsInput = z.input<typeof setProductModifierGroupsInput>;

/** POST /products/{id}/modifier-groups: attach one group, at the end unless sort_order is given. */
export const attachModifierGroupInput = z.strictObject({ modifier_group_id: uuidField(), sort_order: sortOrder() });
export type AttachModifierGroupInput = z.input<typeof attachModifierGroupInput>;
