// Tickets as Jira issues: create (POST /rest/api/3/issue), read back (GET /rest/api/3/issue/{id}).
//
// Idempotency. Jira takes no idempotency key and has no upsert, so a create looks first and
// again after an unknown outcome. The key rides on the issue as the label liaison-<key>, found
// with JQL `project = "KEY" AND labels = "liaison-<key>"` on GET /rest/api/3/search/jql. A label
// rather than an issue entity property: a property can be set at create time, but JQL can query it
// only when a Connect or Forge app declares an index for it (developer.atlassian.com "Entity
// property" module, read 2026-12-06); an API-token integration has no app descriptor, and labels
// are indexed for every issue. The price: /search/jql is eventually consistent ("Search and
// reconcile", Feb 2026: "from a few seconds to minutes", reconcileIssues only for ids one already
// knows), so a lookup in the seconds after a lost reply can miss the issue. After an unknown
// outcome the adapter looks again a few times (reconcileDelaysMs, ~7 s, inside the outbox's 20 s
// call budget) and, still unseen, throws unknown-outcome asking for a 30 s wait before the retry's
// own lookup. A lag longer than that can still duplicate (docs/jira.md).
//
// Status. statusCategory.key new / indeterminate / done → 新建 / 处理中 / 已解决 (Jira's three
// categories; "undefined" is Jira's own key for "No Category", grey like To Do → 新建); the
// status name is kept as vendorStatus.
import { z } from 'zod';
import { CrmError } from '../errors';
import { abortableSleep } from '../rate-limiter';
import type { RemoteRef, RemoteTicket, TicketInput, WriteOptions } from '../port';
import type { TicketStatus } from '../../model/enums';
import { conversionError, localDate, notWritableError, refuseReserved, splitList, toDay, toInstant, toNumber, toText } from '../template-values';
import { ticketDescription } from './adf';
import { call, notIssueId, parseTime, type JiraContext } from './client';
import { priorityName, target } from './config';
import { createMeta, RESERVED, type FieldMeta } from './fields';
import { LIAISON_LABEL_PREFIX } from './spec';

const statusSchema = z.object({ name: z.string(), statusCategory: z.object({ key: z.string() }).passthrough().optional() }).passthrough();
const issueSchema = z.object({
  id: z.string(),
  key: z.string(),
  fields: z
    .object({
      summary: z.string().optional(),
      status: statusSchema.optional(),
      assignee: z.object({ accountId: z.string().optional(), displayName: z.string().optional() }).passthrough().nullable().optional(),
      updated: z.string().optional(),
      labels: z.array(z.string()).optional(),
    })
    .passthrough()
    .optional(),
});
type Issue = z.infer<typeof issueSchema>;
const searchReply = z.object({ issues: z.array(issueSchema).optional(), isLast: z.boolean().optional(), nextPageToken: z.string().nullable().optional() });
const createdReply = z.object({ id: z.string(), key: z.string(), self: z.string().optional() });

const READ_FIELDS = 'summary,status,assignee,updated,labels';
/** How long the outbox should wait before retrying a create whose issue the index has not shown (see the header). */
export const UNSEEN_RETRY_AFTER_MS = 30_000;

/** The label that carries the key: Jira labels take no spaces and at most 255 characters. */
export function keyLabel(idempotencyKey: string): string {
  const label = `${LIAISON_LABEL_PREFIX}${idempotencyKey}`;
  if (!/^[A-Za-z0-9_.:-]{1,255}$/.test(label)) throw new CrmError('validation', `Jira: idempotency key "${idempotencyKey.slice(0, 40)}" cannot be a label`);
  return label;
}

/** A JQL string literal (double quotes; backslash and quote escaped). */
export const jqlString = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;

export function categoryOf(key: string | undefined): TicketStatus {
  switch (key) {
    case 'new':
    case 'undefined':
      return '新建';
    case 'indeterminate':
      return '处理中';
    case 'done':
      return '已解决';
    default:
      throw new CrmError('validation', `Jira: unknown status category "${String(key).slice(0, 40)}"`);
  }
}

