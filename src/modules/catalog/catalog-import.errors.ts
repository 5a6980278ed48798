import { defineError } from '../../platform/errors.js';

export const CatalogImportErrors = {
  CATALOG_IMPORT_INVALID: defineError('CATALOG_IMPORT_INVALID', 'invalid', 'The CSV has rows that cannot be imported; nothing was written (details.errors lists each row and column)'),
  CATALOG_IMPORT_MALFORMED: defineError('CATALOG_IMPORT_MALFORMED', 'invalid', 'The body is not readable CSV'),
  CATALOG_IMPORT_EMPTY: defineError('CATALOG_IMPORT_EMPTY', 'invalid', 'The CSV has no header row or no data rows'),
  CATALOG_IMPORT_TOO_LARGE: defineError('CATALOG_IMPORT_TOO_LARGE', 'invalid', 'The CSV is larger than one import may be'),
} as const;
