// Freshdesk's routes as the emulator answers them. Freshdesk publishes no machine-readable API
// description (shared/specs/SOURCES.md: "Freshdesk: None found"), so shapes and rules follow its
// documentation page developers.freshdesk.com/api (v2; read 2026-12-06 through the search tool),
// with the field names of the maintained client jscarle/Freshdesk.NET (Core/ErrorField.cs,
// ErrorFieldCode.cs) for the error bodies:
// - "Tickets": Create a Ticket needs one of requester_id, email, phone (with name), twitter_id,
//   facebook_id, unique_external_id, and subject, description, status, priority; status 2–5 and
//   the account's custom statuses; priority 1–4; source 1, 2, 3, 5, 6, 7, 9, 10, 11; tags ≤ 32
//   characters each; type one of the Type field's choices; group_id / responder_id must exist; a
//   requester_id that names no contact is invalid_value; fr_due_by no later than due_by, both
//   later than now. 201 with the ticket. List All Tickets: filters requester_id, email,
//   company_id, updated_since, order_by created_at/updated_at/due_by/status, order_type; only
//   tickets created in the last 30 days unless updated_since is given; no description in list
//   items. View a Ticket: 404 without a body for an unknown id; a deleted ticket reads back with
//   deleted:true.
// - "Contacts": Create a Contact needs name and one of email, phone, mobile, twitter_id,
//   unique_external_id; an email another contact has is 409 duplicate_value with
//   additional_info.user_id; List All Contacts filters email, phone, mobile, company_id, state,
//   updated_since.
// - "Conversations": Create a Note (body required; private defaults to true), List All
//   Conversations of a Ticket (oldest first).
// - "Ticket Fields", "Groups", "Agents → View the currently authenticated agent" (/agents/me).
// - "Error": {"description":"Validation failed","errors":[{field,message,code}]} for 400/409,
//   {"code","message"} for 401/403/415, 404 without a body; an unexpected field in a body or a
//   query is 400 invalid_field "Unexpected/invalid field in request"; a wrong JSON type
//   datatype_mismatch.
// The wording of messages not quoted on that page is the emulator's.

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}
export interface Contact { id: number; name: string; email: string | null; phone: string | null; mobile: string | null; active: boolean; deleted: boolean; created_at: string; updated_at: string }
export interface Agent { id: number; name: string; email: string; key: string; readOnly: boolean }
export interface Note { id: number; body: string; body_text: string; private: boolean; incoming: boolean; user_id: number; ticket_id: number; created_at: string; updated_at: string }
export interface Ticket {
  id: number;
  subject: string;
  description: string;
  description_text: string;
  status: number;
  priority: number;
  source: number;
  type: string | null;
  requester_id: number;
  responder_id: number | null;
  group_id: number | null;
  company_id: number | null;
  product_id: number | null;
  tags: string[];
  custom_fields: Record<string, unknown>;
  due_by: string;
  fr_due_by: string;
  created_at: string;
  updated_at: string;
  deleted: boolean;
  notes: Note[];
}
export interface TicketField { id: number; name: string; label: string; type: string; default: boolean; required_for_agents: boolean; position: number; choices?: unknown }

export interface State {
  seq: number;
  domain: string;
  agents: Agent[];
  contacts: Map<number, Contact>;
  tickets: Map<number, Ticket>;
  groups: { id: number; name: string }[];
  fields: TicketField[];
}
export interface Ctx {
  state: State;
  now: () => number;
  me: Agent;
}

export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
const DAY = 86_400_000;

export function validation(status: 400 | 409, errors: { field: string; message: string; code: string; additional_info?: Record<string, unknown> }[]): Reply {
  return { status, body: { description: 'Validation failed', errors } };
}
export const fdError = (status: number, code: string, message: string): Reply => ({ status, body: { code, message } });
export const notFound = (): Reply => ({ status: 404 });

type Errors = { field: string; message: string; code: string; additional_info?: Record<string, unknown> }[];
const unexpected = (field: string) => ({ field, message: 'Unexpected/invalid field in request', code: 'invalid_field' });
const isObj = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);
const isPosInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
export const htmlText = (s: string) => s.replace(/<br\s*\/?>/gi, '\n').replace(/<\/p>/gi, '\n').replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&').trim();

