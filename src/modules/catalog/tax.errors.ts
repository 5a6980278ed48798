import { defineError } from '../../platform/errors.js';

export const TaxErrors = {
  TAX_CATEGORY_NOT_FOUND: defineError('TAX_CATEGORY_NOT_FOUND', 'not_found', 'Tax category not found'),
  TAX_CATEGORY_CODE_TAKEN: defineError('TAX_CATEGORY_CODE_TAKEN', 'already_exists', 'A tax category with this code already exists'),
  TAX_CATEGORY_IN_USE: defineError('TAX_CATEGORY_IN_USE', 'precondition', 'The tax category is still used by products or tax rules'),
  TAX_RULE_NOT_FOUND: defineError('TAX_RULE_NOT_FOUND', 'not_found', 'Tax rule not found'),
  TAX_RULE_ARCHIVED: defineError('TAX_RULE_ARCHIVED', 'precondition', 'The tax rule is archived and can no longer be changed'),
} as const;
