// Tickets (issue 17): create, read back the status, add private comments as follow-ups.
//
// Create is POST /api/v2/tickets with Zendesk's Idempotency-Key. Zendesk's rules (ticketing
// introduction, "Idempotency"): the same key and body within two hours answer the first reply
// (x-idempotency-lookup: hit); the same key with another body is 400 IdempotentRequestError;
// after two hours the key is forgotten and a retry "will create a new ticket". The outbox can
// retry later than that (offline, backoff), and a retry's body can differ (the customer was
// linked meanwhile, so requester_id replaces requester). So every ticket also carries the Liaison
// key as its external_id, and a create first lists GET /api/v2/tickets?external_id=<key>: a
// ticket the first attempt made is found whenever the retry comes. If Zendesk still refuses the
// key for another body (and no ticket carries it, so the first use made none), the create is
// sent once more under a key derived from this body.
//
// Comments: PUT /api/v2/tickets/{id} {ticket:{comment:{body, public:false}}} (an internal note);
// a PUT appends, so the follow-up's Liaison id ends the body and a retry first looks for it
// among the ticket's comments.
import { z } from 'zod';
import type { FollowUp } from '../../model';
import { TICKET_CATEGORIES } from '../../model/enums';
import { CrmError } from '../errors';
import type { RemoteRef, RemoteTicket, TicketInput, WriteOptions, OpOptions } from '../port';
import { refuseReserved, toText, type TemplateFields } from '../template-values';
import { call, notValidId, parseTime, type ZendeskContext } from './client';
import { IDEMPOTENCY_MISMATCH } from './errors';
import { CATEGORY_TAGS, LIAISON_TAG, ZENDESK_PRIORITIES, ZENDESK_STATUSES } from './spec';
import { upsertUser } from './users';

export const ticketSchema = z
  .object({
    id: z.number(),
    subject: z.string().nullable().optional(),
    status: z.enum(['new', 'open', 'pending', 'hold', 'solved', 'closed']),
    priority: z.string().nullable().optional(),
    type: z.string().nullable().optional(),
    requester_id: z.number(),
    assignee_id: z.number().nullable().optional(),
    external_id: z.string().nullable().optional(),
    updated_at: z.string().optional(),
    tags: z.array(z.string()).optional(),
  })
  .passthrough();
type Ticket = z.infer<typeof ticketSchema>;
const oneTicket = z.object({ ticket: ticketSchema });
const manyTickets = z.object({ tickets: z.array(ticketSchema) });
const updateReply = z.object({ ticket: ticketSchema, audit: z.object({ events: z.array(z.object({ id: z.number(), type: z.string() }).passthrough()).optional() }).passthrough().optional() });
const commentsReply = z.object({ comments: z.array(z.object({ id: z.number(), body: z.string().optional(), plain_body: z.string().optional() }).passthrough()), next_page: z.string().nullable().optional() });

/** What Liaison keeps on the ticket for itself; a template may not write these. */
const RESERVED: Record<string, string> = {
  external_id: 'the Liaison idempotency key',
  requester_id: 'the requester comes from the linked customer',
  requester: 'the requester comes from the customer',
  comment: 'the description',
  id: 'the ticket id',
};
/** Ticket properties a template may set by name; a number names a custom ticket field (custom_fields). */
const TICKET_PROPS = ['subject', 'group_id', 'organization_id', 'brand_id', 'ticket_form_id', 'assignee_email'] as const;

const pad = (n: number) => String(n).padStart(2, '0');
/** "2026-12-01 10:30 UTC": the messages' times in the description, the same however often it is built. */
function stamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** The first comment: the description, the customer, and the chat messages quoted. Deterministic (the idempotency rules compare bodies). */
export function ticketBody(t: TicketInput): string {
  const c = t.customer;
  const who = [c.name, c.company, c.code && `客户编号 ${c.code}`, c.phones[0], c.email].filter(Boolean).join(' · ');
  const lines = [t.description.trim(), '', `客户 / Customer: ${who}`, `类别 / Category: ${t.category} · 紧急程度 / Priority: ${t.priority}`];
  if (t.messages.length) {
    lines.push('', '聊天记录 / Chat:');
    for (const m of t.messages) lines.push(...`[${stamp(m.at)}] ${m.from === 'customer' ? '客户' : '我'}: ${m.text}`.split('\n').map((l) => `> ${l}`));
  }
  return lines.join('\n').trim();
}