/** Query parameters a list takes; anything else is invalid_field; page/per_page checked. */
export function checkQuery(q: URLSearchParams, allowed: string[]): { errors: Errors; page: number; perPage: number } {
  const errors: Errors = [];
  for (const k of q.keys()) if (!allowed.includes(k) && k !== 'page' && k !== 'per_page') errors.push(unexpected(k));
  const page = q.has('page') ? Number(q.get('page')) : 1;
  const perPage = q.has('per_page') ? Number(q.get('per_page')) : 30;
  if (!Number.isInteger(page) || page < 1) errors.push({ field: 'page', message: 'It should be a Positive Integer', code: 'datatype_mismatch' });
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100) errors.push({ field: 'per_page', message: 'It should be a Positive Integer less than or equal to 100', code: 'invalid_value' });
  return { errors, page, perPage };
}

/** One page of a list, with Link: <…>; rel="next" when more follow. */
export function paged<T>(c: Ctx, path: string, q: URLSearchParams, all: T[], page: number, perPage: number, show: (t: T) => unknown): Reply {
  const slice = all.slice((page - 1) * perPage, page * perPage);
  const headers: Record<string, string> = {};
  if (all.length > page * perPage) {
    const next = new URLSearchParams(q);
    next.set('page', String(page + 1));
    next.set('per_page', String(perPage));
    headers.link = `<https://${c.state.domain}.freshdesk.com${path}?${next.toString()}>; rel="next"`;
  }
  return { status: 200, body: slice.map(show), headers };
}

// ---- agents, groups, fields ----

export function me(c: Ctx): Reply {
  const t = iso(c.now() - 90 * DAY);
  return { status: 200, body: { id: c.me.id, available: true, occasional: false, signature: null, ticket_scope: 1, type: 'support_agent', created_at: t, updated_at: t, contact: { active: true, email: c.me.email, job_title: null, language: 'zh-CN', mobile: null, name: c.me.name, phone: null, time_zone: 'Beijing', created_at: t, updated_at: t } } };
}

export function listGroups(c: Ctx, q: URLSearchParams): Reply {
  const { errors, page, perPage } = checkQuery(q, []);
  if (errors.length) return validation(400, errors);
  return paged(c, '/api/v2/groups', q, c.state.groups, page, perPage, (g) => ({ ...g, description: null, escalate_to: null, unassigned_for: '30m', agent_ids: [c.me.id], auto_ticket_assign: false, created_at: iso(0), updated_at: iso(0) }));
}

export function getGroup(c: Ctx, id: string): Reply {
  const g = c.state.groups.find((x) => String(x.id) === id);
  return g ? { status: 200, body: { ...g, description: null, agent_ids: [c.me.id], created_at: iso(0), updated_at: iso(0) } } : notFound();
}

export function listTicketFields(c: Ctx, q: URLSearchParams): Reply {
  const errors = [...q.keys()].filter((k) => k !== 'type').map(unexpected);
  if (errors.length) return validation(400, errors);
  const type = q.get('type');
  const t = iso(0);
  return { status: 200, body: c.state.fields.filter((f) => !type || f.type === type).map((f) => ({ description: f.label, customers_can_edit: false, label_for_customers: f.label, required_for_customers: false, displayed_to_customers: true, required_for_closure: false, created_at: t, updated_at: t, ...f })) };
}

const statusIds = (s: State) => Object.keys(((s.fields.find((f) => f.type === 'default_status')?.choices ?? {}) as Record<string, unknown>)).map(Number);
const typeChoices = (s: State) => (s.fields.find((f) => f.type === 'default_ticket_type')?.choices ?? []) as string[];
const customNames = (s: State) => s.fields.filter((f) => !f.default).map((f) => f.name);

// ---- contacts ----

const showContact = (x: Contact) => ({ id: x.id, name: x.name, email: x.email, phone: x.phone, mobile: x.mobile, active: x.active, address: null, company_id: null, description: null, job_title: null, language: 'en', time_zone: 'Beijing', twitter_id: null, unique_external_id: null, other_emails: [], tags: [], custom_fields: {}, created_at: x.created_at, updated_at: x.updated_at });

