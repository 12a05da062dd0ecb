// Canonical JSON for hashing: object keys sorted (by UTF-16 code units), no whitespace, arrays in
// order, undefined members dropped, as JSON.stringify would. Values must be JSON-compatible.

/** A JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Deterministic serialisation: equal JSON values give equal strings. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) return 'null';
    if (typeof value === 'bigint') throw new TypeError('bigint is not JSON; convert it to a string first');
    return JSON.stringify(value) ?? 'null';
  }
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined && typeof obj[k] !== 'function')
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

/** The JSON value as the database will give it back (Dates to ISO strings, undefined dropped). */
export function toJsonValue(value: unknown): JsonValue {
  return value === undefined ? {} : (JSON.parse(JSON.stringify(value)) as JsonValue);
}
