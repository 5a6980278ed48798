import { join } from 'node:path';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { POS_PROTO_FILES, PROTO_DIR } from '../../src/adapters/grpc/protos.js';
import { salesRpcs } from '../../src/adapters/grpc/services/sales.grpc.js';
import * as v from '../../src/adapters/shared/views/sales.views.js';

const root = new protobuf.Root();
root.resolvePath = (_origin, target) => join(PROTO_DIR, target);
root.loadSync(POS_PROTO_FILES, { keepCase: true }).resolveAll();
const type = (message: string) => root.lookupType(`pos.v1.${message}`);
const fields = (message: string) => Object.keys(type(message).fields).sort();

/** Each proto message beside the REST view it carries. */
const orderShape = v.orderView.shape;
const PAIRS: [string, z.ZodObject][] = [
  ['Order', v.orderView],
  ['OrderItem', v.orderItemView],
  ['OrderItemModifier', v.orderItemView.shape.modifiers.element],
  ['OrderLineTax', v.orderItemView.shape.taxes.element],
  ['OrderTax', orderShape.taxes.element],
  ['Discount', orderShape.discount.unwrap()],
  ['Payment', v.paymentView],
  ['Refund', v.refundView],
  ['RefundLine', v.refundView.shape.lines.element],
  ['RefundTender', v.refundView.shape.tenders.element],
  ['OrderCalculation', v.calculationView],
  ['CalculatedLine', v.calculationView.shape.lines.element],
  ['AddPaymentResponse', v.paymentResultView],
  ['RefundOrderResponse', v.refundResultView],
];

/** Numbers that are not money: counts and rates (int32) and quantities (double, up to three decimals). */
const NOT_MONEY: Record<string, string> = { version: 'int32', line_no: 'int32', rate_bp: 'int32', seat: 'int32', quantity: 'double', refunded_quantity: 'double' };

const unwrap = (s: z.ZodType): z.ZodType => (s instanceof z.ZodNullable || s instanceof z.ZodOptional ? unwrap(s.unwrap() as z.ZodType) : s);

describe('pos.v1.SalesService contract', () => {
  it('implements every RPC it declares', () => {
    const declared = Object.keys(root.lookupService('pos.v1.SalesService').methods).sort();
    expect(Object.keys(salesRpcs).sort()).toEqual(declared);
  });

  it('runs every state-changing RPC through idempotency (write), and only those', () => {
    const reads = Object.entries(salesRpcs).filter(([, r]) => !r.write).map(([m]) => m);
    expect(reads.sort()).toEqual(['CalculateOrder', 'GetOrder', 'GetReceipt', 'ListOrders']);
    for (const m of Object.keys(salesRpcs).filter((x) => !reads.includes(x))) expect(type(`${m}Request`).fields.idempotency_key?.type, m).toBe('string');
  });

  it('sends the same fields as the REST presenters', () => {
    for (const [message, view] of PAIRS) expect(fields(message), message).toEqual(Object.keys(view.shape).sort());
  });

  it('carries every amount of money as int64 minor units, counts as int32, quantities as numbers', () => {
    for (const [message, view] of PAIRS) {
      for (const [name, schema] of Object.entries(view.shape as Record<string, z.ZodType>)) {
        if (!(unwrap(schema) instanceof z.ZodNumber)) continue;
        const expected = message === 'OrderItemModifier' && name === 'quantity' ? 'int32' : (NOT_MONEY[name] ?? 'int64');
        expect(type(message).fields[name]!.type, `${message}.${name}`).toBe(expected);
      }
    }
    for (const [message, field] of [
      ['AddPaymentRequest', 'amount'],
      ['AddPaymentRequest', 'tendered'],
      ['NewTender', 'amount'],
      ['Discount', 'amount'],
      ['RefundOrderRequest', 'amount'],
      ['RefundTenderRequest', 'amount'],
      ['CreateOrderRequest', 'tip'],
      ['CheckoutRequest', 'tip'],
    ] as const) {
      expect(type(message).fields[field]!.type, `${message}.${field}`).toBe('int64');
    }
  });

  it('takes the seed’s request fields by their names, as plain (not optional) fields', () => {
    const seed: Record<string, string[]> = {
      AddOrderItemRequest: ['order_id', 'product_id', 'variant_id', 'quantity'],
      FinalizeOrderRequest: ['order_id'],
      AddPaymentRequest: ['order_id', 'payment_type', 'amount'],
      CompleteOrderRequest: ['order_id'],
    };
    for (const [message, names] of Object.entries(seed)) {
      for (const n of names) expect(type(message).fields[n]?.partOf, `${message}.${n}`).toBeNull();
    }
    expect(type('CreateOrderRequest').fieldsArray.filter((f) => f.required)).toEqual([]);
  });

  it('takes the same order fields for CreateOrder, CalculateOrder and Checkout', () => {
    const create = fields('CreateOrderRequest').filter((f) => f !== 'idempotency_key');
    expect(fields('CalculateOrderRequest')).toEqual(create);
    expect(fields('CheckoutRequest')).toEqual([...create, 'idempotency_key', 'tenders'].sort());
    for (const f of create) expect(type('CheckoutRequest').fields[f]!.id, f).toBe(type('CreateOrderRequest').fields[f]!.id);
  });

  it('names tenders as the sales module does', () => {
    expect(Object.keys(root.lookupEnum('pos.v1.PaymentType').values).slice(1)).toEqual(['CASH', 'CARD', 'EXTERNAL', 'STORE_CREDIT', 'LOYALTY_POINTS']);
    expect(Object.keys(root.lookupEnum('pos.v1.PaymentStatus').values).slice(1)).toEqual(['UNPAID', 'PARTIALLY_PAID', 'PAID', 'PARTIALLY_REFUNDED', 'REFUNDED']);
    expect(Object.keys(root.lookupEnum('pos.v1.Payment.Status').values).slice(1)).toEqual([...v.paymentView.shape.status.options]);
  });
});