export function listContacts(c: Ctx, q: URLSearchParams): Reply {
  const { errors, page, perPage } = checkQuery(q, ['email', 'phone', 'mobile', 'company_id', 'state', 'updated_since']);
  if (errors.length) return validation(400, errors);
  let all = [...c.state.contacts.values()].filter((x) => !x.deleted);
  const email = q.get('email');
  if (email !== null) all = all.filter((x) => x.email?.toLowerCase() === email.toLowerCase());
  const phone = q.get('phone');
  if (phone !== null) all = all.filter((x) => x.phone === phone);
  const mobile = q.get('mobile');
  if (mobile !== null) all = all.filter((x) => x.mobile === mobile);
  return paged(c, '/api/v2/contacts', q, all, page, perPage, showContact);
}

const CONTACT_FIELDS = ['name', 'email', 'phone', 'mobile', 'twitter_id', 'unique_external_id', 'other_emails', 'company_id', 'view_all_tickets', 'other_companies', 'address', 'avatar', 'custom_fields', 'description', 'job_title', 'language', 'tags', 'time_zone', 'lookup_parameter'];

export function createContact(c: Ctx, body: unknown): Reply {
  if (!isObj(body)) return validation(400, [{ field: 'body', message: 'It should be a JSON object', code: 'datatype_mismatch' }]);
  const errors: Errors = Object.keys(body).filter((k) => !CONTACT_FIELDS.includes(k)).map(unexpected);
  for (const k of ['name', 'email', 'phone', 'mobile']) if (body[k] !== undefined && typeof body[k] !== 'string') errors.push({ field: k, message: 'It should be a/an String', code: 'datatype_mismatch' });
  if (errors.length) return validation(400, errors);
  const name = (body.name as string | undefined)?.trim();
  if (!name) errors.push({ field: 'name', message: 'It should be a/an String', code: 'missing_field' });
  const email = (body.email as string | undefined)?.trim();
  if (!email && !body.phone && !body.mobile && !body.twitter_id && !body.unique_external_id) errors.push({ field: 'email', message: 'Please fill at least 1 of email, mobile, phone, twitter_id, unique_external_id fields', code: 'missing_field' });
  if (email && !EMAIL.test(email)) errors.push({ field: 'email', message: "It should be in the 'valid email address' format", code: 'invalid_value' });
  if (errors.length) return validation(400, errors);
  const dup = email ? [...c.state.contacts.values()].find((x) => x.email?.toLowerCase() === email.toLowerCase()) : undefined;
  if (dup) return validation(409, [{ field: 'email', message: 'It should be a unique value', code: 'duplicate_value', additional_info: { user_id: dup.id } }]);
  const t = iso(c.now());
  const x: Contact = { id: ++c.state.seq, name: name!, email: email ?? null, phone: (body.phone as string | undefined) ?? null, mobile: (body.mobile as string | undefined) ?? null, active: false, deleted: false, created_at: t, updated_at: t };
  c.state.contacts.set(x.id, x);
  return { status: 201, body: showContact(x) };
}

// ---- tickets ----

export function showTicket(t: Ticket, full: boolean) {
  const { notes: _n, description, description_text, deleted, ...rest } = t;
  return { ...rest, cc_emails: [], fwd_emails: [], reply_cc_emails: [], to_emails: null, email_config_id: null, fr_escalated: false, spam: false, is_escalated: false, ...(deleted ? { deleted: true } : {}), ...(full ? { description, description_text, attachments: [] } : {}) };
}

const TICKET_FIELDS = ['name', 'requester_id', 'email', 'facebook_id', 'phone', 'twitter_id', 'unique_external_id', 'subject', 'type', 'status', 'priority', 'description', 'responder_id', 'attachments', 'cc_emails', 'custom_fields', 'due_by', 'email_config_id', 'fr_due_by', 'group_id', 'parent_id', 'product_id', 'source', 'tags', 'company_id', 'internal_agent_id', 'internal_group_id', 'lookup_parameter'];
const SOURCES = [1, 2, 3, 5, 6, 7, 9, 10, 11];

