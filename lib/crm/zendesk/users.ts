// Customers are Zendesk end users. Create by POST /api/v2/users/create_or_update with
// external_id = the Liaison customer id (Zendesk: "Creates a user if the user does not already
// exist, or updates an existing user identified by e-mail address or external ID", 201 new / 200
// existing), so a retry after a lost reply updates the same user instead of making a second one.
// Update by PUT /api/v2/users/{id} (the linked user, whoever made it: an upsert keyed on our
// external_id would create a second user for one a colleague made). Find by GET
// /api/v2/users/search (email:, phone:, name: terms). Read one back by GET /api/v2/users/{id},
// updated_at as the marker.
import { z } from 'zod';
import type { Customer } from '../../model';
import { samePhone } from '../../phone/same';
import { CrmError } from '../errors';
import type { CustomerPatch, CustomerQuery, RemoteCustomer, RemoteCustomerRecord, RemoteFieldValues, RemoteRef, WriteOptions } from '../port';
import { refuseReserved, toText, type TemplateFields } from '../template-values';
import { call, notValidId, parseTime, type ZendeskContext } from './client';
import { zendeskSpec } from './spec';

export const userSchema = z
  .object({
    id: z.number(),
    name: z.string(),
    email: z.string().nullable().optional(),
    phone: z.string().nullable().optional(),
    external_id: z.string().nullable().optional(),
    notes: z.string().nullable().optional(),
    details: z.string().nullable().optional(),
    tags: z.array(z.string()).optional(),
    role: z.string().optional(),
    active: z.boolean().optional(),
    updated_at: z.string().optional(),
    user_fields: z.record(z.string(), z.unknown()).nullable().optional(),
  })
  .passthrough();
export type ZendeskUser = z.infer<typeof userSchema>;
const oneUser = z.object({ user: userSchema });
const manyUsers = z.object({ users: z.array(userSchema) });

/** The user properties a mapping or template may write directly; anything else is a user field (user_fields.<key>). */
export const USER_PROPS = ['name', 'email', 'phone', 'notes', 'details', 'tags', 'alias', 'time_zone', 'locale'] as const;
const RESERVED: Record<string, string> = { external_id: 'the Liaison customer id', id: 'the user id', role: 'Liaison only writes end users', organization_id: 'organisation membership' };

type Mapping = Record<string, string>;
const mappingOf = (ctx: ZendeskContext): Mapping => ({ ...zendeskSpec.defaultMapping.customer, ...ctx.config.mapping.customer }) as Mapping;

function put(body: Record<string, unknown>, target: string, value: unknown) {
  if (target.startsWith('user_fields.')) {
    const fields = (body.user_fields ??= {}) as Record<string, unknown>;
    fields[target.slice('user_fields.'.length)] = value;
  } else body[target] = value;
}

function toZendesk(field: string, v: unknown): unknown {
  if (v === null) return null;
  if (field === 'phones') return (v as string[])[0] ?? null;
  if (field === 'tags') return (v as string[]).map((t) => t.trim().replace(/\s+/g, '_')).filter(Boolean);
  if (field === 'nextFollowUpAt') return new Date(v as number).toISOString();
  if (typeof v === 'number') return v;
  return String(v);
}

/** The user body for a customer or a patch (only the fields present), through the connection's mapping. */
export function userBody(c: CustomerPatch, ctx: ZendeskContext): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  for (const [field, target] of Object.entries(mappingOf(ctx))) {
    const v = (c as Record<string, unknown>)[field];
    if (v === undefined) continue;
    put(body, target, toZendesk(field, v));
  }
  return body;
}

/** Template values on top: a user property by name, else a user field by key. */
export function templateInto(body: Record<string, unknown>, fields: TemplateFields | undefined) {
  refuseReserved('Zendesk', fields, (name) => RESERVED[name]);
  for (const [name, v] of Object.entries(fields ?? {})) {
    if (name === 'tags') put(body, 'tags', toText(v).split(/[,，\s]+/).filter(Boolean));
    else if ((USER_PROPS as readonly string[]).includes(name)) put(body, name, toText(v));
    else put(body, `user_fields.${name.replace(/^user_fields\./, '')}`, v);
  }
}

/** A user read back, in Liaison terms (the mapping in reverse). */
export function userFields(u: ZendeskUser, ctx: ZendeskContext): { fields: RemoteFieldValues; unreadable: string[] } {
  const fields: Record<string, unknown> = {};
  const unreadable: string[] = [];
  for (const [field, target] of Object.entries(mappingOf(ctx))) {
    const raw = target.startsWith('user_fields.') ? u.user_fields?.[target.slice(12)] : (u as Record<string, unknown>)[target];
    // Absent or null: Zendesk has nothing there (the field is mapped, so null, not left out).
    if (raw === undefined || raw === null || raw === '') {
      fields[field] = field === 'phones' || field === 'tags' ? [] : null;
      continue;
    }
    if (field === 'phones') fields.phones = [String(raw)];
    else if (field === 'tags') fields.tags = Array.isArray(raw) ? raw.map(String) : [String(raw)];
    else if (field === 'amount') {
      const n = Number(raw);
      if (Number.isFinite(n)) fields.amount = n;
      else unreadable.push(field);
    } else if (field === 'nextFollowUpAt') {
      const t = parseTime(String(raw));
      if (t !== undefined) fields.nextFollowUpAt = t;
      else unreadable.push(field);
    } else if (typeof raw === 'string' || typeof raw === 'number') fields[field] = String(raw);
    else unreadable.push(field);
  }
  return { fields: fields as RemoteFieldValues, unreadable };
}