function customFields(fields: TemplateFields | undefined, ticket: Record<string, unknown>) {
  refuseReserved('Zendesk', fields, (name) => RESERVED[name]);
  const custom: { id: number; value: string }[] = [];
  for (const [name, v] of Object.entries(fields ?? {})) {
    if (/^\d{1,19}$/.test(name)) custom.push({ id: Number(name), value: toText(v) });
    else if ((TICKET_PROPS as readonly string[]).includes(name)) ticket[name] = /_id$/.test(name) ? Number(toText(v)) : toText(v);
    else
      throw new CrmError('validation', `Zendesk: the template names "${name}", which is neither a ticket property Liaison writes nor a custom ticket field id`, {
        vendorCode: 'UNKNOWN_FIELD',
        userMessage: { zh_CN: `字段映射中的「${name}」不是 Zendesk 工单字段：自定义工单字段请填写它的数字 ID`, en: `"${name}" in the field mapping is not a Zendesk ticket field: give a custom ticket field by its numeric id` },
      });
  }
  if (custom.length) ticket.custom_fields = custom;
}

function remote(ctx: ZendeskContext, t: Ticket): RemoteTicket {
  const modifiedAt = parseTime(t.updated_at);
  return {
    remoteId: String(t.id),
    remoteCode: `#${t.id}`,
    status: ZENDESK_STATUSES[t.status]!,
    vendorStatus: t.status,
    ...(t.subject ? { subject: t.subject } : {}),
    ...(t.assignee_id ? { assignee: String(t.assignee_id) } : {}),
    ...(modifiedAt !== undefined ? { modifiedAt, marker: String(modifiedAt) } : {}),
    url: `${ctx.config.webUrl}/agent/tickets/${t.id}`,
  };
}

async function byExternalId(ctx: ZendeskContext, key: string, signal?: AbortSignal): Promise<Ticket | undefined> {
  const { tickets } = await call(ctx, 'get', 'api/v2/tickets', { searchParams: { external_id: key }, schema: manyTickets, signal });
  return tickets.sort((a, b) => a.id - b.id)[0];
}

/** FNV-1a of the body: a key for one body, when Zendesk keeps the Liaison key for another. */
function bodyKey(key: string, body: unknown): string {
  let h = 0x811c9dc5;
  for (const ch of JSON.stringify(body)) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `${key.slice(0, 200)}.${h.toString(16).padStart(8, '0')}`;
}

export type CreatedTicket = RemoteRef & { status?: RemoteTicket['status']; vendorStatus?: string; url?: string };

export async function createTicket(ctx: ZendeskContext, t: TicketInput, opts: WriteOptions): Promise<CreatedTicket> {
  if (!(TICKET_CATEGORIES as readonly string[]).includes(t.category)) throw new CrmError('validation', `Zendesk: unknown ticket category ${t.category}`);
  if (t.remoteCustomerId !== undefined) {
    const bad = notValidId(t.remoteCustomerId, 'user id');
    if (bad) throw bad;
  }
  const key = opts.idempotencyKey;
  const ticket: Record<string, unknown> = {
    subject: t.subject.trim().slice(0, 300),
    comment: { body: ticketBody(t), public: false },
    priority: ZENDESK_PRIORITIES[t.priority],
    type: ctx.config.ticketTypes[t.category],
    tags: [LIAISON_TAG, CATEGORY_TAGS[t.category]],
    external_id: key,
  };
  if (ticket.type === 'task' && t.dueAt !== undefined) ticket.due_at = new Date(t.dueAt).toISOString();
  if (t.assignee) {
    if (/^\d{1,19}$/.test(t.assignee)) ticket.assignee_id = Number(t.assignee);
    else if (t.assignee.includes('@')) ticket.assignee_email = t.assignee;
    else throw new CrmError('validation', 'Zendesk: the assignee must be an agent id or email');
  }
  customFields(opts.fields, ticket);

  const existing = await byExternalId(ctx, key, opts.signal);
  if (existing) return remote(ctx, existing);

  // The requester: the linked user; else by email (Zendesk finds or creates that end user);
  // else (a phone only) the customer upserted as a user first, by its Liaison id.
  if (t.remoteCustomerId !== undefined) ticket.requester_id = Number(t.remoteCustomerId);
  else if (t.customer.email) ticket.requester = { name: t.customer.name || t.customer.email, email: t.customer.email };
  else ticket.requester_id = (await upsertUser(ctx, t.customer, undefined, opts.signal)).id;

  const post = (idempotencyKey: string) => call(ctx, 'post', 'api/v2/tickets', { json: { ticket }, headers: { 'Idempotency-Key': idempotencyKey }, write: true, schema: oneTicket, signal: opts.signal });
  try {
    return remote(ctx, (await post(key.slice(0, 255))).ticket);
  } catch (e) {
    if (!(e instanceof CrmError) || e.vendorCode !== IDEMPOTENCY_MISMATCH) throw e;
    const made = await byExternalId(ctx, key, opts.signal);
    if (made) return remote(ctx, made);
    return remote(ctx, (await post(bodyKey(key, ticket))).ticket);
  }
}

