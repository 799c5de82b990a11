// Liaison customer fields ↔ the follow user's view of a 客户联系 contact. The mapping (spec.ts
// defaultMapping, overridden by settings.mapping) names one of WECOM_FIELDS per Liaison field:
// remark (≤ 20 chars), description (≤ 150), remark_company (≤ 20), remark_mobiles (a list) and
// tags (corp tag names, mark_tag). Over-long text is cut to WeCom's documented limit and the cut
// is named in the write's warnings (Liaison keeps the whole value).
import { INTENT_LEVELS } from '../../model/enums';
import { normalizePhone } from '../../phone';
import { CrmError } from '../errors';
import type { CustomerPatch, MappableCustomerField, RemoteFieldValues, WriteOptions } from '../port';
import type { CrmMapping } from '../spec';
import { WECOM_FIELDS, WECOM_LIMITS, wecomSpec, type WecomField } from './spec';

export interface WecomWrite {
  remark?: string;
  description?: string;
  remark_company?: string;
  remark_mobiles?: string[];
  /** Corp tag names wanted on the contact (resolved to ids by tags.ts). */
  tags?: string[];
}

/** The effective mapping: Liaison field → WeCom field (only WECOM_FIELDS targets are kept). */
export function customerMapping(mapping: Partial<CrmMapping>): Partial<Record<MappableCustomerField, WecomField>> {
  const merged = { ...wecomSpec.defaultMapping.customer, ...(mapping.customer ?? {}) } as Record<string, string | undefined>;
  const out: Partial<Record<MappableCustomerField, WecomField>> = {};
  for (const [k, v] of Object.entries(merged)) {
    if (v && (WECOM_FIELDS as readonly string[]).includes(v)) out[k as MappableCustomerField] = v as WecomField;
  }
  return out;
}

/** A phone for WeCom's remark_mobiles: mainland numbers as the 11 digits people type, others E.164. */
export function wecomPhone(e164: string): string {
  return /^\+861\d{10}$/.test(e164) ? e164.slice(3) : e164;
}

function asText(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.map(String).join(', ') || undefined;
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return v.trim() || undefined;
  return undefined;
}

function splitList(v: string): string[] {
  return v.split(/[,，;；|\s]+/).map((s) => s.trim()).filter(Boolean);
}

function unknownField(name: string): CrmError {
  return new CrmError('validation', `WeCom: "${name.slice(0, 60)}" is not a writable contact field (${WECOM_FIELDS.join(', ')})`, {
    vendorCode: 'UNKNOWN_FIELD',
    userMessage: { zh_CN: `字段映射中的「${name.slice(0, 60)}」不是企业微信客户可写的字段（备注、描述、备注企业、备注手机号、标签）`, en: `"${name.slice(0, 60)}" in the field mapping is not a writable WeCom contact field (remark, description, remark company, remark mobiles, tags)` },
  });
}

/** What to write for a patch (only mapped, non-empty values) plus template fields; warnings name cuts. */
export function toWecom(patch: CustomerPatch, mapping: Partial<CrmMapping>, templates: WriteOptions['fields']): { write: WecomWrite; warnings: string[] } {
  const m = customerMapping(mapping);
  const write: WecomWrite = {};
  const put = (target: WecomField, value: unknown) => {
    if (target === 'remark_mobiles') {
      const list = Array.isArray(value) ? value.map(String) : typeof value === 'string' ? splitList(value) : [];
      const phones = list.map((p) => wecomPhone(normalizePhone(p) ?? p)).filter(Boolean);
      if (phones.length) write.remark_mobiles = [...new Set([...(write.remark_mobiles ?? []), ...phones])];
      return;
    }
    if (target === 'tags') {
      const list = Array.isArray(value) ? value.map((t) => String(t).trim()).filter(Boolean) : typeof value === 'string' ? splitList(value) : [];
      if (list.length || Array.isArray(value)) write.tags = [...new Set([...(write.tags ?? []), ...list])];
      return;
    }
    const text = asText(value);
    if (text !== undefined) write[target] = text;
  };
  for (const [field, target] of Object.entries(m) as [MappableCustomerField, WecomField][]) {
    if (field in patch) put(target, patch[field as keyof CustomerPatch]);
  }
  for (const [name, value] of Object.entries(templates ?? {})) {
    if (!(WECOM_FIELDS as readonly string[]).includes(name)) throw unknownField(name);
    put(name as WecomField, value);
  }
  const warnings: string[] = [];
  for (const [f, max] of Object.entries(WECOM_LIMITS) as [WecomField, number][]) {
    const v = write[f as 'remark' | 'description' | 'remark_company'];
    if (v !== undefined && [...v].length > max) {
      write[f as 'remark' | 'description' | 'remark_company'] = [...v].slice(0, max).join('');
      warnings.push(`${f} (cut to ${max} characters)`);
    }
  }
  return { write, warnings };
}

/** The follow user's entry, as both externalcontact/get and batch/get_by_user describe it. */
export interface FollowEntry {
  userid: string;
  remark?: string | undefined;
  description?: string | undefined;
  createtime?: number | undefined;
  remark_corp_name?: string | undefined;
  remark_mobiles?: string[] | undefined;
  tagNames: string[];
}

const ARRAY_FIELDS = new Set<MappableCustomerField>(['phones', 'tags']);
const NUMBER_FIELDS = new Set<MappableCustomerField>(['amount', 'nextFollowUpAt']);
const ENUM_FIELDS = new Set<MappableCustomerField>(['intentLevel']);

/** Liaison field values from the entry (the mapping in reverse); values that do not fit are `unreadable`. */
export function fromWecom(entry: FollowEntry, mapping: Partial<CrmMapping>): { fields: RemoteFieldValues; unreadable: string[] } {
  const m = customerMapping(mapping);
  const fields: Record<string, unknown> = {};
  const unreadable: string[] = [];
  for (const [field, target] of Object.entries(m) as [MappableCustomerField, WecomField][]) {
    const raw: string | string[] | undefined =
      target === 'remark' ? entry.remark : target === 'description' ? entry.description : target === 'remark_company' ? entry.remark_corp_name : target === 'remark_mobiles' ? entry.remark_mobiles : entry.tagNames;
    const list = Array.isArray(raw) ? raw.filter((s) => s.trim()) : raw?.trim() ? [raw.trim()] : [];
    if (ARRAY_FIELDS.has(field)) {
      fields[field] = field === 'phones' ? list.map((p) => normalizePhone(p) ?? p) : list.length ? list : [];
      continue;
    }
    if (!list.length) {
      fields[field] = null;
      continue;
    }
    const text = list.join(', ');
    if (NUMBER_FIELDS.has(field)) {
      const n = Number(text);
      if (Number.isFinite(n)) fields[field] = n;
      else unreadable.push(field);
      continue;
    }
    if (ENUM_FIELDS.has(field)) {
      if ((INTENT_LEVELS as readonly string[]).includes(text)) fields[field] = text;
      else unreadable.push(field);
      continue;
    }
    fields[field] = text;
  }
  return { fields: fields as RemoteFieldValues, unreadable };
}

/** The modification marker: WeCom returns no modified time, so a hash of what the follow user holds. */
export async function markerOf(entry: FollowEntry): Promise<string> {
  const canonical = JSON.stringify([entry.remark ?? '', entry.description ?? '', entry.remark_corp_name ?? '', [...(entry.remark_mobiles ?? [])].sort(), [...entry.tagNames].sort(), entry.createtime ?? 0]);
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canonical));
  return `h${[...new Uint8Array(digest)].slice(0, 12).map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}
