import { defineError } from '../../platform/errors.js';

export const ModifierErrors = {
  MODIFIER_GROUP_NOT_FOUND: defineError('MODIFIER_GROUP_NOT_FOUND', 'not_found', 'Modifier group not found'),
  MODIFIER_NOT_FOUND: defineError('MODIFIER_NOT_FOUND', 'not_found', 'Modifier not found'),
  MODIFIER_GROUP_ALREADY_ATTACHED: defineError('MODIFIER_GROUP_ALREADY_ATTACHED', 'already_exists', 'The modifier group is already attached to this product'),
  MODIFIER_GROUP_ARCHIVED: defineError('MODIFIER_GROUP_ARCHIVED', 'precondition', 'The modifier group is archived'),
  MODIFIER_SELECTION_INVALID: defineError('MODIFIER_SELECTION_INVALID', 'invalid', 'The modifiers chosen break the rules of their groups'),
} as const;
