import { currencyExponent } from '../../platform/money.js';

/**
 * Money as a receipt prints it, from integer minor units and the ISO 4217 exponent (no floats):
 * IDR 2500000 → "Rp 25.000" (dot thousands, comma decimals, a zero fraction left off as rupiah receipts do),
 * USD 1250 → "$12.50", anything else "EUR 12.50". Negative amounts lead with "-".
 */
export function formatMoney(amount: bigint, currency: string): string {
  const exp = currencyExponent(currency);
  const neg = amount < 0n;
  const abs = neg ? -amount : amount;
  const unit = 10n ** BigInt(exp);
  const whole = abs / unit;
  const frac = exp === 0 ? '' : (abs % unit).toString().padStart(exp, '0');
  const sign = neg ? '-' : '';
  if (currency === 'IDR') {
    const f = /^0*$/.test(frac) ? '' : `,${frac}`;
    return `${sign}Rp ${group(whole, '.')}${f}`;
  }
  const num = `${group(whole, ',')}${frac ? `.${frac}` : ''}`;
  if (currency === 'USD') return `${sign}$${num}`;
  return `${sign}${currency} ${num}`;
}

const group = (n: bigint, sep: string): string => n.toString().replace(/\B(?=(\d{3})+(?!\d))/g, sep);

/** A tax rate in basis points as a percentage label: 1100 → "11%", 1250 → "12.5%", 5 → "0.05%". */
export function formatRateBp(bp: number): string {
  const whole = Math.floor(bp / 100);
  const frac = String(bp % 100).padStart(2, '0').replace(/0+$/, '');
  return frac ? `${whole}.${frac}%` : `${whole}%`;
}
