import { afterAll, beforeAll, describe } from 'vitest';
import { salesRestRoutes, startTestGrpcServer, type TestGrpcServer } from '../support/grpc.js';
import { grpcSalesDriver, restSalesDriver, type SalesDriver } from './sales-driver.js';
import { salesMoneyScenarios } from './sales-money-scenarios.js';
import { salesScenarios, type SalesContext } from './sales-scenarios.js';

/** The sales scenarios through REST and through gRPC, over one app (one SalesService) serving both. */
let s: TestGrpcServer;
const drivers: Record<string, SalesDriver> = {};

beforeAll(async () => {
  s = await startTestGrpcServer({}, [salesRestRoutes]);
  drivers.REST = restSalesDriver(s.baseUrl);
  drivers.gRPC = grpcSalesDriver(s);
});
afterAll(() => s?.stop());

for (const transport of ['REST', 'gRPC']) {
  const ctx = (): SalesContext => ({ d: drivers[transport]!, app: s.app, baseUrl: s.baseUrl });
  describe(`sales contract over ${transport}`, () => {
    salesScenarios(ctx);
    salesMoneyScenarios(ctx);
  });
}
