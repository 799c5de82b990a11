// Liaison values ↔ Notion page property values, by the property's type in the data source
// schema (developers.notion.com reference/page-property-values): title and rich_text are arrays
// of text objects (≤ 2,000 characters each, ≤ 100 per array: reference/request-limits), select
// and status {name}, multi_select [{name}], date {start}, phone_number / email / url strings,
// number. Seed 004 maps 客户姓名 → title, 平台/状态/优先级 → select, 内容 → rich_text, 创建时间 → date.
import { customerSchema, type Customer } from '../../model';
import { normalizePhone } from '../../phone';
import { CrmError } from '../errors';
import type { CustomerPatch, MappableCustomerField, RemoteFieldValues } from '../port';
import { conversionError, matchOption, notWritableError, parseNumber, splitList, toInstant, toText, type TemplateValue } from '../template-values';
import type { NotionConfig } from './config';
import { plain, notionTime, type DataSource, type PropertyValue, type RichTextItem, type SchemaProperty } from './objects';
import { LIAISON_KEY_PROPERTY, notionSpec } from './spec';

export const TEXT_CHUNK = 2000;
const MAX_ITEMS = 100;
/** Property types a value can be written to (formulas, rollups, created_time… cannot). */
export const WRITABLE_TYPES = ['title', 'rich_text', 'select', 'status', 'multi_select', 'date', 'phone_number', 'email', 'url', 'number', 'checkbox'] as const;

export function textItems(s: string): { type: 'text'; text: { content: string } }[] {
  const out: { type: 'text'; text: { content: string } }[] = [];
  for (let i = 0; i < s.length && out.length < MAX_ITEMS; i += TEXT_CHUNK) out.push({ type: 'text', text: { content: s.slice(i, i + TEXT_CHUNK) } });
  return out;
}

export type CustomerNames = Partial<Record<MappableCustomerField, string>>;

/** Mapped names; the name goes to the data source's title property when the mapped one is absent. */
export function customerNames(config: Pick<NotionConfig, 'mapping'>, ds?: DataSource): CustomerNames {
  const names: CustomerNames = { ...notionSpec.defaultMapping.customer, ...config.mapping.customer };
  if (ds && names.name && !ds.properties[names.name]) {
    const title = Object.values(ds.properties).find((p) => p.type === 'title');
    if (title) names.name = title.name;
  }
  return names;
}

const day = (ms: number) => new Date(ms).toISOString();

/** One property value for `type` from a Liaison value (null clears). */
export function encodeValue(p: SchemaProperty, v: unknown): Record<string, unknown> {
  const s = Array.isArray(v) ? v.join(', ') : v === undefined || v === null ? '' : String(v);
  switch (p.type) {
    case 'title':
      return { title: textItems(s) };
    case 'rich_text':
      return { rich_text: textItems(s) };
    case 'select':
      return { select: s ? { name: s.replace(/,/g, '，').slice(0, 100) } : null };
    case 'status':
      return { status: s ? { name: s } : null };
    case 'multi_select': {
      const items = Array.isArray(v) ? v.map(String) : s ? splitList(s) : [];
      return { multi_select: items.map((name) => ({ name: name.replace(/,/g, '，').slice(0, 100) })) };
    }
    case 'date':
      return { date: typeof v === 'number' ? { start: day(v) } : s ? { start: s } : null };
    case 'phone_number':
      return { phone_number: (Array.isArray(v) ? (v[0] as string | undefined) : s) || null };
    case 'email':
      return { email: s || null };
    case 'url':
      return { url: s || null };
    case 'number': {
      const n = typeof v === 'number' ? v : s ? parseNumber(s) : undefined;
      return { number: n ?? null };
    }
    default:
      throw notWritableError('Notion', p.name, p.type);
  }
}

/**
 * Page properties for a customer (create: empty values left out) or a patch (only its keys).
 * A mapped property the data source lacks is left out and named (setup adds it).
 */
export function customerProperties(c: Partial<Customer> | CustomerPatch, names: CustomerNames, ds: DataSource, mode: 'create' | 'patch'): { properties: Record<string, unknown>; missing: string[] } {
  const properties: Record<string, unknown> = {};
  const missing: string[] = [];
  for (const [key, name] of Object.entries(names) as [MappableCustomerField, string][]) {
    if (mode === 'patch' && !(key in c)) continue;
    const v = (c as Record<string, unknown>)[key];
    const empty = v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
    if (mode === 'create' && empty) continue;
    const p = ds.properties[name];
    if (!p) {
      missing.push(name);
      continue;
    }
    properties[name] = encodeValue(p, v);
  }
  return { properties, missing };
}

