import type { Rpc } from '../rpc-kit.js';
import { salesItemRpcs } from './sales-items.grpc.js';
import { salesLifecycleRpcs } from './sales-lifecycle.grpc.js';
import { salesOrderRpcs } from './sales-orders.grpc.js';
import { salesReceiptRpcs } from './sales-receipt.grpc.js';

/**
 * pos.v1.SalesService over app.services.sales, the service the REST routes call, answering with the REST
 * presenters' fields (GetReceipt with the REST receipt's JSON and its rendering).
 */
export const salesRpcs: Record<string, Rpc> = { ...salesOrderRpcs, ...salesItemRpcs, ...salesLifecycleRpcs, ...salesReceiptRpcs };
