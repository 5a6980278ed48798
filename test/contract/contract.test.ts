import { afterAll, beforeAll, describe } from 'vitest';
import { startTestGrpcServer, type TestGrpcServer } from '../support/grpc.js';
import type { Driver } from './driver.js';
import { grpcDriver } from './grpc-driver.js';
import { restDriver } from './rest-driver.js';
import { contractScenarios } from './scenarios.js';

/** One app served over REST and gRPC at once; the same scenarios run through each. */
let s: TestGrpcServer;
const drivers: Record<string, Driver> = {};

beforeAll(async () => {
  s = await startTestGrpcServer();
  drivers.REST = restDriver(s.baseUrl);
  drivers.gRPC = grpcDriver(s);
});
afterAll(() => s?.stop());

for (const transport of ['REST', 'gRPC']) {
  describe(`contract over ${transport}`, () => contractScenarios(() => ({ d: drivers[transport]!, app: s.app })));
}
