// WriteOptions.fields → NocoDB row values, typed by the column's uidt (meta.ts): Number/Rating/
// Year as whole numbers, Decimal/Currency/Percent/Duration as numbers, Checkbox as a boolean
// (是/true/1), Date as yyyy-mm-dd, DateTime as NocoDB's "YYYY-MM-DD HH:mm:ss+00:00",
// MultiSelect as "a,b" (split on , ; 、), text as text. Select values are then checked against
// the options with Liaison's own (values.ts checkSelects).
//
// NocoDB 0.301 silently DROPS a key that names no column, and stores "abc" in a Number column
// as it is (both checked against the real server): the vendor would never say no, so this is
// the only place such a template can be refused. A title the table lacks is refused after the
// columns are read once more (one added since they were cached is then found).
import { CrmError } from '../errors';
import type { FieldSection } from '../port';
import type { NocodbContext } from './client';
import { reservedByName, unwritable } from './field-list';
import { forgetMeta, tableMeta, type Column, type TableMeta } from './meta';
import type { FieldNames } from './values';
import { toNocoDateTime } from './values';
import {
  conversionError, hasFields, notWritableError, refuseReserved, reservedError, splitList, toBoolean, toDay, toInstant, toNumber, toText,
  type TemplateFields, type TemplateValue,
} from '../template-values';

const V = 'NocoDB';

/** One value as a column of this uidt takes it. */
export function columnValue(c: Column, v: TemplateValue): unknown {
  const name = c.title;
  switch (c.uidt) {
    case 'Number':
    case 'Rating':
    case 'Year':
      return toNumber(V, name, v, { integer: true });
    case 'Decimal':
    case 'Currency':
    case 'Percent':
    case 'Duration':
      return toNumber(V, name, v);
    case 'Checkbox':
      return toBoolean(V, name, v);
    case 'Date':
      return toDay(V, name, v);
    case 'DateTime':
      return toNocoDateTime(toInstant(V, name, v));
    case 'MultiSelect': {
      const items = splitList(v);
      if (!items.length) throw conversionError(V, name, 'option');
      return items.join(',');
    }
    default:
      return toText(v).trim();
  }
}

function unknownColumn(title: string): CrmError {
  return new CrmError('validation', `NocoDB: the table has no column "${title}" (NocoDB would drop the value silently)`, {
    vendorCode: 'UNKNOWN_COLUMN',
    userMessage: {
      zh_CN: `NocoDB 的表中没有「${title}」这一列，请检查字段映射（NocoDB 会静默丢弃这个值）`,
      en: `The NocoDB table has no column "${title}"; check the field mapping (NocoDB would silently drop the value)`,
    },
  });
}

/**
 * The typed template values of a section's table, and the column list they were typed by: the
 * one given, or a fresher one when a title was missing from it (the caller checks select values
 * against that one).
 */
export async function templateCells(
  ctx: NocodbContext,
  table: string,
  meta: TableMeta,
  section: FieldSection,
  names: FieldNames,
  fields: TemplateFields | undefined,
  signal?: AbortSignal,
): Promise<{ cells: Record<string, unknown>; meta: TableMeta }> {
  refuseReserved(V, fields, (title) => reservedByName(section, names, title));
  if (!hasFields(fields)) return { cells: {}, meta };
  if (Object.keys(fields).some((t) => !meta.columns.some((c) => c.title === t))) {
    forgetMeta(ctx, table);
    meta = await tableMeta(ctx, table, signal);
  }
  const columns = meta.columns;
  const out: Record<string, unknown> = {};
  for (const [title, v] of Object.entries(fields)) {
    const c = columns.find((x) => x.title === title);
    if (!c) throw unknownColumn(title);
    const why = unwritable(section, names, c);
    if (why && 'reserved' in why) throw reservedError(V, title, why.reserved);
    if (why) throw notWritableError(V, title, why.computed);
    out[title] = columnValue(c, v);
  }
  return { cells: out, meta };
}

/** For batches: the item's own refusal, or its values. */
export async function templateCellsOrError(...args: Parameters<typeof templateCells>): Promise<{ ok: true; cells: Record<string, unknown>; meta: TableMeta } | { ok: false; error: CrmError }> {
  try {
    return { ok: true, ...(await templateCells(...args)) };
  } catch (e) {
    if (e instanceof CrmError) return { ok: false, error: e };
    throw e;
  }
}
