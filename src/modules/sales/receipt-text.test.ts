import { describe, expect, it } from 'vitest';
import { buildSaleReceipt } from './receipt.js';
import { party, saleGraph } from './receipt.fixtures.js';
import { renderReceiptText } from './receipt-text.js';

describe('plain-text receipts', () => {
  it('prints a completed sale at 32 columns', () => {
    expect(renderReceiptText(buildSaleReceipt(saleGraph(), party()), 32)).toMatchSnapshot();
  });
  it('prints a completed sale at 48 columns', () => {
    expect(renderReceiptText(buildSaleReceipt(saleGraph(), party()), 48)).toMatchSnapshot();
  });
});
