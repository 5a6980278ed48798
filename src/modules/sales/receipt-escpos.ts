import { cleanText, layoutReceipt } from './receipt-layout.js';
import type { Receipt } from './receipt.js';

/**
 * ESC/POS bytes for a thermal printer. Printers print bytes through their code page, so UTF-8 would come out
 * as garbage: text is transliterated to printable ASCII first (accents dropped, typographic punctuation
 * straightened, a few symbols spelled out, anything else "?"), then laid out, so widths are exact.
 */
const ESC = 0x1b;
const GS = 0x1d;
const LF = 0x0a;
export const ESCPOS = {
  init: [ESC, 0x40],
  codePage437: [ESC, 0x74, 0x00],
  alignLeft: [ESC, 0x61, 0x00],
  alignCenter: [ESC, 0x61, 0x01],
  boldOn: [ESC, 0x45, 0x01],
  boldOff: [ESC, 0x45, 0x00],
  tallOn: [GS, 0x21, 0x01],
  sizeNormal: [GS, 0x21, 0x00],
  feed: (n: number) => [ESC, 0x64, n],
  /** Feed to the cutter and cut partially (GS V 66 0). */
  cut: [GS, 0x56, 0x42, 0x00],
} as const;

const SPELLED: Record<string, string> = {
  '€': 'EUR', '£': 'GBP', '¥': 'JPY', '₩': 'KRW', '฿': 'THB', '₫': 'VND', '₱': 'PHP', '©': '(c)', '®': '(R)', '™': 'TM', '×': 'x', '÷': '/', '°': 'o', '…': '...', '•': '*', '·': '.',
  '‘': "'", '’': "'", '‚': ',', '‛': "'", '“': '"', '”': '"', '„': '"', '–': '-', '—': '-', '−': '-', '\u00a0': ' ',
  ß: 'ss', æ: 'ae', Æ: 'AE', ø: 'o', Ø: 'O', œ: 'oe', Œ: 'OE', đ: 'd', Đ: 'D', ł: 'l', Ł: 'L', þ: 'th', Þ: 'Th', ı: 'i',
};

/** Printable ASCII only: "Café – Müller’s" → "Cafe - Muller's"; what cannot be transliterated becomes "?". */
export function asciiText(s: string): string {
  let out = '';
  for (const ch of cleanText(s)) {
    const code = ch.codePointAt(0)!;
    if (code >= 0x20 && code < 0x7f) {
      out += ch;
      continue;
    }
    const spelled = SPELLED[ch];
    if (spelled !== undefined) {
      out += spelled;
      continue;
    }
    const bare = ch.normalize('NFKD').replace(/\p{M}/gu, '');
    if (bare === '') continue; // a lone combining mark: its letter was already printed
    out += /^[\x20-\x7e]+$/.test(bare) ? bare : '?';
  }
  return out;
}

const ascii = (s: string): number[] => Array.from(s, (c) => c.charCodeAt(0));

/** The receipt as ESC/POS commands for a `width`-column printer; ends with a feed and a cut. */
export function renderReceiptEscPos(r: Receipt, width: number): Uint8Array {
  const bytes: number[] = [...ESCPOS.init, ...ESCPOS.codePage437];
  for (const line of layoutReceipt(r, width, asciiText)) {
    bytes.push(...(line.align === 'center' ? ESCPOS.alignCenter : ESCPOS.alignLeft));
    if (line.bold) bytes.push(...ESCPOS.boldOn);
    if (line.tall) bytes.push(...ESCPOS.tallOn);
    bytes.push(...ascii(line.text.trimEnd()), LF);
    if (line.tall) bytes.push(...ESCPOS.sizeNormal);
    if (line.bold) bytes.push(...ESCPOS.boldOff);
  }
  bytes.push(...ESCPOS.alignLeft, ...ESCPOS.feed(4), ...ESCPOS.cut);
  return Uint8Array.from(bytes);
}
