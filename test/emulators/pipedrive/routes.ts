// Pipedrive's routes as the emulator answers them. Shapes follow Pipedrive's own OpenAPI files
// (shared/specs pipedrive.v1.yaml, 2024-02 copy; pipedrive.v2.yaml, 2025-07 copy; SOURCES.md),
// and the contract tests validate every reply against them; behaviour from pipedrive.readme.io
// (Authentication, Rate limiting, Pagination: v1 start/limit with
// additional_data.pagination, v2 cursor with additional_data.next_cursor; checked 2026-12-06)
// and shared/reference/crm-apis.md § Pipedrive (error body {success:false, error, error_info}).
// Strict: unknown body keys, a body that is not an object, non-numeric ids, a missing required
// field (person name, deal title, note content, activity subject), unknown custom field keys,
// bad enums and a page size over 500 are 400s.

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}
export interface Field { id: number; key: string; name: string; field_type: string; edit_flag: boolean; add_time: string; update_time: string; active_flag: boolean }
export interface Person { id: number; name: string; emails: { value: string; primary: boolean; label: string }[]; phones: { value: string; primary: boolean; label: string }[]; owner_id: number; add_time: string; update_time: string; is_deleted: boolean; custom_fields: Record<string, unknown> }
export interface Note { id: number; content: string; person_id: number; user_id: number; add_time: string; update_time: string; active_flag: boolean }
export interface DealRec { id: number; title: string; value: number; currency: string; status: string; person_id: number; owner_id: number; add_time: string; update_time: string; close_time: string | null; custom_fields: Record<string, unknown>; is_deleted: boolean }
export interface Activity { id: number; subject: string; type: string; due_date: string; due_time: string; person_id: number; participants: { person_id: number; primary: boolean }[]; note: string; owner_id: number; done: boolean; add_time: string; update_time: string; is_deleted: boolean }
export interface User { id: number; name: string; email: string }

export interface State {
  seq: number;
  users: User[];
  me: number;
  company: { id: number; name: string; domain: string };
  fields: { person: Field[]; deal: Field[]; note: Field[] };
  persons: Map<number, Person>;
  notes: Map<number, Note>;
  deals: Map<number, DealRec>;
  activities: Map<number, Activity>;
}

export interface Ctx {
  state: State;
  now: () => number;
}

const ERROR_INFO = 'Please check developers.pipedrive.com for more information about Pipedrive API.';
export const pdError = (status: number, error: string, extra: Record<string, unknown> = {}): Reply => ({ status, body: { success: false, error, error_info: ERROR_INFO, data: null, additional_data: null, ...extra } });
const ok = (data: unknown, additional?: unknown, status = 200): Reply => ({ status, body: { success: true, data, ...(additional !== undefined ? { additional_data: additional } : {}) } });

export const v2Time = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
export const v1Time = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
function unknownKeys(body: Record<string, unknown>, allowed: string[]): Reply | undefined {
  const extra = Object.keys(body).filter((k) => !allowed.includes(k));
  return extra.length ? pdError(400, `Unknown parameter(s): ${extra.join(', ')}`) : undefined;
}
const idOf = (s: string | undefined): number | undefined => (s && /^\d+$/.test(s) ? Number(s) : undefined);

/** v2 cursor: the offset, opaque to the client (base64url). */
const encodeCursor = (n: number) => Buffer.from(`o:${n}`).toString('base64url');
function decodeCursor(c: string | null): number | Reply {
  if (c === null) return 0;
  const m = /^o:(\d+)$/.exec(Buffer.from(c, 'base64url').toString('utf8'));
  return m ? Number(m[1]) : pdError(400, 'Invalid cursor');
}
function limitOf(q: URLSearchParams, dflt: number): number | Reply {
  if (!q.has('limit')) return dflt;
  const n = Number(q.get('limit'));
  return Number.isInteger(n) && n >= 1 && n <= 500 ? n : pdError(400, 'limit must be an integer between 1 and 500');
}
function v2Page<T>(items: T[], q: URLSearchParams): Reply {
  const limit = limitOf(q, 100);
  if (typeof limit !== 'number') return limit;
  const off = decodeCursor(q.get('cursor'));
  if (typeof off !== 'number') return off;
  const page = items.slice(off, off + limit);
  // next_cursor is left out on the last page (the v2 file types it string, not nullable).
  return ok(page, off + limit < items.length ? { next_cursor: encodeCursor(off + limit) } : {});
}

