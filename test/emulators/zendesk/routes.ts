// Zendesk Support's routes as the emulator answers them. Shapes follow Zendesk's own OpenAPI file
// (shared/specs/zendesk.yaml = developer.zendesk.com/zendesk/oas.yaml, 2025-05 copy; SOURCES.md)
// and the contract tests validate every reply against it; behaviour from developer.zendesk.com
// (checked 2026-12-06): "Tickets" (comment required on create, the first comment is the
// description, requester {name,email} finds or creates the end user, no requester → the
// authenticated agent, status new until assigned, "Status: closed prevents ticket update"),
// "Ticket Comments" (oldest first, 100 a page), "Users" (create_or_update matches external_id,
// case-insensitively, then email: 200 existing / 201 new; "On update, a secondary email is
// added"; a deleted user reads back active:false), "Search Users" (query terms), "Ticket Fields",
// "User Fields", "Response format" (422 RecordInvalid with details per field).
// Strict beyond Zendesk in one way, said here: Zendesk ignores body keys it does not know; the
// emulator answers 400 naming them, so a misspelt key fails a test instead of doing nothing.
// Values a record does not have are left out of replies (Zendesk sends null; the OpenAPI file
// types most of them non-nullable), and the adapter reads both.

export interface Reply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}
export interface User {
  id: number;
  name: string;
  email?: string;
  secondaryEmails: string[];
  phone?: string;
  external_id?: string;
  notes?: string;
  details?: string;
  alias?: string;
  tags: string[];
  role: 'end-user' | 'agent' | 'admin';
  active: boolean;
  verified: boolean;
  user_fields: Record<string, unknown>;
  created_at: string;
  updated_at: string;
}
export interface Comment { id: number; author_id: number; body: string; public: boolean; created_at: string; audit_id: number }
export interface Ticket {
  id: number;
  subject?: string;
  status: 'new' | 'open' | 'pending' | 'hold' | 'solved' | 'closed';
  priority?: string;
  type?: string;
  requester_id: number;
  submitter_id: number;
  assignee_id?: number;
  external_id?: string;
  tags: string[];
  due_at?: string | null;
  custom_fields: { id: number; value: string | null }[];
  comments: Comment[];
  created_at: string;
  updated_at: string;
  deleted?: boolean;
}
export interface Field { id: number; key?: string; title: string; type: string; active: boolean; removable: boolean; custom_field_options?: { id: number; name: string; value: string }[] }

export interface State {
  seq: number;
  subdomain: string;
  users: Map<number, User>;
  tickets: Map<number, Ticket>;
  ticketFields: Field[];
  userFields: Field[];
}
export interface Ctx {
  state: State;
  now: () => number;
  /** The authenticated user. */
  me: User;
}

export const zdError = (status: number, error: string, description?: string, details?: Record<string, { description: string; error: string }[]>): Reply => ({
  status,
  body: { error, ...(description ? { description } : {}), ...(details ? { details } : {}) },
});
const invalid = (field: string, description: string, error = 'InvalidValue') => zdError(422, 'RecordInvalid', 'Record validation errors', { [field]: [{ description, error }] });
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const iso = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const isId = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v > 0;

function unknownKeys(where: string, body: Record<string, unknown>, allowed: readonly string[]): Reply | undefined {
  const extra = Object.keys(body).filter((k) => !allowed.includes(k));
  return extra.length ? zdError(400, 'InvalidParameter', `Unknown ${where} parameter(s): ${extra.join(', ')}`) : undefined;
}

/** A record as JSON, without absent values. */
function clean<T extends Record<string, unknown>>(o: T): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

export function userJson(ctx: Ctx, u: User): Record<string, unknown> {
  const { secondaryEmails: _s, ...rest } = u;
  return clean({ ...rest, url: `https://${ctx.state.subdomain}.zendesk.com/api/v2/users/${u.id}.json` });
}
export function ticketJson(ctx: Ctx, t: Ticket): Record<string, unknown> {
  const { comments, deleted: _d, ...rest } = t;
  return clean({ ...rest, custom_fields: rest.custom_fields.filter((f) => f.value !== null), description: comments[0]?.body, url: `https://${ctx.state.subdomain}.zendesk.com/api/v2/tickets/${t.id}.json` });
}

