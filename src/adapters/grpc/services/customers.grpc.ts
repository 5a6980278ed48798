import type { BalanceChange, Customer, CustomerGroup, LedgerEntry } from '../../../modules/customers/index.js';
import { validationError } from '../../../platform/errors.js';
import { iso } from '../../shared/views/common.js';
import type { Ctx } from '../../../platform/context.js';
import type { Services } from '../../../services.js';
import type { Rpc } from '../rpc-kit.js';
import { idArg, int64Arg, pageArg, pageOut, pick, type RpcRequest } from '../wire.js';

const TYPES: Record<string, string> = { earn: 'EARN', redeem: 'REDEEM', adjust: 'POINTS_ADJUSTMENT', expire: 'POINTS_EXPIRY', reverse: 'POINTS_REVERSAL', return: 'POINTS_RETURN', issue: 'CREDIT_ISSUE' };

const presentCustomer = (c: Customer) => ({
  id: c.id,
  name: c.name,
  phone: c.phone,
  email: c.email,
  tier: c.tier ?? '',
  points_balance: c.pointsBalance,
  lifetime_spend: { amount: c.lifetimeSpend, currency: c.currency },
  created_at: iso(c.createdAt),
  updated_at: iso(c.updatedAt),
  birthday: c.birthday,
  tags: c.tags,
  notes: c.notes,
  marketing_consent: c.marketingConsent,
  group_ids: c.groupIds,
  store_credit_balance: { amount: c.creditBalance, currency: c.currency },
  orders_count: c.ordersCount,
  last_order_at: iso(c.lastOrderAt),
  merged_into: c.mergedInto,
  archived_at: iso(c.archivedAt),
});
const presentGroup = (g: CustomerGroup) => ({ id: g.id, name: g.name, description: g.description, created_at: iso(g.createdAt), updated_at: iso(g.updatedAt) });
const presentEntry = (e: LedgerEntry) => ({
  id: e.id, customer_id: e.customerId, transaction_type: TYPES[e.kind], points: e.amount, order_id: e.orderId ?? '', created_at: iso(e.createdAt), account: e.account, note: e.note, expires_at: iso(e.expiresAt),
});
const presentChange = (b: BalanceChange) => ({
  customer: presentCustomer(b.customer), transaction: presentEntry(b.entry), ...(b.value !== undefined ? { value: { amount: b.value, currency: b.customer.currency } } : {}),
});

/** proto3 sends no null: an empty string clears an optional text field, as null does over REST. */
const clearable = (req: RpcRequest, keys: readonly string[]) => Object.fromEntries(keys.filter((k) => req[k] !== undefined).map((k) => [k, req[k] === '' ? null : req[k]]));
const lists = (req: RpcRequest) => ({
  ...(Array.isArray(req.tags) && (req.tags.length > 0 || req.clear_tags) ? { tags: req.tags } : {}),
  ...(Array.isArray(req.group_ids) && (req.group_ids.length > 0 || req.clear_groups) ? { group_ids: req.group_ids } : {}),
});
const change = (req: RpcRequest, amountField: 'points' | 'amount') => ({
  [amountField]: int64Arg(req[amountField]),
  ...(req.reason !== undefined ? { reason: req.reason } : {}),
  ...(typeof req.order_id === 'string' && req.order_id !== '' ? { order_id: req.order_id } : {}),
});

/** A change naming an order names one of this tenant's: checked first, so another tenant's order is NOT_FOUND. */
async function orderFirst(req: RpcRequest, ctx: Ctx, services: Services): Promise<string> {
  if (typeof req.order_id === 'string' && req.order_id !== '') await services.sales.get(ctx, idArg(req, 'order_id'));
  return idArg(req, 'customer_id');
}

/** pos.v1.CustomerService over the same services as REST. Services validate every input (parseInput). */
export const customerRpcs: Record<string, Rpc> = {
  CreateCustomer: {
    write: true,
    handle: async (req, ctx, { services }) => ({
      customer: presentCustomer(await services.customers.create(ctx, { ...pick(req, ['name', 'marketing_consent'] as const), ...clearable(req, ['phone', 'email', 'birthday', 'notes']), ...lists({ ...req, clear_tags: false, clear_groups: false }) } as never)),
    }),
  },
  GetCustomer: { handle: async (req, ctx, { services }) => ({ customer: presentCustomer(await services.customers.get(ctx, idArg(req))) }) },
  ListCustomers: {
    handle: async (req, ctx, { services }) =>
      pageOut('customers', await services.customers.list(ctx, { ...pageArg(req), ...(req.query ? { q: req.query } : {}), ...(req.group_id ? { group_id: req.group_id } : {}) }), presentCustomer),
  },
  UpdateCustomer: {
    write: true,
    handle: async (req, ctx, { services }) => ({
      customer: presentCustomer(await services.customers.update(ctx, idArg(req), { ...pick(req, ['name', 'marketing_consent'] as const), ...clearable(req, ['phone', 'email', 'birthday', 'notes']), ...lists(req) } as never)),
    }),
  },
  MergeCustomers: { write: true, handle: async (req, ctx, { services }) => ({ customer: presentCustomer(await services.customers.merge(ctx, idArg(req, 'customer_id'), { source_id: req.source_id })) }) },
  CreateCustomerGroup: { write: true, handle: async (req, ctx, { services }) => ({ group: presentGroup(await services.customers.createGroup(ctx, pick(req, ['name', 'description'] as const))) }) },
  ListCustomerGroups: { handle: async (req, ctx, { services }) => pageOut('groups', await services.customers.listGroups(ctx, pageArg(req)), presentGroup) },
  EarnPoints: {
    write: true,
    handle: async (req, ctx, { services }) => {
      const points = int64Arg(req.points);
      if (typeof points === 'number' && points < 0) throw validationError([{ field: 'points', message: 'must be greater than 0 (AdjustPoints takes points away)' }]);
      return presentChange(await services.loyalty.adjustPoints(ctx, await orderFirst(req, ctx, services), change(req, 'points')));
    },
  },
  RedeemPoints: { write: true, handle: async (req, ctx, { services }) => presentChange(await services.loyalty.redeemPoints(ctx, await orderFirst(req, ctx, services), change(req, 'points'))) },
  AdjustPoints: { write: true, handle: async (req, ctx, { services }) => presentChange(await services.loyalty.adjustPoints(ctx, idArg(req, 'customer_id'), change(req, 'points'))) },
  ChangeStoreCredit: { write: true, handle: async (req, ctx, { services }) => presentChange(await services.loyalty.changeCredit(ctx, idArg(req, 'customer_id'), change(req, 'amount'))) },
  ListPointTransactions: {
    handle: async (req, ctx, { services }) =>
      pageOut('transactions', await services.loyalty.entries(ctx, idArg(req, 'customer_id'), { ...pageArg(req), ...(req.account ? { account: req.account } : {}) }), presentEntry),
  },
  GetLoyaltySettings: {
    handle: async (_req, ctx, { services }) => {
      const s = await services.loyalty.settings(ctx);
      return {
        loyalty_enabled: s.loyaltyEnabled, earn_per_amount: s.earnPerAmount, earn_points: s.earnPoints, points_per_visit: s.pointsPerVisit, point_value: s.pointValue,
        points_expire_days: s.pointsExpireDays, phone_country: s.phoneCountry, tiers: s.tiers.map((t) => ({ name: t.name, threshold: t.threshold, multiplier_percent: t.multiplierPercent })),
      };
    },
  },
};
