// Customers (客户管理 个人客户 / 企业客户), all on /v1.0/crm/personalCustomers:
// - find: GET ?relationType&currentOperatorUserId&maxResults≤100&queryDsl (conditions OR'ed:
//   the name field SEARCH, the mapped phone field SEARCH, e-mail / code EQ);
// - create: POST {creatorUserId, data, extendData:{liaisonKey}, permission, relationType,
//   skipDuplicateCheck:false} → {instanceId}. Idempotency by lookup: the customers with this
//   name are read first and one whose extendData carries the key is the earlier write;
// - update: the current record (batchQuery) merged with the patch, PUT whole (the docs do not
//   say whether a partial `data` blanks the other fields), extendData kept;
// - read: POST /batchQuery?relationType&currentOperatorUserId with [instanceId] (gmtModified is
//   the marker); changes: GET with queryDsl gmt_modified BETWEEN [since, far future] ordered by
//   gmt_modified ASC, paged by nextToken.
import { z } from 'zod';
import type { Customer } from '../../model';
import { CrmError } from '../errors';
import type { ChangesOptions, ChangesPage, CustomerPatch, CustomerQuery, RemoteCustomer, RemoteCustomerRecord, RemoteRef, WriteOptions } from '../port';
import { call, type DingtalkContext } from './client';
import { crmPhone, customerData, customerFields, customerMapping, parseDingTime, queryDsl, textOf } from './values';

export const recordSchema = z
  .object({
    instanceId: z.string().min(1),
    objectType: z.string().optional(),
    creatorUserId: z.string().optional(),
    creatorNick: z.string().optional(),
    data: z.record(z.string(), z.unknown()).optional(),
    extendData: z.record(z.string(), z.unknown()).nullable().optional(),
    gmtCreate: z.string().optional(),
    gmtModified: z.string().optional(),
  })
  .passthrough();
export type DingtalkRecord = z.infer<typeof recordSchema>;
const queryReply = z.object({ values: z.array(recordSchema).optional(), hasMore: z.boolean().optional(), nextToken: z.string().optional(), maxResults: z.number().optional(), totalCount: z.number().optional() });
const batchReply = z.object({ result: z.array(recordSchema).optional() });
const writeReply = z.object({ instanceId: z.string().min(1) });

export const MAX_PAGE = 100;
const FAR_FUTURE = String(Date.UTC(2100, 0, 1));

export function checkId(id: string): string {
  if (!/^[\w-]{1,128}$/.test(id)) throw new CrmError('not-found', `DingTalk: "${id.slice(0, 40)}" is not a CRM instanceId`);
  return id;
}

const base = (ctx: DingtalkContext) => ({ relationType: ctx.config.relationType, currentOperatorUserId: ctx.config.userId });

async function query(ctx: DingtalkContext, dsl: string, o: { maxResults?: number; nextToken?: string; signal?: AbortSignal | undefined }) {
  return call(ctx, 'get', 'v1.0/crm/personalCustomers', {
    searchParams: { ...base(ctx), maxResults: o.maxResults ?? MAX_PAGE, queryDsl: dsl, ...(o.nextToken ? { nextToken: o.nextToken } : {}) },
    schema: queryReply,
    signal: o.signal,
  });
}

function toRecord(ctx: DingtalkContext, r: DingtalkRecord): RemoteCustomerRecord {
  const { fields, unreadable } = customerFields(r.data ?? {}, ctx.config);
  const modifiedAt = parseDingTime(r.gmtModified);
  return {
    remoteId: r.instanceId,
    ...(modifiedAt !== undefined ? { marker: String(modifiedAt), modifiedAt } : {}),
    fields,
    ...(unreadable.length ? { unreadable } : {}),
  };
}

export async function findCustomers(ctx: DingtalkContext, q: CustomerQuery, signal?: AbortSignal): Promise<RemoteCustomer[]> {
  const m = customerMapping(ctx.config);
  const conditions: Parameters<typeof queryDsl>[1] = [];
  if (q.name?.trim()) conditions.push({ fieldId: m.name, filterType: 'SEARCH', value: q.name.trim() });
  if (q.phone && m.phones) conditions.push({ fieldId: m.phones, filterType: 'SEARCH', value: crmPhone(q.phone) });
  if (q.email && m.email) conditions.push({ fieldId: m.email, filterType: 'EQ', value: q.email });
  if (q.code && m.code) conditions.push({ fieldId: m.code, filterType: 'EQ', value: q.code });
  if (!conditions.length) return [];
  const r = await query(ctx, queryDsl('OR', conditions, { field: 'gmt_modified', dir: 'DESC' }), { maxResults: 20, signal });
  return (r.values ?? []).map((v) => {
    const rec = toRecord(ctx, v);
    const data = v.data ?? {};
    const name = textOf(data[m.name]) ?? '';
    const phones = rec.fields.phones ?? [];
    const email = m.email ? textOf(data[m.email]) : undefined;
    const matchedBy: string[] = [];
    if (q.phone && phones.includes(q.phone)) matchedBy.push('phone');
    if (q.email && email?.toLowerCase() === q.email.toLowerCase()) matchedBy.push('email');
    if (q.code && m.code && textOf(data[m.code]) === q.code) matchedBy.push('code');
    if (q.name && name.includes(q.name.trim())) matchedBy.push('name');
    const company = m.company ? textOf(data[m.company]) : undefined;
    return {
      remoteId: v.instanceId,
      ...(rec.marker ? { marker: rec.marker } : {}),
      name,
      phones,
      ...(email ? { email } : {}),
      ...(company ? { company } : {}),
      matchedBy,
      fields: rec.fields,
    };
  });
}