// ---- users

const USER_KEYS = ['name', 'email', 'phone', 'external_id', 'notes', 'details', 'alias', 'tags', 'time_zone', 'locale', 'user_fields', 'skip_verify_email', 'role', 'verified', 'organization_id', 'identities'] as const;

/** Checks and applies a user body onto `u` (a new or an existing user). */
function applyUser(ctx: Ctx, u: User, b: Record<string, unknown>, isNew: boolean): Reply | undefined {
  const bad = unknownKeys('user', b, USER_KEYS);
  if (bad) return bad;
  for (const k of ['name', 'phone', 'external_id', 'notes', 'details', 'alias'] as const) if (b[k] !== undefined && b[k] !== null && typeof b[k] !== 'string') return invalid(k, `${k}: must be a string`);
  if (b.email !== undefined && b.email !== null && (typeof b.email !== 'string' || !EMAIL.test(b.email))) return invalid('email', `Email: ${String(b.email).slice(0, 80)} is not properly formatted`);
  if (b.tags !== undefined && !(Array.isArray(b.tags) && b.tags.every((t) => typeof t === 'string'))) return invalid('tags', 'Tags: must be an array of strings');
  if (b.role !== undefined && !['end-user', 'agent', 'admin'].includes(String(b.role))) return invalid('role', `Role: ${String(b.role)} is not a valid role`);
  if (b.user_fields !== undefined) {
    if (!isObj(b.user_fields)) return invalid('user_fields', 'User fields: must be an object');
    const unknown = Object.keys(b.user_fields).filter((k) => !ctx.state.userFields.some((f) => f.key === k));
    if (unknown.length) return invalid('user_fields', `User fields: ${unknown.join(', ')} is not a user field of this account`);
  }
  const name = b.name === undefined ? u.name : typeof b.name === 'string' ? b.name.trim() : '';
  if (!name) return invalid('name', 'Name: cannot be blank', 'BlankValue');
  if (typeof b.external_id === 'string') {
    const other = [...ctx.state.users.values()].find((x) => x.id !== u.id && x.external_id?.toLowerCase() === (b.external_id as string).toLowerCase());
    if (other) return invalid('external_id', 'External: has already been taken', 'DuplicateValue');
  }
  if (typeof b.email === 'string') {
    const other = [...ctx.state.users.values()].find((x) => x.id !== u.id && (x.email?.toLowerCase() === (b.email as string).toLowerCase() || x.secondaryEmails.includes((b.email as string).toLowerCase())));
    if (other) return invalid('email', `Email: ${b.email} is already being used by another user`, 'DuplicateValue');
  }
  u.name = name;
  if (typeof b.email === 'string') {
    // "On update, a secondary email is added" (Users, Update User): the primary stays.
    if (isNew || !u.email) u.email = b.email;
    else if (u.email.toLowerCase() !== b.email.toLowerCase() && !u.secondaryEmails.includes(b.email.toLowerCase())) u.secondaryEmails.push(b.email.toLowerCase());
  }
  for (const k of ['phone', 'external_id', 'notes', 'details', 'alias'] as const) {
    if (b[k] === null) delete u[k];
    else if (typeof b[k] === 'string') u[k] = b[k] as string;
  }
  if (Array.isArray(b.tags)) u.tags = [...new Set((b.tags as string[]).map((t) => t.toLowerCase()))];
  if (isObj(b.user_fields)) u.user_fields = { ...u.user_fields, ...b.user_fields };
  if (b.role && isNew) u.role = b.role as User['role'];
  u.updated_at = iso(ctx.now());
  return undefined;
}

export function newUser(ctx: Ctx, partial: Partial<User> & { name: string }): User {
  const t = iso(ctx.now());
  return { id: ++ctx.state.seq, secondaryEmails: [], tags: [], role: 'end-user', active: true, verified: false, user_fields: {}, created_at: t, updated_at: t, ...partial };
}

export function me(ctx: Ctx): Reply {
  return { status: 200, body: { user: userJson(ctx, ctx.me) } };
}

