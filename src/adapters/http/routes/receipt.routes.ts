import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { App } from '../../../app.js';
import { receiptQuery, type ReceiptDocument, type SalesServices } from '../../../modules/sales/index.js';
import type { Ctx } from '../../../platform/context.js';
import { toJson } from '../json.js';
import { tenantRawGet } from '../raw-route.js';
import type { RouteKit } from '../route-kit.js';

const tags = ['Sales'];
const params = z.object({ id: z.string() });
const FORMATS =
  'format=json (the structured receipt), text (plain text for a 32- or 48-column printer, width=32|48), html (a printable page) or escpos (ESC/POS bytes, width=32|48). ' +
  'Every fetch after the first is marked COPY (json: copy=true, print_number); copy=true marks this one too. Only COMPLETED orders (and VOIDED ones, marked VOID) have receipts: otherwise 409 RECEIPT_NOT_AVAILABLE.';

/** Receipts of sales and refunds in four formats (issue 4): non-JSON bodies, so raw routes with their own content type. */
export function receiptRoutes(r: RouteKit, app: Pick<App, 'gate' | 'database'>, { sales }: Pick<SalesServices, 'sales'>): void {
  const send = async (kind: ReceiptDocument, id: string, query: unknown, reply: FastifyReply, ctx: Ctx) => {
    const out = await sales.receipt(ctx, kind, id, (query ?? {}) as Record<string, string>);
    reply.header('content-type', out.contentType).header('cache-control', 'no-store');
    if (out.receipt.receipt_number) reply.header('x-receipt-number', out.receipt.receipt_number);
    if (out.body === null) return reply.send(toJson(out.receipt));
    return reply.send(typeof out.body === 'string' ? out.body : Buffer.from(out.body));
  };
  tenantRawGet(r, app, '/api/v1/orders/:id/receipt', { summary: 'The receipt of a completed (or voided) order (pos:sale:read)', description: FORMATS, tags, params, querystring: receiptQuery }, (req, reply, ctx) =>
    send('order', (req.params as { id: string }).id, req.query, reply, ctx),
  );
  tenantRawGet(r, app, '/api/v1/refunds/:id/receipt', { summary: 'The receipt of a refund, in its own number series (pos:refund:read)', description: FORMATS, tags, params, querystring: receiptQuery }, (req, reply, ctx) =>
    send('refund', (req.params as { id: string }).id, req.query, reply, ctx),
  );
}
