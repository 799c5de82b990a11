// The meta API (airtable.com/developers/web/api/list-bases, get-base-schema, create-table,
// create-field; read 2026-12-06): the base chosen by name, its tables and fields (for the
// mapping editor, for typing template values and for the inverse links the read side follows),
// and the one-click setup that creates what is missing. Bases list pages by `offset`.
import { z } from 'zod';
import { CrmError } from '../errors';
import type { CrmField, CrmFieldList, FieldChoice, PrepareResult } from '../port';
import { call, type AirtableContext } from './client';
import { TABLE_ROLES, type TableRole } from './config';
import { airtableSpec, CUSTOMER_LINK_FIELD, LIAISON_KEY_FIELD } from './spec';

const fieldMeta = z.object({ id: z.string(), name: z.string(), type: z.string(), options: z.record(z.string(), z.unknown()).nullish() }).loose();
export type FieldMeta = z.infer<typeof fieldMeta>;
const tableMeta = z.object({ id: z.string(), name: z.string(), primaryFieldId: z.string(), fields: z.array(fieldMeta) }).loose();
export type TableMeta = z.infer<typeof tableMeta>;
const basesReply = z.object({ bases: z.array(z.object({ id: z.string(), name: z.string(), permissionLevel: z.string().optional() }).loose()), offset: z.string().optional() });
const tablesReply = z.object({ tables: z.array(tableMeta) });

/** Field types no value can be written to (computed by Airtable). */
export const COMPUTED_TYPES = new Set(['formula', 'rollup', 'count', 'multipleLookupValues', 'createdTime', 'lastModifiedTime', 'createdBy', 'lastModifiedBy', 'autoNumber', 'button', 'aiText']);

/** Every base the token can see (pages of 1,000 by offset, at most 20 pages). */
export async function listBases(ctx: AirtableContext, signal?: AbortSignal): Promise<{ id: string; name: string }[]> {
  const out: { id: string; name: string }[] = [];
  let offset: string | undefined;
  for (let i = 0; i < 20; i++) {
    const r = await call(ctx, 'get', 'v0/meta/bases', { searchParams: { offset }, signal, schema: basesReply });
    out.push(...r.bases.map((b) => ({ id: b.id, name: b.name })));
    offset = r.offset;
    if (!offset) return out;
  }
  return out;
}

/** The base id: from the settings, else the base whose name is the one chosen (exactly one). */
export async function baseId(ctx: AirtableContext, signal?: AbortSignal): Promise<string> {
  if (ctx.baseId) return ctx.baseId;
  if (ctx.config.baseId) return (ctx.baseId = ctx.config.baseId);
  const name = ctx.config.baseName!;
  const hits = (await listBases(ctx, signal)).filter((b) => b.name === name);
  if (hits.length !== 1) {
    const why = hits.length ? `${hits.length} bases are named "${name}"` : `no base named "${name}" is shared with this token`;
    throw new CrmError('validation', `Airtable: ${why}`, {
      vendorCode: hits.length ? 'AMBIGUOUS_BASE' : 'BASE_NOT_FOUND',
      userMessage: hits.length
        ? { zh_CN: `有 ${hits.length} 个名为「${name}」的 Base，请先在 Airtable 中改名`, en: `${hits.length} bases are named "${name}"; rename one in Airtable first` }
        : { zh_CN: `找不到名为「${name}」的 Base：请检查名称，并在令牌的 Access 中添加该 Base`, en: `No base named "${name}": check the name and add the base under the token's Access` },
    });
  }
  return (ctx.baseId = hits[0]!.id);
}

export async function tables(ctx: AirtableContext, signal?: AbortSignal): Promise<TableMeta[]> {
  const id = await baseId(ctx, signal);
  return ctx.tables.get(id, async () => (await call(ctx, 'get', `v0/meta/bases/${id}/tables`, { signal, schema: tablesReply })).tables);
}

