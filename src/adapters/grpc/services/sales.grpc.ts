import type { Rpc } from '../rpc-kit.js';
import { salesItemRpcs } from './sales-items.grpc.js';
import { salesLifecycleRpcs } from './sales-lifecycle.grpc.js';
import { salesOrderRpcs } from './sales-orders.grpc.js';

/**
 * pos.v1.SalesService over app.services.sales, the service the REST routes call, answering with the REST
 * presenters' fields. GetReceipt is declared and not served yet: the sales service has no receipt rendering
 * (it answers UNIMPLEMENTED, see server.ts).
 */
export const salesRpcs: Record<string, Rpc> = { ...salesOrderRpcs, ...salesItemRpcs, ...salesLifecycleRpcs };
