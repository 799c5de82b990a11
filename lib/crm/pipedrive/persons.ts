// Persons (API v2): find by persons/search, create once (Liaison key custom field looked up
// first, so a retry after a lost reply finds the first attempt), PATCH the changed fields, read
// one back with update_time as its marker, and changes since a time (updated_since, sorted by
// update_time, cursor paging).
import { z } from 'zod';
import type { Customer } from '../../model';
import { samePhone } from '../../phone/same';
import { CrmError } from '../errors';
import type { ChangesOptions, ChangesPage, CustomerPatch, CustomerQuery, RemoteCustomer, RemoteCustomerRecord, RemoteRef, WriteOptions } from '../port';
import { call, notValidId, parseTime, type PipedriveContext } from './client';
import { keyFields } from './fields';
import { personBody, personFields, templateInto, type PersonReply } from './values';

const contact = z.object({ value: z.string().optional(), primary: z.boolean().optional() }).passthrough();
export const personSchema = z.object({
  id: z.number(),
  name: z.string().optional(),
  emails: z.array(contact).optional(),
  phones: z.array(contact).optional(),
  update_time: z.string().optional(),
  is_deleted: z.boolean().optional(),
  custom_fields: z.record(z.string(), z.unknown()).nullable().optional(),
});
const one = z.object({ data: personSchema });
const page = z.object({ data: z.array(personSchema).nullable(), additional_data: z.object({ next_cursor: z.string().nullable().optional() }).nullable().optional() });
const searchReply = z.object({
  data: z.object({ items: z.array(z.object({ item: z.object({ id: z.number(), name: z.string().optional(), phones: z.array(z.string()).optional(), emails: z.array(z.string()).optional(), custom_fields: z.array(z.string()).optional() }).passthrough() })) }).nullable(),
  additional_data: z.object({ next_cursor: z.string().nullable().optional() }).nullable().optional(),
});

function record(p: PersonReply, ctx: PipedriveContext): RemoteCustomerRecord {
  const modifiedAt = parseTime(p.update_time);
  const fields = personFields(p, ctx.config);
  return { remoteId: String(p.id), ...(typeof fields.code === 'string' ? { remoteCode: fields.code } : {}), ...(modifiedAt !== undefined ? { marker: String(modifiedAt), modifiedAt } : {}), fields };
}

async function searchPersons(ctx: PipedriveContext, term: string, field: 'custom_fields' | 'email' | 'phone' | 'name', exact: boolean, signal?: AbortSignal) {
  const r = await call(ctx, 'get', 'api/v2/persons/search', { searchParams: { term, fields: field, exact_match: exact, limit: 20 }, search: true, schema: searchReply, signal });
  return r.data?.items.map((i) => i.item) ?? [];
}

export async function findCustomers(ctx: PipedriveContext, q: CustomerQuery, signal?: AbortSignal): Promise<RemoteCustomer[]> {
  const found = new Map<number, RemoteCustomer>();
  const add = (items: Awaited<ReturnType<typeof searchPersons>>, by: string, keep: (i: (typeof items)[number]) => boolean = () => true) => {
    for (const i of items.filter(keep)) {
      const c = found.get(i.id) ?? { remoteId: String(i.id), name: i.name ?? '', phones: i.phones ?? [], ...(i.emails?.[0] ? { email: i.emails[0] } : {}), matchedBy: [] };
      if (!c.matchedBy.includes(by)) c.matchedBy.push(by);
      found.set(i.id, c);
    }
  };
  if (q.email) add(await searchPersons(ctx, q.email.trim(), 'email', true, signal), 'email');
  if (q.phone) {
    // Pipedrive keeps phones as typed (national, spaced…): search the last digits, keep the same number.
    const digits = q.phone.replace(/\D/g, '');
    if (digits.length >= 7) add(await searchPersons(ctx, digits.slice(-8), 'phone', false, signal), 'phone', (i) => (i.phones ?? []).some((p) => samePhone(p, q.phone!)));
  }
  if (q.code && ctx.config.settings.person_code_field) add(await searchPersons(ctx, q.code, 'custom_fields', true, signal), 'code');
  if (q.name && q.name.trim().length >= 2) add(await searchPersons(ctx, q.name.trim(), 'name', false, signal), 'name');
  return [...found.values()];
}

