// Liaison records ↔ Zoho record bodies. Customers: Last_Name (required on Leads and Contacts),
// the first phone in Mobile and the second in Phone, Email, Description, Company on Leads; the
// Liaison Key field from setup. Notes: the follow-up as text lines ending with a [Liaison <key>]
// line (Notes take no custom fields), read back as liaisonKey. Deals: Stage from the standard
// pipeline (Qualification / Closed Won / Closed Lost).
import type { Deal, FollowUp } from '../../model';
import { normalizePhone } from '../../phone';
import { CrmError } from '../errors';
import type { CustomerPatch, RemoteFieldValues } from '../port';
import type { ZohoConfig } from './config';

const text = (s: string | undefined | null) => (s && s.trim() ? s.trim() : undefined);

export function customerMapping(cfg: ZohoConfig) {
  return { name: 'Last_Name', phones: 'Mobile', email: 'Email', notes: 'Description', ...(cfg.customerModule === 'Leads' ? { company: 'Company' } : {}), ...cfg.mapping.customer };
}

/** The record body for the mapped fields present in `c` (a whole customer or a patch). */
export function customerBody(c: CustomerPatch, cfg: ZohoConfig): Record<string, unknown> {
  const m = customerMapping(cfg);
  const body: Record<string, unknown> = {};
  const put = (f: string | undefined, v: unknown) => {
    if (f && v !== undefined) body[f] = v;
  };
  if (c.name !== undefined) put(m.name, c.name.trim().slice(0, 80) || '(unnamed)');
  if (c.phones !== undefined) {
    put(m.phones, c.phones[0] ?? null);
    if (m.phones === 'Mobile' && c.phones.length > 1) body.Phone = c.phones[1];
  }
  if (c.email !== undefined) put(m.email, c.email || null);
  if (c.notes !== undefined) put(m.notes, c.notes || null);
  if (c.company !== undefined) put(m.company, c.company || null);
  if (c.code !== undefined) put(m.code, c.code);
  return body;
}

/** Template values (opts.fields) by API name; the Liaison Key and links are reserved. */
export function templateInto(body: Record<string, unknown>, fields: Record<string, string | number> | undefined, reserved: (string | undefined)[]): void {
  if (!fields) return;
  for (const [name, value] of Object.entries(fields)) {
    if (reserved.includes(name)) throw new CrmError('validation', `Zoho: ${name} is reserved by Liaison and cannot be templated`, { vendorCode: 'RESERVED_FIELD' });
    if (!/^[A-Za-z$][A-Za-z0-9_]{0,99}$/.test(name)) throw new CrmError('validation', `Zoho: "${name.slice(0, 60)}" is not a Zoho field API name`, { vendorCode: 'UNKNOWN_FIELD' });
    body[name] = value;
  }
}

export type ZohoRecord = Record<string, unknown> & { id: string; Modified_Time?: string };

export function customerFields(r: ZohoRecord, cfg: ZohoConfig): RemoteFieldValues {
  const m = customerMapping(cfg);
  const str = (f: string | undefined) => (f && typeof r[f] === 'string' ? text(r[f] as string) ?? null : null);
  const phones = [m.phones && r[m.phones], m.phones === 'Mobile' ? r.Phone : undefined].filter((x): x is string => typeof x === 'string' && !!x.trim()).map((x) => normalizePhone(x) ?? x.trim());
  const out: RemoteFieldValues = { name: [r.First_Name, r.Last_Name].every((x) => typeof x === 'string' && x) && m.name === 'Last_Name' ? `${r.First_Name as string} ${r.Last_Name as string}` : str(m.name), phones, email: str(m.email) };
  if (m.notes) out.notes = str(m.notes);
  if (m.company) out.company = str(m.company);
  if (m.code) out.code = str(m.code);
  return out;
}

export const noteMarker = (id: string) => `[Liaison ${id.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 100)}]`;
export const markerIn = (content: string) => /\[Liaison ([A-Za-z0-9_-]{1,100})\]\s*$/.exec(content)?.[1];
export function noteContent(f: FollowUp, key: string): string {
  return [
    text(f.content) ?? text(f.summary) ?? '',
    ...(f.method ? [`跟进方式：${f.method}`] : []),
    ...(f.result ? [`跟进结果：${f.result}`] : []),
    ...(f.nextAction ? [`下次行动：${f.nextAction}`] : []),
    ...(f.nextAt ? [`下次时间：${new Date(f.nextAt).toISOString()}`] : []),
    noteMarker(key),
  ].filter(Boolean).join('\n');
}
export const noteText = (content: string) => content.replace(/\n?\[Liaison [A-Za-z0-9_-]{1,100}\]\s*$/, '').trim();

const STAGE: Record<Deal['status'], string> = { 进行中: 'Qualification', 已放款: 'Closed Won', 已取消: 'Closed Lost' };
export const dealStage = (s: Deal['status']) => STAGE[s];
export function liaisonStatus(stage: unknown): Deal['status'] {
  if (typeof stage !== 'string') return '进行中';
  if (/closed.?won/i.test(stage)) return '已放款';
  if (/closed.?lost|lost to competition/i.test(stage)) return '已取消';
  return '进行中';
}
export const dealName = (d: Deal) => [d.product, d.institution].filter(Boolean).join(' · ').slice(0, 120) || 'Liaison deal';
/** Zoho date fields take YYYY-MM-DD. */
export const zohoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);
