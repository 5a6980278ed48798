import * as grpc from '@grpc/grpc-js';
import protobuf from 'protobufjs';
import descriptor, { type IFileDescriptorProto } from 'protobufjs/ext/descriptor/index.js';

/**
 * A gRPC client that knows nothing of Kasir's protos, as grpcurl is: it has only the reflection protocol
 * (grpc.reflection.v1, written out below as grpcurl has it compiled in), asks the server for the descriptors,
 * and builds request and response types from them.
 */
const reflection = protobuf.Root.fromJSON({
  nested: {
    ServerReflectionRequest: {
      oneofs: { message_request: { oneof: ['file_by_filename', 'file_containing_symbol', 'list_services'] } },
      fields: { host: { type: 'string', id: 1 }, file_by_filename: { type: 'string', id: 3 }, file_containing_symbol: { type: 'string', id: 4 }, list_services: { type: 'string', id: 7 } },
    },
    ServerReflectionResponse: {
      fields: {
        valid_host: { type: 'string', id: 1 },
        file_descriptor_response: { type: 'FileDescriptorResponse', id: 4 },
        list_services_response: { type: 'ListServiceResponse', id: 6 },
        error_response: { type: 'ErrorResponse', id: 7 },
      },
    },
    FileDescriptorResponse: { fields: { file_descriptor_proto: { rule: 'repeated', type: 'bytes', id: 1 } } },
    ListServiceResponse: { fields: { service: { rule: 'repeated', type: 'ServiceResponse', id: 1 } } },
    ServiceResponse: { fields: { name: { type: 'string', id: 1 } } },
    ErrorResponse: { fields: { error_code: { type: 'int32', id: 1 }, error_message: { type: 'string', id: 2 } } },
  },
});
const Req = reflection.lookupType('ServerReflectionRequest');
const Res = reflection.lookupType('ServerReflectionResponse');

interface ReflectionResponse {
  file_descriptor_response?: { file_descriptor_proto: Uint8Array[] };
  list_services_response?: { service: { name: string }[] };
  error_response?: { error_code: number; error_message: string };
}

const ReflectionClient = grpc.makeGenericClientConstructor(
  {
    ServerReflectionInfo: {
      path: '/grpc.reflection.v1.ServerReflection/ServerReflectionInfo',
      requestStream: true,
      responseStream: true,
      requestSerialize: (v: object) => Buffer.from(Req.encode(Req.fromObject(v)).finish()),
      requestDeserialize: (b: Buffer) => Req.decode(b),
      responseSerialize: () => Buffer.alloc(0),
      responseDeserialize: (b: Buffer) => Res.toObject(Res.decode(b), { defaults: false }),
    },
  },
  'ServerReflection',
);

/** Asks the server one reflection question per call, on one stream per question. */
async function ask(target: string, request: Record<string, string>): Promise<ReflectionResponse> {
  const client = new ReflectionClient(target, grpc.credentials.createInsecure());
  try {
    return await new Promise((resolve, reject) => {
      const call = (client as unknown as { ServerReflectionInfo(): grpc.ClientDuplexStream<object, ReflectionResponse> }).ServerReflectionInfo();
      call.on('data', (r: ReflectionResponse) => {
        resolve(r);
        call.end();
      });
      call.on('error', reject);
      call.write(request);
    });
  } finally {
    client.close();
  }
}

export async function listServices(target: string): Promise<string[]> {
  const r = await ask(target, { list_services: '*' });
  return (r.list_services_response?.service ?? []).map((s) => s.name);
}

/** The file declaring `symbol` and every file it depends on, fetched by name as grpcurl does. */
export async function filesFor(target: string, symbol: string): Promise<IFileDescriptorProto[]> {
  const files = new Map<string, IFileDescriptorProto>();
  const take = (r: ReflectionResponse) => {
    if (r.error_response) throw new Error(`reflection: ${r.error_response.error_message}`);
    for (const bin of r.file_descriptor_response?.file_descriptor_proto ?? []) {
      const f = descriptor.FileDescriptorProto.toObject(descriptor.FileDescriptorProto.decode(bin), { enums: String }) as IFileDescriptorProto;
      files.set(f.name!, f);
    }
  };
  take(await ask(target, { file_containing_symbol: symbol }));
  for (let missing = missingDeps(files); missing.length > 0; missing = missingDeps(files)) {
    for (const name of missing) take(await ask(target, { file_by_filename: name }));
  }
  return [...files.values()];
}

const missingDeps = (files: Map<string, IFileDescriptorProto>): string[] =>
  [...files.values()].flatMap((f) => (f.dependency ?? []) as string[]).filter((d) => !files.has(d));

/** A protobufjs root built only from reflected descriptors. */
export function rootFrom(files: IFileDescriptorProto[]): protobuf.Root {
  return (protobuf.Root as unknown as { fromDescriptor(d: object): protobuf.Root }).fromDescriptor({ file: files.map((f) => descriptor.FileDescriptorProto.fromObject(f)) });
}

/** A unary call of `service/method` with types from `root`; the response comes back with enum names. */
export async function callUnary(target: string, root: protobuf.Root, service: string, method: string, request: object, metadata: Record<string, string> = {}): Promise<unknown> {
  const svc = root.lookupService(service);
  const m = svc.methods[method]!.resolve() as protobuf.Method;
  const In = m.resolvedRequestType!;
  const Out = m.resolvedResponseType!;
  const Client = grpc.makeGenericClientConstructor(
    {
      [method]: {
        path: `/${service}/${method}`,
        requestStream: false,
        responseStream: false,
        requestSerialize: (v: object) => Buffer.from(In.encode(In.fromObject(v)).finish()),
        requestDeserialize: (b: Buffer) => In.decode(b),
        responseSerialize: () => Buffer.alloc(0),
        responseDeserialize: (b: Buffer) => Out.toObject(Out.decode(b), { enums: String, longs: String, defaults: true }),
      },
    },
    service,
  );
  const client = new Client(target, grpc.credentials.createInsecure());
  const md = new grpc.Metadata();
  for (const [k, v] of Object.entries(metadata)) md.set(k, v);
  try {
    return await new Promise((resolve, reject) =>
      (client as unknown as Record<string, (r: object, md: grpc.Metadata, cb: (e: Error | null, v: unknown) => void) => void>)[method]!(request, md, (e, v) => (e ? reject(e) : resolve(v))),
    );
  } finally {
    client.close();
  }
}