// ---- custom fields (v1)
export function listFields(ctx: Ctx, entity: 'person' | 'deal' | 'note', q: URLSearchParams): Reply {
  const start = Number(q.get('start') ?? 0);
  const limit = limitOf(q, 100);
  if (typeof limit !== 'number') return limit;
  if (!Number.isInteger(start) || start < 0) return pdError(400, 'start must be a non-negative integer');
  const all = ctx.state.fields[entity];
  const page = all.slice(start, start + limit);
  const more = start + limit < all.length;
  return ok(page, { pagination: { start, limit, more_items_in_collection: more, ...(more ? { next_start: start + limit } : {}) } });
}
const FIELD_TYPES = ['address', 'date', 'daterange', 'double', 'enum', 'monetary', 'org', 'people', 'phone', 'set', 'text', 'time', 'timerange', 'user', 'varchar', 'varchar_auto', 'visible_to'];
export function createField(ctx: Ctx, entity: 'person' | 'deal', body: unknown): Reply {
  if (!isObj(body)) return pdError(400, 'Invalid JSON body');
  const k = unknownKeys(body, ['name', 'field_type', 'options', 'add_visible_flag']);
  if (k) return k;
  if (typeof body.name !== 'string' || !body.name.trim()) return pdError(400, 'Field name must be given.');
  if (typeof body.field_type !== 'string' || !FIELD_TYPES.includes(body.field_type)) return pdError(400, 'Field type is not valid.');
  const t = v1Time(ctx.now());
  const key = Array.from({ length: 40 }, (_, i) => '0123456789abcdef'[(ctx.state.seq * 7 + i * 13 + body.name!.toString().length) % 16]).join('');
  const f: Field = { id: ++ctx.state.seq, key, name: body.name, field_type: body.field_type, edit_flag: true, add_time: t, update_time: t, active_flag: true };
  ctx.state.fields[entity].push(f);
  return ok(f);
}
function customFieldsOk(ctx: Ctx, entity: 'person' | 'deal', cf: unknown): Reply | undefined {
  if (cf === undefined) return undefined;
  if (!isObj(cf)) return pdError(400, 'custom_fields must be an object');
  for (const [key, v] of Object.entries(cf)) {
    if (!ctx.state.fields[entity].some((f) => f.key === key)) return pdError(400, `Custom field ${key} does not exist`);
    if (v !== null && typeof v !== 'string' && typeof v !== 'number') return pdError(400, `Custom field ${key}: value must be a string or a number`);
  }
  return undefined;
}

// ---- users
export function me(ctx: Ctx): Reply {
  const u = ctx.state.users.find((x) => x.id === ctx.state.me)!;
  return ok({ id: u.id, name: u.name, email: u.email, default_currency: 'CNY', locale: 'zh_CN', lang: 1, activated: true, is_you: true, active_flag: true, timezone_name: 'Asia/Shanghai', timezone_offset: '+08:00', company_id: ctx.state.company.id, company_name: ctx.state.company.name, company_domain: ctx.state.company.domain, company_country: 'CN', language: { language_code: 'zh', country_code: 'CN' } });
}

