// What a Linear issue takes beyond what Liaison writes itself, and the settings form's choices.
// Linear issues have no custom fields: the template-writable fields are IssueCreateInput's
// (linear.graphql) assignee, workflow state, project, cycle, estimate and due date; the choices
// come from `teams` (the teams the key can reach), the team's `labels` and `states`, and
// `issuePriorityValues` (Linear's own priority words). Lists are read a page of 100 at a time
// through pageInfo { hasNextPage endCursor }.
import { z } from 'zod';
import type { CrmField, CrmFieldList, FieldChoice } from '../port';
import { gql, type LinearContext } from './client';
import { requireTeam } from './config';
import { LINEAR_PRIORITY_LABELS, PRIORITY_FIELDS } from './spec';

/** IssueCreateInput fields a template may set, with their GraphQL types. */
export const TEMPLATE_FIELDS: Record<string, { kind: 'String' | 'Int' | 'TimelessDate'; label: string }> = {
  assigneeId: { kind: 'String', label: 'Assignee (user id)' },
  stateId: { kind: 'String', label: 'Status (workflow state)' },
  projectId: { kind: 'String', label: 'Project (id)' },
  cycleId: { kind: 'String', label: 'Cycle (id)' },
  estimate: { kind: 'Int', label: 'Estimate' },
  dueDate: { kind: 'TimelessDate', label: 'Due date' },
};

/** The fields a template may not write (Liaison keeps them for itself). */
export const RESERVED: Record<string, string> = {
  id: 'the idempotency id',
  teamId: 'the configured team',
  title: 'the ticket subject',
  description: 'the ticket text, customer and quoted messages',
  labelIds: 'the configured and category labels',
  priority: 'the 紧急程度 mapping',
};

const pageInfo = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable().optional() });
const named = z.object({ id: z.string(), name: z.string() });
const MAX_PAGES = 20;

async function paged<T>(fetchPage: (after: string | undefined) => Promise<{ nodes: T[]; pageInfo: z.infer<typeof pageInfo> }>): Promise<T[]> {
  const out: T[] = [];
  let after: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const r = await fetchPage(after);
    out.push(...r.nodes);
    if (!r.pageInfo.hasNextPage || !r.pageInfo.endCursor) break;
    after = r.pageInfo.endCursor;
  }
  return out;
}

const TEAMS = 'query Teams($after: String) { teams(first: 100, after: $after) { nodes { id name key } pageInfo { hasNextPage endCursor } } }';
const teamsReply = z.object({ teams: z.object({ nodes: z.array(named.extend({ key: z.string() })), pageInfo }) });
const LABELS = 'query TeamLabels($teamId: String!, $after: String) { team(id: $teamId) { labels(first: 100, after: $after) { nodes { id name } pageInfo { hasNextPage endCursor } } } }';
const labelsReply = z.object({ team: z.object({ labels: z.object({ nodes: z.array(named), pageInfo }) }) });
const STATES = 'query TeamStates($teamId: String!, $after: String) { team(id: $teamId) { states(first: 100, after: $after) { nodes { id name type position } pageInfo { hasNextPage endCursor } } } }';
const statesReply = z.object({ team: z.object({ states: z.object({ nodes: z.array(named.extend({ type: z.string(), position: z.number() })), pageInfo }) }) });
const PRIORITIES = 'query Priorities { issuePriorityValues { priority label } }';
const prioritiesReply = z.object({ issuePriorityValues: z.array(z.object({ priority: z.number(), label: z.string() })) });

export async function teams(ctx: LinearContext, signal?: AbortSignal) {
  return paged(async (after) => (await gql(ctx, TEAMS, { variables: { after }, schema: teamsReply, signal })).teams);
}

/** The team's labels (kept for the adapter instance: a create asks for them every time). */
export function teamLabels(ctx: LinearContext, teamId: string, signal?: AbortSignal, fresh = false): Promise<{ id: string; name: string }[]> {
  if (fresh) ctx.labelCache.delete(teamId);
  let p = ctx.labelCache.get(teamId);
  if (!p) {
    p = paged(async (after) => (await gql(ctx, LABELS, { variables: { teamId, after }, schema: labelsReply, signal })).team.labels);
    ctx.labelCache.set(teamId, p);
    p.catch(() => ctx.labelCache.delete(teamId));
  }
  return p;
}

export async function teamStates(ctx: LinearContext, teamId: string, signal?: AbortSignal) {
  const all = await paged(async (after) => (await gql(ctx, STATES, { variables: { teamId, after }, schema: statesReply, signal })).team.states);
  return all.sort((a, b) => a.position - b.position);
}

/** The template-writable issue fields, as a ticket section (Linear has no customer/follow-up/deal sections for Liaison). */
export async function listFields(ctx: LinearContext, signal?: AbortSignal): Promise<CrmFieldList & { ticket: CrmField[] }> {
  const teamId = requireTeam(ctx.config);
  const states = await teamStates(ctx, teamId, signal);
  const ticket = Object.entries(TEMPLATE_FIELDS).map(([name, f]) => ({ name, label: f.label, type: f.kind, ...(name === 'stateId' ? { options: states.map((s) => s.name) } : {}) }));
  return { ticket };
}

/** The settings form's choices: teams, the team's labels, Linear's priorities. */
export async function fieldChoices(ctx: LinearContext, fieldKey: string, signal?: AbortSignal): Promise<FieldChoice[] | undefined> {
  if (fieldKey === 'teamId') return (await teams(ctx, signal)).map((t) => ({ value: t.id, label: `${t.name} (${t.key})` }));
  if (fieldKey === 'labelId') return (await teamLabels(ctx, requireTeam(ctx.config), signal, true)).map((l) => ({ value: l.id, label: l.name }));
  if (Object.values(PRIORITY_FIELDS).some((f) => f.key === fieldKey)) {
    const r = await gql(ctx, PRIORITIES, { schema: prioritiesReply, signal });
    return r.issuePriorityValues.map((p) => ({ value: String(p.priority), label: `${p.label}${LINEAR_PRIORITY_LABELS[p.priority] && LINEAR_PRIORITY_LABELS[p.priority] !== p.label ? ` (${LINEAR_PRIORITY_LABELS[p.priority]})` : ''}` }));
  }
  return undefined;
}
