import type { Rpc } from '../rpc-kit.js';
import { catalogExtraRpcs } from './catalog-extras.grpc.js';
import { catalogItemRpcs } from './catalog-items.grpc.js';
import { catalogModifierRpcs } from './catalog-modifiers.grpc.js';
import { catalogPriceRpcs } from './catalog-prices.grpc.js';
import { catalogTaxRpcs } from './catalog-tax.grpc.js';

/**
 * pos.v1.CatalogService, every RPC of proto/pos/v1/catalog.proto: each calls the service its REST route calls
 * (app.services.catalog, app.services.pricing) and answers with the REST presenter's fields.
 */
export const catalogRpcs: Record<string, Rpc> = { ...catalogItemRpcs, ...catalogPriceRpcs, ...catalogModifierRpcs, ...catalogTaxRpcs, ...catalogExtraRpcs };
