import { status } from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, rpc, startTestGrpcServer, type TestGrpcServer } from '../support/grpc.js';
import { createTenant, type TestTenant } from '../support/server.js';

let s: TestGrpcServer;
let a: TestTenant;
let b: TestTenant;

beforeAll(async () => {
  s = await startTestGrpcServer();
  [a, b] = [await createTenant(s.app), await createTenant(s.app)];
});
afterAll(() => s.stop());

describe('pos.v1.CustomerService', () => {
  it('creates, finds, adjusts, redeems and merges customers as REST does, with the same errors', async () => {
    const c = s.client('CustomerService');
    const made = await ok(rpc(c, 'CreateCustomer', { name: 'Dewi', email: 'Dewi@Example.com', phone: '0812 5555 0101', tags: ['vip'], idempotency_key: 'create-dewi' }, a.devHeaders));
    expect(made.customer).toMatchObject({ name: 'Dewi', email: 'dewi@example.com', phone: '+6281255550101', tags: ['vip'], points_balance: '0', store_credit_balance: { amount: '0', currency: 'IDR' } });
    const replay = await ok(rpc(c, 'CreateCustomer', { name: 'Dewi', email: 'Dewi@Example.com', phone: '0812 5555 0101', tags: ['vip'], idempotency_key: 'create-dewi' }, a.devHeaders));
    expect(replay.customer.id).toBe(made.customer.id);
    const dup = await rpc(c, 'CreateCustomer', { name: 'Dewi 2', phone: '+6281255550101' }, a.devHeaders);
    expect(dup.ok || [dup.code, dup.details?.errorInfo?.reason]).toEqual([status.ALREADY_EXISTS, 'CUSTOMER_PHONE_TAKEN']);

    const found = await ok(rpc(c, 'ListCustomers', { query: 'dewi' }, a.devHeaders));
    expect(found.customers.map((x: { id: string }) => x.id)).toEqual([made.customer.id]);

    const id = made.customer.id;
    await ok(rpc(c, 'AdjustPoints', { customer_id: id, points: '30', reason: 'welcome' }, a.devHeaders));
    const tooMuch = await rpc(c, 'RedeemPoints', { customer_id: id, points: '31' }, a.devHeaders);
    expect(tooMuch.ok || [tooMuch.code, tooMuch.details?.errorInfo?.reason]).toEqual([status.FAILED_PRECONDITION, 'LOYALTY_DISABLED']);
    await s.app.services.loyalty.updateSettings({ tenantId: a.tenantId, actor: { kind: 'system', permissions: new Set(['pos:settings:write']) }, requestId: 'x', database: s.app.database, log: s.app.log }, { loyalty_enabled: true });
    const short = await rpc(c, 'RedeemPoints', { customer_id: id, points: '31' }, a.devHeaders);
    expect(short.ok || [short.code, short.details?.errorInfo?.reason]).toEqual([status.FAILED_PRECONDITION, 'LOYALTY_INSUFFICIENT_BALANCE']);
    const redeemed = await ok(rpc(c, 'RedeemPoints', { customer_id: id, points: '12' }, a.devHeaders));
    expect(redeemed).toMatchObject({ customer: { points_balance: '18' }, transaction: { transaction_type: 'REDEEM', points: '-12' }, value: { amount: '1200', currency: 'IDR' } });
    const txs = await ok(rpc(c, 'ListPointTransactions', { customer_id: id }, a.devHeaders));
    expect(txs.transactions.map((t: { transaction_type: string; points: string }) => [t.transaction_type, t.points])).toEqual([['POINTS_ADJUSTMENT', '30'], ['REDEEM', '-12']]);

    const other = await ok(rpc(c, 'CreateCustomer', { name: 'Dewi (duplicate)', email: 'dewi.dup@example.com' }, a.devHeaders));
    await ok(rpc(c, 'ChangeStoreCredit', { customer_id: other.customer.id, amount: '5000' }, a.devHeaders));
    const merged = await ok(rpc(c, 'MergeCustomers', { customer_id: id, source_id: other.customer.id }, a.devHeaders));
    expect(merged.customer).toMatchObject({ points_balance: '18', store_credit_balance: { amount: '5000' } });
  });

  it('answers another tenant NOT_FOUND for a customer, whatever the RPC, and changes nothing', async () => {
    const c = s.client('CustomerService');
    const mine = await ok(rpc(c, 'CreateCustomer', { name: 'Private' }, a.devHeaders));
    await ok(rpc(c, 'AdjustPoints', { customer_id: mine.customer.id, points: '10' }, a.devHeaders));
    const theirs = await ok(rpc(c, 'CreateCustomer', { name: 'Intruder' }, b.devHeaders));
    const attacks: [string, Record<string, unknown>][] = [
      ['AdjustPoints', { customer_id: mine.customer.id, points: '-10' }],
      ['RedeemPoints', { customer_id: mine.customer.id, points: '10' }],
      ['EarnPoints', { customer_id: mine.customer.id, points: '10' }],
      ['ChangeStoreCredit', { customer_id: mine.customer.id, amount: '100' }],
      ['ListPointTransactions', { customer_id: mine.customer.id }],
      ['MergeCustomers', { customer_id: theirs.customer.id, source_id: mine.customer.id }],
      ['MergeCustomers', { customer_id: mine.customer.id, source_id: theirs.customer.id }],
    ];
    for (const [method, req] of attacks) {
      const r = await rpc(c, method, req, b.devHeaders);
      expect(r.ok || r.code, method).toBe(status.NOT_FOUND);
    }
    const after = await ok(rpc(c, 'GetCustomer', { id: mine.customer.id }, a.devHeaders));
    expect(after.customer).toMatchObject({ points_balance: '10', name: 'Private' });
    expect(after.customer.archived_at).toBeUndefined();
  });

  it('refuses a customer token: customers have no staff RPCs', async () => {
    const c = s.client('CustomerService');
    const mine = await ok(rpc(c, 'CreateCustomer', { name: 'Token holder' }, a.devHeaders));
    const token = await s.app.services.signingKeys.sign({ tenant_id: a.tenantId, customer_id: mine.customer.id }, mine.customer.id, 600);
    const r = await rpc(c, 'GetCustomer', { id: mine.customer.id }, { authorization: `Bearer ${token}` });
    expect(r.ok || r.code).toBe(status.PERMISSION_DENIED);
  });
});
