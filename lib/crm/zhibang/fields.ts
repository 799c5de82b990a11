// Liaison customer → 智邦 customer fields, through the connection's mapping (spec.defaultMapping
// overridden by settings.mapping.customer). Company customers (intsort 1) take the company as
// 客户名称 and the person as 联系人 person_name; personal ones (intsort 2) take the person as
// 客户名称 and the company as 所在单位 faren (seed 003 field_mapping).
import type { CustomerPatch } from '../port';
import type { ZhibangConfig } from './config';

/** Editable fields of the customer form (help page), the only ones a save may post. */
export const EDITABLE_FIELDS = [
  'name', 'khid', 'sort1', 'ly', 'area', 'trade', 'jz', 'address', 'person_name', 'sex', 'job', 'phone', 'mobile',
  'email', 'qq', 'weixinAcc', 'product', 'c4', 'intro', 'faren', 'pym',
] as const;
export const isEditable = (id: string) => (EDITABLE_FIELDS as readonly string[]).includes(id) || /^zdy\d+$/.test(id);

/** The documented V3 add/edit fields; the rest (weixinAcc, intro…) go through a V1 save. */
export const V3_FIELDS = ['name', 'khid', 'sort', 'sort1', 'ly', 'area', 'trade', 'jz', 'person_name', 'mobile', 'email'] as const;

const LONG_TEXT = new Set(['intro', 'product']);

/** At most `max` characters (code points, so a surrogate pair is never split). */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** E.164 → what 智邦 stores: an 11-digit Chinese mobile, or a landline / foreign number for `phone`. */
export function splitPhone(e164: string): { mobile?: string; phone?: string } {
  if (e164.startsWith('+86')) {
    const national = e164.slice(3);
    return /^1[3-9]\d{9}$/.test(national) ? { mobile: national } : { phone: `0${national}` };
  }
  return { phone: e164 };
}

export const digits = (s: string) => s.replace(/\D/g, '').replace(/^86(?=1\d{10}$)/, '');

export function sort1ForGrade(cfg: ZhibangConfig, grade: string | undefined): string | undefined {
  if (!grade?.trim()) return undefined;
  return cfg.grades[grade.trim().toUpperCase()] ?? grade.trim();
}

function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return v.join(',');
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return undefined;
}

/**
 * Fields to post for `c`. On create every field is derived (company falls back to the person's
 * name); on update only the keys present in the patch. `source` and `code` are left to the
 * caller: ly needs the enum list, and the ERP owns khid (方案A); likewise intentLevel (价值评估 jz, value.ts).
 */
export function customerFields(cfg: ZhibangConfig, c: CustomerPatch, intsort: 1 | 2, mode: 'create' | 'update'): Record<string, string> {
  const m = cfg.customerMapping;
  const out: Record<string, string> = {};
  if (intsort === 1) {
    const company = c.company?.trim() || (mode === 'create' ? c.name?.trim() : undefined);
    if (company !== undefined) out[m.company ?? 'name'] = company;
    if (c.name !== undefined) out[m.name ?? 'person_name'] = c.name.trim();
  } else {
    if (c.name !== undefined) out.name = c.name.trim();
    if (c.company !== undefined) out.faren = c.company.trim();
  }
  if (c.phones !== undefined) {
    const parts = c.phones.map(splitPhone);
    const mobile = parts.find((p) => p.mobile)?.mobile;
    const phone = parts.find((p) => p.phone)?.phone;
    if (mobile !== undefined || mode === 'update') out[m.phones ?? 'mobile'] = mobile ?? '';
    if (phone !== undefined) out.phone = phone;
  }
  const sort1 = sort1ForGrade(cfg, c.grade);
  if (sort1) out[m.grade ?? 'sort1'] = sort1;
  else if (mode === 'create') out[m.grade ?? 'sort1'] = cfg.defaultSort1;
  for (const [field, target] of Object.entries(m)) {
    // source and intentLevel are enum ids (enums.ts, value.ts); code is the ERP's own.
    if (['name', 'company', 'phones', 'grade', 'source', 'code', 'intentLevel'].includes(field)) continue;
    const v = text((c as Record<string, unknown>)[field]);
    if (v === undefined) continue;
    out[target] = LONG_TEXT.has(target) ? clip(v, 4000) : v;
  }
  return out;
}
