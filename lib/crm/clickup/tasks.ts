// Tickets as ClickUp tasks: create (POST /v2/list/{list_id}/task), read back (GET /v2/task/{id}).
//
// Idempotency. ClickUp takes no idempotency key and has no upsert; its Custom Task IDs are
// numbered by ClickUp (and need Business Plus), so they cannot carry our key. The key rides on the
// task as the tag liaison-<key> (lower case: ClickUp keeps tag names in lower case) and as the
// description's last line; a create first asks the List for tasks with that tag
// (GET /v2/list/{id}/task?tags[]=…&include_closed=true), and again after an unknown outcome, a
// few times (reconcileDelaysMs) in case the List's task listing lags the write. A tag rather than
// a Custom Field: a tag needs no set-up by the user (a Custom Field would have to be created in
// the List first), and the List endpoint filters on it. The price: each ticket adds a tag to the
// Space's tag list, and the Space must have Tags turned on (checked before writing:
// TAGS_DISABLED).
//
// Status. status.type open / custom / done / closed → 新建 / 处理中 / 已解决 / 已关闭 (ClickUp's
// four status types); a custom status whose name says it waits on someone (waiting, pending,
// on hold, 待…) → 待回复. The status name is kept as vendorStatus.
import { z } from 'zod';
import { CrmError } from '../errors';
import { abortableSleep } from '../rate-limiter';
import type { RemoteRef, RemoteTicket, TicketInput, WriteOptions } from '../port';
import type { TicketStatus } from '../../model/enums';
import { notWritableError, optionError, refuseReserved, toBoolean, toInstant, toNumber, toText, type TemplateFields } from '../template-values';
import { call, notTaskId, parseTime, type ClickUpContext } from './client';
import { CLICKUP_APP, priorityOf, requireList } from './config';
import { listInfo, type ClickUpField } from './fields';
import { LIAISON_TAG_PREFIX } from './spec';
import { ticketDescription } from './text';

const statusSchema = z.object({ status: z.string(), type: z.string() }).passthrough();
const taskSchema = z.object({
  id: z.string(),
  custom_id: z.string().nullable().optional(),
  name: z.string(),
  description: z.string().nullable().optional(),
  status: statusSchema,
  date_updated: z.string().nullable().optional(),
  url: z.string().optional(),
  tags: z.array(z.object({ name: z.string() }).passthrough()).optional(),
  assignees: z.array(z.object({ id: z.number(), username: z.string().nullable().optional() }).passthrough()).optional(),
  list: z.object({ id: z.string() }).passthrough().optional(),
}).passthrough();
type Task = z.infer<typeof taskSchema>;
const tasksReply = z.object({ tasks: z.array(taskSchema), last_page: z.boolean().optional() });

/** How long the outbox should wait before retrying a create whose task the List has not shown. */
export const UNSEEN_RETRY_AFTER_MS = 30_000;

/** The tag that carries the key (lower case, no spaces; ClickUp tag names are short: at most 100 characters kept here). */
export function keyTag(idempotencyKey: string): string {
  const tag = `${LIAISON_TAG_PREFIX}${idempotencyKey}`.toLowerCase();
  if (!/^[a-z0-9_.:-]{1,100}$/.test(tag)) throw new CrmError('validation', `ClickUp: idempotency key "${idempotencyKey.slice(0, 40)}" cannot be a tag`);
  return tag;
}

export function statusOf(s: { status: string; type: string }): TicketStatus {
  switch (s.type) {
    case 'open':
      return '新建';
    case 'custom':
      return /wait|pending|on hold|blocked|待/i.test(s.status) ? '待回复' : '处理中';
    case 'done':
      return '已解决';
    case 'closed':
      return '已关闭';
    default:
      throw new CrmError('validation', `ClickUp: unknown status type "${s.type.slice(0, 40)}"`);
  }
}

export const taskUrl = (t: Pick<Task, 'id' | 'url'>) => t.url ?? `${CLICKUP_APP}/t/${encodeURIComponent(t.id)}`;

