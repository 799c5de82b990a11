// Tickets as Linear issues: create (issueCreate), read back (issues filtered by id).
//
// Idempotency. issueCreate takes the issue's `id` ("The identifier in UUID v4 format. If none is
// provided, the backend will generate one", linear.graphql IssueCreateInput): Liaison sends the
// id derived from the outbox key (ids.ts). A create first looks that id up (an earlier attempt
// may have committed) and again after an unknown outcome; a retry whose lookup still misses sends
// the same id, which Linear refuses as taken instead of making a second issue, and the refusal
// is resolved by reading the id back. The lookup reads by id (`issues(filter: {id: {eq}},
// includeArchived: true)`), not a search index, so it sees a committed issue at once.
//
// Status. The workflow state's `type` (triage / backlog / unstarted / started / completed /
// canceled, Linear's fixed categories) → 新建 / 新建 / 新建 / 处理中 / 已解决 / 已关闭; the state's own
// name (Todo, In Review, Duplicate…) is kept as vendorStatus. An issue in the trash is gone for
// the user: getTicket answers null.
import { z } from 'zod';
import { CrmError } from '../errors';
import { abortableSleep } from '../rate-limiter';
import type { RemoteRef, RemoteTicket, TicketInput, WriteOptions } from '../port';
import type { TicketStatus } from '../../model/enums';
import { conversionError, localDate, refuseReserved, toDay, toNumber, toText, type TemplateFields } from '../template-values';
import { gql, parseTime, type LinearContext } from './client';
import { priorityOf, requireTeam, UUID } from './config';
import { RESERVED, TEMPLATE_FIELDS, teamLabels, teamStates } from './fields';
import { linearIdFor } from './ids';
import { ticketDescription } from './markdown';

export const ISSUE_FIELDS = 'id identifier title url priority updatedAt trashed archivedAt state { name type } assignee { name displayName }';
const issueSchema = z.object({
  id: z.string(),
  identifier: z.string(),
  title: z.string(),
  url: z.string(),
  priority: z.number(),
  updatedAt: z.string(),
  trashed: z.boolean().nullable().optional(),
  archivedAt: z.string().nullable().optional(),
  state: z.object({ name: z.string(), type: z.string() }),
  assignee: z.object({ name: z.string(), displayName: z.string() }).nullable().optional(),
});
type Issue = z.infer<typeof issueSchema>;

const BY_ID = `query IssueById($id: ID) { issues(filter: { id: { eq: $id } }, includeArchived: true, first: 1) { nodes { ${ISSUE_FIELDS} } } }`;
const byIdReply = z.object({ issues: z.object({ nodes: z.array(issueSchema) }) });
const CREATE = `mutation IssueCreate($input: IssueCreateInput!) { issueCreate(input: $input) { success issue { ${ISSUE_FIELDS} } } }`;
const createReply = z.object({ issueCreate: z.object({ success: z.boolean(), issue: issueSchema.nullable().optional() }) });

export const STATE_TYPES: Record<string, TicketStatus> = { triage: '新建', backlog: '新建', unstarted: '新建', started: '处理中', completed: '已解决', canceled: '已关闭' };

export function statusOf(type: string): TicketStatus {
  const s = STATE_TYPES[type];
  if (!s) throw new CrmError('validation', `Linear: unknown workflow state type "${type.slice(0, 40)}"`);
  return s;
}

export function toTicket(i: Issue): RemoteTicket {
  const modifiedAt = parseTime(i.updatedAt);
  return {
    remoteId: i.id,
    remoteCode: i.identifier,
    status: statusOf(i.state.type),
    vendorStatus: i.state.name,
    subject: i.title,
    ...(i.assignee ? { assignee: i.assignee.displayName || i.assignee.name } : {}),
    ...(modifiedAt !== undefined ? { modifiedAt, marker: String(modifiedAt) } : {}),
    url: i.url,
  };
}

/** An issue id as Linear issues it (a UUID), so a stray value never reaches a query. */
export function notUuid(id: string, what = 'issue'): CrmError | undefined {
  return UUID.test(id) ? undefined : new CrmError('validation', `Linear: "${id.slice(0, 40)}" is not a Linear ${what} id`);
}

async function byId(ctx: LinearContext, id: string, signal?: AbortSignal): Promise<Issue | undefined> {
  const r = await gql(ctx, BY_ID, { variables: { id }, schema: byIdReply, signal });
  return r.issues.nodes[0];
}

/** One line (Linear shows the title on one line). */
export function titleOf(subject: string): string {
  const s = subject.replace(/\s+/g, ' ').trim();
  if (!s) throw new CrmError('validation', 'Linear: the ticket has no subject', { userMessage: { zh_CN: '工单没有标题', en: 'The ticket has no subject' } });
  return s;
}