export async function createCustomer(ctx: PipedriveContext, c: Customer, opts: WriteOptions): Promise<RemoteRef> {
  const { personKey } = await keyFields(ctx, opts.signal);
  const body = personBody(c, ctx.config);
  templateInto(body, opts.fields, [personKey], ['name']);
  body.custom_fields = { ...((body.custom_fields as Record<string, unknown>) ?? {}), [personKey]: c.id };
  // A retry of a create whose reply was lost: the first attempt's person carries the key.
  const [existing] = await searchPersons(ctx, c.id, 'custom_fields', true, opts.signal);
  if (existing) return { remoteId: String(existing.id), ...(c.code ? { remoteCode: c.code } : {}) };
  const created = (await call(ctx, 'post', 'api/v2/persons', { json: body, write: true, schema: one, signal: opts.signal })).data;
  const r = record(created, ctx);
  return { remoteId: r.remoteId, ...(r.remoteCode ? { remoteCode: r.remoteCode } : {}), ...(r.marker ? { marker: r.marker } : {}) };
}

export async function updateCustomer(ctx: PipedriveContext, remoteId: string, patch: CustomerPatch, opts: WriteOptions): Promise<RemoteRef> {
  const bad = notValidId(remoteId);
  if (bad) throw bad;
  const { personKey } = await keyFields(ctx, opts.signal);
  const body = personBody(patch, ctx.config);
  templateInto(body, opts.fields, [personKey], ['name']);
  if (!Object.keys(body).length) throw new CrmError('validation', 'Pipedrive: nothing to update (no mapped field in the patch)');
  const updated = (await call(ctx, 'patch', `api/v2/persons/${remoteId}`, { json: body, write: true, schema: one, signal: opts.signal })).data;
  const r = record(updated, ctx);
  return { remoteId, ...(r.remoteCode ? { remoteCode: r.remoteCode } : {}), ...(r.marker ? { marker: r.marker } : {}) };
}

export async function getCustomer(ctx: PipedriveContext, remoteId: string, signal?: AbortSignal): Promise<RemoteCustomerRecord | null> {
  const bad = notValidId(remoteId);
  if (bad) throw bad;
  try {
    const p = (await call(ctx, 'get', `api/v2/persons/${remoteId}`, { schema: one, signal })).data;
    return p.is_deleted ? null : record(p, ctx);
  } catch (e) {
    if (e instanceof CrmError && e.kind === 'not-found') return null;
    throw e;
  }
}

/** Pipedrive's updated_since is RFC 3339 to the second, inclusive; update_time has second precision too. */
export async function changesSince(ctx: PipedriveContext, o: ChangesOptions): Promise<ChangesPage> {
  if (o.page !== undefined && !/^[A-Za-z0-9+/=_-]{1,500}$/.test(o.page)) throw new CrmError('validation', 'Pipedrive: not a page token of this read');
  const since = new Date(Math.floor(o.since / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const limit = Math.min(Math.max(1, o.limit ?? 100), 500);
  const r = await call(ctx, 'get', 'api/v2/persons', {
    searchParams: { updated_since: since, sort_by: 'update_time', sort_direction: 'asc', limit, ...(o.page ? { cursor: o.page } : {}) },
    schema: page,
    signal: o.signal,
  });
  const records = (r.data ?? []).filter((p) => !p.is_deleted).map((p) => record(p, ctx));
  const next = r.additional_data?.next_cursor;
  return { records, ...(next ? { next } : {}) };
}