export function createTicket(c: Ctx, body: unknown): Reply {
  const s = c.state;
  if (!isObj(body)) return validation(400, [{ field: 'body', message: 'It should be a JSON object', code: 'datatype_mismatch' }]);
  const errors: Errors = Object.keys(body).filter((k) => !TICKET_FIELDS.includes(k)).map(unexpected);
  const b = body;
  for (const k of ['requester_id', 'status', 'priority', 'source', 'group_id', 'responder_id', 'product_id', 'company_id']) if (b[k] !== undefined && b[k] !== null && !isPosInt(b[k])) errors.push({ field: k, message: 'It should be a/an Positive Integer', code: 'datatype_mismatch' });
  for (const k of ['subject', 'description', 'email', 'phone', 'name', 'type', 'due_by', 'fr_due_by']) if (b[k] !== undefined && b[k] !== null && typeof b[k] !== 'string') errors.push({ field: k, message: 'It should be a/an String', code: 'datatype_mismatch' });
  if (b.tags !== undefined && (!Array.isArray(b.tags) || b.tags.some((x) => typeof x !== 'string'))) errors.push({ field: 'tags', message: 'It should be a/an Array', code: 'datatype_mismatch' });
  if (b.custom_fields !== undefined && !isObj(b.custom_fields)) errors.push({ field: 'custom_fields', message: 'It should be a/an key/value pair', code: 'datatype_mismatch' });
  if (errors.length) return validation(400, errors);

  if (!['requester_id', 'email', 'phone', 'twitter_id', 'facebook_id', 'unique_external_id'].some((k) => b[k] !== undefined)) errors.push({ field: 'requester_id', message: 'Please fill at least 1 of requester_id, phone, email, twitter_id, facebook_id, unique_external_id fields', code: 'missing_field' });
  if (b.requester_id !== undefined && !s.contacts.get(b.requester_id as number)) errors.push({ field: 'requester_id', message: 'There is no contact matching the given requester_id', code: 'invalid_value' });
  if (b.phone !== undefined && b.email === undefined && !b.name) errors.push({ field: 'name', message: 'It should be a/an String', code: 'missing_field' });
  if (b.email !== undefined && !EMAIL.test(b.email as string)) errors.push({ field: 'email', message: "It should be in the 'valid email address' format", code: 'invalid_value' });
  const subject = b.subject as string | undefined;
  if (!subject?.trim()) errors.push({ field: 'subject', message: 'It should be a/an String', code: 'missing_field' });
  else if ([...subject].length > 255) errors.push({ field: 'subject', message: `Has ${[...subject].length} characters, it can have maximum of 255 characters`, code: 'invalid_value' });
  if (!(b.description as string | undefined)?.trim()) errors.push({ field: 'description', message: 'It should be a/an String', code: 'missing_field' });
  const statuses = statusIds(s);
  if (b.status === undefined) errors.push({ field: 'status', message: `It should be one of these values: '${statuses.join(',')}'`, code: 'missing_field' });
  else if (!statuses.includes(b.status as number)) errors.push({ field: 'status', message: `It should be one of these values: '${statuses.join(',')}'`, code: 'invalid_value' });
  if (b.priority === undefined) errors.push({ field: 'priority', message: "It should be one of these values: '1,2,3,4'", code: 'missing_field' });
  else if (![1, 2, 3, 4].includes(b.priority as number)) errors.push({ field: 'priority', message: "It should be one of these values: '1,2,3,4'", code: 'invalid_value' });
  if (b.source !== undefined && !SOURCES.includes(b.source as number)) errors.push({ field: 'source', message: `It should be one of these values: '${SOURCES.join(',')}'`, code: 'invalid_value' });
  for (const tag of (b.tags as string[] | undefined) ?? []) {
    if ([...tag].length > 32) errors.push({ field: 'tags', message: 'It should only contain elements that have maximum of 32 characters', code: 'invalid_value' });
    if (tag.includes(',')) errors.push({ field: 'tags', message: 'It should not contain elements that have comma', code: 'invalid_value' });
  }
  const types = typeChoices(s);
  if (b.type !== undefined && b.type !== null && !types.includes(b.type as string)) errors.push({ field: 'type', message: `It should be one of these values: '${types.join(',')}'`, code: 'invalid_value' });
  if (b.group_id !== undefined && b.group_id !== null && !s.groups.some((g) => g.id === b.group_id)) errors.push({ field: 'group_id', message: 'There is no group matching the given group_id', code: 'invalid_value' });
  if (b.responder_id !== undefined && b.responder_id !== null && !s.agents.some((a) => a.id === b.responder_id)) errors.push({ field: 'responder_id', message: 'There is no agent matching the given responder_id', code: 'invalid_value' });
  const known = customNames(s);
  for (const k of Object.keys((b.custom_fields as Record<string, unknown> | undefined) ?? {})) if (!known.includes(k)) errors.push(unexpected(k));
  const now = c.now();
  const due = b.due_by !== undefined ? Date.parse(b.due_by as string) : undefined;
  const fr = b.fr_due_by !== undefined ? Date.parse(b.fr_due_by as string) : undefined;
  for (const [k, v] of [['due_by', due], ['fr_due_by', fr]] as const) {
    if (v === undefined) continue;
    if (!Number.isFinite(v)) errors.push({ field: k, message: "It should be in the 'valid date time' format", code: 'invalid_value' });
    else if (v <= now) errors.push({ field: k, message: 'It should be a/an date-time later than created_at', code: 'invalid_value' });
  }
  if (due !== undefined && fr !== undefined && Number.isFinite(due) && Number.isFinite(fr) && fr > due) errors.push({ field: 'fr_due_by', message: 'It should be before or equal to due_by', code: 'invalid_value' });
  if (errors.length) return validation(400, errors);

  let requester = b.requester_id as number | undefined;
  if (requester === undefined) {
    // email / phone: the contact is found or added (as the doc says for email).
    const email = b.email as string | undefined;
    const found = [...s.contacts.values()].find((x) => (email && x.email?.toLowerCase() === email.toLowerCase()) || (!email && b.phone && x.phone === b.phone));
    if (found) requester = found.id;
    else {
      const made = createContact(c, { name: (b.name as string | undefined) ?? email ?? b.phone, ...(email ? { email } : {}), ...(b.phone ? { phone: b.phone } : {}) });
      if (made.status !== 201) return made;
      requester = (made.body as { id: number }).id;
    }
  }
  const t = iso(now);
  const description = b.description as string;
  const ticket: Ticket = {
    id: ++s.seq,
    subject: subject!,
    description,
    description_text: htmlText(description),
    status: b.status as number,
    priority: b.priority as number,
    source: (b.source as number | undefined) ?? 2,
    type: (b.type as string | undefined) ?? null,
    requester_id: requester,
    responder_id: (b.responder_id as number | undefined) ?? null,
    group_id: (b.group_id as number | undefined) ?? null,
    company_id: null,
    product_id: null,
    tags: (b.tags as string[] | undefined) ?? [],
    custom_fields: Object.fromEntries(known.map((k) => [k, (b.custom_fields as Record<string, unknown> | undefined)?.[k] ?? null])),
    due_by: due !== undefined ? iso(due) : iso(now + 3 * DAY),
    fr_due_by: fr !== undefined ? iso(fr) : iso(now + DAY),
    created_at: t,
    updated_at: t,
    deleted: false,
    notes: [],
  };
  s.tickets.set(ticket.id, ticket);
  return { status: 201, body: showTicket(ticket, true) };
}

