// The org's own fields (GET sobjects/{Object}/describe) for the objects Liaison writes — the
// customer object (Lead or Contact), Task (follow-ups) and Opportunity (deals) — for the mapping
// editor (listFields) and for typing template values (template-fields.ts). One describe per
// object, kept for at most five minutes per adapter instance (ttl-memo.ts).
import { z } from 'zod';
import { CrmError } from '../errors';
import type { CrmField, CrmFieldList, FieldSection } from '../port';
import { sfCall, type SalesforceContext } from './client';
import type { WrittenObject } from './config';

const fieldSchema = z
  .object({
    name: z.string(),
    label: z.string().optional(),
    type: z.string().optional(),
    createable: z.boolean().optional(),
    updateable: z.boolean().optional(),
    calculated: z.boolean().optional(),
    restrictedPicklist: z.boolean().optional(),
    picklistValues: z.array(z.object({ value: z.string(), label: z.string().nullish(), active: z.boolean().optional() }).loose()).nullish(),
  })
  .loose();
export type SfFieldDef = z.infer<typeof fieldSchema>;
const describeReply = z.object({ fields: z.array(fieldSchema) }).loose();

/** Which object each template section is written to. */
export function sectionObject(ctx: Pick<SalesforceContext, 'config'>, section: FieldSection): WrittenObject {
  return section === 'customer' ? ctx.config.customerObject : section === 'followUp' ? 'Task' : 'Opportunity';
}

/** Fields Liaison writes itself on `object`; a template may not (listFields leaves them out). */
export function reservedField(ctx: Pick<SalesforceContext, 'config'>, object: WrittenObject, name: string): string | undefined {
  const n = name.toLowerCase();
  if (n === 'id') return 'the record id';
  if (n === ctx.config.externalIdField.toLowerCase()) return 'the external ID that makes retries safe';
  if (object === 'Task' && (n === 'whoid' || n === 'whatid')) return 'the link to the customer';
  return undefined;
}

export function describeFields(ctx: SalesforceContext, object: WrittenObject, signal?: AbortSignal): Promise<SfFieldDef[]> {
  return ctx.describes.get(object, async () => (await sfCall(ctx, 'get', `sobjects/${object}/describe`, { signal, schema: describeReply })).fields);
}

export const activeValues = (f: SfFieldDef) => (f.picklistValues ?? []).filter((p) => p.active !== false);

function toField(f: SfFieldDef): CrmField {
  const options = activeValues(f).map((p) => p.value);
  return { name: f.name, ...(f.label ? { label: f.label } : {}), ...(f.type ? { type: f.type } : {}), ...(options.length ? { options } : {}) };
}

/**
 * The createable fields of the three objects, minus Liaison's own. The customer object is the
 * point of the connection, so its failure is the call's; an object the user's profile cannot see
 * (Opportunity in some orgs) just leaves its section out ("not known").
 */
export async function listFields(ctx: SalesforceContext, signal?: AbortSignal): Promise<CrmFieldList> {
  const out: CrmFieldList = {};
  for (const section of ['customer', 'followUp', 'deal'] as const) {
    const object = sectionObject(ctx, section);
    let fields: SfFieldDef[];
    try {
      fields = await describeFields(ctx, object, signal);
    } catch (e) {
      if (section !== 'customer' && e instanceof CrmError && (e.kind === 'not-found' || e.kind === 'auth')) continue;
      throw e;
    }
    out[section] = fields.filter((f) => f.createable === true && !f.calculated && !reservedField(ctx, object, f.name)).map(toField);
  }
  return out;
}
