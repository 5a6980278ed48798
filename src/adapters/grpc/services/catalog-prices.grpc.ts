import type { CreatePriceBookInput, ResolvePricesInput, SetBookPricesInput, SetPriceInput, UpdatePriceBookInput } from '../../../modules/catalog/index.js';
import * as v from '../../shared/views/pricing.views.js';
import type { Rpc } from '../rpc-kit.js';
import { idArg, pageArg, pageOut, pick, type RpcRequest } from '../wire.js';
import { optionalId, patchOf } from './catalog-args.grpc.js';

const BOOK_FIELDS = ['name', 'priority', 'currency', 'active', 'outlet_id', 'channel', 'customer_group_id', 'starts_at', 'ends_at', 'days_of_week', 'hours_start', 'hours_end'] as const;
const BOOK_CONDITIONS_CLEARED = {
  outlet_id: null,
  channel: null,
  customer_group_id: null,
  starts_at: null,
  ends_at: null,
  days_of_week: null,
  hours_start: null,
  hours_end: null,
} as const;

// proto3 sends no zero: an int64 amount left unset is 0 (as every proto3 client reads it), not a missing field.
const amountOf = (req: RpcRequest): unknown => req.amount ?? '0';

// The services validate these inputs (parseInput) exactly as for REST; the casts only hand them over.
const setPrice = (req: RpcRequest): SetPriceInput => ({ ...pick(req, ['variant_id', 'currency', 'outlet_id'] as const), amount: amountOf(req) }) as SetPriceInput;
const bookPrices = (req: RpcRequest): SetBookPricesInput =>
  ({
    ...(Array.isArray(req.set) ? { set: (req.set as RpcRequest[]).map((p) => ({ ...pick(p, ['variant_id'] as const), amount: amountOf(p) })) } : {}),
    ...pick(req, ['remove'] as const),
  }) as SetBookPricesInput;

/** pos.v1.CatalogService: SetPrice, price resolution and price books, over the same services as /api/v1/prices, /variants/{id}/price(s), /price-books. */
export const catalogPriceRpcs: Record<string, Rpc> = {
  SetPrice: { write: true, handle: async (req, ctx, { services }) => ({ price: v.presentPrice(await services.pricing.prices.setPrice(ctx, setPrice(req))) }) },
  GetVariantPrices: {
    handle: async (req, ctx, { services }) => {
      const variantId = idArg(req, 'variant_id');
      return v.presentVariantPrices(variantId, await services.pricing.prices.listVariantPrices(ctx, variantId));
    },
  },
  ResolvePrices: {
    handle: async (req, ctx, { services }) =>
      v.presentResolvedPrices(await services.pricing.prices.resolveMany(ctx, pick(req, ['variant_ids', 'outlet_id', 'channel', 'customer_group_id', 'at'] as const) as ResolvePricesInput)),
  },

  CreatePriceBook: {
    write: true,
    handle: async (req, ctx, { services }) => ({ price_book: v.presentPriceBook(await services.pricing.priceBooks.create(ctx, pick(req, BOOK_FIELDS) as CreatePriceBookInput)) }),
  },
  GetPriceBook: { handle: async (req, ctx, { services }) => ({ price_book: v.presentPriceBook(await services.pricing.priceBooks.get(ctx, idArg(req))) }) },
  ListPriceBooks: {
    handle: async (req, ctx, { services }) =>
      pageOut(
        'price_books',
        await services.pricing.priceBooks.list(ctx, {
          ...pageArg(req),
          active: req.active as boolean | undefined,
          include_archived: req.include_archived === true,
          outlet_id: optionalId(req, 'outlet_id'),
        }),
        v.presentPriceBook,
      ),
  },
  UpdatePriceBook: {
    write: true,
    handle: async (req, ctx, { services }) => ({
      price_book: v.presentPriceBook(await services.pricing.priceBooks.update(ctx, idArg(req), patchOf(req, BOOK_FIELDS, BOOK_CONDITIONS_CLEARED) as UpdatePriceBookInput)),
    }),
  },
  DeletePriceBook: { write: true, handle: async (req, ctx, { services }) => ({ price_book: v.presentPriceBook(await services.pricing.priceBooks.archive(ctx, idArg(req))) }) },
  ListPriceBookPrices: {
    handle: async (req, ctx, { services }) => pageOut('prices', await services.pricing.priceBooks.listPrices(ctx, idArg(req, 'price_book_id'), pageArg(req)), v.presentBookPrice),
  },
  SetPriceBookPrices: {
    write: true,
    handle: async (req, ctx, { services }) => v.presentBookPricesResult(await services.pricing.priceBooks.setPrices(ctx, idArg(req, 'price_book_id'), bookPrices(req))),
  },
};