const ORDER_BY = ['created_at', 'due_by', 'updated_at', 'status'];

export function listTickets(c: Ctx, q: URLSearchParams): Reply {
  const { errors, page, perPage } = checkQuery(q, ['filter', 'requester_id', 'email', 'unique_external_id', 'company_id', 'updated_since', 'order_by', 'order_type', 'include']);
  const order = q.get('order_by') ?? 'created_at';
  if (!ORDER_BY.includes(order)) errors.push({ field: 'order_by', message: `It should be one of these values: '${ORDER_BY.join(',')}'`, code: 'invalid_value' });
  const dir = q.get('order_type') ?? 'desc';
  if (dir !== 'asc' && dir !== 'desc') errors.push({ field: 'order_type', message: "It should be one of these values: 'asc,desc'", code: 'invalid_value' });
  const requester = q.get('requester_id');
  if (requester !== null && !/^\d+$/.test(requester)) errors.push({ field: 'requester_id', message: 'It should be a/an Positive Integer', code: 'datatype_mismatch' });
  const since = q.get('updated_since');
  if (since !== null && !Number.isFinite(Date.parse(since))) errors.push({ field: 'updated_since', message: "It should be in the 'valid date time' format", code: 'invalid_value' });
  if (errors.length) return validation(400, errors);
  const now = c.now();
  let all = [...c.state.tickets.values()].filter((t) => !t.deleted);
  if (requester !== null) all = all.filter((t) => t.requester_id === Number(requester));
  const email = q.get('email');
  if (email !== null) all = all.filter((t) => c.state.contacts.get(t.requester_id)?.email?.toLowerCase() === email.toLowerCase());
  // "By default, only tickets that have been created within the past 30 days will be returned."
  if (since !== null) all = all.filter((t) => Date.parse(t.updated_at) >= Date.parse(since));
  else all = all.filter((t) => Date.parse(t.created_at) >= now - 30 * DAY);
  const key = (t: Ticket) => (order === 'status' ? t.status : Date.parse(t[order as 'created_at']));
  all.sort((a, b) => (key(a) - key(b) || a.id - b.id) * (dir === 'asc' ? 1 : -1));
  return paged(c, '/api/v2/tickets', q, all, page, perPage, (t) => showTicket(t, (q.get('include') ?? '').split(',').includes('description')));
}

