// Tickets as Asana tasks: create (POST /tasks, in the chosen project), read back
// (GET /tasks/{gid}).
//
// Idempotency. Asana takes no idempotency key. Task.external ({gid, data}, addressable as
// external:<gid>) would be one, but asana.yaml marks it "*OAuth Required*": a personal access
// token cannot set or read it. The workspace task search (GET /workspaces/{gid}/tasks/search) is
// premium only (402 otherwise) and eventually consistent ("between 10 and 60 seconds"), and the
// file itself recommends Get multiple tasks for read-your-writes. So the key rides as the last
// line of the task's notes (text.ts markerLine) and a create first lists the project's tasks
// modified within LOOKBACK_MS (GET /tasks?project=…&modified_since=…&opt_fields=notes,…, paged,
// strongly consistent) for it, and again after an unknown outcome. Residual risks (docs/asana.md):
// a teammate deleting the marker line from the notes, moving the task out of the project, or a
// retry more than LOOKBACK_MS after the first attempt with the task untouched since.
//
// Status. Asana tasks have no status field: `completed`, and the section (board column) the task
// sits in within the project. The connection maps section names to statuses (config.ts
// sectionStatuses); with no mapping for the task's section, a completed task is 已解决 and an
// incomplete one 处理中 when someone is assigned, else 新建. vendorStatus keeps Asana's words:
// the section name and Completed / Incomplete.
import { z } from 'zod';
import { CrmError } from '../errors';
import { abortableSleep } from '../rate-limiter';
import type { RemoteRef, RemoteTicket, TicketInput, WriteOptions } from '../port';
import type { TicketStatus } from '../../model/enums';
import { conversionError, localDate, matchOption, notWritableError, refuseReserved, splitList, toDay, toNumber, toText, type TemplateValue } from '../template-values';
import { callPage, notGid, parseTime, type AsanaContext } from './client';
import { priorityOption, sectionKey, sectionStatuses, target, type AsanaConfig } from './config';
import { projectCustomFields, RESERVED, subtypeOf, type CustomField } from './fields';
import { hasMarker, markerLine, taskName, ticketNotes } from './text';

const ref = z.object({ gid: z.string(), name: z.string().nullable().optional() }).passthrough();
export const taskSchema = z
  .object({
    gid: z.string(),
    name: z.string().optional(),
    notes: z.string().optional(),
    completed: z.boolean().optional(),
    modified_at: z.string().nullable().optional(),
    assignee: ref.nullable().optional(),
    memberships: z.array(z.object({ project: ref.optional(), section: ref.nullable().optional() }).passthrough()).optional(),
    permalink_url: z.string().optional(),
  })
  .passthrough();
export type Task = z.infer<typeof taskSchema>;

export const READ_FIELDS = 'name,completed,modified_at,assignee.name,memberships.project.name,memberships.section.name,permalink_url';
/** How far back a create looks for its marker: the outbox gives up on an entry long before. */
export const LOOKBACK_MS = 30 * 24 * 3600_000;
/** At most this many pages of 100 tasks are scanned (a project modifying 5,000 tasks a month is beyond it). */
const MAX_PAGES = 50;

export function statusOf(config: AsanaConfig, t: Task): { status: TicketStatus; vendorStatus: string } {
  const { projectGid } = target(config);
  const section = t.memberships?.find((m) => m.project?.gid === projectGid)?.section?.name ?? undefined;
  const mapped = section ? sectionStatuses(config).get(sectionKey(section)) : undefined;
  const status: TicketStatus = t.completed ? (mapped === '已关闭' ? '已关闭' : '已解决') : (mapped ?? (t.assignee ? '处理中' : '新建'));
  return { status, vendorStatus: [section, t.completed ? 'Completed' : 'Incomplete'].filter(Boolean).join(' · ') };
}

function toTicket(ctx: AsanaContext, t: Task): RemoteTicket {
  const modifiedAt = parseTime(t.modified_at);
  return {
    remoteId: t.gid,
    ...statusOf(ctx.config, t),
    ...(t.name ? { subject: t.name } : {}),
    ...(t.assignee?.name ? { assignee: t.assignee.name } : {}),
    ...(modifiedAt !== undefined ? { modifiedAt, marker: String(modifiedAt) } : {}),
    ...(t.permalink_url ? { url: t.permalink_url } : {}),
  };
}

/** The task Liaison created under this key, among the project's tasks modified since the look-back. */
export async function findByMarker(ctx: AsanaContext, projectGid: string, marker: string, signal?: AbortSignal): Promise<Task | undefined> {
  const since = new Date(ctx.now() - LOOKBACK_MS).toISOString();
  let offset: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const r = await callPage(ctx, 'get', 'tasks', {
      searchParams: { project: projectGid, modified_since: since, limit: 100, opt_fields: `notes,${READ_FIELDS}`, ...(offset ? { offset } : {}) },
      schema: z.array(taskSchema),
      signal,
    });
    const mine = r.data.find((t) => hasMarker(t.notes, marker));
    if (mine) return mine;
    offset = r.nextOffset;
    if (!offset) return undefined;
  }
  return undefined;
}

/**
 * A template value as the custom field's type takes it: text, number, an enum option's gid, an
 * array of them for multi_enum, and a date as "YYYY-MM-DD" (asana.yaml TaskRequestBase.
 * custom_fields: "For date, use format YYYY-MM-DD"). Formula and read-only fields take nothing.
 */
