import type { ProvisionedTenant, ProvisionTenantInput } from './flows/provision-tenant.js';
import type { AccessService } from './modules/access/index.js';
import type { CustomerLoginService, CustomerService, LoyaltyService, SigningKeys } from './modules/customers/index.js';
import type { CatalogCoreServices, CatalogExportService, CatalogImportService, CatalogPricingServices, ImageService } from './modules/catalog/index.js';
import type { SalesService, ServiceChargeService } from './modules/sales/index.js';
import type { CountService, InventoryService, PurchasingService, RecipeService, TransferService } from './modules/inventory/index.js';
import type { PromotionServices } from './modules/promotions/index.js';
import type { CashSessionService, DeviceService, RegisterSettingsService, TerminalService } from './modules/registers/index.js';
import type { LicenseService, OutletService, TenantService } from './modules/tenancy/index.js';
import type { CommissionService, ShiftService, StaffService } from './modules/staff/index.js';

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
  /** The tenant's service-charge rules. */
  serviceCharges: ServiceChargeService;
  /** Stock locations and levels, the movement ledger, inventory settings. */
  inventory: InventoryService;
  /** Suppliers and purchase orders. */
  purchasing: PurchasingService;
  /** Stock transfers between locations. */
  transfers: TransferService;
  /** Stock counts (stock takes). */
  stockCounts: CountService;
  /** Recipes (bill of materials) and stock units of measure. */
  recipes: RecipeService;
  /** Cash-drawer sessions, their ledger, X and Z reports. */
  cashSessions: CashSessionService;
  registerSettings: RegisterSettingsService;
  /** Terminals (registers) CRUD within the tenant's licence; devices paired to them. */
  terminals: TerminalService;
  devices: DeviceService;
  /** Plans per tenant, set by the platform operator. */
  licenses: LicenseService;
  /** Staff profiles, PINs, PIN switch, manager overrides. */
  staff: StaffService;
  /** Shifts and timecards. */
  shifts: ShiftService;
  /** Commission rules and statements. */
  commissions: CommissionService;
  /** Customer profiles and groups (issue 7). */
  customers: CustomerService;
  /** The loyalty programme, the points and store-credit ledger. */
  loyalty: LoyaltyService;
  /** Passwordless customer login and Kasir's customer-token keys. */
  customerLogin: CustomerLoginService;
  signingKeys: SigningKeys;
  /** Promotions, coupons and manual discount limits (issue 7). */
  promotions: PromotionServices;
  provisionTenant(input: ProvisionTenantInput): Promise<ProvisionedTenant>;
}