export function createOrUpdateUser(ctx: Ctx, body: unknown): Reply {
  if (!isObj(body) || !isObj(body.user)) return zdError(400, 'InvalidParameter', 'user: required, an object');
  const b = body.user;
  const byExternal = typeof b.external_id === 'string' ? [...ctx.state.users.values()].find((u) => u.external_id?.toLowerCase() === (b.external_id as string).toLowerCase()) : undefined;
  const byEmail = typeof b.email === 'string' ? [...ctx.state.users.values()].find((u) => u.email?.toLowerCase() === (b.email as string).toLowerCase()) : undefined;
  const existing = byExternal ?? byEmail;
  if (existing) {
    const bad = applyUser(ctx, existing, b, false);
    if (bad) return bad;
    return { status: 200, body: { user: userJson(ctx, existing) }, headers: { location: `/api/v2/users/${existing.id}.json` } };
  }
  const u = newUser(ctx, { name: '' });
  const bad = applyUser(ctx, u, b, true);
  if (bad) {
    ctx.state.seq--;
    return bad;
  }
  ctx.state.users.set(u.id, u);
  return { status: 201, body: { user: userJson(ctx, u) }, headers: { location: `/api/v2/users/${u.id}.json` } };
}

function userOf(ctx: Ctx, id: string): User | Reply {
  const u = /^\d+$/.test(id) ? ctx.state.users.get(Number(id)) : undefined;
  return u ?? zdError(404, 'RecordNotFound', 'Not found');
}

export function getUser(ctx: Ctx, id: string): Reply {
  const u = userOf(ctx, id);
  return 'status' in u ? u : { status: 200, body: { user: userJson(ctx, u) } };
}

export function updateUser(ctx: Ctx, id: string, body: unknown): Reply {
  const u = userOf(ctx, id);
  if ('status' in u) return u;
  if (!isObj(body) || !isObj(body.user)) return zdError(400, 'InvalidParameter', 'user: required, an object');
  if (!u.active) return zdError(404, 'RecordNotFound', 'Not found');
  const copy = structuredClone(u);
  const bad = applyUser(ctx, copy, body.user, false);
  if (bad) return bad;
  Object.assign(u, copy);
  return { status: 200, body: { user: userJson(ctx, u) } };
}

/** Zendesk search terms: `field:value` (value quoted when it has spaces) or a bare word; all terms must match. */
function terms(query: string): { field?: string; value: string }[] | undefined {
  const out: { field?: string; value: string }[] = [];
  const re = /\s*(?:([a-z_]+):)?(?:"([^"]*)"|([^\s"]+))\s*/y;
  let at = 0;
  while (at < query.length) {
    re.lastIndex = at;
    const m = re.exec(query);
    if (!m) return undefined;
    out.push({ ...(m[1] ? { field: m[1] } : {}), value: (m[2] ?? m[3] ?? '').toLowerCase() });
    at = re.lastIndex;
  }
  return out;
}
const digits = (s: string) => s.replace(/\D/g, '');

export function searchUsers(ctx: Ctx, q: URLSearchParams): Reply {
  const live = [...ctx.state.users.values()].filter((u) => u.active);
  if (q.has('external_id')) {
    const x = q.get('external_id')!.toLowerCase();
    return { status: 200, body: { users: live.filter((u) => u.external_id?.toLowerCase() === x).map((u) => userJson(ctx, u)), next_page: null, previous_page: null, count: 0 } };
  }
  const query = q.get('query');
  if (!query?.trim()) return zdError(400, 'InvalidParameter', 'query or external_id: one is required');
  const ts = terms(query);
  if (!ts?.length) return zdError(400, 'InvalidParameter', 'query: not a search expression');
  const match = (u: User, t: { field?: string; value: string }) => {
    const f = t.field;
    if (f === 'email') return u.email?.toLowerCase() === t.value || u.secondaryEmails.includes(t.value);
    if (f === 'phone') return !!u.phone && digits(u.phone) === digits(t.value) && digits(t.value).length > 0;
    if (f === 'name') return u.name.toLowerCase().includes(t.value);
    if (f === 'external_id') return u.external_id?.toLowerCase() === t.value;
    if (f === 'tags') return u.tags.includes(t.value);
    if (f === 'role') return u.role === t.value;
    if (f) return false;
    return [u.name, u.email ?? '', u.phone ?? '', u.notes ?? ''].some((s) => s.toLowerCase().includes(t.value));
  };
  const users = live.filter((u) => ts.every((t) => match(u, t))).slice(0, 100);
  return { status: 200, body: { users: users.map((u) => userJson(ctx, u)), next_page: null, previous_page: null, count: users.length } };
}