function toTicket(ctx: JiraContext, i: Issue): RemoteTicket {
  const f = i.fields ?? {};
  const status = f.status;
  const modifiedAt = parseTime(f.updated);
  return {
    remoteId: i.id,
    remoteCode: i.key,
    status: categoryOf(status?.statusCategory?.key),
    vendorStatus: status?.name ?? '',
    ...(f.summary ? { subject: f.summary } : {}),
    ...(f.assignee?.displayName ? { assignee: f.assignee.displayName } : {}),
    ...(modifiedAt !== undefined ? { modifiedAt, marker: String(modifiedAt) } : {}),
    url: browseUrl(ctx, i.key),
  };
}

export const browseUrl = (ctx: JiraContext, key: string) => `${ctx.config.site}/browse/${encodeURIComponent(key)}`;

/** The issue Liaison created under this key, if the search index has it. */
export async function findByKey(ctx: JiraContext, projectKey: string, idempotencyKey: string, signal?: AbortSignal): Promise<Issue | undefined> {
  const jql = `project = ${jqlString(projectKey)} AND labels = ${jqlString(keyLabel(idempotencyKey))}`;
  const r = await call(ctx, 'get', 'rest/api/3/search/jql', { searchParams: { jql, fields: READ_FIELDS, maxResults: 2 }, schema: searchReply, signal });
  return r.issues?.[0];
}

/** One line, at most 255 characters (Jira refuses a summary with a line break or over 255). */
export function summaryOf(subject: string): string {
  const s = subject.replace(/\s+/g, ' ').trim();
  if (!s) throw new CrmError('validation', 'Jira: the ticket has no subject', { userMessage: { zh_CN: '工单没有标题', en: 'The ticket has no subject' } });
  return [...s].length > 255 ? `${[...s].slice(0, 254).join('')}…` : s;
}

const labelSafe = (s: string) => s.trim().replace(/\s+/g, '_').slice(0, 200);

function templateValue(field: string, meta: FieldMeta | undefined, v: string | number): unknown {
  if (!meta) return v; // a field Jira does not list: sent for Jira to refuse by name
  const type = meta.schema.type;
  const named = (meta.allowedValues ?? []).map((a) => a.value ?? a.name).filter((x): x is string => !!x);
  switch (type) {
    case 'string':
      return toText(v);
    case 'number':
      return toNumber('Jira', field, v);
    case 'date':
      return toDay('Jira', field, v);
    case 'datetime':
      return new Date(toInstant('Jira', field, v)).toISOString();
    case 'option': {
      const t = toText(v);
      if (named.length && !named.includes(t)) throw conversionError('Jira', field, 'option', `${t} ∉ ${named.slice(0, 10).join(', ')}`);
      return { value: t };
    }
    case 'priority':
      return { name: toText(v) };
    case 'user':
      return { accountId: toText(v) };
    case 'array':
      if (meta.schema.items === 'string') return splitList(v);
      if (meta.schema.items === 'option') return splitList(v).map((value) => ({ value }));
      throw notWritableError('Jira', field, `array<${meta.schema.items ?? '?'}>`);
    default:
      throw notWritableError('Jira', field, type);
  }
}

