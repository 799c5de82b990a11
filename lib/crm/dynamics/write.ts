// The write side: customers, notes, opportunities and tasks, each created with a create-only
// upsert on its own primary key (update-delete-entities-using-web-api § "Use Upsert to create or
// update a record", "Prevent update in upsert": PATCH <set>(<id>) + If-None-Match: *). The id is
// derived from the outbox key (client.ts rowIdFor), so a retry after a lost reply meets
// 412 Precondition Failed and reads the row it already made instead of creating a second one.
// Customer updates send If-Match: the marker (ETag) when the caller has one, else * (which also
// stops PATCH from re-creating a row a colleague deleted: 404 instead).
import { z } from 'zod';
import type { Customer, Deal, FollowUp } from '../../model';
import { CrmError } from '../errors';
import type { CustomerPatch, RemoteRef, TaskInput, WriteOptions } from '../port';
import { dvCall, guidOrThrow, rowIdFor, type DynamicsContext } from './client';
import { ENTITY } from './config';
import { applyTemplateFields, customerBody, customerMapping, dealBody, noteBody } from './values';

const rowSchema = z.object({ '@odata.etag': z.string().optional() }).passthrough();

interface CreateArgs {
  set: string;
  key: string;
  body: Record<string, unknown>;
  opts: WriteOptions;
}

/** Create-only upsert; on 412 (the row exists: our earlier attempt committed) read it back. */
async function createOnce(ctx: DynamicsContext, a: CreateArgs): Promise<RemoteRef> {
  const id = await rowIdFor(a.opts.idempotencyKey);
  try {
    const { body } = await dvCall(ctx, 'patch', `${a.set}(${id})`, {
      json: a.body,
      write: true,
      searchParams: { $select: a.key },
      headers: { 'If-None-Match': '*', Prefer: 'return=representation' },
      signal: a.opts.signal,
      schema: rowSchema.optional(),
    });
    const etag = body?.['@odata.etag'];
    return { remoteId: id, ...(etag ? { marker: etag } : {}) };
  } catch (e) {
    if (!(e instanceof CrmError) || e.status !== 412) throw e;
    const { body } = await dvCall(ctx, 'get', `${a.set}(${id})`, { searchParams: { $select: a.key }, signal: a.opts.signal, schema: rowSchema });
    const etag = body['@odata.etag'];
    return { remoteId: id, ...(etag ? { marker: etag } : {}) };
  }
}

export async function createCustomer(ctx: DynamicsContext, deps: { settings: Record<string, unknown> }, customer: Customer, opts: WriteOptions): Promise<RemoteRef> {
  const entity = ctx.config.customerEntity;
  const e = ENTITY[entity];
  const body = applyTemplateFields(customerBody(entity, customerMapping(entity, deps.settings), customer, true), opts.fields, [e.key]);
  return createOnce(ctx, { set: e.set, key: e.key, body, opts });
}

export async function updateCustomer(ctx: DynamicsContext, deps: { settings: Record<string, unknown> }, remoteId: string, patch: CustomerPatch, opts: WriteOptions): Promise<RemoteRef> {
  const entity = ctx.config.customerEntity;
  const e = ENTITY[entity];
  const id = guidOrThrow(remoteId);
  const body = applyTemplateFields(customerBody(entity, customerMapping(entity, deps.settings), patch, false), opts.fields, [e.key]);
  const { body: row } = await dvCall(ctx, 'patch', `${e.set}(${id})`, {
    json: body,
    write: true,
    searchParams: { $select: `${e.key},modifiedon` },
    headers: { 'If-Match': opts.ifMarker ?? '*', Prefer: 'return=representation' },
    signal: opts.signal,
    schema: rowSchema.optional(),
  });
  const etag = row?.['@odata.etag'];
  return { remoteId: id, ...(etag ? { marker: etag } : {}) };
}

const bind = (ctx: DynamicsContext, remoteId: string) => `/${ENTITY[ctx.config.customerEntity].set}(${guidOrThrow(remoteId)})`;

export async function addFollowUp(ctx: DynamicsContext, remoteCustomerId: string, f: FollowUp, opts: WriteOptions): Promise<RemoteRef> {
  const nav = ENTITY[ctx.config.customerEntity].noteBind;
  const body = applyTemplateFields({ ...noteBody(f, opts.idempotencyKey), [`${nav}@odata.bind`]: bind(ctx, remoteCustomerId) }, opts.fields, ['annotationid', 'notetext', nav, 'objectid']);
  return createOnce(ctx, { set: 'annotations', key: 'annotationid', body, opts });
}

export async function createDeal(ctx: DynamicsContext, remoteCustomerId: string, d: Deal, opts: WriteOptions): Promise<RemoteRef> {
  const nav = ENTITY[ctx.config.customerEntity].dealBind;
  const body = applyTemplateFields({ ...dealBody(d, opts.idempotencyKey), [`${nav}@odata.bind`]: bind(ctx, remoteCustomerId) }, opts.fields, ['opportunityid', 'description', nav]);
  return createOnce(ctx, { set: 'opportunities', key: 'opportunityid', body, opts });
}

export async function createTask(ctx: DynamicsContext, remoteCustomerId: string, t: TaskInput, opts: WriteOptions): Promise<RemoteRef> {
  const nav = ENTITY[ctx.config.customerEntity].taskBind;
  const body = {
    subject: t.title.slice(0, 200),
    scheduledend: new Date(t.dueAt).toISOString(),
    ...(t.note ? { description: t.note } : {}),
    [`${nav}@odata.bind`]: bind(ctx, remoteCustomerId),
  };
  return createOnce(ctx, { set: 'tasks', key: 'activityid', body, opts });
}
