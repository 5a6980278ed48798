import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as protoLoader from '@grpc/proto-loader';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import descriptor, { type IDescriptorProto, type IFileDescriptorProto } from 'protobufjs/ext/descriptor/index.js';

/** proto/ at the repository root, from src/adapters/grpc or dist/adapters/grpc alike. */
export const PROTO_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'proto');

/** Every file of the pos.v1 contract. */
export const POS_PROTO_FILES = ['common', 'health', 'tenant', 'staff', 'platform', 'catalog', 'sales', 'inventory', 'customer', 'promotion', 'payment'].map(
  (f) => `pos/v1/${f}.proto`,
);

/**
 * How requests are decoded on the server. `defaults: false` on purpose: a field the client did not send stays
 * absent, so the services' validation sees exactly what REST would send it (an unset optional field is
 * `undefined`, not `""` or `0`), and an update changes only what was set. int64 arrives as a string (the seed's
 * `"amount": "2500000"`), enums by their names (`"CASH"`).
 */
export const LOADER_OPTIONS: protoLoader.Options = { keepCase: true, longs: String, enums: String, defaults: false, oneofs: true, includeDirs: [PROTO_DIR] };

export function loadPosProtos(): protoLoader.PackageDefinition {
  return protoLoader.loadSync(POS_PROTO_FILES, LOADER_OPTIONS);
}

type FileProto = IFileDescriptorProto;
type MessageProto = IDescriptorProto;
type FieldProto = NonNullable<MessageProto['field']>[number] & { proto3Optional?: boolean };

/**
 * The package definition the reflection service serves: pos.v1 and grpc.health.v1, with every type reference
 * fully qualified (`.pos.v1.Outlet`) and proto3 `optional` fields flagged as such, as protoc would emit them.
 * protobufjs writes relative names and drops the proto3_optional flag; strict clients (grpcurl, Go's protodesc,
 * buf curl) deserve descriptors that look exactly like protoc's.
 */
export function reflectionPackage(pos: protoLoader.PackageDefinition): protoLoader.PackageDefinition {
  const health = protoLoader.loadSync(healthProtoPath, { keepCase: true });
  const files = new Map<string, FileProto>();
  for (const def of [...Object.values(pos), ...Object.values(health)]) {
    const protos = (def as { fileDescriptorProtos?: Buffer[] }).fileDescriptorProtos;
    for (const bin of protos ?? []) {
      const file = descriptor.FileDescriptorProto.toObject(descriptor.FileDescriptorProto.decode(bin)) as FileProto;
      if (file.name && !files.has(file.name)) files.set(file.name, file);
    }
  }
  const known = new Set<string>();
  for (const f of files.values()) collectNames(`.${f.package ?? ''}`.replace(/\.$/, ''), f.messageType ?? [], f.enumType ?? [], known);
  const fileDescriptorProtos = [...files.values()].map((f) => {
    const scope = f.package ? `.${f.package}` : '';
    qualifyMessages(scope, f.messageType ?? [], known);
    for (const s of f.service ?? []) {
      for (const m of s.method ?? []) {
        m.inputType = qualify(scope, m.inputType ?? '', known);
        m.outputType = qualify(scope, m.outputType ?? '', known);
      }
    }
    return Buffer.from(descriptor.FileDescriptorProto.encode(descriptor.FileDescriptorProto.fromObject(f)).finish());
  });
  // The reflection service reads only `fileDescriptorProtos` from the definitions it is given.
  return { 'kasir.reflection': { fileDescriptorProtos } } as unknown as protoLoader.PackageDefinition;
}

function collectNames(scope: string, messages: MessageProto[], enums: NonNullable<FileProto['enumType']>, out: Set<string>): void {
  for (const e of enums) out.add(`${scope}.${e.name}`);
  for (const m of messages) {
    const name = `${scope}.${m.name}`;
    out.add(name);
    collectNames(name, m.nestedType ?? [], m.enumType ?? [], out);
  }
}

function qualifyMessages(scope: string, messages: MessageProto[], known: Set<string>): void {
  for (const m of messages) {
    const name = `${scope}.${m.name}`;
    const fields = (m.field ?? []) as FieldProto[];
    for (const field of fields) if (field.typeName) field.typeName = qualify(name, field.typeName, known);
    markProto3Optional(m, fields);
    nameMapEntries(name, m, fields);
    qualifyMessages(name, m.nestedType ?? [], known);
  }
}

/**
 * protobufjs models `optional x` as a oneof `_x` holding only x, in declaration order. protoc flags such
 * fields proto3_optional and puts their synthetic oneofs after every real oneof; so do we.
 */
function markProto3Optional(m: MessageProto, fields: FieldProto[]): void {
  const oneofs = m.oneofDecl ?? [];
  const inOneof = (i: number) => fields.filter((f) => f.oneofIndex === i);
  const synthetic = oneofs.map((o, i) => inOneof(i).length === 1 && o.name === `_${inOneof(i)[0]!.name}`);
  const order = [...oneofs.keys()].sort((a, b) => Number(synthetic[a]) - Number(synthetic[b]) || a - b);
  for (const f of fields) {
    if (f.oneofIndex === undefined || f.oneofIndex === null) continue;
    if (synthetic[f.oneofIndex]) f.proto3Optional = true;
    f.oneofIndex = order.indexOf(f.oneofIndex);
  }
  m.oneofDecl = order.map((i) => oneofs[i]!);
}

/**
 * protoc names the entry type of `map<..> foo_bar` FooBarEntry, and Go's protodesc (grpcurl, buf curl) refuses
 * any other name; protobufjs names it FooBar. Only the map field refers to its entry, so renaming is local.
 */
function nameMapEntries(scope: string, m: MessageProto, fields: FieldProto[]): void {
  for (const nested of m.nestedType ?? []) {
    if (!nested.options?.mapEntry) continue;
    const field = fields.find((f) => f.typeName === `${scope}.${nested.name}`);
    if (!field?.name) continue;
    const entry = `${field.name.replace(/(?:^|_)([a-z0-9])/g, (_s, c: string) => c.toUpperCase())}Entry`;
    field.typeName = `${scope}.${entry}`;
    nested.name = entry;
  }
}

/** Resolves a type reference as protoc does: innermost scope first, then each enclosing one. */
function qualify(scope: string, ref: string, known: Set<string>): string {
  if (!ref || ref.startsWith('.')) return ref;
  for (let s = scope; ; s = s.slice(0, Math.max(0, s.lastIndexOf('.')))) {
    const candidate = `${s}.${ref}`;
    if (known.has(candidate)) return candidate;
    if (!s) break;
  }
  throw new Error(`proto: cannot resolve type ${ref} from ${scope}`);
}
