// Liaison records ↔ Pipedrive bodies. Persons: name, emails[] and phones[] ({value, primary}),
// custom fields by their 40-hex key (the Liaison key and 客户编号 from prepare). Notes: the
// follow-up as HTML lines with a last line naming its Liaison id (read back as liaisonKey, and
// what a retried create looks for). Deals: title, value, status open/won/lost.
import type { Customer, Deal, FollowUp } from '../../model';
import { DEAL_STATUSES } from '../../model/enums';
import { normalizePhone } from '../../phone';
import { CrmError } from '../errors';
import type { CustomerPatch, RemoteFieldValues } from '../port';
import type { PipedriveConfig } from './config';

const text = (s: string | undefined | null) => (s && s.trim() ? s.trim() : undefined);
const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The person body for the mapped fields present in `c` (a whole customer or a patch). */
export function personBody(c: CustomerPatch, cfg: PipedriveConfig): Record<string, unknown> {
  const m = { name: 'name', phones: 'phones', email: 'emails', ...cfg.mapping.customer };
  const body: Record<string, unknown> = {};
  const custom: Record<string, string> = {};
  const put = (field: string | undefined, value: unknown) => {
    if (!field || value === undefined) return;
    if (/^[0-9a-f]{40}$/.test(field)) custom[field] = Array.isArray(value) ? value.join(', ') : String(value);
    else body[field] = value;
  };
  if (c.name !== undefined) put(m.name, c.name.trim() || '(unnamed)');
  if (c.phones !== undefined) put(m.phones, c.phones.map((value, i) => ({ value, primary: i === 0 })));
  if (c.email !== undefined) put(m.email, c.email ? [{ value: c.email, primary: true }] : []);
  if (c.code !== undefined && cfg.settings.person_code_field) custom[cfg.settings.person_code_field] = c.code;
  if (Object.keys(custom).length) body.custom_fields = custom;
  return body;
}

/** Template values (opts.fields): custom fields by key, `name` by name; the Liaison key is reserved; other names are refused before sending. */
export function templateInto(body: Record<string, unknown>, fields: Record<string, string | number> | undefined, reserved: (string | undefined)[], writable: string[]): void {
  if (!fields) return;
  const custom = { ...((body.custom_fields as Record<string, unknown> | undefined) ?? {}) };
  for (const [name, value] of Object.entries(fields)) {
    if (reserved.includes(name)) throw new CrmError('validation', `Pipedrive: ${name} is Liaison's idempotency key and cannot be templated`, { vendorCode: 'RESERVED_FIELD' });
    if (/^[0-9a-f]{40}$/.test(name)) custom[name] = value;
    else if (writable.includes(name)) body[name] = value;
    else throw new CrmError('validation', `Pipedrive: no writable field "${name}" (use a custom field's 40-character key or one of ${writable.join(', ')})`, { vendorCode: 'UNKNOWN_FIELD' });
  }
  if (Object.keys(custom).length) body.custom_fields = custom;
}

export interface PersonReply {
  id: number;
  name?: string | undefined;
  emails?: { value?: string | undefined; primary?: boolean | undefined }[] | undefined;
  phones?: { value?: string | undefined; primary?: boolean | undefined }[] | undefined;
  update_time?: string | undefined;
  custom_fields?: Record<string, unknown> | null | undefined;
}

/** A person's fields in Liaison terms; phones to E.164 where the number allows. */
export function personFields(p: PersonReply, cfg: PipedriveConfig): RemoteFieldValues {
  const phones = (p.phones ?? []).map((x) => text(x.value)).filter((x): x is string => !!x).map((x) => normalizePhone(x) ?? x);
  const email = (p.emails ?? []).find((e) => e.primary)?.value ?? p.emails?.[0]?.value;
  const out: RemoteFieldValues = { name: p.name ?? null, phones, email: text(email) ?? null };
  const codeField = cfg.settings.person_code_field;
  if (codeField) {
    const v = p.custom_fields?.[codeField];
    out.code = typeof v === 'string' && v ? v : null;
  }
  return out;
}

export function noteContent(f: FollowUp): string {
  const lines = [
    text(f.content) ?? text(f.summary) ?? '',
    ...(f.method ? [`跟进方式：${f.method}`] : []),
    ...(f.result ? [`跟进结果：${f.result}`] : []),
    ...(f.nextAction ? [`下次行动：${f.nextAction}`] : []),
    ...(f.nextAt ? [`下次时间：${new Date(f.nextAt).toISOString()}`] : []),
  ].filter(Boolean);
  return lines.map(escapeHtml).join('<br>');
}
export const noteMarker = (id: string) => `[Liaison ${id.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 100)}]`;
export const markerIn = (content: string) => /\[Liaison ([A-Za-z0-9_-]{1,100})\]\s*$/.exec(content.replace(/<[^>]*>/g, ' '))?.[1];
/** Note HTML to plain text (lines kept), the marker line dropped. */
export function noteText(content: string): string {
  return content
    .replace(/<br\s*\/?>|<\/p>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&nbsp;/g, ' ').replace(/&amp;/g, '&')
    .replace(/\n?\[Liaison [A-Za-z0-9_-]{1,100}\]\s*$/, '')
    .trim();
}

const STATUS: Record<Deal['status'], 'open' | 'won' | 'lost'> = { 进行中: 'open', 已放款: 'won', 已取消: 'lost' };
export const dealStatus = (s: Deal['status']) => STATUS[s];
export function liaisonStatus(s: string | undefined): Deal['status'] {
  return (Object.entries(STATUS).find(([, v]) => v === s)?.[0] as Deal['status'] | undefined) ?? DEAL_STATUSES[0];
}

export function dealTitle(d: Deal): string {
  return [d.product, d.institution].filter(Boolean).join(' · ') || 'Liaison deal';
}

export type { Customer };
