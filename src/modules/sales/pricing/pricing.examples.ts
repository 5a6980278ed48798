/**
 * The worked examples of docs/pricing.md, in IDR (exponent 2: amounts are sen, Rp 1 = 100). The doc's tables
 * are rendered from these by renderExample and a test compares them, so the doc cannot drift from the code.
 */
import type { AppliedDiscount, PricedOrder, PricingInput, TaxRate } from './pricing.types.js';
import { priceOrder } from './price-order.js';

const rate = (id: string, name: string, rateBp: number, more: Partial<TaxRate> = {}): TaxRate => ({
  id,
  name,
  rateBp,
  inclusive: false,
  compound: false,
  sequence: 0,
  ...more,
});
export const PPN = rate('ppn', 'PPN 11%', 1100);
export const PPN_INCLUSIVE = rate('ppn', 'PPN 11% incl.', 1100, { inclusive: true });
export const PB1 = rate('pb1', 'PB1 10%', 1000);
export const LEVY = rate('levy', 'Levy 2% (compound)', 200, { compound: true, sequence: 1 });

const pcs = (n: bigint) => ({ units: n, scale: 0 });
const kg = (grams: bigint) => ({ units: grams, scale: 3 });
const rp = (rupiah: bigint): bigint => rupiah * 100n;

const groceries = (tax: TaxRate): PricingInput['lines'] => [
  { key: '1-beras-5kg', unitPrice: rp(72_500n), quantity: pcs(2n), taxes: [tax] },
  { key: '2-minyak-1l', unitPrice: rp(18_900n), quantity: pcs(1n), taxes: [tax] },
  { key: '3-gula', unitPrice: rp(16_990n), quantity: kg(1_250n), taxes: [tax] },
];

const weighed = (mode: 'half_up' | 'half_even', level: 'line' | 'order'): PricingInput => ({
  currency: 'IDR',
  taxRounding: { mode, level },
  // Rp 18.018 per kg × 0.250 kg = Rp 4.504,50; PPN 11 % of it is Rp 495,495 — a half sen on every line.
  lines: ['a', 'b', 'c'].map((k) => ({ key: `cheese-${k}`, unitPrice: rp(18_018n), quantity: kg(250n), taxes: [PPN] })),
});

export const EXAMPLES: Record<string, { title: string; input: PricingInput }> = {
  'ppn-exclusive': {
    title: 'Retail, PPN 11 % added on top (line level, half-up)',
    input: { currency: 'IDR', taxRounding: { mode: 'half_up', level: 'line' }, lines: groceries(PPN) },
  },
  'ppn-inclusive': {
    title: 'Retail, the same prices with PPN 11 % inside them',
    input: { currency: 'IDR', taxRounding: { mode: 'half_up', level: 'line' }, lines: groceries(PPN_INCLUSIVE) },
  },
  'restaurant-pb1-service': {
    title: 'Restaurant: 5 % service charge before tax, taxable; PB1 10 % on food and service; cash to Rp 100',
    input: {
      currency: 'IDR',
      taxRounding: { mode: 'half_up', level: 'order' },
      lines: [
        { key: '1-nasi-goreng', unitPrice: rp(35_000n), quantity: pcs(2n), taxes: [PB1] },
        { key: '2-es-teh', unitPrice: rp(8_000n), quantity: pcs(3n), taxes: [PB1] },
        { key: '3-sate-ayam', unitPrice: rp(42_500n), quantity: pcs(1n), modifiers: [{ name: 'extra lontong', priceDelta: rp(4_000n) }], taxes: [PB1] },
      ],
      serviceCharges: [{ id: 'svc', name: 'Service 5%', kind: 'percentage', rateBp: 500, stage: 'before_tax', taxable: true, taxes: [PB1] }],
      cashRounding: { unit: rp(100n), mode: 'half_up' },
    },
  },
  compound: {
    title: 'A compound levy: 2 % on the price plus PB1',
    input: {
      currency: 'IDR',
      taxRounding: { mode: 'half_up', level: 'line' },
      lines: [{ key: '1-set-menu', unitPrice: rp(100_000n), quantity: pcs(1n), taxes: [PB1, LEVY] }],
    },
  },
  'discounts-capped': {
    title: 'A capped fixed line discount, then Rp 10.000 off the order allocated by largest remainder',
    input: {
      currency: 'IDR',
      taxRounding: { mode: 'half_up', level: 'line' },
      lines: [
        { key: '1-kopi', unitPrice: rp(22_000n), quantity: pcs(1n), taxes: [PPN_INCLUSIVE] },
        { key: '2-roti', unitPrice: rp(15_000n), quantity: pcs(1n), discounts: [{ kind: 'fixed', amount: rp(20_000n), name: 'voucher' }], taxes: [PPN_INCLUSIVE] },
        { key: '3-kue', unitPrice: rp(12_500n), quantity: pcs(3n), taxes: [PPN_INCLUSIVE] },
      ],
      orderDiscounts: [{ kind: 'fixed', amount: rp(10_000n), name: 'member' }],
    },
  },
  'weighed-line-half-up': { title: 'Three half-sen taxes, line level, half-up', input: weighed('half_up', 'line') },
  'weighed-order-half-up': { title: 'The same, order level, half-up', input: weighed('half_up', 'order') },
  'weighed-order-half-even': { title: 'The same, order level, half-even', input: weighed('half_even', 'order') },
};

const describe = (d: AppliedDiscount): string => (d.capped ? ` (${d.requested} requested, capped)` : '');

/** The two markdown tables docs/pricing.md shows for an example: its lines, then the order's figures. */
export function renderExample(priced: PricedOrder): string {
  const rates = priced.taxes.map((t) => t.id);
  const names = priced.taxes.map((t) => t.name);
  const head = ['line', 'gross', 'line discount', 'order discount', 'net', ...names, 'tax base', 'line total'];
  const rows = priced.lines.map((l) => [
    l.key,
    l.gross,
    l.lineDiscountTotal,
    l.orderDiscountShare,
    l.net,
    ...rates.map((id) => l.taxes.find((t) => t.id === id)?.amount ?? '—'),
    l.taxBase,
    l.total,
  ]);
  const figures: [string, bigint][] = [
    ['subtotal', priced.subtotal],
    ...priced.lines.flatMap((l) =>
      l.lineDiscounts.map((d): [string, bigint] => [`line discount ${d.name ?? d.kind} on ${l.key}${describe(d)}`, d.amount]),
    ),
    ...priced.orderDiscounts.map((d): [string, bigint] => [`order discount ${d.name ?? d.kind}${describe(d)}`, d.amount]),
    ['discounts', priced.discountTotal],
    ['net', priced.netTotal],
    ...priced.serviceCharges.flatMap((c): [string, bigint][] => [
      [`${c.name} (on ${c.base})`, c.amount],
      ...c.taxes.map((t): [string, bigint] => [`${t.name} on ${c.name}`, t.amount]),
    ]),
    ...priced.taxes.map((t): [string, bigint] => [`${t.name}${t.inclusive ? ' (included)' : ''}, all lines and charges`, t.amount]),
    ['tip', priced.tip],
    ['total before rounding', priced.totalBeforeRounding],
    ...(priced.rounding ? [['cash rounding', priced.rounding.amount] as [string, bigint]] : []),
    ['total', priced.total],
  ];
  const table = (h: string[], body: (string | bigint)[][]) =>
    [`| ${h.join(' | ')} |`, `|${h.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...body.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  return `${table(head, rows)}\n\n${table(['order', 'amount'], figures)}`;
}

export const renderNamedExample = (name: string): string => renderExample(priceOrder(EXAMPLES[name]!.input));
