// ZBDocument parsing: the reply shapes of 智邦ERP, validated with zod and tolerant of unknown
// fields. The business part is documented under "body" (body.source / body.bill / body.message)
// while seed 003's sample code reads it as "data" (data.table, data.value, data.text); both are
// accepted, with or without the class-name wrapper.
import { z } from 'zod';
import { CrmError } from '../errors';

const scalar = z.union([z.string(), z.number()]);

export const zbDocSchema = z.looseObject({
  header: z.looseObject({
    status: z.coerce.number(),
    message: z.string().optional().catch(undefined),
    session: z.string().optional().catch(undefined),
  }),
  body: z.unknown().optional(),
  data: z.unknown().optional(),
});
export type ZbDoc = z.infer<typeof zbDocSchema>;

export const v3ReplySchema = z.looseObject({
  Code: z.coerce.number(),
  Msg: z.string().optional().catch(undefined),
  body: z.unknown().optional(),
  data: z.unknown().optional(),
  Data: z.unknown().optional(),
});
export type V3Reply = z.infer<typeof v3ReplySchema>;

// SourceClass: "数据源对象，用于表示几种数据：枚举型数据(options)、表格型数据（table）、文本数据"
// (help.ashx, SourceClass; as scraped 2025-10-18 in chenxuanhao520-wq/wxauto
// docs/erp_api/智邦ERP_API完整数据.json). type_ says which: a table {cols, rows}, or options.
// The options item shape is not documented: [id, name] pairs and {value|id|ord, text|name|title|label}
// objects are accepted. A table whose rows are null (an empty result on some builds) is empty.
const tableSchema = z.looseObject({
  cols: z.array(z.union([z.string(), z.looseObject({ id: scalar })])),
  rows: z.array(z.array(z.unknown())).nullable(),
});
const optionItemSchema = z.union([
  z.tuple([scalar, scalar]).rest(z.unknown()),
  z.looseObject({
    value: scalar.optional(),
    id: scalar.optional(),
    ord: scalar.optional(),
    text: scalar.optional(),
    name: scalar.optional(),
    title: scalar.optional(),
    label: scalar.optional(),
  }),
]);
const sourceClassSchema = z.union([
  z.looseObject({ type_: z.string().optional(), table: tableSchema }),
  z.looseObject({ type_: z.string().optional(), options: z.array(optionItemSchema).nullable() }),
]);

const billFieldSchema = z.looseObject({ id: scalar, value: z.unknown().optional(), val: z.unknown().optional(), text: z.unknown().optional() });
const billClassSchema = z.looseObject({
  value: scalar,
  groups: z.array(z.looseObject({ fields: z.array(billFieldSchema).optional().catch(undefined) })).optional().catch(undefined),
});

const messageClassSchema = z.looseObject({ title: z.string().optional().catch(undefined), text: z.string().optional().catch(undefined), data: z.unknown().optional() });

function part(doc: { body?: unknown; data?: unknown; Data?: unknown }, kind: string): unknown {
  const p = doc.body ?? doc.data ?? doc.Data;
  if (p && typeof p === 'object' && kind in p) return (p as Record<string, unknown>)[kind];
  return p;
}

function parsePart<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new CrmError('validation', `智邦ERP: unexpected ${what} reply (${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'})`);
  }
  return r.data;
}

const cellText = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'object' ? '' : String(v).trim());

/**
 * A SourceClass reply as records: a table's rows keyed by column id (cols zipped with rows), or
 * an options list as {id, name} records. Every list reader goes through here, so each accepts
 * both shapes the ERP may send.
 */
export function tableRows(doc: ZbDoc): Record<string, string>[] {
  const src = parsePart(sourceClassSchema, part(doc, 'source'), 'list') as {
    table?: z.infer<typeof tableSchema>;
    options?: z.infer<typeof optionItemSchema>[] | null;
  };
  if (src.table) {
    const ids = src.table.cols.map((c) => String(typeof c === 'string' ? c : c.id));
    return (src.table.rows ?? []).map((row) => Object.fromEntries(ids.map((id, i) => [id, cellText(row[i])])));
  }
  const options = src.options ?? [];
  return options.map((o) => {
    if (Array.isArray(o)) return { id: cellText(o[0]), name: cellText(o[1]) };
    const id = o.value ?? o.id ?? o.ord;
    const name = o.text ?? o.name ?? o.title ?? o.label;
    return { id: cellText(id), name: cellText(name) };
  });
}

/** Throws a clear CrmError when a list that has rows lacks a column the reader needs. */
export function requireColumns(rows: Record<string, string>[], what: string, ...columns: string[]): void {
  const first = rows[0];
  if (!first) return;
  const missing = columns.filter((c) => !(c in first));
  if (missing.length) {
    throw new CrmError('validation', `智邦ERP: the ${what} list has no ${missing.join(', ')} column (columns: ${Object.keys(first).join(', ').slice(0, 200)})`, {
      userMessage: {
        zh_CN: `智邦ERP 返回的${what}列表缺少「${missing.join('、')}」列，无法读取（请确认 ERP 版本）`,
        en: `The Zhibang ERP ${what} list lacks the ${missing.join(', ')} column; it cannot be read (check the ERP version)`,
      },
    });
  }
}

/** BillClass: the record id (value) and its fields flattened from the groups. */
export function bill(doc: ZbDoc): { value: string; fields: Record<string, string> } {
  const b = parsePart(billClassSchema, part(doc, 'bill'), 'bill');
  const fields: Record<string, string> = {};
  for (const g of b.groups ?? []) for (const f of g.fields ?? []) fields[String(f.id)] = cellText(f.value ?? f.val ?? f.text);
  return { value: String(b.value), fields };
}

/** MessageClass, and the new record id where the reply carries one (data.ord / data.id / value). */
export function messageOf(doc: { body?: unknown; data?: unknown; Data?: unknown }): { text?: string; id?: string } {
  const m = parsePart(messageClassSchema, part(doc, 'message') ?? {}, 'message');
  const d = m.data as Record<string, unknown> | undefined;
  const id = d && typeof d === 'object' ? (d.ord ?? d.id) : ((m as Record<string, unknown>).value ?? m.data);
  return { ...(m.text ? { text: m.text } : {}), ...(typeof id === 'string' || typeof id === 'number' ? { id: String(id) } : {}) };
}

/** V3 add/edit: {ord, khid} where the installation returns them (undocumented; tolerated when absent). */
export function v3Result(reply: V3Reply): { ord?: string; khid?: string } {
  const p = reply.body ?? reply.data ?? reply.Data;
  if (typeof p === 'string' || typeof p === 'number') return { ord: String(p) };
  if (!p || typeof p !== 'object') return {};
  const r = p as Record<string, unknown>;
  const ord = r.ord ?? r.id ?? r.value;
  const khid = r.khid;
  return { ...(typeof ord === 'string' || typeof ord === 'number' ? { ord: String(ord) } : {}), ...(typeof khid === 'string' && khid ? { khid } : {}) };
}