/** The table playing `role`, by the name the settings give it. */
export async function tableFor(ctx: AirtableContext, role: TableRole, signal?: AbortSignal): Promise<TableMeta> {
  const name = ctx.config.tables[role];
  const t = (await tables(ctx, signal)).find((x) => x.name === name);
  if (!t) {
    throw new CrmError('validation', `Airtable: the base has no table "${name}"`, {
      vendorCode: 'TABLE_NOT_FOUND',
      userMessage: { zh_CN: `Base 中没有表「${name}」，请点「一键创建表和字段」或修改表名`, en: `The base has no table "${name}"; click "Create the tables and fields" or change the table name` },
    });
  }
  return t;
}

export const fieldNamed = (t: TableMeta, name: string) => t.fields.find((f) => f.name === name);

/** The customer table's field listing the records of `t` that link to it (the inverse of t.客户). */
export function inverseLinkName(customer: TableMeta, t: TableMeta): string | undefined {
  const link = fieldNamed(t, CUSTOMER_LINK_FIELD);
  const inverse = link?.options?.inverseLinkFieldId;
  return typeof inverse === 'string' ? customer.fields.find((f) => f.id === inverse)?.name : undefined;
}

// ---- one-click setup ----

type FieldDef = { name: string; type: string; options?: Record<string, unknown>; description?: string };
const select = (names: readonly string[]) => ({ choices: names.map((name) => ({ name })) });
const dateTime = { dateFormat: { name: 'iso' }, timeFormat: { name: '24hour' }, timeZone: 'client' };
const KEY: FieldDef = { name: LIAISON_KEY_FIELD, type: 'singleLineText', description: 'Liaison: idempotency key (do not edit)' };

/** The recommended fields per table; the first one is the primary field. Field names follow spec.defaultMapping. */
function recommended(customerTableId: string): Record<TableRole, FieldDef[]> {
  const m = airtableSpec.defaultMapping;
  const link: FieldDef = { name: CUSTOMER_LINK_FIELD, type: 'multipleRecordLinks', options: { linkedTableId: customerTableId } };
  return {
    customer: [
      { name: m.customer.name, type: 'singleLineText' },
      { name: m.customer.code, type: 'singleLineText' },
      { name: m.customer.phones, type: 'phoneNumber' },
      { name: m.customer.email, type: 'email' },
      { name: m.customer.company, type: 'singleLineText' },
      { name: m.customer.source, type: 'singleLineText' },
      { name: m.customer.product, type: 'singleLineText' },
      { name: m.customer.stage, type: 'singleSelect', options: select(['新客户', '已联系', '跟进中', '方案沟通', '谈判中', '成交', '流失']) },
      { name: m.customer.nextFollowUpAt, type: 'dateTime', options: dateTime },
      { name: m.customer.notes, type: 'multilineText' },
      KEY,
    ],
    followUp: [
      { name: m.followUp.content, type: 'multilineText' },
      link,
      { name: m.followUp.method, type: 'singleSelect', options: select(['电话', '微信', '面谈', '邮件', '其他']) },
      { name: m.followUp.result, type: 'singleSelect', options: select(['有意向', '无意向', '待考虑', '已拒绝']) },
      { name: m.followUp.nextAction, type: 'singleLineText' },
      { name: m.followUp.nextAt, type: 'dateTime', options: dateTime },
      { name: m.followUp.at, type: 'dateTime', options: dateTime },
      { name: m.followUp.by, type: 'singleLineText' },
      KEY,
    ],
    deal: [
      { name: m.deal.product, type: 'singleLineText' },
      link,
      { name: m.deal.institution, type: 'singleLineText' },
      { name: m.deal.amount, type: 'number', options: { precision: 2 } },
      { name: m.deal.status, type: 'singleSelect', options: select(['进行中', '已放款', '已取消']) },
      { name: m.deal.closedAt, type: 'dateTime', options: dateTime },
      KEY,
    ],
    task: [
      { name: '任务', type: 'singleLineText' },
      link,
      { name: '截止时间', type: 'dateTime', options: dateTime },
      { name: '说明', type: 'multilineText' },
      KEY,
    ],
  };
}

