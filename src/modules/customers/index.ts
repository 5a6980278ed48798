// The customers module's public surface: other modules and the adapters import only from here.
import type { TxScope } from '../../platform/context.js';
import { customerRepository } from './customer.repository.js';
import { CustomerService } from './customer.service.js';
import { loyaltySaleHooks, loyaltyTenderHooks } from './loyalty.hooks.js';
import { LoyaltyService } from './loyalty.service.js';

export { CustomerService } from './customer.service.js';
export { LoyaltyService, type BalanceChange } from './loyalty.service.js';
export { CustomerErrors } from './customers.errors.js';
export type { Customer, CustomerGroup } from './customer.model.js';
export type { LedgerEntry, Account } from './ledger.repository.js';
export type { LoyaltySettings, Tier, ItemRule } from './loyalty-rules.js';
export { createCustomerInput, updateCustomerInput, listCustomersQuery, mergeCustomersInput, customerGroupInput, updateCustomerGroupInput } from './customer.inputs.js';
export { loyaltySettingsInput, pointsChangeInput, creditChangeInput, entriesQuery } from './loyalty.inputs.js';
export { normalizePhone } from './phone.js';
export { CustomerLoginService, requestLoginInput, verifyLinkInput, verifyOtpInput, type IssuedToken, type LoginSettings } from './login/login.service.js';
export { SigningKeys, CUSTOMER_TOKEN_AUDIENCE } from './login/signing-keys.js';
export { outboxMailer, smtpMailer, type Mailer, type Mail } from './login/mailer.js';
export { expireAllTenants, registerLoyaltyJobs, LOYALTY_EXPIRY_QUEUE } from './loyalty.jobs.js';
export { loyaltySaleHooks, loyaltyTenderHooks };

/**
 * The port promotions use: a customer's groups and how many orders it has completed (0 = this is its first).
 * One statement in the caller's transaction; a customer this tenant does not have has no groups and no orders.
 */
export async function customerFacts(tx: TxScope, customerId: string): Promise<{ groupIds: string[]; completedOrders: number }> {
  return customerRepository.facts(tx, customerId);
}

export interface CustomerServices {
  customers: CustomerService;
  loyalty: LoyaltyService;
}

/** Stateless services (the database comes with each call's context). */
export function createCustomerServices(): CustomerServices {
  return { customers: new CustomerService(), loyalty: new LoyaltyService() };
}
