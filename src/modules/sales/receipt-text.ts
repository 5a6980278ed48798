import { cleanText, layoutReceipt } from './receipt-layout.js';
import type { Receipt } from './receipt.js';

/** Plain text for a `width`-column printer (32 or 48): centred lines padded on the left, "\n" line ends. */
export function renderReceiptText(r: Receipt, width: number): string {
  return (
    layoutReceipt(r, width, cleanText)
      .map((l) => (l.align === 'center' ? ' '.repeat(Math.floor((width - [...l.text].length) / 2)) + l.text : l.text).trimEnd())
      .join('\n') + '\n'
  );
}
