import { z } from 'zod';
import { createCustomerInput, creditChangeInput, customerGroupInput, entriesQuery, listCustomersQuery, loyaltySettingsInput, mergeCustomersInput, pointsChangeInput, updateCustomerGroupInput, updateCustomerInput, type CustomerServices } from '../../../modules/customers/index.js';
import { listOrdersQuery, type SalesService } from '../../../modules/sales/index.js';
import { pageRequestSchema } from '../../../platform/pagination.js';
import { idParams, pageView, presentPage } from '../../shared/views/common.js';
import * as v from '../../shared/views/customers.views.js';
import { orderView, presentOrder } from '../../shared/views/sales.views.js';
import type { RouteKit } from '../route-kit.js';

const tags = ['Customers'];
const loyaltyTags = ['Loyalty'];
const historyQuery = listOrdersQuery.omit({ customer_id: true });

/** Customers, groups, the loyalty programme and its ledger (issue 7): /api/v1/customers…, /customer-groups…, /loyalty…. */
export function customerRoutes(r: RouteKit, { customers, loyalty }: CustomerServices, sales: SalesService): void {
  r.post('/api/v1/customers', { summary: 'Create a customer (e-mail lower-cased, phone to E.164; both unique per tenant)', tags, body: createCustomerInput, response: v.customerView, status: 201 }, async ({ body }, ctx) =>
    v.presentCustomer(await customers.create(ctx, body)),
  );
  r.get('/api/v1/customers', { summary: 'List customers, or search by name (typos allowed), e-mail or phone (q)', tags, query: listCustomersQuery, response: pageView(v.customerView) }, async ({ query }, ctx) =>
    presentPage(await customers.list(ctx, query), v.presentCustomer),
  );
  r.get('/api/v1/customers/:id', { summary: 'Get a customer with its balances, tier and lifetime value', tags, params: idParams, response: v.customerView }, async ({ params }, ctx) => v.presentCustomer(await customers.get(ctx, params.id)));
  r.patch('/api/v1/customers/:id', { summary: 'Update a customer (null clears a field; group_ids replaces the groups)', tags, params: idParams, body: updateCustomerInput, response: v.customerView }, async ({ params, body }, ctx) =>
    v.presentCustomer(await customers.update(ctx, params.id, body)),
  );
  r.post('/api/v1/customers/:id/merge', { summary: 'Merge a duplicate (source_id) into this customer: orders, points, credit and groups move; the duplicate is archived', tags, params: idParams, body: mergeCustomersInput, response: v.customerView }, async ({ params, body }, ctx) =>
    v.presentCustomer(await customers.merge(ctx, params.id, body)),
  );
  r.get('/api/v1/customers/:id/orders', { summary: 'The customer’s order history (pos:sale:read)', tags, params: idParams, query: historyQuery, response: pageView(orderView) }, async ({ params, query }, ctx) => {
    await customers.get(ctx, params.id);
    return presentPage(await sales.list(ctx, { ...query, customer_id: params.id }), presentOrder);
  });

  r.get('/api/v1/customers/:id/loyalty-entries', { summary: 'The customer’s points and store-credit ledger (oldest first)', tags: loyaltyTags, params: idParams, query: entriesQuery, response: pageView(v.ledgerEntryView) }, async ({ params, query }, ctx) =>
    presentPage(await loyalty.entries(ctx, params.id, query), v.presentLedgerEntry),
  );
  r.post('/api/v1/customers/:id/points/redeem', { summary: 'Redeem points (for a discount); refused beyond the balance, nothing written', tags: loyaltyTags, params: idParams, body: pointsChangeInput, response: v.balanceChangeView }, async ({ params, body }, ctx) =>
    v.presentBalanceChange(await loyalty.redeemPoints(ctx, params.id, body)),
  );
  r.post('/api/v1/customers/:id/points/adjust', { summary: 'Adjust points up or down (pos:loyalty:adjust); never below zero', tags: loyaltyTags, params: idParams, body: pointsChangeInput, response: v.balanceChangeView }, async ({ params, body }, ctx) =>
    v.presentBalanceChange(await loyalty.adjustPoints(ctx, params.id, body)),
  );
  r.post('/api/v1/customers/:id/store-credit', { summary: 'Issue (positive) or take back (negative) store credit (pos:loyalty:adjust)', tags: loyaltyTags, params: idParams, body: creditChangeInput, response: v.balanceChangeView }, async ({ params, body }, ctx) =>
    v.presentBalanceChange(await loyalty.changeCredit(ctx, params.id, body)),
  );

  r.post('/api/v1/customer-groups', { summary: 'Create a customer group', tags, body: customerGroupInput, response: v.customerGroupView, status: 201 }, async ({ body }, ctx) => v.presentCustomerGroup(await customers.createGroup(ctx, body)));
  r.get('/api/v1/customer-groups', { summary: 'List customer groups', tags, query: pageRequestSchema, response: pageView(v.customerGroupView) }, async ({ query }, ctx) => presentPage(await customers.listGroups(ctx, query), v.presentCustomerGroup));
  r.get('/api/v1/customer-groups/:id', { summary: 'Get a customer group', tags, params: idParams, response: v.customerGroupView }, async ({ params }, ctx) => v.presentCustomerGroup(await customers.getGroup(ctx, params.id)));
  r.patch('/api/v1/customer-groups/:id', { summary: 'Rename or describe a customer group', tags, params: idParams, body: updateCustomerGroupInput, response: v.customerGroupView }, async ({ params, body }, ctx) =>
    v.presentCustomerGroup(await customers.updateGroup(ctx, params.id, body)),
  );

  r.get('/api/v1/loyalty/settings', { summary: 'The loyalty programme and customer settings (defaults until saved)', tags: loyaltyTags, response: v.loyaltySettingsView }, async (_, ctx) => v.presentLoyaltySettings(await loyalty.settings(ctx)));
  r.put('/api/v1/loyalty/settings', { summary: 'Change the loyalty programme: earn rules, tiers, point value, expiry; the phone country', tags: loyaltyTags, body: loyaltySettingsInput, response: v.loyaltySettingsView }, async ({ body }, ctx) =>
    v.presentLoyaltySettings(await loyalty.updateSettings(ctx, body)),
  );
  r.post('/api/v1/loyalty/expire-points', { summary: 'Expire points past their expiry now (the job does it hourly)', tags: loyaltyTags, body: z.strictObject({}).optional(), response: z.object({ customers: z.number().int(), points: z.number().int() }) }, async (_, ctx) =>
    loyalty.expirePoints(ctx),
  );
}
