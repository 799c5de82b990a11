// WriteOptions.fields → Bitable cell values, typed by the table's field (field-list.ts):
// number → number, dateTime → epoch ms (from ms or a written date), singleSelect → text (Bitable
// adds a new option itself), multiSelect → text[] split on , ; 、, checkbox → boolean (是/true/1),
// phone → digits with an optional +, url → {text, link}, user → [{id}] from ou_ ids, text → text.
// A value that cannot fit is refused naming the field; Liaison's keys and links are refused as
// reserved. A name the table does not have is sent as it is: Bitable answers 1254045
// FieldNameNotFound and fields.ts names the culprit.
import { CrmError } from '../errors';
import type { FieldSection } from '../port';
import type { FeishuContext } from './client';
import type { FeishuField } from './fields';
import { reservedByName, tableFields, unwritable } from './field-list';
import { FT } from './schema';
import type { FieldNames } from './values';
import {
  conversionError, hasFields, notWritableError, refuseReserved, reservedError, splitList, toBoolean, toInstant, toNumber, toText,
  type TemplateFields, type TemplateValue,
} from '../template-values';

const V = 'Feishu';

/** One value as a field of this type takes it. */
export function cellValue(f: FeishuField, v: TemplateValue): unknown {
  const name = f.field_name;
  switch (f.type) {
    case FT.number:
      return toNumber(V, name, v);
    case FT.dateTime:
      return toInstant(V, name, v);
    case FT.checkbox:
      return toBoolean(V, name, v);
    case FT.multiSelect: {
      const items = splitList(v);
      if (!items.length) throw conversionError(V, name, 'option');
      return items;
    }
    case FT.singleSelect: {
      const s = toText(v).trim();
      if (!s) throw conversionError(V, name, 'option');
      return s;
    }
    case FT.phone: {
      const s = toText(v).replace(/[\s\-().]/g, '');
      if (!/^\+?\d{1,63}$/.test(s)) throw conversionError(V, name, 'phone');
      return s;
    }
    case FT.url: {
      const s = toText(v).trim();
      if (!/^https?:\/\/\S+$/i.test(s)) throw conversionError(V, name, 'url');
      return { text: s, link: s };
    }
    case FT.user: {
      const ids = splitList(v);
      if (!ids.length || !ids.every((id) => /^ou_\w+$/.test(id))) throw conversionError(V, name, 'person', 'a Feishu open_id (ou_…)');
      return ids.map((id) => ({ id }));
    }
    default:
      return toText(v);
  }
}

/**
 * The typed cells of the section's table. Names Liaison keeps are refused before any request; the
 * table's fields are listed (cached) to type the rest, and listed once more before a name is
 * taken for unknown (a field added since the cache was filled).
 */
export async function templateCells(ctx: FeishuContext, table: string, section: FieldSection, names: FieldNames, fields: TemplateFields | undefined, signal?: AbortSignal): Promise<Record<string, unknown>> {
  refuseReserved(V, fields, (name) => reservedByName(section, names, name));
  if (!hasFields(fields)) return {};
  let byName = new Map((await tableFields(ctx, table, signal)).map((f) => [f.field_name, f]));
  if (Object.keys(fields).some((n) => !byName.has(n))) {
    ctx.fieldLists.forget(table);
    byName = new Map((await tableFields(ctx, table, signal)).map((f) => [f.field_name, f]));
  }
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(fields)) {
    const f = byName.get(name);
    if (!f) {
      out[name] = v;
      continue;
    }
    const why = unwritable(section, names, f);
    if (why && 'reserved' in why) throw reservedError(V, name, why.reserved);
    if (why) throw notWritableError(V, name, why.computed);
    out[name] = cellValue(f, v);
  }
  return out;
}

/** For batches: the item's own refusal, or its cells. */
export async function templateCellsOrError(...args: Parameters<typeof templateCells>): Promise<{ ok: true; cells: Record<string, unknown> } | { ok: false; error: CrmError }> {
  try {
    return { ok: true, cells: await templateCells(...args) };
  } catch (e) {
    if (e instanceof CrmError) return { ok: false, error: e };
    throw e;
  }
}
