// WriteOptions.fields → Airtable cells, typed by the table's own field types (meta API):
// number/currency/percent/rating/duration as numbers, checkbox as true/false, date as
// yyyy-mm-dd, dateTime as ISO 8601, multiple selects as a list; text stays text (typecast
// converts the rest). Computed fields are refused, and so are Liaison's own (the key, the link).
// A field the table lacks is sent as it is: Airtable answers 422 UNKNOWN_FIELD_NAME naming it.
import { CrmError } from '../errors';
import { hasFields, notWritableError, refuseReserved, splitList, toBoolean, toDay, toInstant, toNumber, toText, type TemplateFields } from '../template-values';
import { COMPUTED_TYPES, type TableMeta } from './schema';
import { CUSTOMER_LINK_FIELD, LIAISON_KEY_FIELD } from './spec';
import type { Cells } from './values';

const V = 'Airtable';

export function reserved(name: string): string | undefined {
  if (name === LIAISON_KEY_FIELD) return 'the key that makes retries safe';
  if (name === CUSTOMER_LINK_FIELD) return 'the link to the customer';
  return undefined;
}

export function templateCells(table: TableMeta, fields: TemplateFields | undefined): Cells {
  refuseReserved(V, fields, reserved);
  if (!hasFields(fields)) return {};
  const out: Cells = {};
  for (const [name, v] of Object.entries(fields)) {
    const f = table.fields.find((x) => x.name === name);
    if (!f) {
      out[name] = v;
      continue;
    }
    if (COMPUTED_TYPES.has(f.type) || f.type === 'multipleRecordLinks' || f.type === 'multipleAttachments') throw notWritableError(V, name, f.type);
    switch (f.type) {
      case 'number':
      case 'currency':
      case 'percent':
      case 'duration':
        out[name] = toNumber(V, name, v);
        break;
      case 'rating':
        out[name] = toNumber(V, name, v, { integer: true });
        break;
      case 'checkbox':
        out[name] = toBoolean(V, name, v);
        break;
      case 'date':
        out[name] = toDay(V, name, v);
        break;
      case 'dateTime':
        out[name] = new Date(toInstant(V, name, v)).toISOString();
        break;
      case 'multipleSelects':
        out[name] = splitList(v);
        break;
      default:
        out[name] = toText(v);
    }
  }
  return out;
}

/** For batches: the item's own refusal, or its cells. */
export function templateCellsOrError(table: TableMeta, fields: TemplateFields | undefined): { ok: true; cells: Cells } | { ok: false; error: CrmError } {
  try {
    return { ok: true, cells: templateCells(table, fields) };
  } catch (e) {
    if (e instanceof CrmError) return { ok: false, error: e };
    throw e;
  }
}