// ---- persons (v2)
const contactList = (v: unknown, what: string): Person['emails'] | Reply => {
  if (!Array.isArray(v)) return pdError(400, `${what} must be an array`);
  const out: Person['emails'] = [];
  for (const x of v) {
    if (!isObj(x) || typeof x.value !== 'string') return pdError(400, `${what}: each item needs a value (string)`);
    const extra = Object.keys(x).filter((k) => !['value', 'primary', 'label'].includes(k));
    if (extra.length) return pdError(400, `${what}: unknown key ${extra[0]}`);
    if (x.primary !== undefined && typeof x.primary !== 'boolean') return pdError(400, `${what}: primary must be a boolean`);
    if (what === 'emails' && x.value && !/^[^@\s]+@[^@\s]+$/.test(x.value)) return pdError(400, 'emails: invalid email address');
    out.push({ value: x.value, primary: x.primary === true, label: typeof x.label === 'string' ? x.label : 'work' });
  }
  return out;
};
export function personView(p: Person) {
  const { is_deleted, ...rest } = p;
  // Empty custom fields and the absent organisation are left out: the v2 file types them non-null.
  const custom_fields = Object.fromEntries(Object.entries(rest.custom_fields).filter(([, v]) => v !== null && v !== ''));
  return { ...rest, custom_fields, first_name: p.name.split(' ')[0] ?? p.name, last_name: p.name.split(' ').slice(1).join(' '), is_deleted, visible_to: 3, label_ids: [] };
}
function writePerson(ctx: Ctx, body: unknown, target?: Person): Reply {
  if (!isObj(body)) return pdError(400, 'Invalid JSON body');
  const k = unknownKeys(body, ['name', 'owner_id', 'org_id', 'emails', 'phones', 'visible_to', 'label_ids', 'marketing_status', 'custom_fields', 'add_time']);
  if (k) return k;
  if (!target && (typeof body.name !== 'string' || !body.name.trim())) return pdError(400, 'Name must be given.');
  if (body.name !== undefined && (typeof body.name !== 'string' || !body.name.trim())) return pdError(400, 'Name must be a non-empty string.');
  const emails = body.emails !== undefined ? contactList(body.emails, 'emails') : undefined;
  if (emails && !Array.isArray(emails)) return emails;
  const phones = body.phones !== undefined ? contactList(body.phones, 'phones') : undefined;
  if (phones && !Array.isArray(phones)) return phones;
  const cf = customFieldsOk(ctx, 'person', body.custom_fields);
  if (cf) return cf;
  const t = v2Time(ctx.now());
  const p: Person = target ?? { id: ++ctx.state.seq, name: '', emails: [], phones: [], owner_id: ctx.state.me, add_time: t, update_time: t, is_deleted: false, custom_fields: {} };
  if (typeof body.name === 'string') p.name = body.name;
  if (emails) p.emails = emails;
  if (phones) p.phones = phones;
  if (isObj(body.custom_fields)) Object.assign(p.custom_fields, body.custom_fields);
  p.update_time = t;
  ctx.state.persons.set(p.id, p);
  return ok(personView(p));
}
export const createPerson = (ctx: Ctx, body: unknown) => writePerson(ctx, body);
export function patchPerson(ctx: Ctx, id: string, body: unknown): Reply {
  const p = ctx.state.persons.get(idOf(id) ?? -1);
  if (!p || p.is_deleted) return pdError(404, 'Person not found');
  return writePerson(ctx, body, p);
}
export function getPerson(ctx: Ctx, id: string): Reply {
  const n = idOf(id);
  if (n === undefined) return pdError(400, 'id must be an integer');
  const p = ctx.state.persons.get(n);
  return p && !p.is_deleted ? ok(personView(p)) : pdError(404, 'Person not found');
}
export function listPersons(ctx: Ctx, q: URLSearchParams): Reply {
  const sortBy = q.get('sort_by') ?? 'id';
  const dir = q.get('sort_direction') ?? 'asc';
  if (!['id', 'update_time', 'add_time'].includes(sortBy) || !['asc', 'desc'].includes(dir)) return pdError(400, 'Invalid sort_by or sort_direction');
  const since = q.get('updated_since');
  if (since !== null && !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(since)) return pdError(400, 'updated_since must be RFC 3339 (YYYY-MM-DDTHH:MM:SSZ)');
  const items = [...ctx.state.persons.values()]
    .filter((p) => !p.is_deleted && (since === null || p.update_time >= since))
    .sort((a, b) => (sortBy === 'id' ? a.id - b.id : (a[sortBy as 'update_time'] < b[sortBy as 'update_time'] ? -1 : a[sortBy as 'update_time'] > b[sortBy as 'update_time'] ? 1 : a.id - b.id)) * (dir === 'desc' ? -1 : 1))
    .map(personView);
  return v2Page(items, q);
}
export function searchPersons(ctx: Ctx, q: URLSearchParams): Reply {
  const term = q.get('term') ?? '';
  const exact = q.get('exact_match') === 'true';
  if (term.length < (exact ? 1 : 2)) return pdError(400, 'term must be at least 2 characters (1 with exact_match)');
  const fields = (q.get('fields') ?? 'custom_fields,email,notes,phone,name').split(',');
  if (fields.some((f) => !['custom_fields', 'email', 'notes', 'phone', 'name'].includes(f))) return pdError(400, 'Invalid fields');
  const hit = (v: string) => (exact ? v.toLowerCase() === term.toLowerCase() : v.toLowerCase().includes(term.toLowerCase()) || v.replace(/\D/g, '').includes(term));
  const items = [...ctx.state.persons.values()]
    .filter((p) => !p.is_deleted)
    .filter((p) => (fields.includes('name') && hit(p.name)) || (fields.includes('email') && p.emails.some((e) => hit(e.value))) || (fields.includes('phone') && p.phones.some((x) => hit(x.value))) || (fields.includes('custom_fields') && Object.values(p.custom_fields).some((v) => typeof v === 'string' && hit(v))))
    .map((p) => ({ result_score: 1, item: { id: p.id, type: 'person', name: p.name, phones: p.phones.map((x) => x.value), emails: p.emails.map((x) => x.value), visible_to: 3, owner: { id: p.owner_id }, custom_fields: Object.values(p.custom_fields).filter((v): v is string => typeof v === 'string' && v !== ''), notes: [] } }));
  const r = v2Page(items, q);
  if (r.status !== 200) return r;
  const b = r.body as { data: unknown[]; additional_data: unknown };
  return { status: 200, body: { success: true, data: { items: b.data }, additional_data: b.additional_data } };
}

