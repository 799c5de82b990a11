// WriteOptions.fields → Salesforce field values, typed by the org's describe (describe.ts):
// double/currency/percent as numbers, int as whole numbers, boolean as true/false, date as
// yyyy-mm-dd, datetime as ISO 8601, picklists by value (a label is translated; a restricted
// picklist refuses other values), multi-select picklists joined with ';'; text stays text. A
// value that cannot fit is refused naming the field. A field the object does not have is sent
// as it is: Salesforce answers INVALID_FIELD "No such column", which names it (errors.ts).
import { CrmError } from '../errors';
import type { SalesforceContext } from './client';
import type { WrittenObject } from './config';
import { activeValues, describeFields, reservedField, type SfFieldDef } from './describe';
import {
  conversionError, hasFields, matchOption, notWritableError, optionError, refuseReserved, splitList, toBoolean, toDay, toInstant, toNumber, toText,
  type TemplateFields, type TemplateValue,
} from '../template-values';

const V = 'Salesforce';

function picklistValue(f: SfFieldDef, value: string): string {
  const values = activeValues(f);
  const hit = matchOption(values, value, (p) => [p.value, ...(p.label ? [p.label] : [])]);
  if (hit) return hit.value;
  if (f.restrictedPicklist) throw optionError(V, f.name, value, values.map((p) => p.value));
  return value;
}

/** One value as the field's describe type takes it. */
export function fieldValue(f: SfFieldDef | undefined, name: string, v: TemplateValue, mode: 'create' | 'update'): string | number | boolean {
  if (!f) return v;
  if (f.calculated || (mode === 'create' ? f.createable === false : f.updateable === false)) throw notWritableError(V, name, f.calculated ? 'formula' : 'read-only');
  switch (f.type) {
    case 'double':
    case 'currency':
    case 'percent':
      return toNumber(V, name, v);
    case 'int':
    case 'long':
      return toNumber(V, name, v, { integer: true });
    case 'boolean':
      return toBoolean(V, name, v);
    case 'date':
      return toDay(V, name, v);
    case 'datetime':
      return new Date(toInstant(V, name, v)).toISOString();
    case 'picklist':
      return picklistValue(f, toText(v).trim());
    case 'multipicklist': {
      const values = splitList(v).map((x) => picklistValue(f, x));
      if (!values.length) throw conversionError(V, name, 'option');
      return values.join(';');
    }
    default:
      return toText(v);
  }
}

/** Refuses Liaison's own fields; the values typed for `object`. No fields: no request. */
export async function templateFields(ctx: SalesforceContext, object: WrittenObject, fields: TemplateFields | undefined, mode: 'create' | 'update', signal?: AbortSignal): Promise<Record<string, string | number | boolean>> {
  refuseReserved(V, fields, (name) => reservedField(ctx, object, name));
  if (!hasFields(fields)) return {};
  const defs = new Map((await describeFields(ctx, object, signal)).map((f) => [f.name.toLowerCase(), f]));
  const out: Record<string, string | number | boolean> = {};
  for (const [name, v] of Object.entries(fields)) {
    const f = defs.get(name.toLowerCase());
    // Salesforce field names are case-insensitive: write the describe's spelling so it replaces
    // the adapter's own value for that field instead of sitting beside it.
    out[f?.name ?? name] = fieldValue(f, name, v, mode);
  }
  return out;
}

/** For batches: the item's own refusal, or its fields. */
export async function templateFieldsOrError(ctx: SalesforceContext, object: WrittenObject, fields: TemplateFields | undefined, signal?: AbortSignal): Promise<{ ok: true; fields: Record<string, string | number | boolean> } | { ok: false; error: CrmError }> {
  try {
    return { ok: true, fields: await templateFields(ctx, object, fields, 'create', signal) };
  } catch (e) {
    if (e instanceof CrmError) return { ok: false, error: e };
    throw e;
  }
}
