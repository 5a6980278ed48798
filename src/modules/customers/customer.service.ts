import { requirePermission, withTransaction, type Ctx, type TxCtx } from '../../platform/context.js';
import { uniqueViolation } from '../../platform/db-errors.js';
import { AppError } from '../../platform/errors.js';
import { uuidv7 } from '../../platform/ids.js';
import { recordEvent } from '../../platform/outbox.js';
import { readPage, toPage, type Page, type PageRequest } from '../../platform/pagination.js';
import { parseInput } from '../../platform/validation.js';
import { customerGroupInput, createCustomerInput, listCustomersQuery, mergeCustomersInput, updateCustomerGroupInput, updateCustomerInput, type CreateCustomerInput, type ListCustomersQuery, type UpdateCustomerInput } from './customer.inputs.js';
import type { Customer, CustomerGroup } from './customer.model.js';
import { customerRepository, type CustomerRow } from './customer.repository.js';
import { CustomerErrors } from './customers.errors.js';
import { normalizePhone } from './phone.js';
import { settingsRepository } from './settings.repository.js';

/** A unique violation of the e-mail or phone index, as the error naming the field; anything else rethrown. */
function rethrowTaken(e: unknown): never {
  const c = uniqueViolation(e);
  if (c?.includes('email')) throw new AppError(CustomerErrors.CUSTOMER_EMAIL_TAKEN, { field: 'email' });
  if (c?.includes('phone')) throw new AppError(CustomerErrors.CUSTOMER_PHONE_TAKEN, { field: 'phone' });
  if (c?.includes('customer_groups')) throw new AppError(CustomerErrors.CUSTOMER_GROUP_NAME_TAKEN, { field: 'name' });
  throw e;
}

async function phoneOf(tx: TxCtx, phone: string | null | undefined): Promise<string | null | undefined> {
  if (phone === undefined || phone === null) return phone;
  if (phone === '') return null;
  const n = normalizePhone(phone, (await settingsRepository.get(tx)).phoneCountry);
  if (!n) throw new AppError(CustomerErrors.CUSTOMER_PHONE_INVALID, { field: 'phone' }, 'phone: not a valid phone number (national numbers are read in the tenant’s phone_country)');
  return n;
}

async function checkGroups(tx: TxCtx, ids: readonly string[] | undefined): Promise<void> {
  if (!ids?.length) return;
  const known = await customerRepository.existingGroups(tx, ids);
  const i = ids.findIndex((g) => !known.has(g));
  if (i >= 0) throw new AppError(CustomerErrors.CUSTOMER_GROUP_NOT_FOUND, { field: `group_ids.${i}` });
}

async function mustGet(tx: TxCtx, id: string, opts: { lock?: boolean; live?: boolean } = {}): Promise<Customer> {
  const c = await customerRepository.byId(tx, id, opts);
  if (!c) throw new AppError(CustomerErrors.CUSTOMER_NOT_FOUND, { id });
  if (opts.live && c.archivedAt) throw new AppError(CustomerErrors.CUSTOMER_ARCHIVED, { id, merged_into: c.mergedInto });
  return c;
}

/** Customer profiles and groups: create, change, search, merge duplicates. */
export class CustomerService {
  async create(ctx: Ctx, input: CreateCustomerInput): Promise<Customer> {
    requirePermission(ctx, 'pos:customer:write');
    const i = parseInput(createCustomerInput, input);
    return withTransaction(ctx, async (tx) => {
      const id = uuidv7();
      await checkGroups(tx, i.group_ids);
      const row: CustomerRow = { name: i.name, email: i.email ?? null, phone: (await phoneOf(tx, i.phone)) ?? null, birthday: i.birthday ?? null, tags: [...new Set(i.tags ?? [])], notes: i.notes ?? null, marketingConsent: i.marketing_consent ?? false };
      await customerRepository.insert(tx, id, row).catch(rethrowTaken);
      if (i.group_ids?.length) await customerRepository.setGroups(tx, id, [...new Set(i.group_ids)]);
      await recordEvent(tx, { type: 'customer.created', aggregateType: 'customer', aggregateId: id, payload: { customer_id: id } });
      return (await customerRepository.byId(tx, id))!;
    });
  }

  async get(ctx: Ctx, id: string): Promise<Customer> {
    requirePermission(ctx, 'pos:customer:read');
    return withTransaction(ctx, (tx) => mustGet(tx, id));
  }

