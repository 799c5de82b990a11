// WriteOptions.fields → HubSpot property values. HubSpot takes every value as a string, but
// checks it against the property's type, so the value is made to fit here first (the portal's
// property definitions, property-list.ts): numbers as digits, datetimes as epoch ms, dates as
// yyyy-mm-dd, enumerations by their internal value (a label is accepted and translated; several
// checkbox options joined with ';'), booleans as true/false. A value that cannot fit is refused
// naming the property. A property the portal does not have is sent as text: HubSpot answers
// PROPERTY_DOESNT_EXIST, which names it (errors.ts).
import { CrmError } from '../errors';
import type { HubspotContext } from './client';
import { isWritable, propertyDefs, reservedProperty, type PropertyDef, type PropertyObject } from './property-list';
import {
  conversionError, hasFields, matchOption, notWritableError, optionError, refuseReserved, splitList, toBoolean, toDay, toInstant, toNumber, toText,
  type TemplateFields, type TemplateValue,
} from '../template-values';

const V = 'HubSpot';

function enumValue(p: PropertyDef, value: string): string {
  const hit = matchOption(p.options, value, (o) => [o.value, ...(o.label ? [o.label] : [])]);
  if (!hit) throw optionError(V, p.name, value, p.options.filter((o) => !o.hidden).map((o) => o.value));
  return hit.value;
}

/** One value as the property's type takes it (always a string on the wire). */
export function propertyValue(p: PropertyDef | undefined, name: string, v: TemplateValue): string {
  if (!p) return toText(v);
  if (!isWritable(p)) throw notWritableError(V, name, p.calculated ? 'calculated' : 'read-only');
  switch (p.type) {
    case 'number':
      return String(toNumber(V, name, v));
    case 'datetime':
      return String(toInstant(V, name, v));
    case 'date':
      return toDay(V, name, v);
    case 'bool':
      return String(toBoolean(V, name, v));
    case 'enumeration': {
      if (p.fieldType === 'checkbox') {
        const values = splitList(v).map((x) => enumValue(p, x));
        if (!values.length) throw conversionError(V, name, 'option');
        return values.join(';');
      }
      if (p.fieldType === 'booleancheckbox') return String(toBoolean(V, name, v));
      return enumValue(p, toText(v).trim());
    }
    default:
      return toText(v);
  }
}

/** Refuses Liaison's own properties; the values typed for `object`. No fields: no request. */
export async function templateProperties(ctx: HubspotContext, object: PropertyObject, fields: TemplateFields | undefined, signal?: AbortSignal): Promise<Record<string, string>> {
  refuseReserved(V, fields, (name) => reservedProperty(object, name));
  if (!hasFields(fields)) return {};
  const defs = new Map((await propertyDefs(ctx, object, signal)).map((p) => [p.name, p]));
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(fields)) out[name] = propertyValue(defs.get(name), name, v);
  return out;
}

/** For batches: the item's own refusal, or its properties. */
export async function templatePropertiesOrError(ctx: HubspotContext, object: PropertyObject, fields: TemplateFields | undefined, signal?: AbortSignal): Promise<{ ok: true; properties: Record<string, string> } | { ok: false; error: CrmError }> {
  try {
    return { ok: true, properties: await templateProperties(ctx, object, fields, signal) };
  } catch (e) {
    if (e instanceof CrmError) return { ok: false, error: e };
    throw e;
  }
}
