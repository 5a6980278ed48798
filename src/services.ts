import type { ProvisionedTenant, ProvisionTenantInput } from './flows/provision-tenant.js';
import type { AccessService } from './modules/access/index.js';
import type { CatalogCoreServices, CatalogExportService, CatalogImportService, CatalogPricingServices, ImageService } from './modules/catalog/index.js';
import type { SalesService } from './modules/sales/index.js';
import type { PromotionServices } from './modules/promotions/index.js';
import type { OutletService, TenantService } from './modules/tenancy/index.js';

/** Everything the transports may call: services and flows, built once in app.ts. */
export interface Services {
  tenants: TenantService;
  outlets: OutletService;
  access: AccessService;
  /** Categories, products, variants, lookup and search, the change feed. */
  catalog: CatalogCoreServices;
  /** Prices and price books, modifier groups, tax configuration. */
  pricing: CatalogPricingServices;
  images: ImageService;
  catalogImport: CatalogImportService;
  catalogExport: CatalogExportService;
  /** Orders from draft to completed, payments, refunds, checkout. */
  sales: SalesService;
  /** Promotions, coupons and manual discount limits (issue 7). */
  promotions: PromotionServices;
  provisionTenant(input: ProvisionTenantInput): Promise<ProvisionedTenant>;
}
