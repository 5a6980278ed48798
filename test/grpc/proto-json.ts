import protobuf from 'protobufjs';

const INTS = new Set(['int32', 'uint32', 'sint32', 'fixed32', 'sfixed32', 'int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);

/**
 * Proto JSON → a message, as strictly as grpcurl's parser (Go protojson): a key must be a field's name or its
 * lowerCamel JSON name, an enum a declared value name, an integer a number or a decimal string (int64 as
 * "2500000"), a string a string. Anything else throws, naming the field.
 */
export function fromProtoJson(type: protobuf.Type, json: Record<string, unknown>, path = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(json)) {
    const field = type.fieldsArray.find((f) => f.name === key || camel(f.name) === key);
    const where = `${path}${key}`;
    if (!field) throw new Error(`${type.fullName}: unknown field ${where}`);
    field.resolve();
    const one = (v: unknown) => scalar(field, v, where);
    out[field.name] = field.repeated ? (Array.isArray(value) ? value.map(one) : fail(where, 'an array')) : one(value);
  }
  return out;
}

function scalar(field: protobuf.Field, v: unknown, where: string): unknown {
  if (field.resolvedType instanceof protobuf.Enum) {
    if (typeof v === 'string' && v in field.resolvedType.values) return v;
    if (Number.isInteger(v)) return v;
    return fail(where, `a value of ${field.resolvedType.name}`);
  }
  if (field.resolvedType instanceof protobuf.Type) {
    return v !== null && typeof v === 'object' ? fromProtoJson(field.resolvedType, v as Record<string, unknown>, `${where}.`) : fail(where, 'an object');
  }
  if (INTS.has(field.type)) {
    if (Number.isInteger(v) || (typeof v === 'string' && /^-?\d+$/.test(v))) return v;
    return fail(where, 'an integer');
  }
  if (field.type === 'string') return typeof v === 'string' ? v : fail(where, 'a string');
  if (field.type === 'bool') return typeof v === 'boolean' ? v : fail(where, 'a boolean');
  if (field.type === 'double' || field.type === 'float') return typeof v === 'number' ? v : fail(where, 'a number');
  return v;
}

const camel = (s: string) => s.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
const fail = (where: string, what: string): never => {
  throw new Error(`${where}: expected ${what}`);
};
