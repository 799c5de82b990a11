// Listing a table's fields (GET …/tables/:table_id/fields) and naming the culprit when a write
// is refused: Feishu's 1254045 FieldNameNotFound and the *FieldConvFail codes don't say which
// field, so after such a refusal (never before: the happy path costs nothing) we list the
// fields once and report the unknown names and the values of the wrong kind.
import { z } from 'zod';
import { CrmError } from '../errors';
import { FIELD_VALUE_CODES } from './codes';
import { appPath, call, type FeishuContext } from './client';
import { requireAppToken } from './config';
import { FT } from './schema';

const fieldSchema = z.object({
  field_id: z.string(),
  field_name: z.string(),
  type: z.number(),
  is_primary: z.boolean().optional(),
  property: z.record(z.string(), z.unknown()).nullable().optional(),
});
export type FeishuField = z.infer<typeof fieldSchema>;
const page = z.object({ items: z.array(fieldSchema).nullish(), has_more: z.boolean().optional(), page_token: z.string().nullish() });

export async function listFields(ctx: FeishuContext, tableId: string, signal?: AbortSignal): Promise<FeishuField[]> {
  const app = requireAppToken(ctx.config);
  const out: FeishuField[] = [];
  let pageToken: string | undefined;
  for (let i = 0; i < 20; i++) {
    const data = await call(ctx, 'get', appPath(app, 'tables', tableId, 'fields'), {
      searchParams: { page_size: 100, page_token: pageToken },
      signal,
      data: page,
    });
    out.push(...(data.items ?? []));
    if (!data.has_more || !data.page_token) break;
    pageToken = data.page_token;
  }
  return out;
}

/** Types Bitable fills itself: lookup, formula, created/modified time and user, auto number. */
export const COMPUTED_TYPES: ReadonlySet<number> = new Set([19, 20, FT.createdTime, FT.modifiedTime, FT.createdUser, FT.modifiedUser, FT.autoNumber]);

/** Whether a value we send fits a field of this type (多维表格记录数据结构). */
export function valueFits(type: number, v: unknown): boolean {
  if (v === null) return true;
  switch (type) {
    case FT.text:
    case FT.singleSelect:
      return typeof v === 'string';
    case FT.phone:
      return typeof v === 'string' && /^\+?\d*$/.test(v) && v.length <= 64;
    case FT.number:
      return typeof v === 'number';
    case FT.dateTime:
      return typeof v === 'number' && Number.isInteger(v);
    case FT.multiSelect:
    case FT.singleLink:
    case FT.duplexLink:
      return Array.isArray(v) && v.every((x) => typeof x === 'string');
    case FT.checkbox:
      return typeof v === 'boolean';
    case FT.user:
      return Array.isArray(v) && v.every((x) => x && typeof x === 'object' && 'id' in x);
    default:
      return !COMPUTED_TYPES.has(type); // Bitable fills those; no value fits
  }
}

/** Runs a write; a field-related refusal becomes a validation error naming the fields. */
export async function withFieldDiagnosis<T>(ctx: FeishuContext, tableId: string, sent: Record<string, unknown>[], fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (!(e instanceof CrmError) || e.vendorCode === undefined || !FIELD_VALUE_CODES.has(Number(e.vendorCode))) throw e;
    let fields: FeishuField[];
    try {
      fields = await listFields(ctx, tableId, signal);
    } catch {
      throw e; // the diagnosis is a courtesy; the original refusal stands
    }
    const byName = new Map(fields.map((f) => [f.field_name, f]));
    const missing = new Set<string>();
    const wrong = new Set<string>();
    const computed = new Set<string>();
    for (const rec of sent) {
      for (const [name, v] of Object.entries(rec)) {
        const f = byName.get(name);
        if (!f) missing.add(name);
        else if (COMPUTED_TYPES.has(f.type)) computed.add(name);
        else if (!valueFits(f.type, v)) wrong.add(name);
      }
    }
    const parts = [
      ...(missing.size ? [`field(s) not in the table: ${[...missing].join(', ')}`] : []),
      ...(wrong.size ? [`value of the wrong type for: ${[...wrong].join(', ')}`] : []),
      ...(computed.size ? [`filled by Bitable itself (auto number, modified time…), not writable: ${[...computed].join(', ')}`] : []),
    ];
    if (!parts.length) throw e;
    const zh = [
      ...(missing.size ? [`飞书表中没有字段「${[...missing].join('」「')}」，请检查字段映射或重新检查表格`] : []),
      ...(wrong.size ? [`字段「${[...wrong].join('」「')}」的类型与写入的值不符`] : []),
      ...(computed.size ? [`字段「${[...computed].join('」「')}」由飞书自动填写（如自动编号），不能写入：请检查字段映射或重新「创建/检查推荐表格」`] : []),
    ];
    throw new CrmError('validation', `${e.message} — ${parts.join('; ')}`.slice(0, 400), {
      vendorCode: e.vendorCode,
      ...(e.status !== undefined ? { status: e.status } : {}),
      userMessage: { zh_CN: zh.join('；'), en: `The Feishu table refused the data: ${parts.join('; ')}` },
      cause: e,
    });
  }
}
