import { renderReceiptEscPos } from './receipt-escpos.js';
import { renderReceiptHtml } from './receipt-html.js';
import { renderReceiptText } from './receipt-text.js';
import type { Receipt } from './receipt.js';

export const RECEIPT_FORMATS = ['json', 'text', 'html', 'escpos'] as const;
export type ReceiptFormat = (typeof RECEIPT_FORMATS)[number];

/** A receipt with its rendering in the asked format; JSON has no body (the adapters serialize `receipt`). */
export interface RenderedReceipt {
  receipt: Receipt;
  format: ReceiptFormat;
  contentType: string;
  body: string | Uint8Array | null;
}

export function renderReceipt(receipt: Receipt, format: ReceiptFormat, width: number): RenderedReceipt {
  switch (format) {
    case 'json':
      return { receipt, format, contentType: 'application/json; charset=utf-8', body: null };
    case 'text':
      return { receipt, format, contentType: 'text/plain; charset=utf-8', body: renderReceiptText(receipt, width) };
    case 'html':
      return { receipt, format, contentType: 'text/html; charset=utf-8', body: renderReceiptHtml(receipt) };
    case 'escpos':
      return { receipt, format, contentType: 'application/octet-stream', body: renderReceiptEscPos(receipt, width) };
  }
}
