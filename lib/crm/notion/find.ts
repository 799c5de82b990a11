// findCustomers: one data source query, OR of the documented filter conditions
// (reference/filter-data-source-entries): phone_number equals (each stored form: E.164 as
// Liaison writes it, national digits as people type), email equals, 客户编号 rich_text equals,
// the name as title/rich_text contains.
import type { CustomerQuery, RemoteCustomer } from '../port';
import { queryMatches } from '../query-match';
import type { NotionContext } from './client';
import type { SchemaProperty } from './objects';
import { queryAll } from './query';
import { toRecord } from './read';
import { dataSource } from './sources';
import { customerNames } from './values';

/** The forms a phone is stored in: +8613800138000 and 13800138000. */
export function phoneForms(e164: string): string[] {
  const forms = new Set([e164.trim()]);
  const m = /^\+86(\d{11})$/.exec(e164.trim());
  if (m) forms.add(m[1]!);
  else if (e164.startsWith('+')) forms.add(e164.slice(1));
  return [...forms].filter(Boolean);
}

function textFilter(p: SchemaProperty, op: 'equals' | 'contains', value: string): Record<string, unknown> | undefined {
  if (p.type === 'title' || p.type === 'rich_text') return { property: p.name, [p.type]: { [op]: value } };
  if ((p.type === 'phone_number' || p.type === 'email' || p.type === 'url') && op === 'equals') return { property: p.name, [p.type]: { equals: value } };
  if (p.type === 'select' && op === 'equals') return { property: p.name, select: { equals: value } };
  return undefined;
}

export async function findCustomers(ctx: NotionContext, query: CustomerQuery, signal?: AbortSignal): Promise<RemoteCustomer[]> {
  const ds = await dataSource(ctx, 'customers', signal);
  const names = customerNames(ctx.config, ds);
  const prop = (n: string | undefined) => (n ? ds.properties[n] : undefined);
  const or: Record<string, unknown>[] = [];
  const add = (f: Record<string, unknown> | undefined) => f && or.push(f);
  const phone = prop(names.phones);
  if (query.phone && phone) for (const f of phoneForms(query.phone)) add(textFilter(phone, 'equals', f));
  const email = prop(names.email);
  if (query.email?.trim() && email) add(textFilter(email, 'equals', query.email.trim().toLowerCase()));
  const code = prop(names.code);
  if (query.code?.trim() && code) add(textFilter(code, 'equals', query.code.trim()));
  const name = prop(names.name);
  if (query.name?.trim() && name) add(textFilter(name, 'contains', query.name.trim()));
  if (!or.length) return [];
  const pages = await queryAll(ctx, ds.id, { filter: or.length === 1 ? or[0]! : { or }, page_size: 100 }, { maxPages: 1, signal });
  const out: RemoteCustomer[] = [];
  for (const page of pages) {
    if (page.in_trash || page.archived) continue;
    const r = toRecord(page, names);
    const f = r.fields;
    const candidate = { name: f.name ?? '', phones: f.phones ?? [], ...(f.email ? { email: f.email } : {}), ...(f.company ? { company: f.company } : {}) };
    const matchedBy = queryMatches(query, { ...candidate, ...(r.remoteCode ? { code: r.remoteCode } : {}) });
    if (!matchedBy.length) continue;
    out.push({ remoteId: r.remoteId, ...(r.remoteCode ? { remoteCode: r.remoteCode } : {}), ...(r.marker ? { marker: r.marker } : {}), ...candidate, matchedBy, fields: f });
  }
  return out;
}