async function templateInput(ctx: LinearContext, teamId: string, fields: TemplateFields | undefined, signal?: AbortSignal): Promise<Record<string, unknown>> {
  refuseReserved('Linear', fields, (name) => RESERVED[name]);
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(fields ?? {})) {
    const type = TEMPLATE_FIELDS[name];
    // A GraphQL input takes no field its type lacks: an unknown name is refused here, by name.
    if (!type) {
      throw new CrmError('validation', `Linear: the template names "${name}", which is not an issue field Liaison can set (${Object.keys(TEMPLATE_FIELDS).join(', ')})`, {
        vendorCode: 'UNKNOWN_FIELD',
        userMessage: { zh_CN: `字段映射中的「${name}」不是可写的 Linear 问题字段`, en: `"${name}" in the field mapping is not a Linear issue field Liaison can write` },
      });
    }
    if (type.kind === 'Int') out[name] = toNumber('Linear', name, v, { integer: true });
    else if (type.kind === 'TimelessDate') out[name] = toDay('Linear', name, v);
    else if (name === 'stateId' && !UUID.test(toText(v))) {
      const states = await teamStates(ctx, teamId, signal);
      const hit = states.find((s) => s.name === toText(v));
      if (!hit) throw conversionError('Linear', name, 'option', `${toText(v)} ∉ ${states.map((s) => s.name).join(', ')}`);
      out[name] = hit.id;
    } else out[name] = toText(v);
  }
  return out;
}

export async function createTicket(ctx: LinearContext, t: TicketInput, opts: WriteOptions): Promise<RemoteRef & { status?: TicketStatus; vendorStatus?: string; url?: string }> {
  const teamId = requireTeam(ctx.config);
  const title = titleOf(t.subject);
  const templated = await templateInput(ctx, teamId, opts.fields, opts.signal);
  const id = await linearIdFor('issue', opts.idempotencyKey);

  const found = await byId(ctx, id, opts.signal);
  if (found) return ref(found);

  const labels = await teamLabels(ctx, teamId, opts.signal).catch((e: unknown) => {
    throw e instanceof CrmError && e.kind === 'not-found' ? teamUnreachable(teamId, e) : e;
  });
  const labelIds = [...new Set([ctx.config.settings.labelId, labels.find((l) => l.name === t.category)?.id].filter((x): x is string => !!x))];
  const input: Record<string, unknown> = {
    id,
    teamId,
    title,
    description: ticketDescription(t),
    priority: priorityOf(ctx.config, t.priority),
    ...(labelIds.length ? { labelIds } : {}),
    ...(t.dueAt !== undefined ? { dueDate: localDate(t.dueAt) } : {}),
    ...(t.assignee ? { assigneeId: t.assignee } : {}),
    ...templated,
  };
  try {
    const r = await gql(ctx, CREATE, { variables: { input }, write: true, schema: createReply, signal: opts.signal });
    if (!r.issueCreate.success || !r.issueCreate.issue) throw new CrmError('validation', 'Linear: issueCreate answered success: false', { vendorCode: 'NOT_CREATED' });
    return ref(r.issueCreate.issue);
  } catch (e) {
    if (!(e instanceof CrmError)) throw e;
    if (e.kind === 'unknown-outcome') {
      for (const delay of ctx.reconcileDelaysMs) {
        if (delay) await abortableSleep(delay, opts.signal);
        const again = await byId(ctx, id, opts.signal).catch(() => undefined);
        if (again) return ref(again);
      }
      // Not there: the create did not commit, or the lookups failed. A retry sends the same id, so it is safe.
      throw e;
    }
    // A refusal may be the id already taken by an earlier attempt whose reply was lost: read it back.
    if (e.kind === 'validation') {
      const again = await byId(ctx, id, opts.signal).catch(() => undefined);
      if (again) return ref(again);
    }
    throw e;
  }
}

/** The team's labels answered "Entity not found": the key's team access does not include the team (or it was deleted). */
export function teamUnreachable(teamId: string, cause: unknown): CrmError {
  return new CrmError('validation', `Linear: the chosen team ${teamId} is not reachable with this key`, {
    vendorCode: 'TEAM_NOT_FOUND',
    cause,
    userMessage: { zh_CN: '这个 API 密钥访问不到所选的 Linear 团队：请重新选择团队，或使用能访问该团队的密钥', en: 'This API key cannot reach the chosen Linear team: choose the team again, or use a key with access to it' },
  });
}

function ref(i: Issue) {
  const t = toTicket(i);
  return { remoteId: t.remoteId, remoteCode: t.remoteCode!, url: t.url!, status: t.status, vendorStatus: t.vendorStatus, ...(t.marker ? { marker: t.marker } : {}) };
}

export async function getTicket(ctx: LinearContext, remoteId: string, signal?: AbortSignal): Promise<RemoteTicket | null> {
  const bad = notUuid(remoteId);
  if (bad) throw bad;
  const i = await byId(ctx, remoteId, signal);
  if (!i || i.trashed) return null;
  return toTicket(i);
}
