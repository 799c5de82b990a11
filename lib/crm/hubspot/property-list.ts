// The portal's own properties (GET /crm/v3/properties/{contacts|notes|deals}), for the mapping
// editor (listFields) and for typing template values (template-properties.ts). One request per
// object type, kept for at most five minutes per adapter instance (ttl-memo.ts): an admin who
// adds a property sees it in the editor soon after.
import { z } from 'zod';
import { CrmError } from '../errors';
import type { CrmField, CrmFieldList, FieldSection } from '../port';
import { call, type HubspotContext } from './client';
import { LIAISON_ID_PROPERTY } from './spec';

export type PropertyObject = 'contacts' | 'notes' | 'deals';

/** Where each template section is written: contacts, notes (follow-ups) and deals. */
export const SECTION_OBJECT: Record<FieldSection, PropertyObject> = { customer: 'contacts', followUp: 'notes', deal: 'deals' };

const propertySchema = z
  .object({
    name: z.string(),
    label: z.string().optional(),
    type: z.string().optional(),
    fieldType: z.string().optional(),
    options: z.array(z.object({ label: z.string().optional(), value: z.string(), hidden: z.boolean().optional() }).loose()).optional().default([]),
    calculated: z.boolean().optional(),
    hidden: z.boolean().optional(),
    modificationMetadata: z.object({ readOnlyValue: z.boolean().optional() }).loose().optional(),
  })
  .loose();
export type PropertyDef = z.infer<typeof propertySchema>;
const listReply = z.object({ results: z.array(propertySchema) });

/** Properties Liaison writes itself; a template may not (listFields leaves them out). */
export function reservedProperty(object: PropertyObject, name: string): string | undefined {
  if (name === 'hs_object_id') return 'the record id';
  if (name === LIAISON_ID_PROPERTY && object !== 'notes') return 'the upsert key that makes retries safe';
  return undefined;
}

export const isWritable = (p: PropertyDef) => !p.calculated && p.modificationMetadata?.readOnlyValue !== true;

export function propertyDefs(ctx: HubspotContext, object: PropertyObject, signal?: AbortSignal): Promise<PropertyDef[]> {
  return ctx.properties.get(object, async () => (await call(ctx, 'get', `crm/v3/properties/${object}`, { searchParams: { archived: false }, signal, schema: listReply })).results);
}

function toField(p: PropertyDef): CrmField {
  const options = p.options.filter((o) => !o.hidden).map((o) => o.value);
  return { name: p.name, ...(p.label ? { label: p.label } : {}), ...(p.type ? { type: p.type } : {}), ...(options.length ? { options } : {}) };
}

/**
 * The writable properties of contacts, notes and deals, minus Liaison's own. Contacts are the
 * point of the connection, so their failure is the call's; a token without the deals scope
 * (recommended, not required) just leaves that section out ("not known").
 */
export async function listFields(ctx: HubspotContext, signal?: AbortSignal): Promise<CrmFieldList> {
  const out: CrmFieldList = {};
  for (const [section, object] of Object.entries(SECTION_OBJECT) as [FieldSection, PropertyObject][]) {
    let defs: PropertyDef[];
    try {
      defs = await propertyDefs(ctx, object, signal);
    } catch (e) {
      if (section !== 'customer' && e instanceof CrmError && (e.kind === 'auth' || e.kind === 'not-found')) continue;
      throw e;
    }
    out[section] = defs.filter((p) => isWritable(p) && !reservedProperty(object, p.name)).map(toField);
  }
  return out;
}