export function listFieldsOf(kind: 'ticket' | 'user', ctx: Ctx): Reply {
  const fields = kind === 'ticket' ? ctx.state.ticketFields : ctx.state.userFields;
  const json = fields.map((f) => clean({ ...f, url: `https://${ctx.state.subdomain}.zendesk.com/api/v2/${kind}_fields/${f.id}.json` }));
  return { status: 200, body: kind === 'ticket' ? { ticket_fields: json, next_page: null, previous_page: null, count: json.length } : { user_fields: json, next_page: null, previous_page: null, count: json.length } };
}

// ---- tickets

const TICKET_KEYS = ['subject', 'comment', 'priority', 'type', 'status', 'tags', 'external_id', 'requester_id', 'requester', 'assignee_id', 'assignee_email', 'group_id', 'organization_id', 'brand_id', 'ticket_form_id', 'due_at', 'custom_fields', 'submitter_id', 'collaborator_ids', 'email_cc_ids', 'follower_ids'] as const;
const COMMENT_KEYS = ['body', 'html_body', 'public', 'author_id', 'uploads'] as const;
const STATUSES = ['new', 'open', 'pending', 'hold', 'solved', 'closed'];

/** Checks the ticket body fields common to create and update; undefined when valid. */
function checkTicket(ctx: Ctx, b: Record<string, unknown>, creating: boolean): Reply | undefined {
  const bad = unknownKeys('ticket', b, TICKET_KEYS);
  if (bad) return bad;
  if (b.comment !== undefined) {
    if (!isObj(b.comment)) return invalid('comment', 'Comment: must be an object');
    const badC = unknownKeys('comment', b.comment, COMMENT_KEYS);
    if (badC) return badC;
    const text = b.comment.body ?? b.comment.html_body;
    if (typeof text !== 'string' || !text.trim()) return invalid('comment', 'Comment: cannot be blank', 'BlankValue');
    if (b.comment.public !== undefined && typeof b.comment.public !== 'boolean') return invalid('comment', 'Comment: public must be true or false');
  } else if (creating) return invalid('description', 'Description: cannot be blank', 'BlankValue');
  if (b.subject !== undefined && typeof b.subject !== 'string') return invalid('subject', 'Subject: must be a string');
  if (b.priority !== undefined && !['urgent', 'high', 'normal', 'low'].includes(String(b.priority))) return invalid('priority', `Priority: ${String(b.priority)} is not a valid priority`);
  if (b.type !== undefined && !['problem', 'incident', 'question', 'task'].includes(String(b.type))) return invalid('type', `Type: ${String(b.type)} is not a valid type`);
  if (b.status !== undefined && !STATUSES.includes(String(b.status))) return invalid('status', `Status: ${String(b.status)} is not a valid status`);
  if (b.tags !== undefined && !(Array.isArray(b.tags) && b.tags.every((t) => typeof t === 'string'))) return invalid('tags', 'Tags: must be an array of strings');
  if (b.external_id !== undefined && typeof b.external_id !== 'string') return invalid('external_id', 'External: must be a string');
  if (b.due_at !== undefined && b.due_at !== null && (typeof b.due_at !== 'string' || !Number.isFinite(Date.parse(b.due_at)))) return invalid('due_at', 'Due at: is not a valid time');
  if (b.requester_id !== undefined) {
    const u = isId(b.requester_id) ? ctx.state.users.get(b.requester_id) : undefined;
    if (!u?.active) return invalid('requester', 'Requester: is invalid');
  }
  if (b.requester !== undefined) {
    if (!isObj(b.requester)) return invalid('requester', 'Requester: must be an object');
    const badR = unknownKeys('requester', b.requester, ['name', 'email', 'locale_id']);
    if (badR) return badR;
    if (typeof b.requester.email !== 'string' || !EMAIL.test(b.requester.email)) return invalid('requester', 'Requester: Email is invalid');
  }
  if (b.assignee_id !== undefined && b.assignee_id !== null) {
    const a = isId(b.assignee_id) ? ctx.state.users.get(b.assignee_id) : undefined;
    if (!a || a.role === 'end-user') return invalid('assignee', 'Assignee: is not an agent');
  }
  if (b.assignee_email !== undefined && ![...ctx.state.users.values()].some((u) => u.role !== 'end-user' && u.email === b.assignee_email)) return invalid('assignee', 'Assignee: is not an agent');
  if (b.custom_fields !== undefined) {
    if (!Array.isArray(b.custom_fields)) return invalid('custom_fields', 'Custom fields: must be an array');
    for (const f of b.custom_fields as unknown[]) {
      if (!isObj(f) || !isId(f.id) || !('value' in f)) return invalid('custom_fields', 'Custom fields: each is {id, value}');
      const def = ctx.state.ticketFields.find((x) => x.id === f.id && x.removable);
      if (!def) return invalid('custom_fields', `Custom fields: ${f.id} is not a custom ticket field`);
      if (def.custom_field_options && f.value !== null && !def.custom_field_options.some((o) => o.value === f.value)) return invalid(`custom_fields`, `${def.title}: ${String(f.value)} is not one of its options`);
    }
  }
  return undefined;
}

