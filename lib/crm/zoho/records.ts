// Customers as Leads or Contacts (the customerModule setting): find (GET /{module}/search with
// phone= / email= / criteria=), create and retries (POST /{module}/upsert with
// duplicate_check_fields = the Liaison Key from setup; without it, a lookup by email and phone
// first), update (PUT /{module}/{id}), getCustomer (GET /{module}/{id}, Modified_Time the marker)
// and changesSince (GET /{module} with If-Modified-Since, sorted by Modified_Time; page, then
// page_token past Zoho's 2,000-record page limit).
import { z } from 'zod';
import type { Customer } from '../../model';
import { samePhone } from '../../phone/same';
import { CrmError } from '../errors';
import type { ChangesOptions, ChangesPage, CustomerPatch, CustomerQuery, RemoteCustomer, RemoteCustomerRecord, RemoteRef, WriteOptions } from '../port';
import { call, criteriaValue, notValidId, parseTime, zohoTime, type ZohoContext } from './client';
import { keyField } from './fields';
import { customerBody, customerFields, customerMapping, templateInto, type ZohoRecord } from './values';

export const recordSchema = z.object({ id: z.string(), Modified_Time: z.string().optional() }).passthrough() as unknown as z.ZodType<ZohoRecord>;
const info = z.object({ more_records: z.boolean().optional(), next_page_token: z.string().nullable().optional(), page: z.number().optional() }).passthrough();
export const listReply = z.object({ data: z.array(recordSchema), info: info.optional() }).optional();
export const writeReply = z.object({ data: z.array(z.object({ code: z.string(), status: z.string(), action: z.string().optional(), details: z.object({ id: z.string(), Modified_Time: z.string().optional() }).passthrough() }).passthrough()).min(1) });

export function customerFieldList(ctx: ZohoContext, key: string | undefined): string {
  const m = customerMapping(ctx.config);
  return [...new Set(['Last_Name', 'First_Name', 'Modified_Time', ...(m.phones === 'Mobile' ? ['Phone'] : []), ...Object.values(m).filter((x): x is string => !!x), ...(key ? [key] : [])])].join(',');
}

function toRecord(r: ZohoRecord, ctx: ZohoContext): RemoteCustomerRecord {
  const at = parseTime(r.Modified_Time);
  const fields = customerFields(r, ctx.config);
  return { remoteId: r.id, ...(typeof fields.code === 'string' ? { remoteCode: fields.code } : {}), ...(at !== undefined ? { marker: String(at), modifiedAt: at } : {}), fields };
}

async function search(ctx: ZohoContext, params: Record<string, string>, signal?: AbortSignal): Promise<ZohoRecord[]> {
  const r = await call(ctx, 'get', `crm/v8/${ctx.config.customerModule}/search`, { searchParams: { ...params, page: 1, per_page: 50 }, schema: listReply, signal });
  return r?.data ?? [];
}

export async function findCustomers(ctx: ZohoContext, q: CustomerQuery, signal?: AbortSignal): Promise<RemoteCustomer[]> {
  const found = new Map<string, RemoteCustomer>();
  const add = (list: ZohoRecord[], by: string, keep: (r: RemoteCustomerRecord) => boolean = () => true) => {
    for (const raw of list) {
      const r = toRecord(raw, ctx);
      if (!keep(r)) continue;
      const hit = found.get(r.remoteId);
      if (hit) hit.matchedBy.push(by);
      else found.set(r.remoteId, { remoteId: r.remoteId, ...(r.remoteCode ? { remoteCode: r.remoteCode } : {}), ...(r.marker ? { marker: r.marker } : {}), name: r.fields.name ?? '', phones: r.fields.phones ?? [], ...(r.fields.email ? { email: r.fields.email } : {}), ...(r.fields.company ? { company: r.fields.company } : {}), matchedBy: [by], fields: r.fields });
    }
  };
  if (q.email) add(await search(ctx, { email: q.email.trim() }, signal), 'email');
  if (q.phone) add(await search(ctx, { phone: q.phone }, signal), 'phone', (r) => (r.fields.phones ?? []).some((p) => samePhone(p, q.phone!)));
  const codeField = customerMapping(ctx.config).code;
  if (q.code && codeField) add(await search(ctx, { criteria: `(${codeField}:equals:${criteriaValue(q.code.trim())})` }, signal), 'code');
  if (q.name && q.name.trim().length >= 2) add(await search(ctx, { criteria: `(Last_Name:starts_with:${criteriaValue(q.name.trim())})` }, signal), 'name');
  return [...found.values()];
}

function refOf(id: string, modified: string | undefined, code?: string): RemoteRef {
  const at = parseTime(modified);
  return { remoteId: id, ...(code ? { remoteCode: code } : {}), ...(at !== undefined ? { marker: String(at) } : {}) };
}