function toTicket(t: Task): RemoteTicket {
  const modifiedAt = parseTime(t.date_updated);
  const assignee = t.assignees?.map((a) => a.username).filter((x): x is string => !!x).join(', ');
  return {
    remoteId: t.id,
    remoteCode: t.custom_id ?? t.id,
    status: statusOf(t.status),
    vendorStatus: t.status.status,
    subject: t.name,
    ...(assignee ? { assignee } : {}),
    ...(modifiedAt !== undefined ? { modifiedAt, marker: String(modifiedAt) } : {}),
    url: taskUrl(t),
  };
}

/** The task Liaison created under this key, if the List shows it. */
export async function findByKey(ctx: ClickUpContext, listId: string, idempotencyKey: string, signal?: AbortSignal): Promise<Task | undefined> {
  const tag = keyTag(idempotencyKey);
  const r = await call(ctx, 'get', `api/v2/list/${listId}/task`, { searchParams: { 'tags[]': [tag], include_closed: true, subtasks: true }, schema: tasksReply, signal });
  return r.tasks.find((t) => (t.tags ?? []).some((x) => x.name.toLowerCase() === tag));
}

/** One line, at most 1,000 characters (a task name is a title). */
export function nameOf(subject: string): string {
  const s = subject.replace(/\s+/g, ' ').trim();
  if (!s) throw new CrmError('validation', 'ClickUp: the ticket has no subject', { userMessage: { zh_CN: '工单没有标题', en: 'The ticket has no subject' } });
  return [...s].length > 1000 ? `${[...s].slice(0, 999).join('')}…` : s;
}

/** The fields a template may not write (Liaison keeps these for itself). */
export const RESERVED: Record<string, string> = {
  name: 'the ticket subject',
  description: 'the ticket text, customer and quoted messages',
  markdown_content: 'the ticket text, customer and quoted messages',
  tags: 'the idempotency tag',
  priority: 'the priority mapping',
  status: 'the List’s first status',
};

function customValue(f: ClickUpField, v: string | number): unknown {
  const name = f.name;
  switch (f.type) {
    case 'short_text':
    case 'text':
    case 'email':
    case 'phone':
    case 'url':
      return toText(v);
    case 'number':
    case 'currency':
      return toNumber('ClickUp', name, v);
    case 'emoji':
      return toNumber('ClickUp', name, v, { integer: true });
    case 'date':
      return toInstant('ClickUp', name, v);
    case 'checkbox':
      return toBoolean('ClickUp', name, v);
    case 'drop_down': {
      const t = toText(v);
      const opts = f.type_config?.options ?? [];
      const hit = opts.find((o) => o.name === t || o.id === t);
      if (!hit) throw optionError('ClickUp', name, t, opts.map((o) => o.name ?? o.id));
      return hit.id;
    }
    default:
      throw notWritableError('ClickUp', name, f.type);
  }
}

function customFields(fields: Map<string, ClickUpField>, given: TemplateFields | undefined): { id: string; value: unknown }[] {
  const out: { id: string; value: unknown }[] = [];
  for (const [key, v] of Object.entries(given ?? {})) {
    const f = fields.get(key) ?? [...fields.values()].find((x) => x.name === key);
    if (!f) {
      throw new CrmError('validation', `ClickUp: the List has no Custom Field "${key.slice(0, 60)}"`, {
        vendorCode: 'UNKNOWN_FIELD',
        userMessage: { zh_CN: `ClickUp 列表中没有自定义字段「${key}」（ClickUp 会静默丢弃它的值）。请检查字段映射`, en: `The ClickUp List has no Custom Field "${key}" (ClickUp would drop its value without a word). Check the field mapping` },
      });
    }
    out.push({ id: f.id, value: customValue(f, v) });
  }
  return out;
}

