// The Linear workspace the emulator holds (server.ts serves it): users, the organization, teams
// with their workflow states and labels, issues and comments, and their JSON as Linear's schema
// types them (shared/specs/linear.graphql: User, Organization, Team, WorkflowState, IssueLabel,
// Issue, Comment, and the Connection/PageInfo shape of every list). Seeded like a small support
// team's workspace: 售后支持 (SUP) with Linear's default states plus Triage, In Review and
// Duplicate, and labels named like Liaison's ticket categories; 研发 (DEV); 运维 (OPS), a team
// the API key's team access does not include.
import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';

export interface EmUser { id: string; name: string; displayName: string; email: string }
export interface EmState { id: string; name: string; type: 'triage' | 'backlog' | 'unstarted' | 'started' | 'completed' | 'canceled'; position: number; color: string }
export interface EmLabel { id: string; name: string; color: string }
export interface EmTeam { id: string; key: string; name: string; states: EmState[]; labels: EmLabel[]; counter: number; accessible: boolean }
export interface EmIssue {
  id: string; teamId: string; number: number; title: string; description: string; priority: number; stateId: string; assigneeId?: string;
  labelIds: string[]; dueDate?: string; estimate?: number; creatorId: string; createdAt: number; updatedAt: number; trashed: boolean; archivedAt?: number;
}
export interface EmComment { id: string; issueId: string; body: string; userId: string; createdAt: number }

export const ORG = { id: 'e3b7c5a2-8f1d-4c6e-9a0b-1d2e3f4a5b6c', name: '联络演示', urlKey: 'liaison-demo' };
export const PRIORITIES = [{ priority: 0, label: 'No priority' }, { priority: 1, label: 'Urgent' }, { priority: 2, label: 'High' }, { priority: 3, label: 'Medium' }, { priority: 4, label: 'Low' }];

/** A Linear error as its API words it: message + extensions {type, code, statusCode, userError, userPresentableMessage}. */
export function linearError(message: string, ext: { type: string; code: string; statusCode: number; userPresentableMessage?: string; validationErrors?: { property: string; constraints: Record<string, string> }[] }): GraphQLError {
  return new GraphQLError(message, { extensions: { userError: true, ...ext } });
}
export const notFound = (what: string) => linearError(`Entity not found: ${what}`, { type: 'invalid input', code: 'INPUT_ERROR', statusCode: 400, userPresentableMessage: `Could not find referenced ${what}.` });
export const invalidInput = (property: string, constraint: string, text: string) =>
  linearError('Argument Validation Error', { type: 'invalid input', code: 'INPUT_ERROR', statusCode: 400, userPresentableMessage: `${property}: ${text}`, validationErrors: [{ property, constraints: { [constraint]: text } }] });

function defaultStates(extra: boolean): EmState[] {
  const list: [string, EmState['type'], string][] = [
    ...(extra ? ([['Triage', 'triage', '#FC7840']] as [string, EmState['type'], string][]) : []),
    ['Backlog', 'backlog', '#bec2c8'], ['Todo', 'unstarted', '#e2e2e2'], ['In Progress', 'started', '#f2c94c'],
    ...(extra ? ([['In Review', 'started', '#5e6ad2']] as [string, EmState['type'], string][]) : []),
    ['Done', 'completed', '#5e6ad2'], ['Canceled', 'canceled', '#95a2b3'],
    ...(extra ? ([['Duplicate', 'canceled', '#95a2b3']] as [string, EmState['type'], string][]) : []),
  ];
  return list.map(([name, type, color], i) => ({ id: randomUUID(), name, type, color, position: i }));
}
const labels = (names: string[]): EmLabel[] => names.map((name) => ({ id: randomUUID(), name, color: '#bec2c8' }));

export function seedWorkspace(email: string) {
  const me: EmUser = { id: randomUUID(), name: 'Li Na', displayName: '李娜', email };
  const colleague: EmUser = { id: randomUUID(), name: 'Wang Qiang', displayName: '王强', email: 'wang.qiang@example.com' };
  const teams: EmTeam[] = [
    { id: randomUUID(), key: 'SUP', name: '售后支持', states: defaultStates(true), labels: labels(['售后', '技术支持', '客户反馈', 'Bug']), counter: 0, accessible: true },
    { id: randomUUID(), key: 'DEV', name: '研发', states: defaultStates(false), labels: labels(['Bug', 'Feature']), counter: 0, accessible: true },
    { id: randomUUID(), key: 'OPS', name: '运维', states: defaultStates(false), labels: [], counter: 0, accessible: false },
  ];
  return { me, colleague, users: [me, colleague], teams, issues: new Map<string, EmIssue>(), comments: new Map<string, EmComment>() };
}
export type Workspace = ReturnType<typeof seedWorkspace>;

/** A Connection of `list` as Linear pages it: first (default 50), after an opaque cursor (the last node's id, base64). */
export function connection<T extends { id: string }>(list: T[], args: { first?: number | null; after?: string | null; last?: number | null; before?: string | null }) {
  if (args.last != null || args.before != null) throw linearError('Backward pagination is not implemented by this emulator', { type: 'invalid input', code: 'INPUT_ERROR', statusCode: 400 });
  const first = args.first ?? 50;
  if (!Number.isInteger(first) || first < 0) throw invalidInput('first', 'min', 'first must be a non-negative integer');
  let start = 0;
  if (args.after) {
    const id = Buffer.from(args.after, 'base64').toString('utf8');
    const i = list.findIndex((x) => x.id === id);
    if (i < 0) throw invalidInput('after', 'isCursor', 'after is not a cursor of this list');
    start = i + 1;
  }
  const nodes = list.slice(start, start + first);
  const cursor = (x: T) => Buffer.from(x.id).toString('base64');
  return {
    nodes,
    edges: nodes.map((n) => ({ node: n, cursor: cursor(n) })),
    pageInfo: { hasNextPage: start + first < list.length, hasPreviousPage: start > 0, startCursor: nodes[0] ? cursor(nodes[0]) : null, endCursor: nodes.length ? cursor(nodes[nodes.length - 1]!) : null },
  };
}
