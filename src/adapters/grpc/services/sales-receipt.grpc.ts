import type { ReceiptFormat } from '../../../modules/sales/index.js';
import { validationError } from '../../../platform/errors.js';
import { toJson } from '../../http/json.js';
import type { Rpc } from '../rpc-kit.js';
import { idArg, type RpcRequest } from '../wire.js';

const FORMATS: Readonly<Record<string, ReceiptFormat>> = { FORMAT_UNSPECIFIED: 'json', JSON: 'json', TEXT: 'text', HTML: 'html', ESC_POS: 'escpos' };

/** Which receipt: a refund's when refund_id is set, otherwise the order's. */
const documentArg = (req: RpcRequest) => (req.refund_id ? { kind: 'refund' as const, id: idArg(req, 'refund_id') } : { kind: 'order' as const, id: idArg(req, 'order_id') });

/**
 * pos.v1.SalesService/GetReceipt, as GET /api/v1/orders/{id}/receipt and /refunds/{id}/receipt: the structured
 * receipt as JSON always, and the rendering by format (text for JSON, TEXT and HTML; bytes for ESC_POS).
 * Not a write for idempotency (a fetch is not replayed), but it counts the print, so it runs read-write.
 */
export const salesReceiptRpcs: Record<string, Rpc> = {
  GetReceipt: {
    handle: async (req, ctx, { services }) => {
      const doc = documentArg(req);
      const format = FORMATS[String(req.format ?? 'FORMAT_UNSPECIFIED')];
      if (!format) throw validationError([{ field: 'format', message: 'must be JSON, TEXT, HTML or ESC_POS' }]);
      const width = req.width === undefined || req.width === 0 ? 32 : Number(req.width);
      const out = await services.sales.receipt({ ...ctx, readOnly: false }, doc.kind, doc.id, { format, width, copy: req.copy === true ? 'true' : 'auto' });
      const json = toJson(out.receipt);
      return {
        receipt_number: out.receipt.receipt_number ?? '',
        content_type: out.contentType,
        text: out.body === null ? json : typeof out.body === 'string' ? out.body : '',
        data: out.body instanceof Uint8Array ? Buffer.from(out.body) : Buffer.alloc(0),
        copy: out.receipt.copy,
        print_number: out.receipt.print_number,
        receipt_json: json,
      };
    },
  },
};
