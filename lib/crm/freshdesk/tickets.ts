// Tickets: create (POST /api/v2/tickets), read back (GET /api/v2/tickets/{id}).
//
// Idempotency. Freshdesk takes no idempotency key and tickets have no external id (the
// unique_external_id of the API belongs to contacts, behind a feature flag). So the Liaison key
// rides on the ticket as a tag (lsn-<16 hex digits of a 64-bit FNV-1a hash of the key>: tags are
// at most 32 characters) and a create first lists the requester's tickets (GET
// /api/v2/tickets?requester_id=…, newest first) for that tag, and again after an unknown outcome.
// The list reads the database, not a search index (unlike GET /api/v2/search/tickets), so a ticket
// the lost attempt made is seen at once. Its limit: the list returns tickets created in the last
// 30 days, so a retry more than 30 days after a lost reply could create a second ticket
// (docs/freshdesk.md). The description also ends with the key, for people.
//
// Status. 2 Open → 新建 while no agent has it (responder_id null), else 处理中; 3 Pending → 待回复;
// 4 Resolved → 已解决; 5 Closed → 已关闭; a custom status (6 on) → 处理中, its name from
// ticket_fields as vendorStatus.
import { z } from 'zod';
import type { TicketStatus } from '../../model/enums';
import { CrmError } from '../errors';
import type { RemoteRef, RemoteTicket, TicketInput, WriteOptions } from '../port';
import { abortableSleep } from '../rate-limiter';
import { conversionError, refuseReserved, toNumber, toText, type TemplateFields } from '../template-values';
import { call, nextPage, notValidId, parseTime, type FreshdeskContext } from './client';
import { priorityOf } from './config';
import { requesterId } from './contacts';
import { statusNames, TICKET_PROPS } from './fields';
import { CATEGORY_TAGS, FRESHDESK_STATUSES, LIAISON_TAG, SOURCE_CHAT } from './spec';

export const ticketSchema = z
  .object({
    id: z.number(),
    subject: z.string().nullable().optional(),
    status: z.number().int(),
    priority: z.number().int().optional(),
    requester_id: z.number().optional(),
    responder_id: z.number().nullable().optional(),
    group_id: z.number().nullable().optional(),
    tags: z.array(z.string()).optional(),
    updated_at: z.string().optional(),
    deleted: z.boolean().optional(),
  })
  .passthrough();
type Ticket = z.infer<typeof ticketSchema>;
const manyTickets = z.array(ticketSchema);

/** What Liaison keeps on the ticket for itself; a template may not write these. */
const RESERVED: Record<string, string> = {
  tags: 'the idempotency tag',
  requester_id: 'the requester comes from the customer',
  email: 'the requester comes from the customer',
  phone: 'the requester comes from the customer',
  name: 'the requester comes from the customer',
  description: 'the ticket text, customer and quoted messages',
  subject: 'the ticket subject',
  status: 'a new ticket is Open',
  priority: 'the priority mapping in the connection settings',
  source: 'Liaison tickets come from a chat',
};

/** After an unknown outcome the ticket is found at once (the list reads the database); two looks cover a slow commit. */
export const RECONCILE_DELAYS_MS = [0, 1000];
const MAX_PAGES = 3;

/** 64-bit FNV-1a of the key's UTF-8 bytes, 16 hex digits. */
function fnv1a64(s: string): string {
  let h = 0xcbf29ce484222325n;
  for (const b of new TextEncoder().encode(s)) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

/** The tag that carries an idempotency key: 20 characters, within Freshdesk's 32. */
export const keyTag = (idempotencyKey: string) => `lsn-${fnv1a64(idempotencyKey)}`;

const pad = (n: number) => String(n).padStart(2, '0');
export function stamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}
export const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The description (HTML, Freshdesk's format): the text, the customer, the chat messages quoted, the key. */
export function ticketDescription(t: TicketInput, idempotencyKey: string): string {
  const c = t.customer;
  const who = [c.name, c.company, c.code && `客户编号 ${c.code}`, c.phones[0], c.email].filter(Boolean).join(' · ');
  const para = (s: string) => `<p>${escapeHtml(s).replace(/\n/g, '<br>')}</p>`;
  const parts = [para(t.description.trim()), para(`客户 / Customer: ${who}\n类别 / Category: ${t.category} · 紧急程度 / Priority: ${t.priority}`)];
  if (t.messages.length) {
    const quoted = t.messages.map((m) => `[${stamp(m.at)}] ${m.from === 'customer' ? '客户' : '我'}: ${m.text}`).join('\n');
    parts.push(`<p>聊天记录 / Chat:</p><blockquote>${escapeHtml(quoted).replace(/\n/g, '<br>')}</blockquote>`);
  }
  parts.push(para(`[Liaison ${idempotencyKey}]`));
  return parts.join('');
}

/** One line, at most 255 characters. */
export function subjectOf(subject: string): string {
  const s = subject.replace(/\s+/g, ' ').trim();
  if (!s) throw new CrmError('validation', 'Freshdesk: the ticket has no subject', { userMessage: { zh_CN: '工单没有标题', en: 'The ticket has no subject' } });
  return [...s].length > 255 ? `${[...s].slice(0, 254).join('')}…` : s;
}

function templateInto(body: Record<string, unknown>, fields: TemplateFields | undefined) {
  refuseReserved('Freshdesk', fields, (name) => RESERVED[name]);
  const custom: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(fields ?? {})) {
    if (name.startsWith('cf_')) custom[name] = v;
    else if (name === 'type') body.type = toText(v);
    else if (TICKET_PROPS[name]) body[name] = toNumber('Freshdesk', name, v, { integer: true });
    else throw conversionError('Freshdesk', name, 'a ticket property (type, group_id, responder_id, product_id, company_id) or a custom field (cf_…)');
  }
  if (Object.keys(custom).length) body.custom_fields = custom;
}

