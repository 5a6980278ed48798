import { z } from 'zod';
import { pageRequestSchema } from '../../platform/pagination.js';
import { nameField, uuidField } from '../../platform/validation.js';

const email = z.string().trim().max(254, 'must be at most 254 characters').email('must be an e-mail address').transform((s) => s.toLowerCase());
const tag = z.string().trim().min(1, 'must not be empty').max(50, 'must be at most 50 characters');

const customerFields = {
  name: nameField(),
  email: email.nullable().optional(),
  phone: z.string().trim().max(40, 'must be at most 40 characters').nullable().optional().describe('Any common format; stored in E.164 using the tenant’s phone_country for national numbers'),
  birthday: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'must be a real date').nullable().optional(),
  tags: z.array(tag).max(30, 'at most 30 tags').optional(),
  notes: z.string().max(2000, 'must be at most 2000 characters').nullable().optional(),
  marketing_consent: z.boolean().optional(),
  group_ids: z.array(uuidField()).max(50, 'at most 50 groups').optional(),
};

export const createCustomerInput = z.strictObject(customerFields);
export const updateCustomerInput = z.strictObject({ ...customerFields, name: nameField().optional() });
export type CreateCustomerInput = z.input<typeof createCustomerInput>;
export type UpdateCustomerInput = z.input<typeof updateCustomerInput>;

export const listCustomersQuery = pageRequestSchema.extend({
  q: z.string().max(200, 'must be at most 200 characters').optional().describe('Matches name (typos allowed), e-mail or phone'),
  group_id: uuidField().optional(),
  include_archived: z.enum(['true', 'false']).transform((v) => v === 'true').optional(),
});
export type ListCustomersQuery = z.input<typeof listCustomersQuery>;

export const mergeCustomersInput = z.strictObject({ source_id: uuidField().describe('The duplicate: its orders, points and credit move here, then it is archived') });

export const customerGroupInput = z.strictObject({ name: nameField(100), description: z.string().max(500, 'must be at most 500 characters').nullable().optional() });
export const updateCustomerGroupInput = customerGroupInput.partial();
