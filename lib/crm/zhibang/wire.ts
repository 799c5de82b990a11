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

const sourceClassSchema = z.looseObject({
  table: z.looseObject({
    cols: z.array(z.union([z.string(), z.looseObject({ id: scalar })])),
    rows: z.array(z.array(z.unknown())),
  }),
});

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

/** SourceClass table → one record per row keyed by column id (cols zipped with rows). */
export function tableRows(doc: ZbDoc): Record<string, string>[] {
  const src = parsePart(sourceClassSchema, part(doc, 'source'), 'list');
  const ids = src.table.cols.map((c) => String(typeof c === 'string' ? c : c.id));
  return src.table.rows.map((row) => Object.fromEntries(ids.map((id, i) => [id, cellText(row[i])])));
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
