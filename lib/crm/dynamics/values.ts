// Liaison records ↔ Dataverse columns. Customers: the customer table's text columns by the
// mapping (spec.defaultMapping for contact; lead adds companyname and the required topic
// `subject`), overridden by connection.settings.mapping.customer. Notes and deals carry a
// `[Liaison <key>]` line so a pull tells Liaison's own rows from colleagues'.
import type { Customer, Deal, FollowUp } from '../../model';
import { CrmError } from '../errors';
import type { CustomerPatch, MappableCustomerField, RemoteFieldValues } from '../port';

import { refuseReserved, hasFields, type TemplateFields } from '../template-values';
import { ENTITY, type CustomerEntity } from './config';
import { dynamicsSpec } from './spec';

const TEXT_FIELDS = ['code', 'name', 'company', 'wechatId', 'email', 'source', 'product', 'stage', 'grade', 'owner', 'keyword', 'notes'] as const;
type TextField = (typeof TEXT_FIELDS)[number];
const isText = (f: string): f is TextField => (TEXT_FIELDS as readonly string[]).includes(f);

/** Liaison field → column of the customer table. */
export function customerMapping(entity: CustomerEntity, settings: Record<string, unknown>): Partial<Record<MappableCustomerField, string>> {
  const base: Partial<Record<MappableCustomerField, string>> = { ...dynamicsSpec.defaultMapping.customer, ...(entity === 'lead' ? { company: 'companyname' } : {}) };
  const user = (settings.mapping as { customer?: Record<string, unknown> } | undefined)?.customer ?? {};
  for (const [k, v] of Object.entries(user)) if (typeof v === 'string' && v && (isText(k) || k === 'phones' || k === 'amount')) base[k as MappableCustomerField] = v;
  return base;
}

/** The columns a customer row is written with (create: everything; update: the patch). */
export function customerBody(entity: CustomerEntity, mapping: Partial<Record<MappableCustomerField, string>>, c: CustomerPatch, create: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(mapping) as [MappableCustomerField, string][]) {
    if (!(field in c)) continue;
    const v = (c as Record<string, unknown>)[field];
    if (field === 'phones') out[column] = Array.isArray(v) && typeof v[0] === 'string' ? v[0] : null;
    else if (field === 'amount') out[column] = typeof v === 'number' ? v : null;
    else if (isText(field)) out[column] = typeof v === 'string' && v !== '' ? v : null;
  }
  // lead: the topic (subject) is required on create; the customer's name is the natural one.
  if (entity === 'lead' && create && c.name) out.subject ??= c.name;
  return out;
}

export function readCustomerValues(mapping: Partial<Record<MappableCustomerField, string>>, row: Record<string, unknown>): { fields: RemoteFieldValues; unreadable: string[] } {
  const fields: Record<string, unknown> = {};
  const unreadable: string[] = [];
  for (const [field, column] of Object.entries(mapping) as [MappableCustomerField, string][]) {
    if (!(column in row)) continue;
    const v = row[column];
    if (v === null || v === '') fields[field] = field === 'phones' ? [] : null;
    else if (field === 'phones') fields[field] = typeof v === 'string' ? [v] : (unreadable.push(field), undefined);
    else if (field === 'amount') typeof v === 'number' ? (fields[field] = v) : unreadable.push(field);
    else if (typeof v === 'string') fields[field] = v;
    else unreadable.push(field);
  }
  for (const k of Object.keys(fields)) if (fields[k] === undefined) delete fields[k];
  return { fields: fields as RemoteFieldValues, unreadable };
}

/** The columns read for a customer: key, modifiedon and every mapped column. */
export function customerSelect(entity: CustomerEntity, mapping: Partial<Record<MappableCustomerField, string>>): string {
  return [...new Set([ENTITY[entity].key, 'modifiedon', ...Object.values(mapping)])].join(',');
}