function ref(u: ZendeskUser): RemoteRef {
  const t = parseTime(u.updated_at);
  return { remoteId: String(u.id), ...(t !== undefined ? { marker: String(t) } : {}) };
}

async function search(ctx: ZendeskContext, query: string, signal?: AbortSignal): Promise<ZendeskUser[]> {
  return (await call(ctx, 'get', 'api/v2/users/search', { searchParams: { query }, schema: manyUsers, signal })).users;
}

const quoted = (s: string) => `"${s.replace(/"/g, '')}"`;

export async function findCustomers(ctx: ZendeskContext, q: CustomerQuery, signal?: AbortSignal): Promise<RemoteCustomer[]> {
  const found = new Map<number, RemoteCustomer>();
  const add = (users: ZendeskUser[], by: string) => {
    for (const u of users) {
      if (u.active === false) continue;
      const c = found.get(u.id) ?? { remoteId: String(u.id), name: u.name, phones: u.phone ? [u.phone] : [], ...(u.email ? { email: u.email } : {}), matchedBy: [] };
      if (!c.matchedBy.includes(by)) c.matchedBy.push(by);
      found.set(u.id, c);
    }
  };
  if (q.email?.trim()) add((await search(ctx, `email:${q.email.trim()}`, signal)).filter((u) => u.email?.toLowerCase() === q.email!.trim().toLowerCase()), 'email');
  if (q.phone) add((await search(ctx, `phone:${quoted(q.phone)}`, signal)).filter((u) => !!u.phone && samePhone(u.phone, q.phone!)), 'phone');
  if (q.name && q.name.trim().length >= 2) add(await search(ctx, `name:${quoted(q.name.trim())}`, signal), 'name');
  // q.code: Zendesk users have no customer code unless a mapping puts it in a user field, which
  // the search syntax cannot address by key; a code-only query finds nothing here, by design.
  return [...found.values()];
}

/** create_or_update with external_id = the Liaison customer id: the same user however often it is sent. */
export async function upsertUser(ctx: ZendeskContext, c: Pick<Customer, 'id' | 'name' | 'phones' | 'email'> & Partial<Customer>, fields: TemplateFields | undefined, signal?: AbortSignal): Promise<ZendeskUser> {
  const body = userBody(c, ctx);
  templateInto(body, fields);
  if (typeof body.name !== 'string' || !body.name.trim()) body.name = c.name || c.email || c.phones[0] || c.id;
  // No verification email from Zendesk to someone who only chatted with the salesperson.
  const user = { ...body, external_id: c.id, skip_verify_email: true };
  return (await call(ctx, 'post', 'api/v2/users/create_or_update', { json: { user }, write: true, schema: oneUser, signal })).user;
}

export async function createCustomer(ctx: ZendeskContext, c: Customer, opts: WriteOptions): Promise<RemoteRef> {
  return ref(await upsertUser(ctx, c, opts.fields, opts.signal));
}

export async function updateCustomer(ctx: ZendeskContext, remoteId: string, patch: CustomerPatch, opts: WriteOptions): Promise<RemoteRef> {
  const bad = notValidId(remoteId, 'user id');
  if (bad) throw bad;
  const body = userBody(patch, ctx);
  templateInto(body, opts.fields);
  // Most Liaison fields (stage, intent, amount…) have no place on a Zendesk user: a patch of only
  // those has nothing to send, and that is done, not a failure shown beside the chat.
  if (!Object.keys(body).length) return { remoteId };
  return ref((await call(ctx, 'put', `api/v2/users/${remoteId}`, { json: { user: body }, write: true, schema: oneUser, signal: opts.signal })).user);
}

export async function getCustomer(ctx: ZendeskContext, remoteId: string, signal?: AbortSignal): Promise<RemoteCustomerRecord | null> {
  const bad = notValidId(remoteId, 'user id');
  if (bad) throw bad;
  let u: ZendeskUser;
  try {
    u = (await call(ctx, 'get', `api/v2/users/${remoteId}`, { schema: oneUser, signal })).user;
  } catch (e) {
    if (e instanceof CrmError && e.kind === 'not-found') return null;
    throw e;
  }
  if (u.active === false) return null; // deleted users stay readable with active:false
  const { fields, unreadable } = userFields(u, ctx);
  const modifiedAt = parseTime(u.updated_at);
  return { remoteId, ...(modifiedAt !== undefined ? { marker: String(modifiedAt), modifiedAt } : {}), fields, ...(unreadable.length ? { unreadable } : {}) };
}
