// Field metadata (GET /crm/v8/settings/fields?module=) for listFields and the Liaison Key, and
// setup: POST /crm/v8/settings/fields?module= creates a unique single-line "Liaison Key" on the
// customer module, Deals (Contacts mode) and Tasks, then reads its generated api_name back.
import { z } from 'zod';
import { CrmError } from '../errors';
import type { CrmFieldList, PrepareResult } from '../port';
import { call, type ZohoContext } from './client';
import type { ZohoModule } from './config';
import { LIAISON_KEY_LABEL } from './spec';

const fieldSchema = z.object({ api_name: z.string(), field_label: z.string().optional(), data_type: z.string().optional(), read_only: z.boolean().optional(), field_read_only: z.boolean().optional(), pick_list_values: z.array(z.object({ display_value: z.string().optional(), actual_value: z.string().optional() }).passthrough()).nullable().optional() }).passthrough();
const fieldsReply = z.object({ fields: z.array(fieldSchema) });
type ZohoFieldMeta = z.infer<typeof fieldSchema>;
const createReply = z.object({ fields: z.array(z.object({ code: z.string(), status: z.string(), details: z.object({ id: z.string() }).passthrough().optional() }).passthrough()) });

export function moduleFields(ctx: ZohoContext, module: ZohoModule | 'Notes', signal?: AbortSignal, fresh = false): Promise<ZohoFieldMeta[]> {
  const k = `fields:${module}`;
  if (fresh) ctx.fieldCache.delete(k);
  let p = ctx.fieldCache.get(k) as Promise<ZohoFieldMeta[]> | undefined;
  if (!p) {
    p = call(ctx, 'get', 'crm/v8/settings/fields', { searchParams: { module }, schema: fieldsReply, signal }).then((r) => r.fields);
    ctx.fieldCache.set(k, p);
    p.catch(() => ctx.fieldCache.delete(k));
  }
  return p;
}

/** The Liaison Key's API name on `module`: from the settings setup saved, else undefined (lookup before create). */
export async function keyField(ctx: ZohoContext, module: ZohoModule, _signal?: AbortSignal): Promise<string | undefined> {
  return ctx.config.settings.keyFields?.[module];
}

const findKey = (fields: ZohoFieldMeta[]) => fields.find((f) => f.field_label === LIAISON_KEY_LABEL)?.api_name;

export async function prepare(ctx: ZohoContext, signal?: AbortSignal): Promise<PrepareResult> {
  const modules: ZohoModule[] = [ctx.config.customerModule, ...(ctx.config.customerModule === 'Contacts' ? (['Deals'] as const) : []), 'Tasks'];
  const keyFields: Partial<Record<ZohoModule, string>> = { ...ctx.config.settings.keyFields };
  const created: string[] = [];
  const problems: string[] = [];
  for (const module of modules) {
    let name = findKey(await moduleFields(ctx, module, signal, true));
    if (!name) {
      try {
        await call(ctx, 'post', 'crm/v8/settings/fields', { searchParams: { module }, json: { fields: [{ field_label: LIAISON_KEY_LABEL, data_type: 'text', length: 100, unique: { casesensitive: false } }] }, write: true, schema: createReply, signal });
        name = findKey(await moduleFields(ctx, module, signal, true));
        if (name) created.push(`${module}.${LIAISON_KEY_LABEL}`);
      } catch (e) {
        if (!(e instanceof CrmError) || e.kind !== 'auth') throw e;
        problems.push(`${module}.${LIAISON_KEY_LABEL}`);
        continue;
      }
    }
    if (name) keyFields[module] = name;
    else problems.push(`${module}.${LIAISON_KEY_LABEL}`);
  }
  // Without the key on the customer module, creates look up by email/phone first: usable, weaker.
  return { settings: { keyFields }, created, problems, usable: true };
}

const writable = (f: ZohoFieldMeta) => !f.read_only && !f.field_read_only && f.field_label !== LIAISON_KEY_LABEL;
const asField = (f: ZohoFieldMeta) => ({ name: f.api_name, ...(f.field_label ? { label: f.field_label } : {}), ...(f.data_type ? { type: f.data_type } : {}), ...(f.pick_list_values?.length ? { options: f.pick_list_values.map((v) => v.actual_value ?? v.display_value ?? '').filter(Boolean) } : {}) });

export async function listFields(ctx: ZohoContext, signal?: AbortSignal): Promise<CrmFieldList> {
  const customer = (await moduleFields(ctx, ctx.config.customerModule, signal)).filter(writable).map(asField);
  const deal = ctx.config.customerModule === 'Contacts' ? (await moduleFields(ctx, 'Deals', signal)).filter(writable).map(asField) : undefined;
  return { customer, ...(deal ? { deal } : {}) };
}