function applyTicket(ctx: Ctx, t: Ticket, b: Record<string, unknown>) {
  if (typeof b.subject === 'string') t.subject = b.subject;
  for (const k of ['priority', 'type', 'external_id'] as const) if (typeof b[k] === 'string') t[k] = b[k] as string;
  if (Array.isArray(b.tags)) t.tags = [...new Set((b.tags as string[]).map((x) => x.toLowerCase().replace(/\s+/g, '_')))];
  if (b.due_at !== undefined) t.due_at = b.due_at as string | null;
  if (isId(b.assignee_id)) t.assignee_id = b.assignee_id;
  if (typeof b.assignee_email === 'string') t.assignee_id = [...ctx.state.users.values()].find((u) => u.email === b.assignee_email)!.id;
  if (Array.isArray(b.custom_fields)) for (const f of b.custom_fields as { id: number; value: string | null }[]) {
    const at = t.custom_fields.find((x) => x.id === f.id);
    if (at) at.value = f.value;
  }
  if (typeof b.status === 'string') t.status = b.status as Ticket['status'];
  else if (t.status === 'new' && t.assignee_id) t.status = 'open'; // assigned: no longer new
  t.updated_at = iso(ctx.now());
}

function addComment(ctx: Ctx, t: Ticket, c: Record<string, unknown>): Comment {
  const comment: Comment = { id: ++ctx.state.seq, author_id: ctx.me.id, body: String(c.body ?? c.html_body), public: c.public === undefined ? (t.comments[0]?.public ?? true) : (c.public as boolean), created_at: iso(ctx.now()), audit_id: ++ctx.state.seq };
  t.comments.push(comment);
  return comment;
}

