import { z } from 'zod';
import { requirePermission, withTransaction, type Ctx } from '../../platform/context.js';
import { uniqueViolation } from '../../platform/db-errors.js';
import { AppError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { readPage, toPage, type Page, type PageRequest } from '../../platform/pagination.js';
import { dropUndefined } from '../../platform/objects.js';
import { parseClock } from '../../platform/time.js';
import { codeField, nameField, parseInput, timeZoneField } from '../../platform/validation.js';
import { outletRepository, tenantRepository } from './tenant.repository.js';
import { TenancyErrors } from './tenancy.errors.js';
import { assertWithinLicense } from './license.js';
import type { Outlet } from './tenancy.schema.js';

const optionalText = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`).optional();

export const outletFields = {
  code: codeField(),
  name: nameField(),
  address_line1: optionalText(200),
  address_line2: optionalText(200),
  city: optionalText(100),
  region: optionalText(100),
  postal_code: optionalText(20),
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as ID').optional(),
  phone: optionalText(40),
  time_zone: timeZoneField().optional().describe('IANA time zone; defaults to the tenant’s'),
  business_day_cutoff: z
    .string()
    .refine((v) => parseClock(v) !== undefined, 'must be HH:MM, 00:00 to 23:59')
    .optional()
    .describe('Local time at which the business day rolls over, e.g. 04:00'),
  active: z.boolean().optional(),
};

export const createOutletInput = z.strictObject(outletFields);
export const updateOutletInput = z.strictObject({ ...outletFields, code: codeField().optional(), name: nameField().optional() });
export type CreateOutletInput = z.input<typeof createOutletInput>;
export type UpdateOutletInput = z.input<typeof updateOutletInput>;

const toRow = (i: z.output<typeof updateOutletInput>) => ({
  code: i.code,
  name: i.name,
  addressLine1: i.address_line1,
  addressLine2: i.address_line2,
  city: i.city,
  region: i.region,
  postalCode: i.postal_code,
  country: i.country,
  phone: i.phone,
  timeZone: i.time_zone,
  businessDayCutoffMinutes: i.business_day_cutoff === undefined ? undefined : parseClock(i.business_day_cutoff),
  active: i.active,
});

function rethrowUnique(e: unknown): never {
  if (uniqueViolation(e)) throw new AppError(TenancyErrors.OUTLET_CODE_TAKEN);
  throw e;
}

export class OutletService {
  async create(ctx: Ctx, input: CreateOutletInput): Promise<Outlet> {
    requirePermission(ctx, 'pos:settings:write');
    const i = parseInput(createOutletInput, input);
    return withTransaction(ctx, async (tx) => {
      const tenant = await tenantRepository.byId(tx.db, tx.tenantId);
      if (i.active !== false) await assertWithinLicense(tx, 'outlets');
      const row = toRow(i);
      return outletRepository
        .insert(tx, {
          ...dropUndefined(row),
          id: uuidv7(),
          code: i.code,
          name: i.name,
          timeZone: i.time_zone ?? tenant!.timeZone,
          businessDayCutoffMinutes: row.businessDayCutoffMinutes ?? 0,
          active: i.active ?? true,
        })
        .catch(rethrowUnique);
    });
  }

  async get(ctx: Ctx, id: string): Promise<Outlet> {
    requirePermission(ctx, 'pos:settings:read');
    const outlet = await withTransaction(ctx, (tx) => outletRepository.byId(tx, id));
    if (!outlet) throw new AppError(TenancyErrors.OUTLET_NOT_FOUND, { id });
    return outlet;
  }

  async list(ctx: Ctx, req: PageRequest & { active?: boolean | undefined }): Promise<Page<Outlet>> {
    requirePermission(ctx, 'pos:settings:read');
    const { limit, after } = readPage(req);
    const rows = await withTransaction(ctx, (tx) => outletRepository.list(tx, limit, after, req.active));
    return toPage(rows, limit);
  }

  async update(ctx: Ctx, id: string, input: UpdateOutletInput): Promise<Outlet> {
    requirePermission(ctx, 'pos:settings:write');
    const i = parseInput(updateOutletInput, input);
    const outlet = await withTransaction(ctx, async (tx) => {
      // Reactivating an outlet takes a place on the plan like creating one (the count is of active outlets).
      if (i.active === true) {
        const cur = await outletRepository.byId(tx, id);
        if (cur && !cur.active) await assertWithinLicense(tx, 'outlets');
      }
      return outletRepository.update(tx, id, dropUndefined(toRow(i))).catch(rethrowUnique);
    });
    if (!outlet) throw new AppError(TenancyErrors.OUTLET_NOT_FOUND, { id });
    return outlet;
  }
}
