// The CRM object endpoints Liaison uses (crm/v3/objects/{type}: create, update, search,
// batch/upsert; crm/v4 associations), each reply checked with zod. Property values come back
// as strings or null.
import { z } from 'zod';
import { CrmError } from '../errors';
import { call, objectPath, type HubspotContext } from './client';
import { hubspotError, kindOfCategory } from './errors';

export const objectSchema = z.object({
  id: z.string().min(1),
  // A requested property that is defined but empty comes back as null (notes guide: "If a
  // requested property is defined but a note doesn't have a value, it will be returned as null");
  // one the portal does not define is left out of the reply.
  properties: z.record(z.string(), z.string().nullable()).optional().default({}),
  createdAt: z.string().optional(),
  updatedAt: z.string().optional(),
  archived: z.boolean().optional(),
});
export type HubspotObject = z.infer<typeof objectSchema>;

// One item's error in a 207 reply: the spec's StandardError, whose subCategory is an object
// (hubspot.crm-*-v3.json components.schemas.StandardError), unlike the string of a whole-reply
// Error. Reading it as a string turned a whole 207 into "unexpected reply"; it is kept only as
// a vendor code when it is a string, and otherwise not needed (category says the kind).
export const batchErrorSchema = z.object({
  status: z.string().optional(),
  category: z.string().optional(),
  subCategory: z.union([z.string(), z.record(z.string(), z.unknown())]).optional().transform((v) => (typeof v === 'string' ? v : undefined)),
  message: z.string().optional().default(''),
  context: z.record(z.string(), z.unknown()).optional(),
  errors: z.array(z.object({ message: z.string().optional(), code: z.string().optional(), context: z.record(z.string(), z.unknown()).optional() }).passthrough()).optional(),
});
export type BatchError = z.infer<typeof batchErrorSchema>;

/** 200 (all done) or 207 multi-status: results for the inputs that worked, errors for the rest. */
const batchReply = z.object({
  status: z.string().optional(),
  results: z.array(objectSchema.extend({ new: z.boolean().optional() })).optional().default([]),
  errors: z.array(batchErrorSchema).optional().default([]),
  numErrors: z.number().optional(),
});
export type BatchReply = z.infer<typeof batchReply>;

export interface UpsertInput {
  idProperty: string;
  id: string;
  properties: Record<string, string>;
  objectWriteTraceId?: string;
}

/** Documented maximum inputs of a batch call. */
export const BATCH_MAX = 100;

export function batchUpsert(ctx: HubspotContext, type: string, inputs: UpsertInput[], signal?: AbortSignal): Promise<BatchReply> {
  return call(ctx, 'post', objectPath(type, 'batch', 'upsert'), { json: { inputs }, write: true, signal, schema: batchReply });
}

export interface Association {
  to: { id: string };
  types: { associationCategory: 'HUBSPOT_DEFINED'; associationTypeId: number }[];
}
export const associationTo = (id: string, associationTypeId: number): Association => ({
  to: { id },
  types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId }],
});

/** HUBSPOT_DEFINED association type ids (associations v4 "association type IDs"). */
export const ASSOC = { noteToContact: 202, taskToContact: 204, dealToContact: 3 } as const;

export function createObject(ctx: HubspotContext, type: string, properties: Record<string, string>, associations: Association[], signal?: AbortSignal): Promise<HubspotObject> {
  return call(ctx, 'post', objectPath(type), { json: { properties, associations }, write: true, signal, schema: objectSchema });
}

export function updateObject(ctx: HubspotContext, type: string, id: string, properties: Record<string, string>, signal?: AbortSignal): Promise<HubspotObject> {
  return call(ctx, 'patch', objectPath(type, id), { json: { properties }, write: true, signal, schema: objectSchema });
}

/** PUT is idempotent: associating twice leaves one association. */
export async function associate(ctx: HubspotContext, fromType: string, fromId: string, toType: string, toId: string, associationTypeId: number, signal?: AbortSignal): Promise<void> {
  const path = ['crm/v4/objects', fromType, fromId, 'associations', toType, toId].map((s, i) => (i === 0 ? s : encodeURIComponent(s))).join('/');
  await call(ctx, 'put', path, { json: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId }], write: true, signal, schema: z.unknown() });
}

export interface Filter {
  propertyName: string;
  operator: 'EQ' | 'IN' | 'CONTAINS_TOKEN' | 'HAS_PROPERTY' | 'GTE';
  value?: string;
  values?: string[];
}
export interface SearchBody {
  filterGroups: { filters: Filter[] }[];
  properties?: string[];
  /** The search guide's form ({propertyName, direction}); one sort rule per search. */
  sorts?: { propertyName: string; direction: 'ASCENDING' | 'DESCENDING' }[];
  limit?: number;
  after?: string;
}
export const searchReply = z.object({
  total: z.number().optional(),
  results: z.array(objectSchema),
  paging: z.object({ next: z.object({ after: z.string() }).optional() }).optional(),
});

