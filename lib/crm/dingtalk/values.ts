// Liaison records ↔ DingTalk CRM form data. A customer's `data` is a map from form field name
// (customer_name, or an organisation's own TextField-…/DDPhoneField-…) to a value: plain text for
// text fields, or {value, extendValue} for select, lookup and phone controls (the response
// examples of the query pages). Times are "yyyy-MM-dd HH:mm:ss" in China time (UTC+8) on the
// customer APIs and epoch-ms strings on the follow-record API.
import type { FollowUp } from '../../model';
import { normalizePhone } from '../../phone/normalize';
import type { CustomerPatch, RemoteFieldValues } from '../port';
import type { DingtalkConfig } from './config';

export type CustomerMapping = { name: string } & Partial<Record<'phones' | 'email' | 'notes' | 'company' | 'code' | 'wechatId', string>>;

export function customerMapping(cfg: Pick<DingtalkConfig, 'mapping'>): CustomerMapping {
  const m = cfg.mapping.customer ?? {};
  return { ...m, name: m.name ?? 'customer_name' } as CustomerMapping;
}

/** A phone as Chinese CRMs keep it: mainland numbers without +86, others in E.164. */
export function crmPhone(e164: string): string {
  return e164.startsWith('+86') ? e164.slice(3) : e164;
}

/** The form data for the mapped fields present in `c` (a whole customer or a patch). */
export function customerData(c: CustomerPatch, cfg: Pick<DingtalkConfig, 'mapping'>): Record<string, string> {
  const m = customerMapping(cfg);
  const data: Record<string, string> = {};
  const put = (field: string | undefined, v: string | undefined) => {
    if (field && v !== undefined) data[field] = v;
  };
  if (c.name !== undefined) put(m.name, c.name.trim().slice(0, 100) || '(未命名)');
  if (c.phones !== undefined) put(m.phones, c.phones[0] ? crmPhone(c.phones[0]) : '');
  if (c.email !== undefined) put(m.email, c.email ?? '');
  if (c.notes !== undefined) put(m.notes, c.notes ?? '');
  if (c.company !== undefined) put(m.company, c.company ?? '');
  if (c.code !== undefined) put(m.code, c.code ?? '');
  if (c.wechatId !== undefined) put(m.wechatId, c.wechatId ?? '');
  return data;
}

/** A form value as text: strings as they are, controls by their `value`. */
export function textOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number') return String(v);
  if (v && typeof v === 'object' && 'value' in v) return textOf((v as { value: unknown }).value);
  return undefined;
}

export function customerFields(data: Record<string, unknown>, cfg: Pick<DingtalkConfig, 'mapping'>): { fields: RemoteFieldValues; unreadable: string[] } {
  const m = customerMapping(cfg);
  const fields: RemoteFieldValues = { name: textOf(data[m.name]) ?? null };
  const unreadable: string[] = [];
  const str = (k: 'email' | 'notes' | 'company' | 'code' | 'wechatId') => {
    const f = m[k];
    if (f) fields[k] = textOf(data[f]) ?? null;
  };
  if (m.phones) {
    const raw = textOf(data[m.phones]);
    const phones = raw ? raw.split(/[,，;；\s]+/).filter(Boolean) : [];
    const normal = phones.map((p) => normalizePhone(p));
    if (normal.some((p) => p === null)) unreadable.push('phones');
    else fields.phones = normal as string[];
  }
  str('email');
  str('notes');
  str('company');
  str('code');
  str('wechatId');
  return { fields, unreadable };
}

/** "2019-12-25 15:33:12" (China time) → epoch ms; also epoch-ms strings. Undefined when neither. */
export function parseDingTime(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v !== 'string') return undefined;
  if (/^\d{12,14}$/.test(v)) return Number(v);
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/.exec(v.trim());
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}+08:00`);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * A queryDsl (inner-query-dsl-description): one group of conditions joined by `logic`, with
 * an optional order on gmt_create / gmt_modified (the only orderable fields).
 */
export function queryDsl(logic: 'AND' | 'OR', conditions: { fieldId: string; filterType: 'EQ' | 'SEARCH' | 'IN' | 'BETWEEN'; value: string | string[] }[], order?: { field: 'gmt_create' | 'gmt_modified'; dir: 'ASC' | 'DESC' }): string {
  return JSON.stringify({ queryGroupList: [{ logicType: logic, queryObjectList: conditions }], ...(order ? { order: order.dir, orderFieldId: order.field } : {}) });
}

// Follow-ups: the text lines end with a [Liaison <key>] line, the record's own proof that
// Liaison wrote it (the read API returns no bizExtMap to keep the key in).
export const keyMarker = (key: string) => `[Liaison ${key.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 100)}]`;
export const markerIn = (content: string) => /\[Liaison ([A-Za-z0-9_-]{1,100})\]\s*$/.exec(content)?.[1];
export const withoutMarker = (content: string) => content.replace(/\n?\[Liaison [A-Za-z0-9_-]{1,100}\]\s*$/, '').trim();

export function followUpText(f: FollowUp, key: string): string {
  const main = f.content?.trim() || f.summary?.trim() || '';
  return [
    main,
    ...(f.method ? [`跟进方式：${f.method}`] : []),
    ...(f.result ? [`跟进结果：${f.result}`] : []),
    ...(f.nextAction ? [`下次行动：${f.nextAction}`] : []),
    ...(f.nextAt ? [`下次时间：${new Date(f.nextAt + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')}`] : []),
    keyMarker(key),
  ].filter(Boolean).join('\n');
}

/** The lines followUpText wrote, read back (method / result only when Liaison knows the words). */
export function readFollowUpText(text: string): { content: string; method?: string; result?: string; nextAction?: string } {
  const body = withoutMarker(text);
  const lines = body.split('\n');
  const out: { content: string; method?: string; result?: string; nextAction?: string } = { content: '' };
  const rest: string[] = [];
  for (const line of lines) {
    const m = /^(跟进方式|跟进结果|下次行动|下次时间)：(.*)$/.exec(line);
    if (!m) rest.push(line);
    else if (m[1] === '跟进方式') out.method = m[2]!.trim();
    else if (m[1] === '跟进结果') out.result = m[2]!.trim();
    else if (m[1] === '下次行动') out.nextAction = m[2]!.trim();
  }
  out.content = rest.join('\n').trim();
  return out;
}
