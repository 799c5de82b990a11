// HubSpot CRM v3 endpoints as documented: objects (create, get, patch, archive, search,
// batch/upsert, batch/read), associations v4 (PUT with type ids, list), properties v3 (list, get,
// create), owners v3 and the private app token info. Strict: unknown body keys, unknown
// properties, bad enum values, invalid emails, too many filters/groups/inputs/sort rules, paging
// past 10,000 search results and wrong association types are refused with HubSpot's error body
// {status:'error', message, correlationId, category, errors?}.
//
// Where each read-side behaviour comes from (checked 2026-12-06):
// - reply shapes: HubSpot's OpenAPI files in shared/specs (contacts/notes/objects v3 @ 2026-06-23,
//   associations v4 @ 2026-08-17; SOURCES.md) — the contract tests validate every reply against
//   them (test/unit/contract/hubspot/openapi.ts), e.g. association PUT answers 201 with string ids;
// - null for a requested, defined, empty property and omission of an undefined one: the notes
//   guide ("Retrieve notes"), developers.hubspot.com/beta-docs/guides/api/crm/engagements/notes;
// - search: lastmodifieddate (contacts) / hs_lastmodifieddate (others), GTE inclusive on epoch
//   ms, one sort rule, page ≤ 200, ≤ 10,000 results, ≤ 5 groups: the search guide
//   (developers.hubspot.com/docs/api/crm/search) and shared/reference/crm-apis.md § HubSpot;
// - the search limit: 4/s per token (HubSpot changelog "CRM Search API Rate Limit Increase");
//   later third-party pages say 5/s per account — the emulator enforces the lower figure;
// - archived records: 404 on GET unless archived=true, never in search or batch/read (objects
//   spec `archived` parameters);
// - owners: GET /crm/v3/owners needs crm.objects.owners.read (no OpenAPI file in shared/specs).
import { ASSOCIATION_TYPES, defaultAssociationType, type EmPipeline, type EmStage, OBJECT_TYPES, REVERSE_ASSOCIATION, correlationId, timeProperties, type EmObject, type EmulatorState, type ObjectType, type PropDef } from './state';

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export function hsError(status: number, category: string, message: string, extra: Record<string, unknown> = {}): Reply {
  return { status, body: { status: 'error', message, correlationId: correlationId(), category, ...extra } };
}
const notFound = () => hsError(404, 'OBJECT_NOT_FOUND', 'resource not found');