/** Documented limits of CRM search (since 2024-08: ≤ 5 groups; page ≤ 200). */
export const SEARCH_MAX_GROUPS = 5;
export const SEARCH_PAGE_MAX = 200;

/** One page of a CRM search (the 4/s search lane). */
export function searchPage(ctx: HubspotContext, type: string, body: SearchBody, signal?: AbortSignal): Promise<z.output<typeof searchReply>> {
  return call(ctx, 'post', objectPath(type, 'search'), { json: body, search: true, signal, schema: searchReply });
}

/** Follows paging.next.after up to maxPages. */
export async function search(ctx: HubspotContext, type: string, body: SearchBody, o: { maxPages?: number; signal?: AbortSignal | undefined } = {}): Promise<HubspotObject[]> {
  const out: HubspotObject[] = [];
  let after: string | undefined;
  for (let i = 0; i < (o.maxPages ?? 3); i++) {
    const page = await call(ctx, 'post', objectPath(type, 'search'), {
      json: { ...body, limit: body.limit ?? 100, ...(after ? { after } : {}) },
      search: true,
      signal: o.signal,
      schema: searchReply,
    });
    out.push(...page.results);
    after = page.paging?.next?.after;
    if (!after) break;
  }
  return out;
}

/** GET one object with the named properties; null when HubSpot has no such (unarchived) record. */
export async function getObject(ctx: HubspotContext, type: string, id: string, properties: string[], signal?: AbortSignal): Promise<HubspotObject | null> {
  try {
    return await call(ctx, 'get', objectPath(type, id), { searchParams: { properties: properties.join(','), archived: false }, signal, schema: objectSchema });
  } catch (e) {
    if (e instanceof CrmError && e.kind === 'not-found') return null;
    throw e;
  }
}

const batchReadReply = z.object({
  status: z.string().optional(),
  results: z.array(objectSchema),
  errors: z.array(batchErrorSchema).optional().default([]),
});

/**
 * batch/read by record id, ≤ 100 ids a call. Ids HubSpot no longer has (deleted notes) come back
 * as a 207 with OBJECT_NOT_FOUND errors and are simply absent; any other item error is thrown.
 */
export async function batchRead(ctx: HubspotContext, type: string, ids: string[], properties: string[], signal?: AbortSignal): Promise<HubspotObject[]> {
  const out: HubspotObject[] = [];
  for (let i = 0; i < ids.length; i += BATCH_MAX) {
    const inputs = ids.slice(i, i + BATCH_MAX).map((id) => ({ id }));
    const reply = await call(ctx, 'post', objectPath(type, 'batch', 'read'), { json: { inputs, properties, propertiesWithHistory: [] }, signal, schema: batchReadReply });
    const bad = reply.errors.find((e) => e.category !== 'OBJECT_NOT_FOUND');
    if (bad) throw hubspotError(kindOfCategory(bad.category), { ...bad, message: bad.message ?? '' });
    out.push(...reply.results);
  }
  return out;
}

/** Associations v4 list: toObjectId is typed string by the spec; a number is accepted too. */
const associationsReply = z.object({
  results: z.array(z.object({ toObjectId: z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]).transform(String) })),
  paging: z.object({ next: z.object({ after: z.string() }).optional() }).optional(),
});
/** GET /crm/v4/objects/{type}/{id}/associations/{toType}: page size 500 (the spec's default), paging.next.after. */
export const ASSOCIATIONS_PAGE = 500;
/** Pages of associations at most (25,000 records): beyond that the list is cut and says so. */
const ASSOCIATION_PAGES_MAX = 50;

export async function associatedIds(ctx: HubspotContext, fromType: string, fromId: string, toType: string, signal?: AbortSignal): Promise<string[]> {
  const path = ['crm/v4/objects', fromType, fromId, 'associations', toType].map((s, i) => (i === 0 ? s : encodeURIComponent(s))).join('/');
  const ids: string[] = [];
  let after: string | undefined;
  for (let page = 0; page < ASSOCIATION_PAGES_MAX; page++) {
    const reply = await call(ctx, 'get', path, { searchParams: { limit: ASSOCIATIONS_PAGE, after }, signal, schema: associationsReply });
    ids.push(...reply.results.map((r) => r.toObjectId));
    after = reply.paging?.next?.after;
    if (!after) return [...new Set(ids)];
  }
  throw new CrmError('validation', `HubSpot: more than ${ASSOCIATIONS_PAGE * ASSOCIATION_PAGES_MAX} ${toType} associated with ${fromType} ${fromId}`);
}