function customValue(field: string, meta: CustomField | undefined, v: TemplateValue): unknown {
  if (!meta) return v; // a field the project does not list: sent for Asana to refuse by name
  const type = subtypeOf(meta);
  if (meta.is_formula_field || meta.is_value_read_only) throw notWritableError('Asana', field, meta.is_formula_field ? 'formula' : 'read-only');
  const options = (meta.enum_options ?? []).filter((o) => o.enabled !== false && o.name);
  const option = (name: string) => {
    const o = matchOption(options, name, (x) => [x.name!]);
    if (!o) throw conversionError('Asana', field, 'enum', `${name} ∉ ${options.slice(0, 10).map((x) => x.name).join(', ')}`);
    return o.gid;
  };
  switch (type) {
    case 'text':
      return toText(v);
    case 'number':
    case 'percent':
    case 'currency':
      return toNumber('Asana', field, v);
    case 'enum':
      return option(toText(v));
    case 'multi_enum':
      return splitList(v).map(option);
    case 'date':
      return toDay('Asana', field, v);
    default:
      throw notWritableError('Asana', field, type);
  }
}

export async function createTicket(ctx: AsanaContext, t: TicketInput, opts: WriteOptions): Promise<RemoteRef & { status?: TicketStatus; vendorStatus?: string; url?: string }> {
  const { workspaceGid, projectGid } = target(ctx.config);
  const marker = markerLine(opts.idempotencyKey);
  refuseReserved('Asana', opts.fields, (name) => RESERVED[name]);
  const warnings: string[] = [];
  const custom: Record<string, unknown> = {};
  const { priorityFieldGid, categoryFieldGid } = ctx.config.settings;
  const templates = Object.entries(opts.fields ?? {});
  if (priorityFieldGid || categoryFieldGid || templates.length) {
    const meta = await projectCustomFields(ctx, opts.signal);
    // 紧急程度 and 分类 onto the chosen enum fields, by option name; a missing option is a warning.
    const setOption = (what: string, fieldGid: string | undefined, want: string) => {
      if (!fieldGid) return;
      const f = meta.get(fieldGid);
      const o = f?.enum_options?.find((x) => x.enabled !== false && x.name === want);
      if (o) custom[fieldGid] = o.gid;
      else warnings.push(f ? `${what}: "${want}" ∉ ${(f.enum_options ?? []).map((x) => x.name).join(', ')}` : `${what}: field ${fieldGid} is not on the project`);
    };
    setOption('priority', priorityFieldGid, priorityOption(ctx.config, t.priority));
    setOption('category', categoryFieldGid, t.category);
    for (const [name, v] of templates) custom[name] = customValue(name, meta.get(name), v);
  }
  const data: Record<string, unknown> = { workspace: workspaceGid, projects: [projectGid], name: taskName(t.subject), notes: ticketNotes(t, opts.idempotencyKey) };
  if (t.dueAt !== undefined) data.due_on = localDate(t.dueAt);
  if (t.assignee) data.assignee = t.assignee;
  if (Object.keys(custom).length) data.custom_fields = custom;

  const found = await findByMarker(ctx, projectGid, marker, opts.signal);
  if (found) return { ...created(ctx, found), ...(warnings.length ? { warnings } : {}) };
  try {
    const r = await callPage(ctx, 'post', 'tasks', { data, write: true, searchParams: { opt_fields: READ_FIELDS }, schema: taskSchema, signal: opts.signal });
    return { ...created(ctx, r.data), ...(warnings.length ? { warnings } : {}) };
  } catch (e) {
    if (!(e instanceof CrmError) || e.kind !== 'unknown-outcome') throw e;
    // Get multiple tasks reads the project itself: a committed task shows at once; the short
    // delays cover a commit still in flight when the reply was lost.
    for (const delay of ctx.reconcileDelaysMs) {
      if (delay) await abortableSleep(delay, opts.signal);
      const again = await findByMarker(ctx, projectGid, marker, opts.signal).catch(() => undefined);
      if (again) return { ...created(ctx, again), ...(warnings.length ? { warnings } : {}) };
    }
    throw new CrmError('unknown-outcome', `${e.message}; not found by its marker yet (the retry looks again before creating)`, {
      ...(e.status !== undefined ? { status: e.status } : {}),
      cause: e,
    });
  }
}

function created(ctx: AsanaContext, task: Task) {
  const t = toTicket(ctx, task);
  return { remoteId: t.remoteId, status: t.status, vendorStatus: t.vendorStatus, ...(t.url ? { url: t.url } : {}), ...(t.marker ? { marker: t.marker } : {}) };
}

export async function getTicket(ctx: AsanaContext, remoteId: string, signal?: AbortSignal): Promise<RemoteTicket | null> {
  const bad = notGid(remoteId);
  if (bad) throw bad;
  try {
    const r = await callPage(ctx, 'get', `tasks/${remoteId}`, { searchParams: { opt_fields: READ_FIELDS }, schema: taskSchema, signal });
    return toTicket(ctx, r.data);
  } catch (e) {
    if (e instanceof CrmError && e.kind === 'not-found') return null;
    throw e;
  }
}
