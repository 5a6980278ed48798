import { join } from 'node:path';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { POS_PROTO_FILES, PROTO_DIR } from '../../src/adapters/grpc/protos.js';
import { apiKeyView, membershipView, roleView } from '../../src/adapters/shared/views/access.views.js';
import { outletView, tenantView, terminalView } from '../../src/adapters/shared/views/tenancy.views.js';

const root = new protobuf.Root();
root.resolvePath = (_origin, target) => join(PROTO_DIR, target);
root.loadSync(POS_PROTO_FILES, { keepCase: true }).resolveAll();
const pos = root.lookup('pos.v1') as protobuf.Namespace;
const members = (ns: protobuf.NamespaceBase) => ns.nestedArray;
const services = members(pos).filter((n): n is protobuf.Service => n instanceof protobuf.Service);

const WRITE = /^(Create|Update|Set|Add|Remove|Finalize|Complete|Void|Revoke|Start|End|Open|Close|Adjust|Transfer|Receive|Earn|Redeem|Apply|Cancel|Refund)/;

describe('the pos.v1 contract', () => {
  it('declares every service of seed 000, plus tenants and the platform operator', () => {
    expect(services.map((s) => s.name).sort()).toEqual(
      ['CatalogService', 'CustomerService', 'HealthService', 'InventoryService', 'PaymentTransactionService', 'PlatformService', 'PromotionService', 'SalesService', 'StaffService', 'TenantService'].sort(),
    );
  });

  it('gives enum values names unique in their scope, as protoc demands (proto3 enum values are siblings of their enum)', () => {
    const check = (ns: protobuf.NamespaceBase) => {
      const taken = new Map<string, string>(members(ns).map((n) => [n.name, n.fullName]));
      for (const e of members(ns).filter((n): n is protobuf.Enum => n instanceof protobuf.Enum)) {
        for (const value of Object.keys(e.values)) {
          expect(taken.get(value), `${e.fullName}.${value} clashes`).toBeUndefined();
          taken.set(value, e.fullName);
        }
        expect(Object.entries(e.values).find(([, n]) => n === 0)?.[0], `${e.fullName} zero value`).toMatch(/_UNSPECIFIED$/);
      }
      for (const t of members(ns)) if (t instanceof protobuf.Type) check(t);
    };
    check(pos);
  });

  it('takes the seed’s plain enum names', () => {
    expect(Object.keys(root.lookupEnum('pos.v1.PaymentType').values)).toContain('CASH');
    expect(Object.keys(root.lookupEnum('pos.v1.OrderStatus').values)).toEqual(['ORDER_STATUS_UNSPECIFIED', 'DRAFT', 'OPEN', 'COMPLETED', 'VOIDED']);
  });

  it('paginates every List RPC with PaginationRequest / PaginationResponse', () => {
    for (const svc of services) {
      for (const m of svc.methodsArray.filter((x) => x.name.startsWith('List'))) {
        m.resolve();
        expect(m.resolvedRequestType!.fields.pagination?.resolvedType?.fullName, `${m.fullName} request`).toBe('.pos.v1.PaginationRequest');
        expect(m.resolvedResponseType!.fields.pagination?.resolvedType?.fullName, `${m.fullName} response`).toBe('.pos.v1.PaginationResponse');
      }
    }
  });

  it('lets every tenant write carry idempotency_key', () => {
    for (const svc of services.filter((s) => s.name !== 'PlatformService')) {
      for (const m of svc.methodsArray.filter((x) => WRITE.test(x.name))) {
        expect((m.resolve() as protobuf.Method).resolvedRequestType!.fields.idempotency_key?.type, m.fullName).toBe('string');
      }
    }
  });

  it('sends the same fields as the REST presenters, money and counts as int64', () => {
    const pairs: [string, z.ZodObject][] = [
      ['Tenant', tenantView],
      ['Outlet', outletView],
      ['Terminal', terminalView],
      ['Role', roleView],
      ['StaffMember', membershipView],
      ['ApiKey', apiKeyView],
    ];
    for (const [message, view] of pairs) {
      expect(Object.keys(root.lookupType(`pos.v1.${message}`).fields).sort(), message).toEqual(Object.keys(view.shape).sort());
    }
    expect(root.lookupType('pos.v1.Tenant').fields.cash_rounding_unit!.type).toBe('int64');
    expect(root.lookupType('pos.v1.Money').fields.amount!.type).toBe('int64');
  });
});