export function createTicket(ctx: Ctx, body: unknown): Reply {
  if (!isObj(body) || !isObj(body.ticket)) return zdError(400, 'InvalidParameter', 'ticket: required, an object');
  const b = body.ticket;
  const bad = checkTicket(ctx, b, true);
  if (bad) return bad;
  if (b.requester_id !== undefined && b.requester !== undefined) return invalid('requester', 'Requester: give requester_id or requester, not both');
  let requesterId = ctx.me.id; // no requester: the authenticated agent
  if (isId(b.requester_id)) requesterId = b.requester_id;
  else if (isObj(b.requester)) {
    const email = String(b.requester.email).toLowerCase();
    const found = [...ctx.state.users.values()].find((u) => u.email?.toLowerCase() === email || u.secondaryEmails.includes(email));
    if (found) requesterId = found.id;
    else {
      const u = newUser(ctx, { name: typeof b.requester.name === 'string' && b.requester.name.trim() ? b.requester.name.trim() : email, email });
      ctx.state.users.set(u.id, u);
      requesterId = u.id;
    }
  }
  const now = iso(ctx.now());
  const t: Ticket = {
    id: ++ctx.state.seq,
    status: 'new',
    requester_id: requesterId,
    submitter_id: ctx.me.id,
    tags: [],
    custom_fields: ctx.state.ticketFields.filter((f) => f.removable).map((f) => ({ id: f.id, value: null })),
    comments: [],
    created_at: now,
    updated_at: now,
  };
  applyTicket(ctx, t, b);
  if (typeof b.subject !== 'string' || !b.subject.trim()) t.subject = String((b.comment as Record<string, unknown>).body ?? '').slice(0, 50);
  addComment(ctx, t, b.comment as Record<string, unknown>);
  ctx.state.tickets.set(t.id, t);
  return { status: 201, body: { ticket: ticketJson(ctx, t) }, headers: { location: `https://${ctx.state.subdomain}.zendesk.com/api/v2/tickets/${t.id}.json` } };
}

function ticketOf(ctx: Ctx, id: string): Ticket | undefined {
  const t = /^\d+$/.test(id) ? ctx.state.tickets.get(Number(id)) : undefined;
  return t && !t.deleted ? t : undefined;
}
const notFound = () => zdError(404, 'RecordNotFound', 'Not found');

export function getTicket(ctx: Ctx, id: string): Reply {
  const t = ticketOf(ctx, id);
  return t ? { status: 200, body: { ticket: ticketJson(ctx, t) } } : notFound();
}

export function listTickets(ctx: Ctx, q: URLSearchParams): Reply {
  const x = q.get('external_id');
  const all = [...ctx.state.tickets.values()].filter((t) => !t.deleted && (x === null || t.external_id === x));
  return { status: 200, body: { tickets: all.slice(0, 100).map((t) => ticketJson(ctx, t)), next_page: null, previous_page: null, count: all.length } };
}

export function updateTicket(ctx: Ctx, id: string, body: unknown): Reply {
  const t = ticketOf(ctx, id);
  if (!t) return notFound();
  if (!isObj(body) || !isObj(body.ticket)) return zdError(400, 'InvalidParameter', 'ticket: required, an object');
  const b = body.ticket;
  if (t.status === 'closed') return invalid('status', 'Status: closed prevents ticket update', 'ClosedPreventsUpdate');
  const bad = checkTicket(ctx, b, false);
  if (bad) return bad;
  if (b.requester !== undefined) return zdError(400, 'InvalidParameter', 'requester: only on create');
  if (t.comments.length >= 5000 && b.comment !== undefined) return invalid('comment', 'Comment: this ticket has reached 5000 comments');
  applyTicket(ctx, t, b);
  if (isId(b.requester_id)) t.requester_id = b.requester_id;
  const events: Record<string, unknown>[] = [];
  if (isObj(b.comment)) {
    const c = addComment(ctx, t, b.comment);
    events.push({ id: c.id, type: 'Comment', body: c.body, public: c.public, author_id: c.author_id });
  }
  return { status: 200, body: { ticket: ticketJson(ctx, t), audit: { id: ++ctx.state.seq, ticket_id: t.id, author_id: ctx.me.id, created_at: iso(ctx.now()), events } } };
}

export function listComments(ctx: Ctx, id: string, q: URLSearchParams): Reply {
  const t = ticketOf(ctx, id);
  if (!t) return notFound();
  const page = Number(q.get('page') ?? 1);
  if (!Number.isInteger(page) || page < 1) return zdError(400, 'InvalidParameter', 'page: a positive integer');
  const slice = t.comments.slice((page - 1) * 100, page * 100);
  const base = `https://${ctx.state.subdomain}.zendesk.com/api/v2/tickets/${t.id}/comments.json`;
  return {
    status: 200,
    body: { comments: slice.map((c) => ({ ...c, plain_body: c.body, type: 'Comment' })), next_page: page * 100 < t.comments.length ? `${base}?page=${page + 1}` : null, previous_page: page > 1 ? `${base}?page=${page - 1}` : null, count: t.comments.length },
  };
}