const KEY_LINE = /^\[Liaison ([^\]\s]+)\]$/m;
export const keyLine = (key: string) => `[Liaison ${key}]`;
export function keyOf(text: unknown): string | undefined {
  return typeof text === 'string' ? KEY_LINE.exec(text)?.[1] : undefined;
}
export function withoutKeyLine(text: string): string {
  return text.replace(/\n?\[Liaison [^\]\s]+\]\s*$/m, '').trimEnd();
}

const LABELS = { result: '结果', nextAction: '下一步', nextAt: '下次跟进' };

/** annotation columns: subject = the method, notetext = content, result, next step, key line. */
export function noteBody(f: FollowUp, key: string): { subject: string; notetext: string } {
  const lines = [f.content];
  if (f.result) lines.push(`${LABELS.result}：${f.result}`);
  if (f.nextAction) lines.push(`${LABELS.nextAction}：${f.nextAction}`);
  if (f.nextAt) lines.push(`${LABELS.nextAt}：${new Date(f.nextAt).toISOString()}`);
  lines.push(keyLine(key));
  return { subject: `跟进记录 · ${f.method}`.slice(0, 500), notetext: lines.join('\n') };
}

/** A note's text back as content, result, next step (what noteBody wrote; a colleague's note is all content). */
export function readNote(subject: unknown, text: unknown): { content: string; method?: string; result?: string; nextAction?: string; nextAt?: number } {
  const body = typeof text === 'string' ? withoutKeyLine(text) : '';
  const out: { content: string; method?: string; result?: string; nextAction?: string; nextAt?: number } = { content: body };
  const m = typeof subject === 'string' ? /^跟进记录 · (.+)$/.exec(subject) : null;
  if (m && keyOf(text)) {
    out.method = m[1]!;
    const content: string[] = [];
    for (const line of body.split('\n')) {
      const [label, ...rest] = line.split('：');
      const value = rest.join('：');
      if (rest.length && label === LABELS.result) out.result = value;
      else if (rest.length && label === LABELS.nextAction) out.nextAction = value;
      else if (rest.length && label === LABELS.nextAt && !Number.isNaN(Date.parse(value))) out.nextAt = Date.parse(value);
      else content.push(line);
    }
    out.content = content.join('\n');
  }
  return out;
}

export function dealBody(d: Deal, key: string): Record<string, unknown> {
  const detail = [d.institution && `机构：${d.institution}`, d.rate !== undefined && `利率：${d.rate}%`, d.termMonths !== undefined && `期限：${d.termMonths} 个月`, d.commission !== undefined && `佣金：${d.commission}`].filter(Boolean);
  return {
    name: d.product,
    ...(d.amount !== undefined ? { estimatedvalue: d.amount } : {}),
    description: [...detail, keyLine(key)].join('\n'),
  };
}

/** opportunity statecode (Open 0, Won 1, Lost 2) → Liaison's deal status. */
export function dealStatus(statecode: unknown): Deal['status'] {
  return statecode === 1 ? '已放款' : statecode === 2 ? '已取消' : '进行中';
}

/** The user's template fields on top of ours; the key, ids and links stay Liaison's. */
export function applyTemplateFields(body: Record<string, unknown>, fields: TemplateFields | undefined, reserved: readonly string[]): Record<string, unknown> {
  if (!hasFields(fields)) return body;
  refuseReserved('Dynamics 365', fields, (name) => {
    const lower = name.toLowerCase();
    if (reserved.includes(lower)) return 'the row id, its link or the [Liaison key] line';
    if (lower.includes('@odata')) return 'an OData annotation';
    return undefined;
  });
  for (const [k, v] of Object.entries(fields)) {
    if (!/^[a-z_][a-z0-9_]*$/i.test(k)) throw new CrmError('validation', `Dynamics 365: "${k}" is not a column logical name`, { vendorCode: 'TEMPLATE_VALUE' });
    body[k] = v;
  }
  return body;
}