  async update(ctx: Ctx, id: string, input: UpdateCustomerInput): Promise<Customer> {
    requirePermission(ctx, 'pos:customer:write');
    const i = parseInput(updateCustomerInput, input);
    return withTransaction(ctx, async (tx) => {
      await mustGet(tx, id, { live: true });
      await checkGroups(tx, i.group_ids);
      const ok = await customerRepository
        .update(tx, id, { name: i.name, email: i.email, phone: await phoneOf(tx, i.phone), birthday: i.birthday, tags: i.tags ? [...new Set(i.tags)] : undefined, notes: i.notes, marketingConsent: i.marketing_consent })
        .catch(rethrowTaken);
      if (!ok) throw new AppError(CustomerErrors.CUSTOMER_ARCHIVED, { id });
      if (i.group_ids) await customerRepository.setGroups(tx, id, [...new Set(i.group_ids)]);
      await recordEvent(tx, { type: 'customer.updated', aggregateType: 'customer', aggregateId: id, payload: { customer_id: id } });
      return (await customerRepository.byId(tx, id))!;
    });
  }

  /** Lists, or searches by name (typos allowed), e-mail or phone (a national number is read in the tenant's country). */
  async list(ctx: Ctx, query: ListCustomersQuery | Record<string, unknown>): Promise<Page<Customer>> {
    requirePermission(ctx, 'pos:customer:read');
    const q = parseInput(listCustomersQuery, query);
    const { limit, after } = readPage(q);
    return withTransaction(ctx, async (tx) => {
      const text = q.q?.trim().replace(/\s+/g, ' ').toLowerCase().slice(0, 100);
      if (!text) return toPage(await customerRepository.list(tx, { groupId: q.group_id, includeArchived: q.include_archived, after, limit }), limit);
      const digits = text.replace(/[\s()-]/g, '');
      const phonePrefix = /^\+?\d{3,}$/.test(digits) ? (digits.startsWith('+') ? digits : (normalizePhone(digits, (await settingsRepository.get(tx)).phoneCountry) ?? undefined)) : undefined;
      const items = await customerRepository.list(tx, { q: { text, like: text.replace(/[\\%_]/g, (c) => `\\${c}`), phonePrefix }, groupId: q.group_id, includeArchived: q.include_archived, limit });
      return { items, nextPageToken: '' };
    });
  }

  /** Merges the duplicate `source_id` into `id`: orders, points, credit, groups and counters move; the duplicate is archived. */
  async merge(ctx: Ctx, id: string, input: unknown): Promise<Customer> {
    requirePermission(ctx, 'pos:customer:write');
    const i = parseInput(mergeCustomersInput, input);
    if (i.source_id === id) throw new AppError(CustomerErrors.CUSTOMER_MERGE_INVALID, { field: 'source_id' });
    return withTransaction(ctx, async (tx) => {
      // Lock both in id order: two merges of the same pair in opposite directions cannot deadlock.
      const [first, second] = [id, i.source_id].sort();
      const a = await mustGet(tx, first!, { lock: true, live: true });
      const b = await mustGet(tx, second!, { lock: true, live: true });
      const [target, source] = a.id === id ? [a, b] : [b, a];
      await customerRepository.merge(tx, target, source).catch(rethrowTaken);
      await recordEvent(tx, { type: 'customer.merged', aggregateType: 'customer', aggregateId: target.id, payload: { customer_id: target.id, merged_customer_id: source.id } });
      return (await customerRepository.byId(tx, id))!;
    });
  }

  async createGroup(ctx: Ctx, input: unknown): Promise<CustomerGroup> {
    requirePermission(ctx, 'pos:customer:write');
    const i = parseInput(customerGroupInput, input);
    return withTransaction(ctx, async (tx) => {
      const id = uuidv7();
      await customerRepository.insertGroup(tx, id, i.name, i.description ?? null).catch(rethrowTaken);
      return (await customerRepository.groupById(tx, id))!;
    });
  }

  async updateGroup(ctx: Ctx, id: string, input: unknown): Promise<CustomerGroup> {
    requirePermission(ctx, 'pos:customer:write');
    const i = parseInput(updateCustomerGroupInput, input);
    return withTransaction(ctx, async (tx) => {
      if (!(await customerRepository.updateGroup(tx, id, i.name, i.description).catch(rethrowTaken))) throw new AppError(CustomerErrors.CUSTOMER_GROUP_NOT_FOUND, { id });
      return (await customerRepository.groupById(tx, id))!;
    });
  }

  async getGroup(ctx: Ctx, id: string): Promise<CustomerGroup> {
    requirePermission(ctx, 'pos:customer:read');
    return withTransaction(ctx, async (tx) => {
      const g = await customerRepository.groupById(tx, id);
      if (!g) throw new AppError(CustomerErrors.CUSTOMER_GROUP_NOT_FOUND, { id });
      return g;
    });
  }

  async listGroups(ctx: Ctx, page: PageRequest): Promise<Page<CustomerGroup>> {
    requirePermission(ctx, 'pos:customer:read');
    const { limit, after } = readPage(page);
    return withTransaction(ctx, async (tx) => toPage(await customerRepository.listGroups(tx, after, limit), limit));
  }
}
