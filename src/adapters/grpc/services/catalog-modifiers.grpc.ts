import type { CreateModifierGroupInput, CreateModifierInput, UpdateModifierGroupInput, UpdateModifierInput } from '../../../modules/catalog/index.js';
import * as v from '../../shared/views/pricing.views.js';
import type { Rpc } from '../rpc-kit.js';
import { idArg, pageArg, pageOut, pick, type RpcRequest } from '../wire.js';
import { patchOf } from './catalog-args.grpc.js';

const GROUP_FIELDS = ['name', 'min_select', 'max_select', 'required', 'allow_quantities', 'active'] as const;
const MODIFIER_FIELDS = ['name', 'price_delta', 'linked_variant_id', 'max_quantity', 'sort_order', 'active'] as const;

// The services validate these inputs (parseInput) exactly as for REST; the casts only hand them over.
const newGroup = (req: RpcRequest): CreateModifierGroupInput =>
  ({
    ...pick(req, GROUP_FIELDS),
    ...(Array.isArray(req.modifiers) ? { modifiers: (req.modifiers as RpcRequest[]).map((m) => pick(m, MODIFIER_FIELDS)) } : {}),
  }) as CreateModifierGroupInput;

/** pos.v1.CatalogService: modifier groups, their modifiers and their order on products, as /api/v1/modifier-groups, /modifiers, /products/{id}/modifier-groups. */
export const catalogModifierRpcs: Record<string, Rpc> = {
  CreateModifierGroup: { write: true, handle: async (req, ctx, { services }) => ({ modifier_group: v.presentModifierGroup(await services.pricing.modifiers.createGroup(ctx, newGroup(req))) }) },
  GetModifierGroup: { handle: async (req, ctx, { services }) => ({ modifier_group: v.presentModifierGroup(await services.pricing.modifiers.getGroup(ctx, idArg(req))) }) },
  ListModifierGroups: {
    handle: async (req, ctx, { services }) =>
      pageOut('modifier_groups', await services.pricing.modifiers.listGroups(ctx, { ...pageArg(req), include_archived: req.include_archived === true }), v.presentModifierGroup),
  },
  UpdateModifierGroup: {
    write: true,
    handle: async (req, ctx, { services }) => ({
      modifier_group: v.presentModifierGroup(await services.pricing.modifiers.updateGroup(ctx, idArg(req), patchOf(req, GROUP_FIELDS, { max_select: null }) as UpdateModifierGroupInput)),
    }),
  },
  DeleteModifierGroup: { write: true, handle: async (req, ctx, { services }) => ({ modifier_group: v.presentModifierGroup(await services.pricing.modifiers.archiveGroup(ctx, idArg(req))) }) },

  AddModifier: {
    write: true,
    handle: async (req, ctx, { services }) => ({
      modifier: v.presentModifier(await services.pricing.modifiers.addModifier(ctx, idArg(req, 'modifier_group_id'), pick(req, MODIFIER_FIELDS) as CreateModifierInput)),
    }),
  },
  GetModifier: { handle: async (req, ctx, { services }) => ({ modifier: v.presentModifier(await services.pricing.modifiers.getModifier(ctx, idArg(req))) }) },
  UpdateModifier: {
    write: true,
    handle: async (req, ctx, { services }) => ({
      modifier: v.presentModifier(
        await services.pricing.modifiers.updateModifier(ctx, idArg(req), patchOf(req, MODIFIER_FIELDS, { linked_variant_id: null, max_quantity: null }) as UpdateModifierInput),
      ),
    }),
  },
  DeleteModifier: { write: true, handle: async (req, ctx, { services }) => ({ modifier: v.presentModifier(await services.pricing.modifiers.archiveModifier(ctx, idArg(req))) }) },

  GetProductModifierGroups: {
    handle: async (req, ctx, { services }) => {
      const productId = idArg(req, 'product_id');
      return v.presentProductModifierGroups(productId, await services.pricing.modifiers.productGroups(ctx, productId));
    },
  },
  SetProductModifierGroups: {
    write: true,
    handle: async (req, ctx, { services }) => {
      const productId = idArg(req, 'product_id');
      // An empty list is not on the wire: absent means "no groups", as the RPC replaces the whole list.
      const ids = Array.isArray(req.modifier_group_ids) ? req.modifier_group_ids : [];
      return v.presentProductModifierGroups(productId, await services.pricing.modifiers.setProductGroups(ctx, productId, { modifier_group_ids: ids as string[] }));
    },
  },
};
