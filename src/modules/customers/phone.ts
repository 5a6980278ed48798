import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * A phone number in E.164 (+6281234567890), read as a person types it: spaces, dashes, brackets and a
 * national trunk prefix (0812… in Indonesia) are fine; `country` (ISO 3166-1 alpha-2, the tenant's setting)
 * says which country a number without +country code is in. Undefined when it is not a valid number.
 * libphonenumber-js carries Google's numbering plans, which a hand-written normaliser would not keep current.
 */
export function normalizePhone(input: string, country: string): string | undefined {
  const n = parsePhoneNumberFromString(input.trim(), country as CountryCode);
  if (!n || !n.isPossible()) return undefined;
  return n.number;
}