/** Creates missing tables and fields (customers first: the others link to it). */
export async function prepare(ctx: AirtableContext, signal?: AbortSignal): Promise<PrepareResult> {
  const id = await baseId(ctx, signal);
  const created: string[] = [];
  const problems: string[] = [];
  const tableIds: Partial<Record<TableRole, string>> = {};
  for (const role of TABLE_ROLES) {
    const name = ctx.config.tables[role];
    ctx.tables.clear();
    const existing = (await tables(ctx, signal)).find((t) => t.name === name);
    const defs = recommended(tableIds.customer ?? '')[role];
    if (!existing) {
      const t = await call(ctx, 'post', `v0/meta/bases/${id}/tables`, { json: { name, fields: defs }, write: true, signal, schema: tableMeta });
      tableIds[role] = t.id;
      created.push(name);
      continue;
    }
    tableIds[role] = existing.id;
    for (const def of defs) {
      const have = fieldNamed(existing, def.name);
      if (have) {
        if (have.type !== def.type && !(def.type === 'singleLineText' && ['multilineText', 'phoneNumber', 'email'].includes(have.type))) problems.push(`${name}.${def.name} (${have.type}, expected ${def.type})`);
        continue;
      }
      try {
        await call(ctx, 'post', `v0/meta/bases/${id}/tables/${existing.id}/fields`, { json: def, write: true, signal, schema: fieldMeta });
        created.push(`${name}.${def.name}`);
      } catch (e) {
        if (!(e instanceof CrmError && e.kind === 'validation')) throw e;
        problems.push(`${name}.${def.name} (${e.vendorCode ?? 'refused'})`);
      }
    }
  }
  ctx.tables.clear();
  const keyless = TABLE_ROLES.filter((r) => problems.some((p) => p.startsWith(`${ctx.config.tables[r]}.${LIAISON_KEY_FIELD}`)));
  return { settings: { baseId: id }, created, problems, usable: keyless.length === 0 };
}

// ---- the mapping editor and the connect form ----

function toField(f: FieldMeta): CrmField {
  const choices = (f.options?.choices as { name?: string }[] | undefined)?.map((c) => c.name).filter((n): n is string => typeof n === 'string');
  return { name: f.name, type: f.type, ...(choices?.length ? { options: choices } : {}) };
}

export function writable(f: FieldMeta): boolean {
  return !COMPUTED_TYPES.has(f.type) && f.name !== LIAISON_KEY_FIELD && f.name !== CUSTOMER_LINK_FIELD;
}

export async function listFields(ctx: AirtableContext, signal?: AbortSignal): Promise<CrmFieldList> {
  const out: CrmFieldList = {};
  const customer = await tableFor(ctx, 'customer', signal);
  out.customer = customer.fields.filter(writable).filter((f) => f.type !== 'multipleRecordLinks').map(toField);
  for (const [section, role] of [['followUp', 'followUp'], ['deal', 'deal']] as const) {
    const t = (await tables(ctx, signal)).find((x) => x.name === ctx.config.tables[role]);
    if (t) out[section] = t.fields.filter(writable).map(toField);
  }
  return out;
}

/** The connect form's choices: bases by name, then the chosen base's tables. */
export async function fieldChoices(ctx: AirtableContext, key: string, signal?: AbortSignal): Promise<FieldChoice[] | undefined> {
  if (key === 'baseName') return (await listBases(ctx, signal)).map((b) => ({ value: b.name, label: b.name }));
  if (['customerTable', 'followUpTable', 'dealTable', 'taskTable'].includes(key)) return (await tables(ctx, signal)).map((t) => ({ value: t.name, label: t.name }));
  return undefined;
}