export async function statusOf(ctx: FreshdeskContext, t: Pick<Ticket, 'status' | 'responder_id'>, signal?: AbortSignal): Promise<{ status: TicketStatus; vendorStatus: string }> {
  switch (t.status) {
    case 2:
      return { status: t.responder_id ? '处理中' : '新建', vendorStatus: FRESHDESK_STATUSES[2]! };
    case 3:
      return { status: '待回复', vendorStatus: FRESHDESK_STATUSES[3]! };
    case 4:
      return { status: '已解决', vendorStatus: FRESHDESK_STATUSES[4]! };
    case 5:
      return { status: '已关闭', vendorStatus: FRESHDESK_STATUSES[5]! };
    default: {
      if (t.status < 6) throw new CrmError('validation', `Freshdesk: unknown ticket status ${t.status}`);
      const names = await statusNames(ctx, signal).catch(() => ({}) as Record<string, string>);
      return { status: '处理中', vendorStatus: names[String(t.status)] ?? `status ${t.status}` };
    }
  }
}

const ticketUrl = (ctx: FreshdeskContext, id: number) => `${ctx.config.webUrl}/a/tickets/${id}`;

async function toRemote(ctx: FreshdeskContext, t: Ticket, signal?: AbortSignal): Promise<RemoteTicket> {
  const modifiedAt = parseTime(t.updated_at);
  return {
    remoteId: String(t.id),
    remoteCode: `#${t.id}`,
    ...(await statusOf(ctx, t, signal)),
    ...(t.subject ? { subject: t.subject } : {}),
    ...(t.responder_id ? { assignee: String(t.responder_id) } : {}),
    ...(modifiedAt !== undefined ? { modifiedAt, marker: String(modifiedAt) } : {}),
    url: ticketUrl(ctx, t.id),
  };
}

/** The requester's ticket carrying this key's tag, if any (newest first, a few pages). */
export async function findByKey(ctx: FreshdeskContext, requester: number, idempotencyKey: string, signal?: AbortSignal): Promise<Ticket | undefined> {
  const tag = keyTag(idempotencyKey);
  let path: string | undefined = `api/v2/tickets?requester_id=${requester}&order_by=created_at&order_type=desc&per_page=100&page=1`;
  for (let i = 0; path && i < MAX_PAGES; i++) {
    let link: string | null = null;
    const page: Ticket[] = await call(ctx, 'get', path, { schema: manyTickets, signal, onHeaders: (h) => (link = h.get('link')) });
    const mine = page.filter((t) => t.tags?.includes(tag)).sort((a, b) => a.id - b.id)[0];
    if (mine) return mine;
    path = nextPage(link);
  }
  return undefined;
}

export async function createTicket(ctx: FreshdeskContext, t: TicketInput, opts: WriteOptions): Promise<RemoteRef & { status?: TicketStatus; vendorStatus?: string; url?: string }> {
  const s = ctx.config.settings;
  const body: Record<string, unknown> = {
    subject: subjectOf(t.subject),
    description: ticketDescription(t, opts.idempotencyKey),
    status: 2,
    priority: priorityOf(ctx.config, t.priority),
    source: SOURCE_CHAT,
    tags: [LIAISON_TAG, CATEGORY_TAGS[t.category], keyTag(opts.idempotencyKey)],
  };
  if (s.groupId) body.group_id = Number(s.groupId);
  if (s.ticketType) body.type = s.ticketType;
  if (t.assignee && /^\d{1,19}$/.test(t.assignee)) body.responder_id = Number(t.assignee);
  const warnings: string[] = [];
  if (t.dueAt !== undefined) {
    // Freshdesk takes a due date only later than now, and the first-response due no later than it.
    if (t.dueAt > ctx.now()) {
      body.due_by = new Date(t.dueAt).toISOString().replace(/\.\d{3}Z$/, 'Z');
      body.fr_due_by = body.due_by;
    } else warnings.push('due_by: in the past');
  }
  templateInto(body, opts.fields);

  const requester = await requesterId(ctx, t.customer, opts.signal);
  body.requester_id = requester;
  const done = async (tk: Ticket) => {
    const r = await toRemote(ctx, tk, opts.signal);
    return { remoteId: r.remoteId, remoteCode: r.remoteCode!, url: r.url!, status: r.status, vendorStatus: r.vendorStatus, ...(r.marker ? { marker: r.marker } : {}), ...(warnings.length ? { warnings } : {}) };
  };
  const found = await findByKey(ctx, requester, opts.idempotencyKey, opts.signal);
  if (found) return done(found);
  try {
    return await done(await call(ctx, 'post', 'api/v2/tickets', { json: body, write: true, schema: ticketSchema, signal: opts.signal }));
  } catch (e) {
    if (!(e instanceof CrmError) || e.kind !== 'unknown-outcome') throw e;
    for (const delay of ctx.reconcileDelaysMs) {
      if (delay) await abortableSleep(delay, opts.signal);
      const again = await findByKey(ctx, requester, opts.idempotencyKey, opts.signal).catch(() => undefined);
      if (again) return done(again);
    }
    throw e;
  }
}

export async function getTicket(ctx: FreshdeskContext, remoteId: string, signal?: AbortSignal): Promise<RemoteTicket | null> {
  const bad = notValidId(remoteId);
  if (bad) throw bad;
  try {
    const t = await call(ctx, 'get', `api/v2/tickets/${remoteId}`, { schema: ticketSchema, signal });
    return t.deleted ? null : await toRemote(ctx, t, signal);
  } catch (e) {
    if (e instanceof CrmError && e.kind === 'not-found') return null;
    throw e;
  }
}