export function keyProperty(ds: DataSource, key: string): Record<string, unknown> {
  if (!ds.properties[LIAISON_KEY_PROPERTY]) {
    throw new CrmError('validation', `Notion: the data source has no "${LIAISON_KEY_PROPERTY}" property`, {
      vendorCode: 'NO_LIAISON_KEY',
      userMessage: {
        zh_CN: `Notion 数据库缺少「${LIAISON_KEY_PROPERTY}」属性（防止重复创建），请在连接设置中点「添加 Liaison 需要的属性」`,
        en: `The Notion database lacks the "${LIAISON_KEY_PROPERTY}" property (it prevents duplicates); click "Add the properties Liaison needs" in the connection settings`,
      },
    });
  }
  return { [LIAISON_KEY_PROPERTY]: { rich_text: textItems(key) } };
}

/** A template value (WriteOptions.fields) as the property's type takes it. */
export function templateValue(p: SchemaProperty | undefined, name: string, v: TemplateValue): Record<string, unknown> {
  if (!p) return { rich_text: textItems(toText(v)) }; // Notion names the missing property in its validation_error
  switch (p.type) {
    case 'number': {
      const n = parseNumber(v);
      if (n === undefined) throw conversionError('Notion', name, 'number');
      return { number: n };
    }
    case 'date':
      return { date: { start: day(toInstant('Notion', name, v, 'date')) } };
    case 'checkbox': {
      const t = toText(v).trim();
      if (!['true', 'false', '是', '否', '1', '0'].includes(t)) throw conversionError('Notion', name, 'boolean');
      return { checkbox: ['true', '是', '1'].includes(t) };
    }
    case 'select':
    case 'status': {
      const options = p[p.type]?.options ?? [];
      const hit = matchOption(options, toText(v).trim(), (o) => [o.name]);
      // select creates a missing option on write; status cannot (its options are fixed by the workspace).
      if (p.type === 'status' && !hit) throw conversionError('Notion', name, 'option', options.map((o) => o.name).join(' / '));
      return { [p.type]: { name: hit?.name ?? toText(v).trim() } };
    }
    default:
      return encodeValue(p, toText(v));
  }
}

// ---- Reading back ----

export function readText(v: PropertyValue | undefined): string | undefined {
  if (!v) return undefined;
  const raw = v[v.type];
  switch (v.type) {
    case 'title':
    case 'rich_text':
      return plain(raw as RichTextItem[]).trim() || undefined;
    case 'select':
    case 'status':
      return (raw as { name?: string } | null)?.name?.trim() || undefined;
    case 'phone_number':
    case 'email':
    case 'url':
      return typeof raw === 'string' && raw.trim() ? raw.trim() : undefined;
    case 'number':
      return typeof raw === 'number' ? String(raw) : undefined;
    case 'date':
      return (raw as { start?: string } | null)?.start ?? undefined;
    case 'unique_id': {
      const u = raw as { prefix?: string | null; number?: number | null } | null;
      return u?.number != null ? `${u.prefix ? `${u.prefix}-` : ''}${u.number}` : undefined;
    }
    default:
      return undefined;
  }
}

type Read = { ok: true; value: unknown } | { ok: false };

function readField(key: MappableCustomerField, v: PropertyValue): Read {
  const raw = v[v.type];
  switch (key) {
    case 'phones': {
      const t = readText(v);
      return { ok: true, value: t ? [normalizePhone(t) ?? t] : null };
    }
    case 'tags': {
      if (v.type === 'multi_select') {
        const names = ((raw as { name: string }[] | null) ?? []).map((o) => o.name);
        return { ok: true, value: names.length ? names : null };
      }
      const t = readText(v);
      return { ok: true, value: t ? splitList(t) : null };
    }
    case 'amount': {
      if (v.type === 'number') return { ok: true, value: typeof raw === 'number' ? raw : null };
      const t = readText(v);
      const n = t ? parseNumber(t) : undefined;
      return t === undefined ? { ok: true, value: null } : n === undefined ? { ok: false } : { ok: true, value: n };
    }
    case 'nextFollowUpAt': {
      const t = readText(v);
      if (!t) return { ok: true, value: null };
      const ms = notionTime(t);
      return ms === undefined ? { ok: false } : { ok: true, value: ms };
    }
    default:
      return { ok: true, value: readText(v) ?? null };
  }
}

/** A page's properties as Liaison fields; a mapped property missing from the page, or a value the model refuses, is unreadable. */
export function customerFields(props: Record<string, PropertyValue>, names: CustomerNames): { fields: RemoteFieldValues; unreadable: string[] } {
  const fields: Record<string, unknown> = {};
  const unreadable: string[] = [];
  for (const [key, name] of Object.entries(names) as [MappableCustomerField, string][]) {
    const v = props[name];
    if (!v) {
      unreadable.push(key);
      continue;
    }
    const r = readField(key, v);
    if (!r.ok || (r.value !== null && !customerSchema.shape[key].safeParse(r.value).success)) {
      unreadable.push(key);
      continue;
    }
    fields[key] = r.value;
  }
  return { fields: fields as RemoteFieldValues, unreadable };
}
