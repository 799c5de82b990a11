// The fields a template may write. Customers: the user properties Liaison writes by name and the
// account's user fields (GET /api/v2/user_fields, by key). Tickets: the custom ticket fields
// (GET /api/v2/ticket_fields, by numeric id); the port's field sections have no ticket section
// yet, so they come from ticketFields() beside listFields.
import { z } from 'zod';
import type { CrmField, CrmFieldList } from '../port';
import { call, type ZendeskContext } from './client';
import { USER_PROPS } from './users';

const option = z.object({ name: z.string().optional(), value: z.string().nullable().optional() }).passthrough();
const fieldSchema = z.object({ id: z.number().optional(), key: z.string().optional(), title: z.string(), type: z.string(), active: z.boolean().optional(), removable: z.boolean().optional(), custom_field_options: z.array(option).nullable().optional() }).passthrough();
const userFieldsReply = z.object({ user_fields: z.array(fieldSchema) });
const ticketFieldsReply = z.object({ ticket_fields: z.array(fieldSchema) });

const optionsOf = (f: z.infer<typeof fieldSchema>) => (f.custom_field_options?.length ? { options: f.custom_field_options.map((o) => o.name ?? o.value ?? '').filter(Boolean) } : {});

export async function listFields(ctx: ZendeskContext, signal?: AbortSignal): Promise<CrmFieldList> {
  const { user_fields } = await call(ctx, 'get', 'api/v2/user_fields', { schema: userFieldsReply, signal });
  const standard: CrmField[] = USER_PROPS.map((name) => ({ name, label: name, type: name === 'tags' ? 'tags' : 'text' }));
  const custom: CrmField[] = user_fields.filter((f) => f.active !== false && f.key).map((f) => ({ name: f.key!, label: f.title, type: f.type, ...optionsOf(f) }));
  return { customer: [...standard, ...custom] };
}

/** Custom ticket fields a template may set, named by id (system fields such as subject or status are Liaison's own). */
export async function ticketFields(ctx: ZendeskContext, signal?: AbortSignal): Promise<CrmField[]> {
  const { ticket_fields } = await call(ctx, 'get', 'api/v2/ticket_fields', { schema: ticketFieldsReply, signal });
  return ticket_fields.filter((f) => f.active !== false && f.removable !== false && f.id !== undefined).map((f) => ({ name: String(f.id), label: f.title, type: f.type, ...optionsOf(f) }));
}
