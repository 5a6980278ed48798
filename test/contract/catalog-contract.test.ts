import { afterAll, beforeAll, describe } from 'vitest';
import { startTestGrpcServer, type TestGrpcServer } from '../support/grpc.js';
import { grpcCatalogDriver, restCatalogDriver, type CatalogDriver } from './catalog-driver.js';
import { catalogScenarios } from './catalog-scenarios.js';

/** The catalog scenarios through REST and through gRPC, over one app serving both. */
let s: TestGrpcServer;
const drivers: Record<string, CatalogDriver> = {};

beforeAll(async () => {
  s = await startTestGrpcServer();
  drivers.REST = restCatalogDriver(s.baseUrl);
  drivers.gRPC = grpcCatalogDriver(s);
});
afterAll(() => s?.stop());

for (const transport of ['REST', 'gRPC']) {
  describe(`catalog contract over ${transport}`, () => catalogScenarios(() => ({ d: drivers[transport]!, app: s.app })));
}