export function getTicket(c: Ctx, id: string, q: URLSearchParams): Reply {
  const errors = [...q.keys()].filter((k) => k !== 'include').map(unexpected);
  if (errors.length) return validation(400, errors);
  const t = /^\d+$/.test(id) ? c.state.tickets.get(Number(id)) : undefined;
  return t ? { status: 200, body: showTicket(t, true) } : notFound();
}

// ---- notes and conversations ----

const showNote = (n: Note) => ({ ...n, support_email: null, to_emails: [], from_email: null, cc_emails: [], bcc_emails: [], attachments: [], source: 2, category: 2 });

export function createNote(c: Ctx, id: string, body: unknown): Reply {
  const t = /^\d+$/.test(id) ? c.state.tickets.get(Number(id)) : undefined;
  if (!t || t.deleted) return notFound();
  if (!isObj(body)) return validation(400, [{ field: 'body', message: 'It should be a/an String', code: 'missing_field' }]);
  const errors: Errors = Object.keys(body).filter((k) => !['body', 'private', 'incoming', 'notify_emails', 'user_id', 'attachments'].includes(k)).map(unexpected);
  if (body.private !== undefined && typeof body.private !== 'boolean') errors.push({ field: 'private', message: 'It should be a/an Boolean', code: 'datatype_mismatch' });
  if (body.body !== undefined && typeof body.body !== 'string') errors.push({ field: 'body', message: 'It should be a/an String', code: 'datatype_mismatch' });
  else if (!(body.body as string | undefined)?.trim()) errors.push({ field: 'body', message: 'It should be a/an String', code: 'missing_field' });
  if (errors.length) return validation(400, errors);
  const at = iso(c.now());
  const n: Note = { id: ++c.state.seq, body: body.body as string, body_text: htmlText(body.body as string), private: (body.private as boolean | undefined) ?? true, incoming: false, user_id: c.me.id, ticket_id: t.id, created_at: at, updated_at: at };
  t.notes.push(n);
  t.updated_at = at;
  return { status: 201, body: showNote(n) };
}

export function listConversations(c: Ctx, id: string, q: URLSearchParams): Reply {
  const t = /^\d+$/.test(id) ? c.state.tickets.get(Number(id)) : undefined;
  if (!t || t.deleted) return notFound();
  const { errors, page, perPage } = checkQuery(q, []);
  if (errors.length) return validation(400, errors);
  return paged(c, `/api/v2/tickets/${id}/conversations`, q, t.notes, page, perPage, showNote);
}