export interface RouteContext {
  state: EmulatorState;
  now: () => number;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function unknownKeys(body: Record<string, unknown>, allowed: string[]): Reply | undefined {
  const extra = Object.keys(body).filter((k) => !allowed.includes(k));
  if (!extra.length) return undefined;
  return hsError(400, 'VALIDATION_ERROR', `Invalid input JSON on line 1: Unrecognized field${extra.length > 1 ? 's' : ''} ${extra.map((k) => `"${k}"`).join(', ')}`);
}

export function objectType(t: string): ObjectType | undefined {
  return (OBJECT_TYPES as readonly string[]).includes(t) ? (t as ObjectType) : undefined;
}

interface PropError {
  name: string;
  error: string;
  message: string;
}

/** Datetime values: epoch ms digits or an ISO date; stored as ms strings. */
export function toMs(v: string): number | undefined {
  if (/^\d{1,15}$/.test(v)) return Number(v);
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : t;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Checks and canonicalizes property values (strings out). */
export function checkProperties(ctx: RouteContext, type: ObjectType, props: unknown): { ok: true; values: Record<string, string> } | { ok: false; reply: Reply; errors: PropError[] } {
  if (!isObj(props)) return { ok: false, reply: hsError(400, 'VALIDATION_ERROR', 'Invalid input JSON: properties must be an object'), errors: [] };
  const defs = ctx.state.properties[type];
  const errors: PropError[] = [];
  const values: Record<string, string> = {};
  for (const [name, raw] of Object.entries(props)) {
    const def = defs.get(name);
    if (!def) {
      errors.push({ name, error: 'PROPERTY_DOESNT_EXIST', message: `Property "${name}" does not exist` });
      continue;
    }
    if (def.readOnly) {
      errors.push({ name, error: 'READ_ONLY_VALUE', message: `${name} is a read only property; its value cannot be set.` });
      continue;
    }
    if (raw === null || raw === '') {
      values[name] = '';
      continue;
    }
    if (typeof raw !== 'string' && typeof raw !== 'number' && typeof raw !== 'boolean') {
      errors.push({ name, error: 'INVALID_VALUE', message: `${name} must be a string` });
      continue;
    }
    const v = String(raw);
    if (def.type === 'number' && !/^-?\d+(\.\d+)?$/.test(v)) errors.push({ name, error: 'INVALID_FLOAT', message: `${v} is not a valid number` });
    else if (def.type === 'datetime') {
      const ms = toMs(v);
      if (ms === undefined) errors.push({ name, error: 'INVALID_DATE', message: `${v} is not a valid date` });
      else values[name] = String(ms);
      continue;
    } else if (def.type === 'enumeration' && !def.options?.includes(v)) errors.push({ name, error: 'INVALID_OPTION', message: `${v} was not one of the allowed options: [${def.options?.join(', ')}]` });
    else if (def.email && !EMAIL.test(v)) errors.push({ name, error: 'INVALID_EMAIL', message: `Email address ${v} is invalid` });
    values[name] = def.email ? v.toLowerCase() : v;
  }
  if (!errors.length) return { ok: true, values };
  const embedded = JSON.stringify(errors.map((e) => ({ isValid: false, message: e.message, error: e.error, name: e.name, localizedErrorMessage: e.message })));
  return {
    ok: false,
    errors,
    reply: hsError(400, 'VALIDATION_ERROR', `Property values were not valid: ${embedded}`, {
      errors: errors.map((e) => ({ message: e.message, code: e.error, context: { propertyName: [e.name] } })),
    }),
  };
}

function required(type: ObjectType, values: Record<string, string>): Reply | undefined {
  // Tickets: "subject, hs_pipeline_stage" required (tickets guide, "Create tickets"); the pipeline defaults to 0.
  const need = type === 'notes' || type === 'tasks' ? ['hs_timestamp'] : type === 'deals' ? ['dealname', 'dealstage'] : type === 'tickets' ? ['subject', 'hs_pipeline_stage'] : [];
  const missing = need.filter((n) => !values[n]);
  if (!missing.length) return undefined;
  return hsError(400, 'VALIDATION_ERROR', `Missing required propert${missing.length > 1 ? 'ies' : 'y'}: ${missing.join(', ')}`, {
    errors: missing.map((n) => ({ message: `${n} is required`, code: 'REQUIRED_PROPERTY', context: { propertyName: [n] } })),
  });
}

/**
 * A ticket's hs_pipeline / hs_pipeline_stage against the portal's pipelines: an unknown pipeline,
 * or a stage of another pipeline, is an INVALID_OPTION on that property (as other bad options).
 */
function pipelineError(ctx: RouteContext, type: ObjectType, values: Record<string, string>, existing?: Record<string, string>): Reply | undefined {
  if (type !== 'tickets' || (!('hs_pipeline' in values) && !('hs_pipeline_stage' in values))) return undefined;
  const pipelineId = values.hs_pipeline ?? existing?.hs_pipeline ?? '0';
  const stageId = values.hs_pipeline_stage ?? existing?.hs_pipeline_stage ?? '';
  const pipeline = ctx.state.ticketPipelines.find((p) => p.id === pipelineId);
  const bad = (name: string, v: string, options: string[]) => {
    const message = `${v} was not one of the allowed options: [${options.join(', ')}]`;
    const embedded = JSON.stringify([{ isValid: false, message, error: 'INVALID_OPTION', name, localizedErrorMessage: message }]);
    return hsError(400, 'VALIDATION_ERROR', `Property values were not valid: ${embedded}`, { errors: [{ message, code: 'INVALID_OPTION', context: { propertyName: [name] } }] });
  };
  if (!pipeline) return bad('hs_pipeline', pipelineId, ctx.state.ticketPipelines.map((p) => p.id));
  if (!pipeline.stages.some((st) => st.id === stageId)) return bad('hs_pipeline_stage', stageId, pipeline.stages.map((st) => st.id));
  return undefined;
}

/** The contact holding this email (unique, case-insensitive), or a record with this unique value. */
function uniqueClash(ctx: RouteContext, type: ObjectType, values: Record<string, string>, selfId?: string): EmObject | undefined {
  const defs = ctx.state.properties[type];
  for (const [name, v] of Object.entries(values)) {
    const def = defs.get(name);
    if (!v || !(def?.hasUniqueValue || (type === 'contacts' && name === 'email'))) continue;
    for (const o of ctx.state.objects[type].values()) if (o.id !== selfId && (o.properties[name] ?? '').toLowerCase() === v.toLowerCase()) return o;
  }
  return undefined;
}
const conflict = (type: ObjectType, existing: EmObject) =>
  hsError(409, 'CONFLICT', `${type === 'contacts' ? 'Contact' : 'Object'} already exists. Existing ID: ${existing.id}`);

function put(ctx: RouteContext, type: ObjectType, values: Record<string, string>, target?: EmObject): EmObject {
  const t = ctx.now();
  const o = target ?? { id: String(ctx.state.nextId++), type, properties: {}, createdAt: t, updatedAt: t };
  for (const [k, v] of Object.entries(values)) {
    if (v === '') delete o.properties[k];
    else o.properties[k] = v;
  }
  // Every write advances the modified time. HubSpot keeps it to the millisecond; two writes to one
  // record inside one millisecond are made 1 ms apart here so that a marker always changes.
  o.updatedAt = target ? Math.max(t, o.updatedAt + 1) : t;
  ctx.state.objects[type].set(o.id, o);
  return o;
}

/** The system values of a record: its id and created / modified times (epoch-ms strings). */
function systemValues(o: EmObject): Record<string, string> {
  const { created, modified } = timeProperties(o.type);
  return { hs_object_id: o.id, [created]: String(o.createdAt), [modified]: String(o.updatedAt) };
}

/**
 * An object as the API returns it: the requested properties (or all stored), plus the system
 * ones, datetimes as ISO. A requested property the type defines but the record lacks is null; one
 * the portal does not define is left out (notes guide, "Retrieve notes": "If a requested property
 * isn't defined, it won't be included in the response. If a requested property is defined but a
 * note doesn't have a value, it will be returned as null").
 */
export function view(ctx: RouteContext, o: EmObject, only?: string[], extra: Record<string, unknown> = {}) {
  const defs = ctx.state.properties[o.type];
  const sys = systemValues(o);
  const all: Record<string, string> = { ...o.properties, ...sys };
  const names = only ?? Object.keys(all);
  const properties: Record<string, string | null> = {};
  for (const n of new Set([...names, ...Object.keys(sys)])) {
    const def = defs.get(n);
    if (!def) continue;
    const v = all[n];
    properties[n] = v === undefined ? null : def.type === 'datetime' ? new Date(Number(v)).toISOString() : v;
  }
  return { id: o.id, properties, createdAt: new Date(o.createdAt).toISOString(), updatedAt: new Date(o.updatedAt).toISOString(), archived: !!o.archived, ...extra };
}

function checkAssociations(ctx: RouteContext, type: ObjectType, raw: unknown): { ok: true; list: { toType: ObjectType; toId: string; typeId: number }[] } | { ok: false; reply: Reply } {
  if (raw === undefined) return { ok: true, list: [] };
  const bad = (m: string) => ({ ok: false as const, reply: hsError(400, 'VALIDATION_ERROR', m) });
  if (!Array.isArray(raw)) return bad('associations must be an array');
  const list: { toType: ObjectType; toId: string; typeId: number }[] = [];
  for (const a of raw) {
    if (!isObj(a) || !isObj(a.to) || typeof a.to.id !== 'string' || !Array.isArray(a.types) || !a.types.length) return bad('Invalid association: expected {to:{id}, types:[{associationCategory, associationTypeId}]}');
    for (const t of a.types) {
      if (!isObj(t) || t.associationCategory !== 'HUBSPOT_DEFINED' || typeof t.associationTypeId !== 'number') return bad('Invalid association type: associationCategory must be HUBSPOT_DEFINED with a numeric associationTypeId');
      const pair = ASSOCIATION_TYPES[t.associationTypeId];
      if (!pair || pair[0] !== type) return bad(`association type id ${t.associationTypeId} is not valid for ${type}`);
      if (!ctx.state.objects[pair[1]].has(a.to.id)) return bad(`One or more associations are invalid: ${pair[1]} ${a.to.id} does not exist`);
      list.push({ toType: pair[1], toId: a.to.id, typeId: t.associationTypeId });
    }
  }
  return { ok: true, list };
}

export function create(ctx: RouteContext, type: ObjectType, body: unknown): Reply {
  if (!isObj(body)) return hsError(400, 'VALIDATION_ERROR', 'Invalid input JSON');
  const k = unknownKeys(body, ['properties', 'associations', 'objectWriteTraceId']);
  if (k) return k;
  const props = checkProperties(ctx, type, body.properties ?? {});
  if (!props.ok) return props.reply;
  const req = required(type, props.values) ?? pipelineError(ctx, type, props.values);
  if (req) return req;
  const assoc = checkAssociations(ctx, type, body.associations);
  if (!assoc.ok) return assoc.reply;
  const clash = uniqueClash(ctx, type, props.values);
  if (clash) return conflict(type, clash);
  const o = put(ctx, type, props.values);
  for (const a of assoc.list) ctx.state.associations.push({ fromType: type, fromId: o.id, toType: a.toType, toId: a.toId, typeId: a.typeId });
  return { status: 201, body: view(ctx, o) };
}

export function update(ctx: RouteContext, type: ObjectType, id: string, body: unknown): Reply {
  if (!isObj(body)) return hsError(400, 'VALIDATION_ERROR', 'Invalid input JSON');
  const k = unknownKeys(body, ['properties']);
  if (k) return k;
  const o = ctx.state.objects[type].get(id);
  if (!o) return notFound();
  const props = checkProperties(ctx, type, body.properties ?? {});
  if (!props.ok) return props.reply;
  const badPipeline = pipelineError(ctx, type, props.values, o.properties);
  if (badPipeline) return badPipeline;
  const clash = uniqueClash(ctx, type, props.values, id);
  if (clash) return conflict(type, clash);
  return { status: 200, body: view(ctx, put(ctx, type, props.values, o)) };
}

export function list(ctx: RouteContext, type: ObjectType, q: URLSearchParams): Reply {
  const limit = Number(q.get('limit') ?? 10);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return hsError(400, 'VALIDATION_ERROR', 'limit must be between 1 and 100');
  const all = [...ctx.state.objects[type].values()].filter((o) => !o.archived);
  const start = Number(q.get('after') ?? 0) || 0;
  const page = all.slice(start, start + limit);
  return { status: 200, body: { results: page.map((o) => view(ctx, o, (q.get('properties') ?? 'firstname,lastname,email').split(','))), ...(start + limit < all.length ? { paging: { next: { after: String(start + limit) } } } : {}) } };
}

/** A comma-separated list parameter, possibly repeated (properties=a,b&properties=c). */
function listParam(q: URLSearchParams, name: string): string[] | undefined {
  const all = q.getAll(name);
  return all.length ? all.flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean) : undefined;
}
function archivedParam(q: URLSearchParams): boolean | Reply {
  const a = q.get('archived');
  if (a === null || a === 'false') return false;
  if (a === 'true') return true;
  return hsError(400, 'VALIDATION_ERROR', `archived must be true or false`);
}
const defaultProps = (type: ObjectType) => (type === 'contacts' ? ['firstname', 'lastname', 'email'] : []);

/**
 * GET /crm/v3/objects/{type}/{id}?properties=&archived=: an archived record is 404 unless
 * archived=true (which finds only archived ones). associations / propertiesWithHistory /
 * idProperty are not emulated and refused, so a test notices when an adapter starts to use them.
 */
export function getOne(ctx: RouteContext, type: ObjectType, id: string, q: URLSearchParams = new URLSearchParams()): Reply {
  const unsupported = ['associations', 'propertiesWithHistory'].filter((k) => q.has(k));
  if (unsupported.length) return hsError(400, 'VALIDATION_ERROR', `emulator: ${unsupported.join(', ')} not emulated`);
  const archived = archivedParam(q);
  if (typeof archived !== 'boolean') return archived;
  // idProperty (objects v3 spec, GET {objectId}): the id is a value of that unique property.
  const idProperty = q.get('idProperty');
  if (idProperty !== null) {
    const def = ctx.state.properties[type].get(idProperty);
    if (!def) return hsError(400, 'VALIDATION_ERROR', `Property "${idProperty}" does not exist`);
    if (!def.hasUniqueValue && idProperty !== 'hs_object_id') return hsError(400, 'VALIDATION_ERROR', `${idProperty} is not a unique identifier property`);
    const found = [...ctx.state.objects[type].values()].find((x) => (idProperty === 'hs_object_id' ? x.id : x.properties[idProperty] ?? '').toLowerCase() === id.toLowerCase());
    if (!found || !!found.archived !== archived) return notFound();
    return { status: 200, body: view(ctx, found, listParam(q, 'properties') ?? defaultProps(type)) };
  }
  if (!/^\d+$/.test(id)) return notFound();
  const o = ctx.state.objects[type].get(id);
  if (!o || !!o.archived !== archived) return notFound();
  return { status: 200, body: view(ctx, o, listParam(q, 'properties') ?? defaultProps(type)) };
}

/** DELETE /crm/v3/objects/{type}/{id}: moves the record to the recycling bin (archived), 204. */
export function archive(ctx: RouteContext, type: ObjectType, id: string): Reply {
  const o = ctx.state.objects[type].get(id);
  if (!o || o.archived) return notFound();
  o.archived = true;
  return { status: 204, body: undefined };
}

/**
 * POST /crm/v3/objects/{type}/batch/read {inputs:[{id}], properties, propertiesWithHistory}: ≤ 100
 * inputs. Found records in `results`; ids it does not have (or archived ones) make the reply a
 * 207 with one OBJECT_NOT_FOUND error naming them (context.ids), in the spec's StandardError shape.
 */
export function batchRead(ctx: RouteContext, type: ObjectType, q: URLSearchParams, body: unknown): Reply {
  if (!isObj(body)) return hsError(400, 'VALIDATION_ERROR', 'Invalid input JSON');
  const k = unknownKeys(body, ['inputs', 'properties', 'propertiesWithHistory', 'idProperty']);
  if (k) return k;
  if (body.idProperty !== undefined) return hsError(400, 'VALIDATION_ERROR', 'emulator: idProperty not emulated');
  if (!Array.isArray(body.inputs) || !body.inputs.length) return hsError(400, 'VALIDATION_ERROR', 'inputs must be a non-empty array');
  if (body.inputs.length > BATCH_MAX) return hsError(400, 'VALIDATION_ERROR', `Batch input limit exceeded: ${body.inputs.length} inputs. The maximum is ${BATCH_MAX}.`);
  for (const key of ['properties', 'propertiesWithHistory'] as const) {
    const v = body[key];
    if (v !== undefined && (!Array.isArray(v) || !v.every((p) => typeof p === 'string'))) return hsError(400, 'VALIDATION_ERROR', `${key} must be an array of strings`);
  }
  if (Array.isArray(body.propertiesWithHistory) && body.propertiesWithHistory.length) return hsError(400, 'VALIDATION_ERROR', 'emulator: propertiesWithHistory not emulated');
  const archived = archivedParam(q);
  if (typeof archived !== 'boolean') return archived;
  const ids: string[] = [];
  for (const input of body.inputs) {
    if (!isObj(input) || typeof input.id !== 'string' || !input.id) return hsError(400, 'VALIDATION_ERROR', 'each input needs an id (a string)');
    const extra = unknownKeys(input, ['id']);
    if (extra) return extra;
    ids.push(input.id);
  }
  const started = new Date(ctx.now()).toISOString();
  const props = (body.properties as string[] | undefined) ?? defaultProps(type);
  const results: unknown[] = [];
  const missing: string[] = [];
  for (const id of new Set(ids)) {
    const o = ctx.state.objects[type].get(id);
    if (o && !!o.archived === archived) results.push(view(ctx, o, props));
    else missing.push(id);
  }
  const errors = missing.length
    ? [{ status: 'error', category: 'OBJECT_NOT_FOUND', message: `Could not get some ${type.replace(/s$/, '').toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`, context: { ids: missing }, errors: [], links: {} }]
    : [];
  const reply = { status: 'COMPLETE', results, startedAt: started, completedAt: new Date(ctx.now()).toISOString(), ...(errors.length ? { numErrors: errors.length, errors } : {}) };
  return { status: errors.length ? 207 : 200, body: reply };
}

/** Object type names in v4 paths: plural or singular (HubSpot accepts both). */
export function v4Type(t: string): ObjectType | undefined {
  return objectType(t) ?? objectType(`${t}s`);
}
export const ASSOCIATIONS_LIMIT_MAX = 500;

/**
 * GET /crm/v4/objects/{type}/{id}/associations/{toType}?limit=&after=: the records associated
 * with one record, seen from its side (note→contact 202 lists as contact→note 201), ordered by
 * id, `limit` ≤ 500 (default 500, the spec's), `after` an offset cursor. toObjectId is a string and
 * the label is left out for unlabelled HUBSPOT_DEFINED types, as the v4 spec types them.
 */
export function listAssociations(ctx: RouteContext, fromRaw: string, fromId: string, toRaw: string, q: URLSearchParams): Reply {
  const from = v4Type(fromRaw);
  const to = v4Type(toRaw);
  if (!from || !to) return hsError(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${!from ? fromRaw : toRaw}`);
  const extra = [...q.keys()].filter((key) => key !== 'limit' && key !== 'after');
  if (extra.length) return hsError(400, 'VALIDATION_ERROR', `Unknown query parameter(s): ${extra.join(', ')}`);
  const limit = q.has('limit') ? Number(q.get('limit')) : ASSOCIATIONS_LIMIT_MAX;
  if (!Number.isInteger(limit) || limit < 1 || limit > ASSOCIATIONS_LIMIT_MAX) return hsError(400, 'VALIDATION_ERROR', `limit must be between 1 and ${ASSOCIATIONS_LIMIT_MAX}`);
  const after = q.has('after') ? Number(q.get('after')) : 0;
  if (!Number.isInteger(after) || after < 0) return hsError(400, 'VALIDATION_ERROR', 'after must be a paging cursor');
  const self = ctx.state.objects[from].get(fromId);
  if (!self || self.archived) return notFound();
  const types = new Map<string, Set<number>>();
  const add = (id: string, typeId: number) => {
    const target = ctx.state.objects[to].get(id);
    if (!target || target.archived) return;
    if (!types.has(id)) types.set(id, new Set());
    types.get(id)!.add(typeId);
  };
  for (const a of ctx.state.associations) {
    if (a.fromType === from && a.fromId === fromId && a.toType === to) add(a.toId, a.typeId);
    else if (a.toType === from && a.toId === fromId && a.fromType === to) {
      const reverse = REVERSE_ASSOCIATION[a.typeId];
      if (reverse !== undefined) add(a.fromId, reverse);
    }
  }
  const all = [...types.entries()].sort((a, b) => Number(a[0]) - Number(b[0]));
  const page = all.slice(after, after + limit);
  return {
    status: 200,
    body: {
      results: page.map(([id, ts]) => ({ toObjectId: id, associationTypes: [...ts].map((typeId) => ({ category: 'HUBSPOT_DEFINED', typeId })) })),
      ...(after + limit < all.length ? { paging: { next: { after: String(after + limit), link: '' } } } : {}),
    },
  };
}

/**
 * GET /crm/v3/owners?limit=&after=&archived=: every owner of the portal (limit ≤ 500, default 100).
 * Needs crm.objects.owners.read. No OpenAPI file for it in shared/specs: shaped after the
 * owners guide ({id, email, firstName, lastName, userId, createdAt, updatedAt, archived}).
 */
export function listOwners(ctx: RouteContext, q: URLSearchParams): Reply {
  const extra = [...q.keys()].filter((key) => !['limit', 'after', 'archived', 'email'].includes(key));
  if (extra.length) return hsError(400, 'VALIDATION_ERROR', `Unknown query parameter(s): ${extra.join(', ')}`);
  const limit = q.has('limit') ? Number(q.get('limit')) : 100;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) return hsError(400, 'VALIDATION_ERROR', 'limit must be between 1 and 500');
  const after = q.has('after') ? Number(q.get('after')) : 0;
  if (!Number.isInteger(after) || after < 0) return hsError(400, 'VALIDATION_ERROR', 'after must be a paging cursor');
  const archived = archivedParam(q);
  if (typeof archived !== 'boolean') return archived;
  const email = q.get('email')?.toLowerCase();
  const all = archived ? [] : ctx.state.owners.filter((o) => !email || o.email.toLowerCase() === email);
  const at = new Date(Date.UTC(2026, 0, 5)).toISOString();
  return {
    status: 200,
    body: {
      results: all.slice(after, after + limit).map((o) => ({ ...o, createdAt: at, updatedAt: at, archived: false })),
      ...(after + limit < all.length ? { paging: { next: { after: String(after + limit), link: '' } } } : {}),
    },
  };
}

/**
 * CRM search limits (search guide, checked 2026-12-06 against shared/reference/crm-apis.md): ≤ 5
 * filter groups (since 2024-08), page ≤ 200, one sort rule per search, at most 10,000 results
 * reachable by paging (an `after` at or beyond it is refused), archived records never returned.
 */
export const SEARCH_LIMITS = { groups: 5, filtersPerGroup: 6, pageMax: 200, totalMax: 10_000, operators: ['EQ', 'NEQ', 'IN', 'NOT_IN', 'CONTAINS_TOKEN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY', 'GT', 'GTE', 'LT', 'LTE'] } as const;

interface Filter {
  propertyName: string;
  operator: string;
  value?: string;
  values?: string[];
}

function matches(ctx: RouteContext, o: EmObject, f: Filter): boolean {
  if (f.propertyName.startsWith('associations.')) {
    const toType = `${f.propertyName.slice('associations.'.length)}s`;
    const ids = ctx.state.associations.filter((a) => a.fromType === o.type && a.fromId === o.id && a.toType === toType).map((a) => a.toId);
    return f.operator === 'EQ' ? ids.includes(f.value ?? '') : f.operator === 'IN' ? ids.some((i) => f.values!.includes(i)) : false;
  }
  const def = ctx.state.properties[o.type].get(f.propertyName);
  const stored = systemValues(o)[f.propertyName] ?? o.properties[f.propertyName];
  const norm = (v: string) => (def?.type === 'datetime' ? String(toMs(v) ?? v) : v.toLowerCase());
  switch (f.operator) {
    case 'HAS_PROPERTY':
      return stored !== undefined;
    case 'NOT_HAS_PROPERTY':
      return stored === undefined;
    case 'EQ':
      return stored !== undefined && norm(stored) === norm(f.value!);
    case 'NEQ':
      return stored === undefined || norm(stored) !== norm(f.value!);
    case 'IN':
      return stored !== undefined && f.values!.map(norm).includes(norm(stored));
    case 'NOT_IN':
      return stored === undefined || !f.values!.map(norm).includes(norm(stored));
    case 'CONTAINS_TOKEN': {
      if (stored === undefined) return false;
      const v = f.value!.toLowerCase();
      if (v.includes('*')) return new RegExp(`^${v.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`).test(stored.toLowerCase());
      return stored.toLowerCase().split(/[\s,.;:@_\-/]+/).includes(v);
    }
    default: {
      if (stored === undefined) return false;
      const a = Number(norm(stored));
      const b = Number(norm(f.value!));
      return f.operator === 'GT' ? a > b : f.operator === 'GTE' ? a >= b : f.operator === 'LT' ? a < b : a <= b;
    }
  }
}

export function search(ctx: RouteContext, type: ObjectType, body: unknown): Reply {
  if (!isObj(body)) return hsError(400, 'VALIDATION_ERROR', 'Invalid input JSON');
  const k = unknownKeys(body, ['filterGroups', 'properties', 'sorts', 'limit', 'after', 'query']);
  if (k) return k;
  const groups = body.filterGroups ?? [];
  if (!Array.isArray(groups)) return hsError(400, 'VALIDATION_ERROR', 'filterGroups must be an array');
  if (groups.length > SEARCH_LIMITS.groups) return hsError(400, 'VALIDATION_ERROR', `Too many filter groups: ${groups.length}. The maximum is ${SEARCH_LIMITS.groups}.`);
  const parsed: Filter[][] = [];
  for (const g of groups) {
    if (!isObj(g) || !Array.isArray(g.filters)) return hsError(400, 'VALIDATION_ERROR', 'each filter group needs filters');
    if (g.filters.length > SEARCH_LIMITS.filtersPerGroup) return hsError(400, 'VALIDATION_ERROR', `Too many filters in a group: ${g.filters.length}. The maximum is ${SEARCH_LIMITS.filtersPerGroup}.`);
    const fs: Filter[] = [];
    for (const f of g.filters) {
      if (!isObj(f) || typeof f.propertyName !== 'string' || typeof f.operator !== 'string') return hsError(400, 'VALIDATION_ERROR', 'a filter needs propertyName and operator');
      const extra = unknownKeys(f, ['propertyName', 'operator', 'value', 'values', 'highValue']);
      if (extra) return extra;
      if (!(SEARCH_LIMITS.operators as readonly string[]).includes(f.operator)) return hsError(400, 'VALIDATION_ERROR', `Unknown operator ${f.operator}`);
      const assoc = /^associations\.(contact|deal|ticket)$/.test(f.propertyName);
      if (!assoc && f.propertyName !== 'hs_object_id' && !ctx.state.properties[type].has(f.propertyName)) return hsError(400, 'VALIDATION_ERROR', `There was a problem with the request. Property "${f.propertyName}" does not exist`, { errors: [{ message: `Property "${f.propertyName}" does not exist`, code: 'PROPERTY_DOESNT_EXIST', context: { propertyName: [f.propertyName] } }] });
      const listOp = f.operator === 'IN' || f.operator === 'NOT_IN';
      if (listOp && (!Array.isArray(f.values) || !f.values.length || !f.values.every((v) => typeof v === 'string'))) return hsError(400, 'VALIDATION_ERROR', `${f.operator} needs values: a non-empty array of strings`);
      if (!listOp && !f.operator.includes('HAS_PROPERTY') && typeof f.value !== 'string') return hsError(400, 'VALIDATION_ERROR', `${f.operator} needs a string value`);
      fs.push(f as unknown as Filter);
    }
    parsed.push(fs);
  }
  const limit = body.limit === undefined ? 10 : body.limit;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > SEARCH_LIMITS.pageMax) return hsError(400, 'VALIDATION_ERROR', `limit must be between 1 and ${SEARCH_LIMITS.pageMax}`);
  if (body.properties !== undefined && (!Array.isArray(body.properties) || !body.properties.every((p) => typeof p === 'string'))) return hsError(400, 'VALIDATION_ERROR', 'properties must be an array of strings');
  if (body.after !== undefined && typeof body.after !== 'string') return hsError(400, 'VALIDATION_ERROR', 'after must be a string (a paging cursor)');
  const after = body.after === undefined ? 0 : Number(body.after);
  if (!Number.isInteger(after) || after < 0) return hsError(400, 'VALIDATION_ERROR', 'after must be a paging cursor');
  if (after >= SEARCH_LIMITS.totalMax) return hsError(400, 'VALIDATION_ERROR', `Paging past ${SEARCH_LIMITS.totalMax} results is not supported: narrow the filters`);
  // Datetime comparisons take epoch ms (or ISO): anything else is refused, not compared as NaN.
  for (const f of parsed.flat()) {
    const def = ctx.state.properties[type].get(f.propertyName);
    if (def?.type === 'datetime' && ['GT', 'GTE', 'LT', 'LTE', 'EQ', 'NEQ'].includes(f.operator) && toMs(f.value ?? '') === undefined) {
      return hsError(400, 'VALIDATION_ERROR', `${f.value} is not a valid value for the datetime property ${f.propertyName}`);
    }
  }
  const sorts = body.sorts ?? [];
  if (!Array.isArray(sorts)) return hsError(400, 'VALIDATION_ERROR', 'sorts must be an array');
  if (sorts.length > 1) return hsError(400, 'VALIDATION_ERROR', 'Only one sort rule can be used per search');
  let sort: { name: string; desc: boolean } | undefined;
  if (sorts.length) {
    const raw = sorts[0];
    // The guide's form {propertyName, direction}; the spec types sorts as strings (a property name).
    const s0 = typeof raw === 'string' ? { propertyName: raw, direction: 'ASCENDING' } : raw;
    if (!isObj(s0) || typeof s0.propertyName !== 'string' || (s0.direction !== 'ASCENDING' && s0.direction !== 'DESCENDING')) return hsError(400, 'VALIDATION_ERROR', 'a sort needs propertyName and direction ASCENDING or DESCENDING');
    const extraSort = unknownKeys(s0, ['propertyName', 'direction']);
    if (extraSort) return extraSort;
    if (!ctx.state.properties[type].has(s0.propertyName)) return hsError(400, 'VALIDATION_ERROR', `Property "${s0.propertyName}" does not exist`);
    sort = { name: s0.propertyName, desc: s0.direction === 'DESCENDING' };
  }
  const sortKey = (o: EmObject): number | string | undefined => {
    if (!sort) return undefined;
    const v = systemValues(o)[sort.name] ?? o.properties[sort.name];
    const t = ctx.state.properties[type].get(sort.name)?.type;
    return v === undefined ? undefined : t === 'datetime' || t === 'number' ? Number(t === 'datetime' ? toMs(v) : v) : v.toLowerCase();
  };
  const byId = (a: EmObject, b: EmObject) => Number(a.id) - Number(b.id);
  const hits = [...ctx.state.objects[type].values()]
    .filter((o) => !o.archived && (!parsed.length || parsed.some((g) => g.every((f) => matches(ctx, o, f)))))
    .sort((a, b) => {
      const ka = sortKey(a);
      const kb = sortKey(b);
      if (ka === kb) return byId(a, b);
      if (ka === undefined) return 1;
      if (kb === undefined) return -1;
      return (ka < kb ? -1 : 1) * (sort?.desc ? -1 : 1);
    });
  const page = hits.slice(after, after + limit);
  const props = (body.properties as string[] | undefined) ?? defaultProps(type);
  return {
    status: 200,
    body: { total: hits.length, results: page.map((o) => view(ctx, o, props)), ...(after + limit < hits.length ? { paging: { next: { after: String(after + limit), link: '' } } } : {}) },
  };
}

export const BATCH_MAX = 100;

export function batchUpsert(ctx: RouteContext, type: ObjectType, body: unknown): Reply {
  if (!isObj(body)) return hsError(400, 'VALIDATION_ERROR', 'Invalid input JSON');
  const k = unknownKeys(body, ['inputs']);
  if (k) return k;
  if (!Array.isArray(body.inputs) || !body.inputs.length) return hsError(400, 'VALIDATION_ERROR', 'inputs must be a non-empty array');
  if (body.inputs.length > BATCH_MAX) return hsError(400, 'VALIDATION_ERROR', `Batch input limit exceeded: ${body.inputs.length} inputs. The maximum is ${BATCH_MAX}.`);
  const inputs: { idProperty: string; id: string; properties: Record<string, string>; trace?: string }[] = [];
  for (const input of body.inputs) {
    if (!isObj(input)) return hsError(400, 'VALIDATION_ERROR', 'each input must be an object');
    const extra = unknownKeys(input, ['idProperty', 'id', 'properties', 'objectWriteTraceId']);
    if (extra) return extra;
    if (typeof input.idProperty !== 'string' || typeof input.id !== 'string' || !input.id) return hsError(400, 'VALIDATION_ERROR', 'each input needs idProperty and id');
    const def = ctx.state.properties[type].get(input.idProperty);
    if (!def) {
      const c = checkProperties(ctx, type, { [input.idProperty]: input.id });
      return c.ok ? notFound() : c.reply;
    }
    if (!def.hasUniqueValue && !(type === 'contacts' && input.idProperty === 'email')) return hsError(400, 'VALIDATION_ERROR', `${input.idProperty} is not a unique identifier property`);
    // Unknown properties fail the whole call (a schema problem, not a record's).
    const p = checkProperties(ctx, type, input.properties ?? {});
    if (!p.ok && p.errors.some((e) => e.error === 'PROPERTY_DOESNT_EXIST')) return p.reply;
    inputs.push({ idProperty: input.idProperty, id: input.id, properties: isObj(input.properties) ? (input.properties as Record<string, string>) : {}, ...(typeof input.objectWriteTraceId === 'string' ? { trace: input.objectWriteTraceId } : {}) });
  }
  const ids = inputs.map((i) => `${i.idProperty}:${i.id.toLowerCase()}`);
  const dup = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (dup.length) return hsError(400, 'VALIDATION_ERROR', `Duplicate IDs found in batch input: [${dup.join(', ')}]. IDs must be unique`);
  const results: unknown[] = [];
  const errors: unknown[] = [];
  const started = new Date(ctx.now()).toISOString();
  for (const input of inputs) {
    const context = input.trace !== undefined ? { objectWriteTraceId: [input.trace] } : { ids: [input.id] };
    const p = checkProperties(ctx, type, input.properties);
    if (!p.ok) {
      const b = p.reply.body as Record<string, unknown>;
      // The spec's StandardError: category, context, errors, links, message, status required;
      // subCategory is an object there (not the string of whole-reply errors); the spec does not
      // describe its keys, so the emulator's `reason` is a placeholder the adapter must not need.
      errors.push({ status: 'error', category: 'VALIDATION_ERROR', subCategory: { reason: 'PROPERTY_VALIDATION' }, message: b.message, context, errors: b.errors ?? [], links: {} });
      continue;
    }
    const values = { ...p.values, [input.idProperty]: input.idProperty === 'email' ? input.id.toLowerCase() : input.id };
    const target = [...ctx.state.objects[type].values()].find((o) => (o.properties[input.idProperty] ?? '').toLowerCase() === input.id.toLowerCase());
    {
      const req = (target ? undefined : required(type, values)) ?? pipelineError(ctx, type, values, target?.properties);
      if (req) {
        const b = req.body as Record<string, unknown>;
        errors.push({ status: 'error', category: 'VALIDATION_ERROR', message: b.message, context, errors: b.errors ?? [], links: {} });
        continue;
      }
    }
    const clash = uniqueClash(ctx, type, values, target?.id);
    if (clash) {
      errors.push({ status: 'error', category: 'CONFLICT', subCategory: { reason: 'OBJECT_ALREADY_EXISTS' }, message: `${type === 'contacts' ? 'Contact' : 'Object'} already exists. Existing ID: ${clash.id}`, context, errors: [], links: {} });
      continue;
    }
    const o = put(ctx, type, values, target);
    results.push(view(ctx, o, Object.keys(values), { new: !target }));
  }
  const reply = { status: 'COMPLETE', results, startedAt: started, completedAt: new Date(ctx.now()).toISOString(), ...(errors.length ? { numErrors: errors.length, errors } : {}) };
  return { status: errors.length ? 207 : 200, body: reply };
}

/** HubSpot's object type ids (contacts 0-1, deals 0-3, notes 0-4, tasks 0-27). */
const OBJECT_TYPE_IDS: Record<ObjectType, string> = { contacts: '0-1', deals: '0-3', notes: '0-4', tasks: '0-27', tickets: '0-5' };

export function associateV4(ctx: RouteContext, from: ObjectType, fromId: string, to: ObjectType, toId: string, body: unknown): Reply {
  if (!ctx.state.objects[from].has(fromId) || !ctx.state.objects[to].has(toId)) return notFound();
  if (!Array.isArray(body) || !body.length) return hsError(400, 'VALIDATION_ERROR', 'expected an array of {associationCategory, associationTypeId}');
  for (const t of body) {
    if (!isObj(t) || t.associationCategory !== 'HUBSPOT_DEFINED' || typeof t.associationTypeId !== 'number') return hsError(400, 'VALIDATION_ERROR', 'Invalid association type');
    const extra = unknownKeys(t, ['associationCategory', 'associationTypeId']);
    if (extra) return extra;
    const pair = ASSOCIATION_TYPES[t.associationTypeId];
    if (!pair || pair[0] !== from || pair[1] !== to) return hsError(400, 'VALIDATION_ERROR', `association type id ${t.associationTypeId} is not valid from ${from} to ${to}`);
    const exists = ctx.state.associations.some((a) => a.fromType === from && a.fromId === fromId && a.toType === to && a.toId === toId && a.typeId === t.associationTypeId);
    if (!exists) ctx.state.associations.push({ fromType: from, fromId, toType: to, toId, typeId: t.associationTypeId });
  }
  // 201 LabelsBetweenObjectPair, ids and object type ids as strings (associations v4 spec).
  return { status: 201, body: { fromObjectTypeId: OBJECT_TYPE_IDS[from], fromObjectId: fromId, toObjectTypeId: OBJECT_TYPE_IDS[to], toObjectId: toId, labels: [] } };
}

export function getProperty(ctx: RouteContext, type: ObjectType, name: string): Reply {
  const def = ctx.state.properties[type].get(name);
  if (!def) return hsError(404, 'OBJECT_NOT_FOUND', `Unable to find property with name: ${name}`);
  return { status: 200, body: propertyView(type, def) };
}
/**
 * GET /crm/v3/properties/{objectType}: every property of the type, {results:[…]}, no paging.
 * An object type HubSpot cannot resolve is a 400 "Unable to infer object type from: x" (the
 * message HubSpot sends; the status is what clients report, not documented).
 */
export function listProperties(ctx: RouteContext, type: string, q: URLSearchParams): Reply {
  const t = objectType(type);
  if (!t) return hsError(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${type}`);
  const archived = q.get('archived');
  if (archived !== null && archived !== 'true' && archived !== 'false') return hsError(400, 'VALIDATION_ERROR', `archived must be true or false`);
  // Archived properties are not emulated: archived=true lists none.
  const results = archived === 'true' ? [] : [...ctx.state.properties[t].values()].map((d) => propertyView(t, d));
  return { status: 200, body: { results } };
}
const propertyView = (type: ObjectType, d: PropDef) => ({ name: d.name, label: d.label, type: d.type, fieldType: d.fieldType, groupName: d.groupName, hasUniqueValue: !!d.hasUniqueValue, options: (d.options ?? []).map((o) => ({ label: o, value: o })), calculated: false, externalOptions: false, hubspotDefined: !d.custom, modificationMetadata: { readOnlyValue: !!d.readOnly }, objectType: type });

export function createProperty(ctx: RouteContext, type: ObjectType, body: unknown): Reply {
  if (!isObj(body)) return hsError(400, 'VALIDATION_ERROR', 'Invalid input JSON');
  const k = unknownKeys(body, ['name', 'label', 'type', 'fieldType', 'groupName', 'description', 'hasUniqueValue', 'options', 'displayOrder', 'formField', 'hidden']);
  if (k) return k;
  const missing = ['name', 'label', 'type', 'fieldType', 'groupName'].filter((f) => typeof body[f] !== 'string' || !body[f]);
  if (missing.length) return hsError(400, 'VALIDATION_ERROR', `Missing required fields: ${missing.join(', ')}`);
  const name = body.name as string;
  if (!/^[a-z][a-z0-9_]*$/.test(name)) return hsError(400, 'VALIDATION_ERROR', `Property name ${name} is invalid: use lowercase letters, digits and underscores`);
  if (!['string', 'number', 'datetime', 'enumeration', 'date', 'bool'].includes(body.type as string)) return hsError(400, 'VALIDATION_ERROR', `Invalid type ${String(body.type)}`);
  if (ctx.state.properties[type].has(name)) return hsError(409, 'CONFLICT', `A property named '${name}' already exists.`);
  const def: PropDef = { name, label: body.label as string, type: body.type as PropDef['type'], fieldType: body.fieldType as string, groupName: body.groupName as string, hasUniqueValue: body.hasUniqueValue === true, custom: true };
  ctx.state.properties[type].set(name, def);
  ctx.state.propertiesCreated.push(`${type}.${name}`);
  return { status: 201, body: propertyView(type, def) };
}

export function tokenInfo(ctx: RouteContext, body: unknown): Reply {
  if (!isObj(body) || typeof body.tokenKey !== 'string') return hsError(400, 'VALIDATION_ERROR', 'tokenKey is required');
  const t = ctx.state.tokens.get(body.tokenKey);
  if (!t || t.state !== 'active') return hsError(404, 'OBJECT_NOT_FOUND', 'Token not found');
  return { status: 200, body: { userId: 7_001, hubId: ctx.state.portalId, appId: 3_001, scopes: t.scopes } };
}

/**
 * PUT /crm/v4/objects/{from}/{fromId}/associations/default/{to}/{toId} (no body): the default
 * (most generic) HUBSPOT_DEFINED type between the two types (ticket→contact 16, note→ticket 228).
 * 200 BatchResponsePublicDefaultAssociation (associations v4 spec): results [{from:{id}, to:{id},
 * associationSpec}]; idempotent.
 */
export function associateDefault(ctx: RouteContext, fromRaw: string, fromId: string, toRaw: string, toId: string, body: unknown): Reply {
  const from = v4Type(fromRaw);
  const to = v4Type(toRaw);
  if (!from || !to) return hsError(400, 'VALIDATION_ERROR', `Unable to infer object type from: ${!from ? fromRaw : toRaw}`);
  if (body !== undefined && body !== null && !(typeof body === 'string' && body === '')) return hsError(400, 'VALIDATION_ERROR', 'This endpoint takes no request body');
  if (!ctx.state.objects[from].get(fromId) || ctx.state.objects[from].get(fromId)!.archived || !ctx.state.objects[to].get(toId) || ctx.state.objects[to].get(toId)!.archived) return notFound();
  const typeId = defaultAssociationType(from, to);
  if (typeId === undefined) return hsError(400, 'VALIDATION_ERROR', `No default association type from ${from} to ${to}`);
  if (!ctx.state.associations.some((a) => a.fromType === from && a.fromId === fromId && a.toType === to && a.toId === toId && a.typeId === typeId)) {
    ctx.state.associations.push({ fromType: from, fromId, toType: to, toId, typeId });
  }
  const at = new Date(ctx.now()).toISOString();
  return { status: 200, body: { status: 'COMPLETE', results: [{ from: { id: fromId }, to: { id: toId }, associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId } }], startedAt: at, completedAt: at } };
}

const stageView = (st: EmStage, at: string) => ({ id: st.id, label: st.label, displayOrder: st.displayOrder, archived: false, createdAt: at, updatedAt: at, writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT', metadata: { ticketState: st.ticketState } });
const pipelineView = (p: EmPipeline, at: string) => ({ id: p.id, label: p.label, displayOrder: p.displayOrder, archived: false, createdAt: at, updatedAt: at, stages: p.stages.map((st) => stageView(st, at)) });

/**
 * GET /crm/v3/pipelines/tickets[/{pipelineId}]: the portal's ticket pipelines with their stages
 * (pipelines guide, developers.hubspot.com/docs/guides/api/crm/pipelines, read 2026-12-06: a
 * stage's metadata.ticketState is OPEN or CLOSED). No OpenAPI file for pipelines in shared/specs:
 * the shape follows the guide's example reply. Another object type than tickets is not emulated
 * and answers 400, never a made-up list.
 */
export function getPipelines(ctx: RouteContext, objectTypeRaw: string, pipelineId: string | undefined, q: URLSearchParams): Reply {
  if (objectTypeRaw !== 'tickets') return hsError(400, 'VALIDATION_ERROR', `emulator: pipelines of ${objectTypeRaw} are not emulated`);
  const extra = [...q.keys()];
  if (extra.length) return hsError(400, 'VALIDATION_ERROR', `Unknown query parameter(s): ${extra.join(', ')}`);
  const at = new Date(Date.UTC(2026, 0, 5)).toISOString();
  if (pipelineId === undefined) return { status: 200, body: { results: ctx.state.ticketPipelines.map((p) => pipelineView(p, at)) } };
  const p = ctx.state.ticketPipelines.find((x) => x.id === pipelineId);
  if (!p) return hsError(404, 'OBJECT_NOT_FOUND', `Unable to find pipeline ${pipelineId} for object type tickets`);
  return { status: 200, body: pipelineView(p, at) };
}