/** Template values (opts.fields) by form field name; a name must look like one. */
function withTemplates(data: Record<string, unknown>, fields: WriteOptions['fields']): Record<string, unknown> {
  for (const [name, value] of Object.entries(fields ?? {})) {
    if (!/^[A-Za-z][\w-]{0,99}$/.test(name)) throw new CrmError('validation', `DingTalk: "${name.slice(0, 60)}" is not a form field name`, { vendorCode: 'UNKNOWN_FIELD', userMessage: { zh_CN: `字段映射中的「${name.slice(0, 60)}」不是钉钉客户表单的字段名`, en: `"${name.slice(0, 60)}" in the field mapping is not a DingTalk form field name` } });
    data[name] = typeof value === 'number' ? String(value) : value;
  }
  return data;
}

/** The record an earlier attempt with this key created, found by name. */
async function earlierWrite(ctx: DingtalkContext, name: string, key: string, signal?: AbortSignal): Promise<DingtalkRecord | undefined> {
  const m = customerMapping(ctx.config);
  let nextToken: string | undefined;
  for (let page = 0; page < 5; page++) {
    const r = await query(ctx, queryDsl('AND', [{ fieldId: m.name, filterType: 'EQ', value: name }], { field: 'gmt_create', dir: 'DESC' }), { ...(nextToken ? { nextToken } : {}), signal });
    const hit = (r.values ?? []).find((v) => v.extendData?.liaisonKey === key);
    if (hit) return hit;
    if (!r.hasMore || !r.nextToken) return undefined;
    nextToken = r.nextToken;
  }
  return undefined;
}

export async function createCustomer(ctx: DingtalkContext, c: Customer, opts: WriteOptions): Promise<RemoteRef> {
  const data = withTemplates(customerData(c, ctx.config), opts.fields);
  const name = String(data[customerMapping(ctx.config).name] ?? '');
  const found = await earlierWrite(ctx, name, opts.idempotencyKey, opts.signal);
  if (found) return { remoteId: found.instanceId, ...(parseDingTime(found.gmtModified) !== undefined ? { marker: String(parseDingTime(found.gmtModified)) } : {}) };
  const r = await call(ctx, 'post', 'v1.0/crm/personalCustomers', {
    json: {
      creatorUserId: ctx.config.userId,
      data,
      extendData: { liaisonKey: opts.idempotencyKey },
      permission: { ownerStaffIds: [ctx.config.userId], participantStaffIds: [] },
      relationType: ctx.config.relationType,
      skipDuplicateCheck: false,
    },
    write: true,
    schema: writeReply,
    signal: opts.signal,
  });
  return { remoteId: r.instanceId };
}

async function byId(ctx: DingtalkContext, id: string, signal?: AbortSignal): Promise<DingtalkRecord | undefined> {
  const r = await call(ctx, 'post', 'v1.0/crm/personalCustomers/batchQuery', { searchParams: base(ctx), json: [checkId(id)], schema: batchReply, signal });
  return (r.result ?? []).find((v) => v.instanceId === id);
}

export async function updateCustomer(ctx: DingtalkContext, id: string, patch: CustomerPatch, opts: WriteOptions): Promise<RemoteRef> {
  const current = await byId(ctx, id, opts.signal);
  if (!current) throw new CrmError('not-found', `DingTalk: customer ${id} no longer exists`);
  const data = withTemplates({ ...(current.data ?? {}), ...customerData(patch, ctx.config) }, opts.fields);
  const r = await call(ctx, 'put', 'v1.0/crm/personalCustomers', {
    json: { instanceId: id, data, ...(current.extendData ? { extendData: current.extendData } : {}), modifierUserId: ctx.config.userId, relationType: ctx.config.relationType, skipDuplicateCheck: false },
    write: true,
    schema: writeReply,
    signal: opts.signal,
  });
  return { remoteId: r.instanceId };
}

export async function getCustomer(ctx: DingtalkContext, id: string, signal?: AbortSignal): Promise<RemoteCustomerRecord | null> {
  const r = await byId(ctx, id, signal);
  return r ? toRecord(ctx, r) : null;
}

export async function changesSince(ctx: DingtalkContext, o: ChangesOptions): Promise<ChangesPage> {
  const r = await query(ctx, queryDsl('AND', [{ fieldId: 'gmt_modified', filterType: 'BETWEEN', value: [String(Math.floor(o.since)), FAR_FUTURE] }], { field: 'gmt_modified', dir: 'ASC' }), {
    maxResults: Math.min(Math.max(1, o.limit ?? MAX_PAGE), MAX_PAGE),
    ...(o.page ? { nextToken: o.page } : {}),
    signal: o.signal,
  });
  const asOf = ctx.serverNow?.();
  return { records: (r.values ?? []).map((v) => toRecord(ctx, v)), ...(r.hasMore && r.nextToken ? { next: r.nextToken } : {}), ...(asOf !== undefined ? { asOf } : {}) };
}