// ---- notes (v1)
export function noteView(ctx: Ctx, n: Note) {
  const u = ctx.state.users.find((x) => x.id === n.user_id);
  const p = ctx.state.persons.get(n.person_id);
  // No deal, organisation or lead: those keys are left out (the v1 file types them non-null).
  return { ...n, pinned_to_person_flag: false, pinned_to_deal_flag: false, pinned_to_organization_flag: false, last_update_user_id: n.user_id, person: { name: p?.name ?? '' }, user: { email: u?.email ?? '', name: u?.name ?? '', icon_url: '', is_you: n.user_id === ctx.state.me } };
}
export function createNote(ctx: Ctx, body: unknown, userId = ctx.state.me): Reply {
  if (!isObj(body)) return pdError(400, 'Invalid JSON body');
  const k = unknownKeys(body, ['content', 'person_id', 'deal_id', 'org_id', 'lead_id', 'user_id', 'add_time', 'pinned_to_person_flag', 'pinned_to_deal_flag', 'pinned_to_organization_flag', 'pinned_to_lead_flag']);
  if (k) return k;
  if (typeof body.content !== 'string' || !body.content.trim()) return pdError(400, 'Content must be given.');
  if (typeof body.person_id !== 'number' || !ctx.state.persons.get(body.person_id) || ctx.state.persons.get(body.person_id)!.is_deleted) return pdError(400, 'Person not found or person_id missing (a note needs a person, deal, organization or lead).');
  if (body.add_time !== undefined && (typeof body.add_time !== 'string' || !/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(body.add_time))) return pdError(400, 'add_time must be YYYY-MM-DD HH:MM:SS');
  const t = v1Time(ctx.now());
  const n: Note = { id: ++ctx.state.seq, content: body.content, person_id: body.person_id, user_id: userId, add_time: (body.add_time as string | undefined) ?? t, update_time: t, active_flag: true };
  ctx.state.notes.set(n.id, n);
  return ok(noteView(ctx, n));
}
export function listNotes(ctx: Ctx, q: URLSearchParams): Reply {
  const personId = q.has('person_id') ? idOf(q.get('person_id')!) : undefined;
  if (q.has('person_id') && personId === undefined) return pdError(400, 'person_id must be an integer');
  const sort = q.get('sort') ?? 'id ASC';
  const m = /^(id|add_time|update_time) (ASC|DESC)$/.exec(sort);
  if (!m) return pdError(400, 'sort must be "<field> ASC|DESC" with field id, add_time or update_time');
  const start = Number(q.get('start') ?? 0);
  const limit = limitOf(q, 100);
  if (typeof limit !== 'number') return limit;
  const from = q.get('start_date');
  const to = q.get('end_date');
  for (const d of [from, to]) if (d !== null && !/^\d{4}-\d{2}-\d{2}$/.test(d)) return pdError(400, 'start_date / end_date must be YYYY-MM-DD');
  const key = m[1] as 'id' | 'add_time' | 'update_time';
  const all = [...ctx.state.notes.values()]
    .filter((n) => n.active_flag && (personId === undefined || n.person_id === personId) && (from === null || n.add_time.slice(0, 10) >= from) && (to === null || n.add_time.slice(0, 10) <= to))
    .sort((a, b) => (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : a.id - b.id) * (m[2] === 'DESC' ? -1 : 1));
  const page = all.slice(start, start + limit).map((n) => noteView(ctx, n));
  const more = start + limit < all.length;
  // An empty page is [] as the v1 file types it (the adapter also takes null, which older replies sent).
  return ok(page, { pagination: { start, limit, more_items_in_collection: more, ...(more ? { next_start: start + limit } : {}) } });
}