export async function createCustomer(ctx: ZohoContext, c: Customer, opts: WriteOptions): Promise<RemoteRef> {
  const module = ctx.config.customerModule;
  const key = await keyField(ctx, module, opts.signal);
  const body = customerBody(c, ctx.config);
  templateInto(body, opts.fields, [key, 'id']);
  const code = customerMapping(ctx.config).code ? c.code : undefined;
  if (key) {
    body[key] = opts.idempotencyKey;
    const r = await call(ctx, 'post', `crm/v8/${module}/upsert`, { json: { data: [body], duplicate_check_fields: [key] }, write: true, schema: writeReply, signal: opts.signal });
    return refOf(r.data[0]!.details.id, r.data[0]!.details.Modified_Time, code);
  }
  // No Liaison Key (setup not run: it needs an admin): look the customer up by email, then phone.
  const same = (await findCustomers(ctx, { ...(c.email ? { email: c.email } : {}), ...(c.phones[0] ? { phone: c.phones[0] } : {}) }, opts.signal)).filter((r) => r.name.endsWith(c.name.trim()));
  if (same.length === 1) return { remoteId: same[0]!.remoteId, ...(code ? { remoteCode: code } : {}) };
  const r = await call(ctx, 'post', `crm/v8/${module}`, { json: { data: [body] }, write: true, schema: writeReply, signal: opts.signal });
  return refOf(r.data[0]!.details.id, r.data[0]!.details.Modified_Time, code);
}

export async function updateCustomer(ctx: ZohoContext, remoteId: string, patch: CustomerPatch, opts: WriteOptions): Promise<RemoteRef> {
  const bad = notValidId(remoteId);
  if (bad) throw bad;
  const key = await keyField(ctx, ctx.config.customerModule, opts.signal);
  const body = customerBody(patch, ctx.config);
  templateInto(body, opts.fields, [key, 'id']);
  // A patch of fields this connection does not map (company on a Contact: Account_Name is a
  // lookup) changes nothing in Zoho: no request, and the fields named as left out.
  if (!Object.keys(body).length) return { remoteId, warnings: Object.keys(patch) };
  const r = await call(ctx, 'put', `crm/v8/${ctx.config.customerModule}/${remoteId}`, { json: { data: [body] }, write: true, schema: writeReply, signal: opts.signal });
  return refOf(remoteId, r.data[0]!.details.Modified_Time);
}

export async function getCustomer(ctx: ZohoContext, remoteId: string, signal?: AbortSignal): Promise<RemoteCustomerRecord | null> {
  const bad = notValidId(remoteId);
  if (bad) throw bad;
  const key = ctx.config.settings.keyFields?.[ctx.config.customerModule];
  try {
    const r = await call(ctx, 'get', `crm/v8/${ctx.config.customerModule}/${remoteId}`, { searchParams: { fields: customerFieldList(ctx, key) }, schema: listReply, signal });
    const rec = r?.data[0];
    return rec ? toRecord(rec, ctx) : null;
  } catch (e) {
    // A deleted or unknown id: 204 (no body), or 400 INVALID_DATA "the related id given seems to be invalid".
    if (e instanceof CrmError && (e.kind === 'not-found' || (e.vendorCode === 'INVALID_DATA' && e.status === 400))) return null;
    throw e;
  }
}

const PAGE = /^(p[1-9]\d{0,4}|t[A-Za-z0-9._~-]{1,500})$/;
export async function changesSince(ctx: ZohoContext, o: ChangesOptions): Promise<ChangesPage> {
  if (o.page !== undefined && !PAGE.test(o.page)) throw new CrmError('validation', 'Zoho: not a page token of this read');
  const perPage = Math.min(Math.max(1, o.limit ?? 200), 200);
  const page = o.page?.startsWith('p') ? Number(o.page.slice(1)) : undefined;
  const token = o.page?.startsWith('t') ? o.page.slice(1) : undefined;
  const key = ctx.config.settings.keyFields?.[ctx.config.customerModule];
  let r: z.output<typeof listReply>;
  try {
    r = await call(ctx, 'get', `crm/v8/${ctx.config.customerModule}`, {
      // Zoho returns the records modified after If-Modified-Since: a second earlier keeps "at or after".
      headers: { 'if-modified-since': zohoTime(o.since - 1000) },
      searchParams: { fields: customerFieldList(ctx, key), sort_by: 'Modified_Time', sort_order: 'asc', per_page: perPage, ...(token ? { page_token: token } : { page: page ?? 1 }) },
      schema: listReply,
      signal: o.signal,
    });
  } catch (e) {
    if (e instanceof CrmError && e.status === 304) return { records: [], ...asOf(ctx) };
    throw e;
  }
  const records = (r?.data ?? []).map((x) => toRecord(x, ctx));
  const i = r?.info;
  const next = i?.more_records ? (i.next_page_token ? `t${i.next_page_token}` : `p${(page ?? 1) + 1}`) : undefined;
  return { records, ...(next ? { next } : {}), ...asOf(ctx) };
}
const asOf = (ctx: ZohoContext) => {
  const t = ctx.serverNow?.();
  return t !== undefined ? { asOf: t } : {};
};