export async function getTicket(ctx: ZendeskContext, remoteId: string, opts: OpOptions = {}): Promise<RemoteTicket | null> {
  const bad = notValidId(remoteId, 'ticket id');
  if (bad) throw bad;
  try {
    return remote(ctx, (await call(ctx, 'get', `api/v2/tickets/${remoteId}`, { schema: oneTicket, signal: opts.signal })).ticket);
  } catch (e) {
    if (e instanceof CrmError && e.kind === 'not-found') return null;
    throw e;
  }
}

/** The comment text: the follow-up, its method/result/next step, and its Liaison id last (the retry lookup finds it). */
export function commentBody(f: FollowUp): string {
  const lines = [f.content.trim(), `跟进方式：${f.method}`];
  if (f.result) lines.push(`跟进结果：${f.result}`);
  if (f.nextAction) lines.push(`下次行动：${f.nextAction}`);
  if (f.nextAt !== undefined) lines.push(`下次时间：${stamp(f.nextAt)}`);
  lines.push(`[Liaison ${f.id}]`);
  return lines.join('\n');
}

async function findComment(ctx: ZendeskContext, ticketId: string, mark: string, signal?: AbortSignal): Promise<number | undefined> {
  // Comments come oldest first, 100 a page; a ticket past 100 has next_page (at most 5,000 in all).
  let url: string | undefined = `api/v2/tickets/${ticketId}/comments`;
  for (let i = 0; url && i < 50; i++) {
    const page: z.infer<typeof commentsReply> = await call(ctx, 'get', url, { schema: commentsReply, signal });
    const mine = page.comments.find((c) => (c.body ?? c.plain_body ?? '').includes(mark));
    if (mine) return mine.id;
    const next = page.next_page ? new URL(page.next_page) : undefined;
    url = next ? `${next.pathname.replace(/^\//, '')}${next.search}` : undefined;
  }
  return undefined;
}

export async function addTicketComment(ctx: ZendeskContext, ticketId: string, f: FollowUp, opts: WriteOptions): Promise<RemoteRef> {
  const bad = notValidId(ticketId, 'ticket id');
  if (bad) throw bad;
  const mark = `[Liaison ${f.id}]`;
  const earlier = await findComment(ctx, ticketId, mark, opts.signal);
  if (earlier !== undefined) return { remoteId: String(earlier) };
  const r = await call(ctx, 'put', `api/v2/tickets/${ticketId}`, { json: { ticket: { comment: { body: commentBody(f), public: false } } }, write: true, ownLimit: true, schema: updateReply, signal: opts.signal });
  const modifiedAt = parseTime(r.ticket.updated_at);
  const id = r.audit?.events?.find((e) => e.type === 'Comment')?.id ?? (await findComment(ctx, ticketId, mark, opts.signal));
  if (id === undefined) throw new CrmError('unknown-outcome', `Zendesk: ticket ${ticketId} was updated but its new comment is not among its comments`);
  return { remoteId: String(id), ...(modifiedAt !== undefined ? { marker: String(modifiedAt) } : {}) };
}