// ---- deals (v2)
export const dealView = (d: DealRec) => ({ ...d, custom_fields: Object.fromEntries(Object.entries(d.custom_fields).filter(([, v]) => v !== null && v !== '')), pipeline_id: 1, stage_id: 1, is_archived: false, visible_to: 3, probability: null, lost_reason: null, label_ids: [] });
export function createDeal(ctx: Ctx, body: unknown, ownerId = ctx.state.me): Reply {
  if (!isObj(body)) return pdError(400, 'Invalid JSON body');
  const k = unknownKeys(body, ['title', 'owner_id', 'person_id', 'org_id', 'pipeline_id', 'stage_id', 'value', 'currency', 'status', 'expected_close_date', 'probability', 'lost_reason', 'visible_to', 'label_ids', 'custom_fields', 'close_time', 'won_time', 'lost_time']);
  if (k) return k;
  if (typeof body.title !== 'string' || !body.title.trim()) return pdError(400, 'Title must be given.');
  if (body.value !== undefined && typeof body.value !== 'number') return pdError(400, 'value must be a number');
  if (body.status !== undefined && !['open', 'won', 'lost'].includes(body.status as string)) return pdError(400, 'status must be open, won or lost');
  if (body.currency !== undefined && (typeof body.currency !== 'string' || !/^[A-Z]{3}$/.test(body.currency))) return pdError(400, 'currency must be a 3-letter code');
  if (body.person_id !== undefined && (typeof body.person_id !== 'number' || !ctx.state.persons.has(body.person_id))) return pdError(400, 'Person not found');
  const cf = customFieldsOk(ctx, 'deal', body.custom_fields);
  if (cf) return cf;
  const t = v2Time(ctx.now());
  const status = (body.status as string | undefined) ?? 'open';
  const d: DealRec = { id: ++ctx.state.seq, title: body.title, value: (body.value as number | undefined) ?? 0, currency: (body.currency as string | undefined) ?? 'CNY', status, person_id: body.person_id as number, owner_id: ownerId, add_time: t, update_time: t, close_time: status === 'open' ? null : t, custom_fields: { ...(body.custom_fields as Record<string, unknown> | undefined) }, is_deleted: false };
  ctx.state.deals.set(d.id, d);
  return ok(dealView(d));
}
export function listDeals(ctx: Ctx, q: URLSearchParams): Reply {
  const personId = q.has('person_id') ? idOf(q.get('person_id')!) : undefined;
  if (q.has('person_id') && personId === undefined) return pdError(400, 'person_id must be an integer');
  const sortBy = q.get('sort_by') ?? 'id';
  const dir = q.get('sort_direction') ?? 'asc';
  if (!['id', 'update_time', 'add_time'].includes(sortBy) || !['asc', 'desc'].includes(dir)) return pdError(400, 'Invalid sort_by or sort_direction');
  const key = sortBy as 'id' | 'add_time' | 'update_time';
  const items = [...ctx.state.deals.values()].filter((d) => !d.is_deleted && (personId === undefined || d.person_id === personId)).sort((a, b) => (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : a.id - b.id) * (dir === 'desc' ? -1 : 1)).map(dealView);
  return v2Page(items, q);
}
export function searchDeals(ctx: Ctx, q: URLSearchParams): Reply {
  const term = q.get('term') ?? '';
  const exact = q.get('exact_match') === 'true';
  if (term.length < (exact ? 1 : 2)) return pdError(400, 'term must be at least 2 characters (1 with exact_match)');
  const fields = (q.get('fields') ?? 'custom_fields,notes,title').split(',');
  if (fields.some((f) => !['custom_fields', 'notes', 'title'].includes(f))) return pdError(400, 'Invalid fields');
  const personId = q.has('person_id') ? idOf(q.get('person_id')!) : undefined;
  const hit = (v: string) => (exact ? v === term : v.toLowerCase().includes(term.toLowerCase()));
  const items = [...ctx.state.deals.values()]
    .filter((d) => !d.is_deleted && (personId === undefined || d.person_id === personId))
    .filter((d) => (fields.includes('title') && hit(d.title)) || (fields.includes('custom_fields') && Object.values(d.custom_fields).some((v) => typeof v === 'string' && hit(v))))
    .map((d) => ({ result_score: 1, item: { id: d.id, type: 'deal', title: d.title, value: d.value, currency: d.currency, status: d.status, visible_to: 3, owner: { id: d.owner_id }, stage: { id: 1, name: 'Qualified' }, person: { id: d.person_id, name: ctx.state.persons.get(d.person_id)?.name ?? '' }, organization: null, custom_fields: Object.values(d.custom_fields).filter((v): v is string => typeof v === 'string' && v !== ''), notes: [], is_archived: false } }));
  const r = v2Page(items, q);
  if (r.status !== 200) return r;
  const b = r.body as { data: unknown[]; additional_data: unknown };
  return { status: 200, body: { success: true, data: { items: b.data }, additional_data: b.additional_data } };
}

