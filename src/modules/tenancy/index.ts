export { TenantService, createTenantInput, updateTenantSettingsInput, type CreateTenantInput, type UpdateTenantSettingsInput } from './tenant.service.js';
export { OutletService, createOutletInput, updateOutletInput, type CreateOutletInput, type UpdateOutletInput } from './outlet.service.js';
export { outletRepository, tenantRepository } from './tenant.repository.js';
export { TenancyErrors } from './tenancy.errors.js';
export { LICENSE_FEATURES, LicenseService, assertFeature, assertWithinLicense, licenseRepository, licensePlanInput, type LicensePlan, type LicensePlanInput, type LicenseFeature, type LicensedResource } from './license.js';
export { tenants, outlets, terminals, BUSINESS_TYPES, POS_MODES, type Tenant, type Outlet, type Terminal } from './tenancy.schema.js';
