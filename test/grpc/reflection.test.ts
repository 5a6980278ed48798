import type { IFileDescriptorProto } from 'protobufjs/ext/descriptor/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGrpcServer, type TestGrpcServer } from '../support/grpc.js';
import { callUnary, filesFor, listServices, rootFrom } from './reflection-client.js';

let s: TestGrpcServer;
beforeAll(async () => {
  s = await startTestGrpcServer();
});
afterAll(() => s.stop());

const POS_SERVICES = ['Catalog', 'Sales', 'Inventory', 'Customer', 'Staff', 'Promotion', 'PaymentTransaction', 'Health', 'Tenant', 'Platform'].map((n) => `pos.v1.${n}Service`);

describe('gRPC server reflection', () => {
  it('lists every pos.v1 service and grpc.health.v1.Health', async () => {
    expect(await listServices(s.target)).toEqual(expect.arrayContaining([...POS_SERVICES, 'grpc.health.v1.Health']));
  });

  it('lets a client with no proto files call pos.v1.HealthService/Check', async () => {
    const root = rootFrom(await filesFor(s.target, 'pos.v1.HealthService'));
    expect(await callUnary(s.target, root, 'pos.v1.HealthService', 'Check', {})).toMatchObject({ status: 'SERVING' });
  });

  it('lets a client with no proto files call an authenticated RPC with dev metadata', async () => {
    const { createTenant } = await import('../support/server.js');
    const t = await createTenant(s.app);
    const root = rootFrom(await filesFor(s.target, 'pos.v1.TenantService'));
    const r = (await callUnary(s.target, root, 'pos.v1.TenantService', 'GetTenant', {}, t.devHeaders)) as { tenant: { id: string; cash_rounding_unit: string } };
    expect(r.tenant).toMatchObject({ id: t.tenantId, cash_rounding_unit: '0' });
  });

  it('serves grpc.health.v1 with its map entry named as protoc names it, so Go clients accept the file', async () => {
    const files = await filesFor(s.target, 'grpc.health.v1.Health');
    const list = files.flatMap((f) => f.messageType ?? []).find((m) => m.name === 'HealthListResponse')!;
    expect(list.nestedType!.map((n) => [n.name, n.options?.mapEntry])).toEqual([['StatusesEntry', true]]);
    expect(list.field![0]!.typeName).toBe('.grpc.health.v1.HealthListResponse.StatusesEntry');
    expect(await callUnary(s.target, rootFrom(files), 'grpc.health.v1.Health', 'Check', { service: 'pos.v1.SalesService' })).toEqual({ status: 'SERVING' });
  });

  it('serves descriptors as protoc writes them: fully-qualified references that resolve, proto3 optional flagged', async () => {
    const files = await filesFor(s.target, 'pos.v1.SalesService');
    const declared = new Set<string>();
    for (const f of files) collect(`.${f.package}`, f.messageType ?? [], f.enumType ?? [], declared);
    const refs: string[] = [];
    const walk = (messages: NonNullable<IFileDescriptorProto['messageType']>) => {
      for (const m of messages) {
        for (const field of m.field ?? []) if (field.typeName) refs.push(field.typeName);
        walk(m.nestedType ?? []);
      }
    };
    for (const f of files) {
      walk(f.messageType ?? []);
      for (const svc of f.service ?? []) for (const m of svc.method ?? []) refs.push(m.inputType!, m.outputType!);
    }
    expect(refs.length).toBeGreaterThan(100);
    expect(refs.filter((r) => !declared.has(r))).toEqual([]);
    const outlet = files.flatMap((f) => f.messageType ?? []).find((m) => m.name === 'UpdateOutletRequest')!;
    const name = outlet.field!.find((f) => f.name === 'name') as { proto3Optional?: boolean; oneofIndex?: number };
    expect(name.proto3Optional).toBe(true);
    expect(outlet.oneofDecl![name.oneofIndex!]!.name).toBe('_name');
  });
});

function collect(scope: string, messages: NonNullable<IFileDescriptorProto['messageType']>, enums: NonNullable<IFileDescriptorProto['enumType']>, out: Set<string>): void {
  for (const e of enums) out.add(`${scope}.${e.name}`);
  for (const m of messages) {
    out.add(`${scope}.${m.name}`);
    collect(`${scope}.${m.name}`, m.nestedType ?? [], m.enumType ?? [], out);
  }
}
