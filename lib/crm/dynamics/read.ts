// The read side and lookups (query-data-web-api: $select, $filter, $orderby, $top; paging with
// Prefer: odata.maxpagesize and @odata.nextLink). Every value in a $filter is an OData literal
// (client.ts odataString: quotes doubled), so hostile text stays a literal.
import { z } from 'zod';
import { CrmError } from '../errors';
import type { ChangesOptions, ChangesPage, CustomerQuery, FollowUpChangesPage, ListOptions, OpOptions, RemoteCustomer, RemoteCustomerRecord, RemoteDeal, RemoteFollowUp } from '../port';
import { dvCall, guidOrThrow, odataDateTime, odataString, parseDvDate, type DynamicsContext } from './client';
import { ENTITY } from './config';
import { customerMapping, customerSelect, dealStatus, keyOf, readCustomerValues, readNote } from './values';

const FORMATTED = 'OData.Community.Display.V1.FormattedValue';
const row = z.record(z.string(), z.unknown());
const page = z.object({ value: z.array(row), '@odata.nextLink': z.string().optional() }).passthrough();

type Settings = { settings: Record<string, unknown> };

function toRecord(ctx: DynamicsContext, s: Settings, r: Record<string, unknown>): RemoteCustomerRecord {
  const entity = ctx.config.customerEntity;
  const { fields, unreadable } = readCustomerValues(customerMapping(entity, s.settings), r);
  const modifiedAt = parseDvDate(r.modifiedon);
  const etag = typeof r['@odata.etag'] === 'string' ? r['@odata.etag'] : undefined;
  return {
    remoteId: String(r[ENTITY[entity].key]),
    ...(etag ? { marker: etag } : {}),
    ...(modifiedAt !== undefined ? { modifiedAt } : {}),
    fields,
    ...(unreadable.length ? { unreadable } : {}),
  };
}

/** Phone, email and name lookups OR'ed in one $filter; matchedBy says which matched each row. */
export async function findCustomers(ctx: DynamicsContext, s: Settings, q: CustomerQuery, signal?: AbortSignal): Promise<RemoteCustomer[]> {
  const entity = ctx.config.customerEntity;
  const e = ENTITY[entity];
  const clauses: string[] = [];
  const phones = q.phone ? [...new Set([q.phone, q.phone.replace(/^\+86/, ''), q.phone.replace(/^\+/, '')])] : [];
  for (const p of phones) clauses.push(`telephone1 eq ${odataString(p)}`, `mobilephone eq ${odataString(p)}`);
  if (q.email) clauses.push(`emailaddress1 eq ${odataString(q.email)}`);
  if (q.name) clauses.push(`contains(fullname,${odataString(q.name)})`);
  if (!clauses.length) return [];
  const mapping = customerMapping(entity, s.settings);
  const select = [...new Set([...customerSelect(entity, mapping).split(','), 'fullname', 'telephone1', 'mobilephone', 'emailaddress1', ...(entity === 'lead' ? ['companyname'] : [])])].join(',');
  const { body } = await dvCall(ctx, 'get', e.set, { searchParams: { $select: select, $filter: clauses.join(' or '), $top: '20' }, signal, schema: page });
  return body.value.map((r) => {
    const rowPhones = [r.mobilephone, r.telephone1].filter((v): v is string => typeof v === 'string' && !!v);
    const matchedBy: string[] = [];
    if (q.phone && rowPhones.some((p) => phones.includes(p))) matchedBy.push('phone');
    if (q.email && typeof r.emailaddress1 === 'string' && r.emailaddress1.toLowerCase() === q.email.toLowerCase()) matchedBy.push('email');
    if (q.name && typeof r.fullname === 'string' && r.fullname.toLowerCase().includes(q.name.toLowerCase())) matchedBy.push('name');
    const rec = toRecord(ctx, s, r);
    return {
      remoteId: rec.remoteId,
      ...(rec.marker ? { marker: rec.marker } : {}),
      name: typeof r.fullname === 'string' ? r.fullname : '',
      phones: rowPhones,
      ...(typeof r.emailaddress1 === 'string' ? { email: r.emailaddress1 } : {}),
      ...(typeof r.companyname === 'string' ? { company: r.companyname } : {}),
      matchedBy,
      fields: rec.fields,
    };
  });
}

export async function getCustomer(ctx: DynamicsContext, s: Settings, remoteId: string, opts: OpOptions = {}): Promise<RemoteCustomerRecord | null> {
  const entity = ctx.config.customerEntity;
  let id: string;
  try {
    id = guidOrThrow(remoteId);
  } catch {
    return null;
  }
  try {
    const { body } = await dvCall(ctx, 'get', `${ENTITY[entity].set}(${id})`, { searchParams: { $select: customerSelect(entity, customerMapping(entity, s.settings)) }, signal: opts.signal, schema: row });
    return toRecord(ctx, s, body);
  } catch (e) {
    if (e instanceof CrmError && e.kind === 'not-found') return null;
    throw e;
  }
}

const MAX_PAGE = 5000; // Dataverse's maximum page size

export async function changesSince(ctx: DynamicsContext, s: Settings, o: ChangesOptions): Promise<ChangesPage> {
  const entity = ctx.config.customerEntity;
  const size = Math.min(Math.max(1, o.limit ?? 100), MAX_PAGE);
  const headers = { Prefer: `odata.maxpagesize=${size}` };
  const reply = o.page
    ? await dvCall(ctx, 'get', o.page, { headers, signal: o.signal, schema: page })
    : await dvCall(ctx, 'get', ENTITY[entity].set, {
        headers,
        searchParams: { $select: customerSelect(entity, customerMapping(entity, s.settings)), $filter: `modifiedon ge ${odataDateTime(o.since)}`, $orderby: `modifiedon asc,${ENTITY[entity].key} asc` },
        signal: o.signal,
        schema: page,
      });
  const date = Date.parse(reply.headers.get('date') ?? '');
  const next = reply.body['@odata.nextLink'];
  return { records: reply.body.value.map((r) => toRecord(ctx, s, r)), ...(next ? { next } : {}), ...(Number.isFinite(date) ? { asOf: date } : {}) };
}