export async function createTicket(ctx: ClickUpContext, t: TicketInput, opts: WriteOptions): Promise<RemoteRef & { status?: TicketStatus; vendorStatus?: string; url?: string }> {
  const listId = requireList(ctx.config);
  const tag = keyTag(opts.idempotencyKey);
  refuseReserved('ClickUp', opts.fields, (name) => RESERVED[name]);
  const info = await listInfo(ctx, opts.signal);
  if (!info.tags) {
    throw new CrmError('validation', `ClickUp: Tags are turned off in the Space of List ${listId}`, {
      vendorCode: 'TAGS_DISABLED',
      userMessage: {
        zh_CN: `ClickUp 列表「${info.path}」所在空间未启用「标签」(Tags)，Liaison 无法防止重复创建。请在空间设置 → ClickApps 中启用 Tags，或换一个列表`,
        en: `Tags are turned off in the Space of the List "${info.path}", so Liaison cannot prevent duplicates. Turn on Tags in the Space’s settings (ClickApps), or choose another List`,
      },
    });
  }
  const warnings: string[] = [];
  const body: Record<string, unknown> = {
    name: nameOf(t.subject),
    description: ticketDescription(t, opts.idempotencyKey),
    tags: [tag, 'liaison', t.category.toLowerCase()],
    notify_all: false,
  };
  const priority = priorityOf(ctx.config, t.priority);
  if (priority !== null) {
    if (info.priorities) body.priority = priority;
    else warnings.push('priority: Priorities are turned off in the Space');
  }
  if (t.dueAt !== undefined) {
    if (info.dueDates) Object.assign(body, { due_date: t.dueAt, due_date_time: true });
    else warnings.push('due_date: Due dates are turned off in the Space');
  }
  if (t.assignee) {
    if (!/^\d+$/.test(t.assignee)) throw new CrmError('validation', `ClickUp: assignee "${t.assignee.slice(0, 40)}" is not a ClickUp user id`);
    body.assignees = [Number(t.assignee)];
  }
  const custom = customFields(info.fields, opts.fields);
  if (custom.length) body.custom_fields = custom;

  const found = await findByKey(ctx, listId, opts.idempotencyKey, opts.signal);
  if (found) return { ...withStatus(found), ...(warnings.length ? { warnings } : {}) };
  let created: Task;
  try {
    created = await call(ctx, 'post', `api/v2/list/${listId}/task`, { json: body, write: true, schema: taskSchema, signal: opts.signal });
  } catch (e) {
    if (!(e instanceof CrmError) || e.kind !== 'unknown-outcome') throw e;
    for (const delay of ctx.reconcileDelaysMs) {
      if (delay) await abortableSleep(delay, opts.signal);
      const again = await findByKey(ctx, listId, opts.idempotencyKey, opts.signal).catch(() => undefined);
      if (again) return { ...withStatus(again), ...(warnings.length ? { warnings } : {}) };
    }
    throw new CrmError('unknown-outcome', `${e.message}; not found by its tag yet`, {
      retryAfterMs: UNSEEN_RETRY_AFTER_MS,
      ...(e.status !== undefined ? { status: e.status } : {}),
      cause: e,
    });
  }
  // The create reply is the task itself, status and tags included. Whether Create Task makes a tag
  // the Space does not have yet is not written in ClickUp's pages: if the key tag did not stick,
  // a retry after a lost reply could not find this task. Said, not hidden.
  if (!(created.tags ?? []).some((x) => x.name.toLowerCase() === tag)) warnings.push(`tags: ClickUp did not keep the idempotency tag ${tag}; a retry after a lost reply could create a second task`);
  return { ...withStatus(created), ...(warnings.length ? { warnings } : {}) };
}

function withStatus(task: Task) {
  const t = toTicket(task);
  return { remoteId: t.remoteId, remoteCode: t.remoteCode!, url: t.url!, status: t.status, vendorStatus: t.vendorStatus, ...(t.marker ? { marker: t.marker } : {}) };
}

export async function getTicket(ctx: ClickUpContext, remoteId: string, signal?: AbortSignal): Promise<RemoteTicket | null> {
  const bad = notTaskId(remoteId);
  if (bad) throw bad;
  try {
    return toTicket(await call(ctx, 'get', `api/v2/task/${remoteId}`, { schema: taskSchema, signal }));
  } catch (e) {
    if (e instanceof CrmError && e.kind === 'not-found') return null;
    throw e;
  }
}
