import { z } from 'zod';
import { requirePermission, withTransaction, type Ctx, type TxCtx } from '../../platform/context.js';
import type { Database } from '../../platform/db.js';
import { uniqueViolation } from '../../platform/db-errors.js';
import { AppError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { dropUndefined } from '../../platform/objects.js';
import { readPage, toPage, type Page, type PageRequest } from '../../platform/pagination.js';
import { currencyField, nameField, parseInput, timeZoneField, uuidField } from '../../platform/validation.js';
import { tenantRepository } from './tenant.repository.js';
import { TenancyErrors } from './tenancy.errors.js';
import { BUSINESS_TYPES, POS_MODES, type Tenant } from './tenancy.schema.js';

const settingsFields = {
  name: nameField(),
  business_type: z.enum(BUSINESS_TYPES),
  pos_mode: z.enum(POS_MODES),
  currency: currencyField(),
  time_zone: timeZoneField(),
  tax_rounding_mode: z.enum(['half_up', 'half_even']),
  tax_rounding_level: z.enum(['line', 'order']),
  prices_include_tax: z.boolean(),
  cash_rounding_unit: z.number().int().min(0).max(1_000_000).describe('Cash totals round to a multiple of this many minor units; 0 = no cash rounding'),
  receipt_header: z.string().max(500, 'must be at most 500 characters').nullable().describe('Printed at the top of every receipt (lines split on \\n); null removes it'),
  receipt_footer: z.string().max(500, 'must be at most 500 characters').nullable().describe('Printed at the bottom of every receipt (lines split on \\n); null removes it'),
};

export const createTenantInput = z.strictObject({
  id: uuidField().optional().describe('Client-chosen id; generated when omitted'),
  slug: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'lowercase letters, digits and dashes, 1-63 characters'),
  ...settingsFields,
  business_type: settingsFields.business_type.default('fnb'),
  pos_mode: settingsFields.pos_mode.default('centralized'),
  currency: settingsFields.currency.default('IDR'),
  time_zone: settingsFields.time_zone.default('Asia/Jakarta'),
  tax_rounding_mode: settingsFields.tax_rounding_mode.default('half_up'),
  tax_rounding_level: settingsFields.tax_rounding_level.default('line'),
  prices_include_tax: settingsFields.prices_include_tax.default(false),
  cash_rounding_unit: settingsFields.cash_rounding_unit.default(0),
  receipt_header: settingsFields.receipt_header.optional(),
  receipt_footer: settingsFields.receipt_footer.optional(),
});
export const updateTenantSettingsInput = z.strictObject(
  Object.fromEntries(Object.entries(settingsFields).map(([k, v]) => [k, v.optional()])) as {
    [K in keyof typeof settingsFields]: z.ZodOptional<(typeof settingsFields)[K]>;
  },
);
export type CreateTenantInput = z.input<typeof createTenantInput>;
export type UpdateTenantSettingsInput = z.input<typeof updateTenantSettingsInput>;

const settingsRow = (i: Partial<z.output<typeof createTenantInput>>) =>
  dropUndefined({
    name: i.name,
    businessType: i.business_type,
    posMode: i.pos_mode,
    currency: i.currency,
    timeZone: i.time_zone,
    taxRoundingMode: i.tax_rounding_mode,
    taxRoundingLevel: i.tax_rounding_level,
    pricesIncludeTax: i.prices_include_tax,
    cashRoundingUnit: i.cash_rounding_unit === undefined ? undefined : BigInt(i.cash_rounding_unit),
    receiptHeader: i.receipt_header,
    receiptFooter: i.receipt_footer,
  });

/** Listeners told when a tenant's status changes, so credential caches drop it at once. */
type TenantChanged = (tenantId: string) => void;

export class TenantService {
  private readonly listeners: TenantChanged[] = [];

  constructor(private readonly database: Database) {}

  onChange(listener: TenantChanged): void {
    this.listeners.push(listener);
  }

  /** Inserts the tenant row inside the new tenant's own transaction (the caller adds roles, outlet, owner). */
  async insert(tx: TxCtx, input: CreateTenantInput): Promise<Tenant> {
    const i = parseInput(createTenantInput, input);
    return tenantRepository
      .insert(tx.db, {
        ...(settingsRow(i) as Required<ReturnType<typeof settingsRow>>),
        id: tx.tenantId,
        slug: i.slug,
        status: 'active',
      })
      .catch((e) => {
        const constraint = uniqueViolation(e);
        if (constraint?.includes('slug')) throw new AppError(TenancyErrors.TENANT_SLUG_TAKEN, { slug: i.slug });
        if (constraint) throw new AppError(TenancyErrors.TENANT_ALREADY_EXISTS, { id: tx.tenantId });
        throw e;
      });
  }

  /** Platform operator: every tenant, in creation order. */
  async list(req: PageRequest & { status?: Tenant['status'] | undefined }): Promise<Page<Tenant>> {
    const { limit, after } = readPage(req);
    const rows = await this.database.transaction(null, (db) => tenantRepository.list(db, limit, after, req.status));
    return toPage(rows, limit);
  }

  /** Platform operator: one tenant by id. */
  async byId(id: string): Promise<Tenant> {
    const t = await this.database.transaction(null, (db) => tenantRepository.byId(db, id));
    if (!t) throw new AppError(TenancyErrors.TENANT_NOT_FOUND, { id });
    return t;
  }

  /** Platform operator: suspend (every credential of the tenant is refused at once) or reactivate. */
  async setStatus(id: string, status: Tenant['status'], reason?: string): Promise<Tenant> {
    const t = await this.database.transaction(null, (db) =>
      tenantRepository.update(db, id, { status, suspendedReason: status === 'suspended' ? (reason ?? null) : null }),
    );
    if (!t) throw new AppError(TenancyErrors.TENANT_NOT_FOUND, { id });
    for (const l of this.listeners) l(id);
    return t;
  }

  /** The caller's own tenant. */
  async current(ctx: Ctx): Promise<Tenant> {
    const t = await withTransaction(ctx, (tx) => tenantRepository.byId(tx.db, tx.tenantId));
    if (!t) throw new AppError(TenancyErrors.TENANT_NOT_FOUND, { id: ctx.tenantId });
    return t;
  }

  async updateSettings(ctx: Ctx, input: UpdateTenantSettingsInput): Promise<Tenant> {
    requirePermission(ctx, 'pos:settings:write');
    const i = parseInput(updateTenantSettingsInput, input);
    const t = await withTransaction(ctx, (tx) => tenantRepository.update(tx.db, tx.tenantId, settingsRow(i)));
    if (!t) throw new AppError(TenancyErrors.TENANT_NOT_FOUND, { id: ctx.tenantId });
    for (const l of this.listeners) l(ctx.tenantId);
    return t;
  }

  newTenantId(input: { id?: string | undefined }): string {
    return input.id?.toLowerCase() ?? uuidv7();
  }
}