// ---- activities (v2)
const activityView = (a: Activity) => ({ ...a, creator_user_id: a.owner_id, duration: '', busy: false, attendees: [], public_description: '' });
export function createActivity(ctx: Ctx, body: unknown): Reply {
  if (!isObj(body)) return pdError(400, 'Invalid JSON body');
  const k = unknownKeys(body, ['subject', 'type', 'owner_id', 'deal_id', 'lead_id', 'person_id', 'org_id', 'project_id', 'due_date', 'due_time', 'duration', 'busy', 'done', 'location', 'participants', 'attendees', 'public_description', 'priority', 'note']);
  if (k) return k;
  if (typeof body.subject !== 'string' || !body.subject.trim()) return pdError(400, 'Subject must be given.');
  if (body.type !== undefined && !['call', 'meeting', 'task', 'deadline', 'email', 'lunch'].includes(body.type as string)) return pdError(400, 'Activity type is not valid');
  if (body.due_date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(String(body.due_date))) return pdError(400, 'due_date must be YYYY-MM-DD');
  if (body.due_time !== undefined && !/^\d{2}:\d{2}(:\d{2})?$/.test(String(body.due_time))) return pdError(400, 'due_time must be HH:MM');
  const parts = body.participants;
  if (parts !== undefined && (!Array.isArray(parts) || parts.some((p) => !isObj(p) || typeof p.person_id !== 'number' || !ctx.state.persons.has(p.person_id)))) return pdError(400, 'participants: each needs an existing person_id');
  const t = v2Time(ctx.now());
  const participants = (parts as Activity['participants'] | undefined) ?? [];
  const a: Activity = { id: ++ctx.state.seq, subject: body.subject, type: (body.type as string | undefined) ?? 'task', due_date: (body.due_date as string | undefined) ?? t.slice(0, 10), due_time: (body.due_time as string | undefined) ?? '', person_id: participants.find((p) => p.primary)?.person_id ?? participants[0]?.person_id ?? 0, participants, note: (body.note as string | undefined) ?? '', owner_id: ctx.state.me, done: body.done === true, add_time: t, update_time: t, is_deleted: false };
  ctx.state.activities.set(a.id, a);
  return ok(activityView(a));
}
export function listActivities(ctx: Ctx, q: URLSearchParams): Reply {
  const personId = q.has('person_id') ? idOf(q.get('person_id')!) : undefined;
  if (q.has('person_id') && personId === undefined) return pdError(400, 'person_id must be an integer');
  const sortBy = q.get('sort_by') ?? 'id';
  const dir = q.get('sort_direction') ?? 'asc';
  if (!['id', 'update_time', 'add_time', 'due_date'].includes(sortBy) || !['asc', 'desc'].includes(dir)) return pdError(400, 'Invalid sort_by or sort_direction');
  const key = sortBy as 'id' | 'add_time' | 'update_time' | 'due_date';
  const items = [...ctx.state.activities.values()].filter((a) => !a.is_deleted && (personId === undefined || a.participants.some((p) => p.person_id === personId))).sort((a, b) => (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : a.id - b.id) * (dir === 'desc' ? -1 : 1)).map(activityView);
  return v2Page(items, q);
}
