/**
 * REST JSON: bigint minor units become JSON integers (exact up to 2^53, i.e. 90 trillion rupiah in cents;
 * larger values are sent as strings rather than silently losing precision), dates become RFC 3339 strings.
 */
export function toJson(value: unknown): string {
  if (value instanceof JsonText) return value.text;
  return JSON.stringify(value, (_k, v) => {
    if (typeof v === 'bigint') return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v.toString();
    return v;
  });
}

/**
 * A response body that is JSON text already (rendered by PostgreSQL, or assembled from such pieces): the
 * serializer sends it as it is. For the few hot reads whose bodies are large (the change feed, product pages).
 */
export class JsonText {
  constructor(readonly text: string) {}
}