export async function listFollowUps(ctx: DynamicsContext, remoteCustomerId: string, o: ListOptions = {}): Promise<RemoteFollowUp[]> {
  const id = guidOrThrow(remoteCustomerId);
  const filter = [`_objectid_value eq ${id}`, ...(o.since !== undefined ? [`createdon ge ${odataDateTime(o.since)}`] : [])].join(' and ');
  const { body } = await dvCall(ctx, 'get', 'annotations', {
    headers: { Prefer: `odata.include-annotations="${FORMATTED}"` },
    searchParams: { $select: 'annotationid,subject,notetext,createdon,_createdby_value', $filter: filter, $orderby: 'createdon desc', $top: String(Math.min(o.limit ?? 50, MAX_PAGE)) },
    signal: o.signal,
    schema: page,
  });
  return body.value.flatMap((r) => noteOf(r));
}

function noteOf(r: Record<string, unknown>): RemoteFollowUp[] {
  const at = parseDvDate(r.createdon);
  if (at === undefined) return [];
  const note = readNote(r.subject, r.notetext);
  const key = keyOf(r.notetext);
  const by = r[`_createdby_value@${FORMATTED}`] ?? r._createdby_value;
  return [
    {
      remoteId: String(r.annotationid),
      at,
      content: note.content,
      ...(note.method ? { method: note.method as RemoteFollowUp['method'] } : {}),
      ...(note.result ? { result: note.result as RemoteFollowUp['result'] } : {}),
      ...(note.nextAction ? { nextAction: note.nextAction } : {}),
      ...(note.nextAt !== undefined ? { nextAt: note.nextAt } : {}),
      ...(typeof by === 'string' ? { by } : {}),
      ...(key ? { liaisonKey: key } : {}),
    },
  ];
}

/**
 * Every customer's notes changed since a time, in one feed: annotations of the customer table
 * (objecttypecode) with modifiedon ge <time>, oldest first, paged by @odata.nextLink.
 */
export async function followUpsSince(ctx: DynamicsContext, o: ChangesOptions): Promise<FollowUpChangesPage> {
  const entity = ctx.config.customerEntity;
  const size = Math.min(Math.max(1, o.limit ?? 100), MAX_PAGE);
  const headers = { Prefer: `odata.maxpagesize=${size},odata.include-annotations="${FORMATTED}"` };
  const reply = o.page
    ? await dvCall(ctx, 'get', o.page, { headers, signal: o.signal, schema: page })
    : await dvCall(ctx, 'get', 'annotations', {
        headers,
        searchParams: {
          $select: 'annotationid,subject,notetext,createdon,modifiedon,_createdby_value,_objectid_value',
          $filter: `objecttypecode eq ${odataString(entity)} and modifiedon ge ${odataDateTime(o.since)}`,
          $orderby: 'modifiedon asc,annotationid asc',
        },
        signal: o.signal,
        schema: page,
      });
  const date = Date.parse(reply.headers.get('date') ?? '');
  const next = reply.body['@odata.nextLink'];
  const rows = reply.body.value.flatMap((r) => {
    const customer = r._objectid_value;
    if (typeof customer !== 'string') return [];
    const modifiedAt = parseDvDate(r.modifiedon);
    return noteOf(r).map((f) => ({ ...f, customerRemoteId: customer, ...(modifiedAt !== undefined ? { modifiedAt } : {}) }));
  });
  return { rows, ...(next ? { next } : {}), ...(Number.isFinite(date) ? { asOf: date } : {}) };
}

export async function listDeals(ctx: DynamicsContext, remoteCustomerId: string, o: ListOptions = {}): Promise<RemoteDeal[]> {
  const id = guidOrThrow(remoteCustomerId);
  const lookup = ENTITY[ctx.config.customerEntity].dealLookup;
  const filter = [`${lookup} eq ${id}`, ...(o.since !== undefined ? [`createdon ge ${odataDateTime(o.since)}`] : [])].join(' and ');
  const { body } = await dvCall(ctx, 'get', 'opportunities', {
    headers: { Prefer: `odata.include-annotations="${FORMATTED}"` },
    searchParams: { $select: 'opportunityid,name,estimatedvalue,statecode,actualclosedate,createdon,description,_createdby_value', $filter: filter, $orderby: 'createdon desc', $top: String(Math.min(o.limit ?? 50, MAX_PAGE)) },
    signal: o.signal,
    schema: page,
  });
  return body.value.map((r) => {
    const closedAt = typeof r.actualclosedate === 'string' ? Date.parse(r.actualclosedate) : NaN;
    const createdAt = parseDvDate(r.createdon);
    const key = keyOf(r.description);
    const by = r[`_createdby_value@${FORMATTED}`] ?? r._createdby_value;
    return {
      remoteId: String(r.opportunityid),
      product: typeof r.name === 'string' ? r.name : '',
      ...(typeof r.estimatedvalue === 'number' ? { amount: r.estimatedvalue } : {}),
      status: dealStatus(r.statecode),
      ...(Number.isFinite(closedAt) ? { closedAt } : {}),
      ...(createdAt !== undefined ? { createdAt } : {}),
      ...(typeof by === 'string' ? { by } : {}),
      ...(key ? { liaisonKey: key } : {}),
    };
  });
}
