import * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { HealthImplementation, type ServingStatusMap } from 'grpc-health-check';
import type { App } from '../../app.js';
import { loadPosProtos, reflectionPackage } from './protos.js';
import { NotAvailableYet, RpcKit, undecodable, type Rpc } from './rpc-kit.js';
import { catalogRpcs } from './services/catalog.grpc.js';
import { customerRpcs } from './services/customers.grpc.js';
import { healthRpcs } from './services/health.grpc.js';
import { platformRpcs } from './services/platform.grpc.js';
import { salesRpcs } from './services/sales.grpc.js';
import { inventoryRpcs } from './services/inventory.grpc.js';
import { promotionRpcs } from './services/promotion.grpc.js';
import { staffRpcs } from './services/staff.grpc.js';
import { tenantRpcs } from './services/tenant.grpc.js';

/** The RPCs Kasir serves, by service; each later module adds its service's handlers here. */
const IMPLEMENTED: Record<string, Record<string, Rpc>> = {
  'pos.v1.HealthService': healthRpcs,
  'pos.v1.TenantService': tenantRpcs,
  'pos.v1.StaffService': staffRpcs,
  'pos.v1.PlatformService': platformRpcs,
  'pos.v1.CatalogService': catalogRpcs,
  'pos.v1.SalesService': salesRpcs,
  'pos.v1.InventoryService': inventoryRpcs,
  'pos.v1.CustomerService': customerRpcs,
  'pos.v1.PromotionService': promotionRpcs,
};

/** What the declared but not yet implemented RPCs of each service belong to, for their UNIMPLEMENTED message. */
const LATER: Record<string, string> = {
  'pos.v1.CatalogService': 'catalog',
  'pos.v1.SalesService': 'receipt rendering',
  'pos.v1.InventoryService': 'inventory',
  'pos.v1.CustomerService': 'customers',
  'pos.v1.PromotionService': 'promotions',
  'pos.v1.PaymentTransactionService': 'payment transactions',
};

/** Every implemented RPC with how it is guarded (the isolation tests are generated from this list). */
export const IMPLEMENTED_RPCS: readonly { path: string; auth: 'tenant' | 'platform' | 'none'; write: boolean }[] = Object.entries(IMPLEMENTED).flatMap(([service, rpcs]) =>
  Object.entries(rpcs).map(([m, rpc]) => ({ path: `/${service}/${m}`, auth: rpc.auth ?? 'tenant', write: rpc.write ?? false })),
);

/** Full paths of every implemented RPC, e.g. `/pos.v1.TenantService/GetOutlet`. */
export const IMPLEMENTED_METHODS: readonly string[] = IMPLEMENTED_RPCS.map((r) => r.path);

export interface RunningGrpc {
  port: number;
  /** Stops taking calls, lets in-flight ones finish for up to `graceMs`, then closes what is left. */
  stop(graceMs: number): Promise<void>;
}

type ServiceDef = Record<string, MethodDefinition<object, object>>;

/**
 * The gRPC server: every pos.v1 service (implemented RPCs through RpcKit; the rest answer UNIMPLEMENTED with
 * what they await), server reflection (so grpcurl and other clients need no proto files), and the standard
 * grpc.health.v1 Health service.
 */
export async function startGrpcServer(app: App, port: number, host: string): Promise<RunningGrpc> {
  const pkg = loadPosProtos();
  let serving = true;
  const kit = new RpcKit(app, { services: app.services, serving: () => serving });
  const server = new grpc.Server();
  const serviceNames: string[] = [];

  for (const [name, def] of Object.entries(pkg)) {
    if ('format' in def) continue; // a message or enum type, not a service
    serviceNames.push(name);
    const methods = def as ServiceDef;
    const rpcs = IMPLEMENTED[name] ?? {};
    for (const m of Object.keys(rpcs)) if (!methods[m]) throw new Error(`gRPC: ${name} has no method ${m} in proto/`);
    const impl: grpc.UntypedServiceImplementation = {};
    const defs: ServiceDef = {};
    for (const [m, method] of Object.entries(methods)) {
      if (method.requestStream || method.responseStream) throw new Error(`gRPC: ${method.path} streams; RpcKit serves unary calls only`);
      impl[m] = kit.unary(method.path, rpcs[m] ?? notAvailable(method.path, LATER[name] ?? name));
      defs[m] = { ...method, requestDeserialize: tolerantDeserializer(method.requestDeserialize) };
    }
    server.addService(defs as unknown as grpc.ServiceDefinition, impl);
  }

  new ReflectionService(reflectionPackage(pkg)).addToServer(server);
  const health = new HealthImplementation(Object.fromEntries(['', ...serviceNames].map((s) => [s, 'SERVING'])) as ServingStatusMap);
  health.addToServer(server);

  const address = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const bound = await new Promise<number>((resolve, reject) =>
    server.bindAsync(address, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );

  return {
    port: bound,
    stop: async (graceMs) => {
      serving = false;
      for (const s of ['', ...serviceNames]) health.setStatus(s, 'NOT_SERVING');
      await new Promise<void>((resolve) => {
        const deadline = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, graceMs);
        deadline.unref();
        server.tryShutdown(() => {
          clearTimeout(deadline);
          resolve();
        });
      });
    },
  };
}

function notAvailable(path: string, area: string): Rpc {
  return {
    auth: 'none',
    handle: () => Promise.reject(new NotAvailableYet(`${area} is not available yet: ${path.slice(1)} is declared in the pos.v1 contract and not implemented in this version`)),
  };
}

/**
 * grpc-js answers a message its deserializer throws on with a bare INTERNAL before any handler runs. Instead the
 * failure becomes a request RpcKit recognises and refuses as INVALID_ARGUMENT / MESSAGE_UNDECODABLE, with the
 * Kasir error details like any other refusal.
 */
function tolerantDeserializer(deserialize: (bytes: Buffer) => object): (bytes: Buffer) => object {
  return (bytes) => {
    try {
      return deserialize(bytes);
    } catch (e) {
      return undecodable(e);
    }
  };
}