export async function createTicket(ctx: JiraContext, t: TicketInput, opts: WriteOptions): Promise<RemoteRef & { status?: TicketStatus; vendorStatus?: string; url?: string }> {
  const { projectKey, issueTypeId } = target(ctx.config);
  const label = keyLabel(opts.idempotencyKey);
  refuseReserved('Jira', opts.fields, (name) => RESERVED[name]);
  const meta = await createMeta(ctx, opts.signal);
  if (!meta.has('labels')) {
    throw new CrmError('validation', `Jira: the create screen of ${projectKey} / ${issueTypeId} has no Labels field`, {
      vendorCode: 'LABELS_NOT_ON_SCREEN',
      userMessage: {
        zh_CN: `Jira 项目 ${projectKey} 所选问题类型的创建界面没有「标签」字段，Liaison 无法防止重复创建。请让 Jira 管理员把「标签」加到该界面，或换一个问题类型`,
        en: `The chosen issue type's create screen in ${projectKey} has no Labels field, so Liaison cannot prevent duplicates. Ask a Jira admin to add Labels to that screen, or choose another issue type`,
      },
    });
  }
  const warnings: string[] = [];
  const labels = [label, 'liaison'];
  if (t.customer.code && labelSafe(t.customer.code)) labels.push(`customer-${labelSafe(t.customer.code)}`);
  const fields: Record<string, unknown> = { project: { key: projectKey }, issuetype: { id: issueTypeId }, summary: summaryOf(t.subject), labels };
  if (meta.has('description')) fields.description = ticketDescription(t);
  else warnings.push('description');
  const priority = meta.get('priority');
  if (priority) {
    const want = priorityName(ctx.config, t.priority);
    const allowed = (priority.allowedValues ?? []).map((a) => a.name).filter((x): x is string => !!x);
    if (!allowed.length || allowed.includes(want)) fields.priority = { name: want };
    else warnings.push(`priority: "${want}" ∉ ${allowed.join(', ')}`);
  }
  if (t.dueAt !== undefined && meta.has('duedate')) fields.duedate = localDate(t.dueAt);
  if (t.assignee && meta.has('assignee')) fields.assignee = { accountId: t.assignee };
  for (const [name, v] of Object.entries(opts.fields ?? {})) fields[name] = templateValue(name, meta.get(name), v);
  const missing = [...meta.values()].filter((f) => f.required && !f.hasDefaultValue && fields[f.fieldId] === undefined).map((f) => f.name);
  if (missing.length) {
    throw new CrmError('validation', `Jira: required field(s) not filled: ${missing.join(', ')}`, {
      vendorCode: 'REQUIRED_FIELDS',
      userMessage: { zh_CN: `Jira 要求填写：${missing.join('、')}。请在字段映射中为它们设置模板`, en: `Jira requires: ${missing.join(', ')}. Give them a template in the field mapping` },
    });
  }

  const found = await findByKey(ctx, projectKey, opts.idempotencyKey, opts.signal);
  if (found) return { ...withStatus(ctx, found), ...(warnings.length ? { warnings } : {}) };
  let created: z.infer<typeof createdReply>;
  try {
    created = await call(ctx, 'post', 'rest/api/3/issue', { json: { fields }, write: true, schema: createdReply, signal: opts.signal });
  } catch (e) {
    if (!(e instanceof CrmError) || e.kind !== 'unknown-outcome') throw e;
    // The index shows most writes "within seconds": look a few times before giving up.
    for (const delay of ctx.reconcileDelaysMs) {
      if (delay) await abortableSleep(delay, opts.signal);
      const again = await findByKey(ctx, projectKey, opts.idempotencyKey, opts.signal).catch(() => undefined);
      if (again) return { ...withStatus(ctx, again), ...(warnings.length ? { warnings } : {}) };
    }
    // Still unseen: it may exist and not be indexed yet. Ask the outbox to wait before the retry's lookup.
    throw new CrmError('unknown-outcome', `${e.message}; not found by its label yet (the search index may lag)`, {
      retryAfterMs: UNSEEN_RETRY_AFTER_MS,
      ...(e.status !== undefined ? { status: e.status } : {}),
      cause: e,
    });
  }
  const ref = { remoteId: created.id, remoteCode: created.key, url: browseUrl(ctx, created.key), ...(warnings.length ? { warnings } : {}) };
  // The create reply has no status: one strongly consistent read gives the sidebar its first one.
  const read = await getTicket(ctx, created.id, opts.signal).catch(() => null);
  return read ? { ...ref, status: read.status, vendorStatus: read.vendorStatus, ...(read.marker ? { marker: read.marker } : {}) } : ref;
}

function withStatus(ctx: JiraContext, i: Issue) {
  const t = toTicket(ctx, i);
  return { remoteId: t.remoteId, remoteCode: t.remoteCode!, url: t.url!, status: t.status, vendorStatus: t.vendorStatus, ...(t.marker ? { marker: t.marker } : {}) };
}

export async function getTicket(ctx: JiraContext, remoteId: string, signal?: AbortSignal): Promise<RemoteTicket | null> {
  const bad = notIssueId(remoteId);
  if (bad) throw bad;
  try {
    const i = await call(ctx, 'get', `rest/api/3/issue/${remoteId}`, { searchParams: { fields: READ_FIELDS }, schema: issueSchema, signal });
    return toTicket(ctx, i);
  } catch (e) {
    if (e instanceof CrmError && e.kind === 'not-found') return null;
    throw e;
  }
}
