// A strict emulator of Linear's GraphQL API (POST https://api.linear.app/graphql) for the Linear
// adapter's contract tests. It executes every document with graphql-js against Linear's own
// schema (shared/specs/linear.graphql = linear/linear @ d044ca658728 packages/sdk/src/
// schema.graphql, 2026-07-22; SOURCES.md; read from ../shared at test time through
// test/specs/graphql.ts): a field, argument or input field Linear does not have fails
// validation, a variable of the wrong type fails coercion. Resolvers over an in-memory workspace
// (state.ts) implement what the adapter uses: viewer, organization, teams, team (labels, states),
// issue, issues and comments filtered by id, issuePriorityValues; issueCreate, commentCreate.
// Anything else the schema allows answers an error naming it (never a silent null).
//
// The platform, from linear.app/developers (read 2026-12-06) and Linear's own SDK:
// - "Authentication": personal API keys go in `Authorization: <API_KEY>` with no "Bearer" (OAuth
//   tokens take "Bearer"); anything else is an authentication error.
// - errors: {errors: [{message, extensions: {type, code, statusCode, userError,
//   userPresentableMessage}}]}; the type words are those linear/linear packages/sdk/src/error.ts
//   maps ("authentication error", "forbidden", "ratelimited", "invalid input"…). The HTTP status
//   of an error reply (400 here, with statusCode in the extensions) and argument validation errors'
//   extensions.validationErrors[{property, constraints}] follow the SDK and public reports, not a
//   docs page; the userPresentableMessage wordings are the emulator's own.
// - "Rate limiting": leaky buckets per user refilled at LIMIT / PERIOD, one for requests and one
//   for complexity points; every reply carries X-RateLimit-Requests-{Limit,Remaining,Reset},
//   X-RateLimit-Complexity-{Limit,Remaining,Reset} (UTC epoch milliseconds: the time the bucket
//   is full again) and X-Complexity; a spent budget answers RATELIMITED. Defaults: 5,000 requests
//   and 3,000,000 points an hour for an API key, 10,000 points at most in one query. Complexity
//   is scored as Linear describes it: 0.1 per property, 1 per object, a connection's children
//   multiplied by its `first` (default 50), rounded up.
// - "Pagination": connections take first/after (default 50) and answer nodes, edges, pageInfo.
// - issueCreate / commentCreate take a client-chosen `id` "in UUID v4 format" (the schema's own
//   words); an id already in use is refused (wording ours); teamId must name a team the key can
//   reach, labelIds the team's labels, priority 0–4, dueDate YYYY-MM-DD, a non-empty title.
// Faults through `control`: 5xx, a reply lost after the write committed, the key revoked or
// scoped read-only, the server down, and a per-request policy for the outbox fault tests.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import {
  execute, getNamedType, isLeafType, isObjectType, isInterfaceType, parse, validate,
  type DocumentNode, type FragmentDefinitionNode, type GraphQLError, type GraphQLSchema, type OperationDefinitionNode, type SelectionSetNode, type GraphQLObjectType, type GraphQLInterfaceType, type ValueNode,
} from 'graphql';
import { loadGraphqlSchema } from '../../specs/graphql';
import { createFaultQueue } from '../fault-queue';
import { connection, invalidInput, linearError, notFound, ORG, PRIORITIES, seedWorkspace, type EmComment, type EmIssue, type EmTeam, type EmUser } from './state';

export interface LinearEmulatorOptions {
  apiKey?: string;
  email?: string;
  now?: () => number;
  /** Requests per period (Linear: 5,000 an hour for an API key). */
  requestsLimit?: number;
  /** Complexity points per period (Linear: 3,000,000 an hour for an API key). */
  complexityLimit?: number;
  /** The buckets' period (an hour). */
  periodMs?: number;
  /** The most points one query may cost (10,000). */
  maxQueryComplexity?: number;
}

export interface RequestLogEntry { at: number; operation: string; status: number; outcome: 'replied' | 'dropped' | 'refused'; complexity?: number }
/** 'ratelimited': answered as a spent request budget (RATELIMITED, remaining 0, reset in 2 s) without running the document. */
export interface Fault { api?: string; left: number; kind: 'fail' | 'drop' | 'ratelimited'; status?: number; commit?: boolean }

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
type Out = { id: string } & Record<string, unknown>;
const iso = (ms: number) => new Date(ms).toISOString();

export async function startLinearEmulator(o: LinearEmulatorOptions = {}) {
  const schema: GraphQLSchema = loadGraphqlSchema('linear.graphql');
  const now = o.now ?? Date.now;
  let apiKey = o.apiKey ?? `lin_api_${randomUUID().replace(/-/g, '')}`;
  const ws = seedWorkspace(o.email ?? 'li.na@example.com');
  const requests: RequestLogEntry[] = [];
  const faults = createFaultQueue<Fault, RequestLogEntry>();
  const period = o.periodMs ?? 3_600_000;
  const maxQuery = o.maxQueryComplexity ?? 10_000;
  const bucket = (limit: number) => ({ limit, level: limit, at: now() });
  const buckets = { requests: bucket(o.requestsLimit ?? 5000), complexity: bucket(o.complexityLimit ?? 3_000_000) };
  let permissions = new Set(['read', 'createIssues', 'createComments']);
  let down = false;

  const refill = (b: { limit: number; level: number; at: number }) => {
    const t = now();
    b.level = Math.min(b.limit, b.level + ((t - b.at) * b.limit) / period);
    b.at = t;
  };
  const fullAt = (b: { limit: number; level: number }) => Math.ceil(now() + ((b.limit - b.level) * period) / b.limit);
  const rateHeaders = (cost: number): Record<string, string> => ({
    'x-ratelimit-requests-limit': String(buckets.requests.limit),
    'x-ratelimit-requests-remaining': String(Math.max(0, Math.floor(buckets.requests.level))),
    'x-ratelimit-requests-reset': String(fullAt(buckets.requests)),
    'x-ratelimit-complexity-limit': String(buckets.complexity.limit),
    'x-ratelimit-complexity-remaining': String(Math.max(0, Math.floor(buckets.complexity.level))),
    'x-ratelimit-complexity-reset': String(fullAt(buckets.complexity)),
    'x-complexity': String(cost),
  });

  // ---- JSON as the schema types it ----
  const teamById = (id: string) => ws.teams.find((t) => t.id === id && t.accessible);
  const userOut = (u: EmUser | undefined) => (u ? { id: u.id, name: u.name, displayName: u.displayName, email: u.email, active: true } : null);
  const stateOut = (t: EmTeam, id: string) => {
    const s = t.states.find((x) => x.id === id)!;
    return { id: s.id, name: s.name, type: s.type, position: s.position, color: s.color };
  };
  const teamOut = (t: EmTeam): Out => ({
    id: t.id, key: t.key, name: t.name,
    labels: (args: Record<string, never>) => { noFilter(args, 'Team.labels'); return connection(t.labels.map((l) => ({ ...l, team: () => teamOut(t) })), args); },
    states: (args: Record<string, never>) => { noFilter(args, 'Team.states'); return connection([...t.states].sort((a, b) => a.position - b.position).map((s) => stateOut(t, s.id)), args); },
  });
  const identifier = (i: EmIssue) => `${ws.teams.find((t) => t.id === i.teamId)!.key}-${i.number}`;
  const issueOut = (i: EmIssue): Out => {
    const t = ws.teams.find((x) => x.id === i.teamId)!;
    return {
      id: i.id, identifier: identifier(i), number: i.number, title: i.title, description: i.description, priority: i.priority,
      priorityLabel: PRIORITIES.find((p) => p.priority === i.priority)!.label,
      url: `https://linear.app/${ORG.urlKey}/issue/${identifier(i)}`,
      createdAt: iso(i.createdAt), updatedAt: iso(i.updatedAt), archivedAt: i.archivedAt !== undefined ? iso(i.archivedAt) : null, trashed: i.trashed ? true : null,
      dueDate: i.dueDate ?? null, estimate: i.estimate ?? null,
      state: stateOut(t, i.stateId), team: teamOut(t), assignee: userOut(ws.users.find((u) => u.id === i.assigneeId)), creator: userOut(ws.users.find((u) => u.id === i.creatorId)),
      labels: (args: Record<string, never>) => connection(t.labels.filter((l) => i.labelIds.includes(l.id)), args),
      comments: (args: Record<string, never>) => connection(commentsOf(i.id).map(commentOut), args),
    };
  };
  const commentsOf = (issueId: string) => [...ws.comments.values()].filter((c) => c.issueId === issueId).sort((a, b) => a.createdAt - b.createdAt);
  const commentOut = (c: EmComment): Out => ({ id: c.id, body: c.body, createdAt: iso(c.createdAt), updatedAt: iso(c.createdAt), issueId: c.issueId, user: userOut(ws.users.find((u) => u.id === c.userId)), issue: () => { const i = ws.issues.get(c.issueId); return i ? issueOut(i) : null; } });

  function noFilter(args: { filter?: unknown }, where: string) {
    if (args.filter != null) throw linearError(`${where} filters are not implemented by this emulator`, { type: 'invalid input', code: 'INPUT_ERROR', statusCode: 400 });
  }
  /** {id: {eq}} (the only filter this emulator implements), or undefined for none. */
  function idFilter(filter: unknown, where: string): string | undefined {
    if (filter == null) return undefined;
    const f = filter as Record<string, Record<string, unknown> | undefined>;
    const keys = Object.keys(f);
    if (keys.length !== 1 || keys[0] !== 'id' || Object.keys(f.id ?? {}).join() !== 'eq' || typeof f.id?.eq !== 'string') {
      throw linearError(`${where}: only the filter {id: {eq}} is implemented by this emulator`, { type: 'invalid input', code: 'INPUT_ERROR', statusCode: 400 });
    }
    return f.id.eq;
  }
  const visible = (i: EmIssue) => !!teamById(i.teamId);
  const need = (p: string) => {
    if (!permissions.has(p)) throw linearError(`Invalid scope: \`${p}\` required`, { type: 'forbidden', code: 'FORBIDDEN', statusCode: 403, userPresentableMessage: `Your API key does not have the ${p} permission.` });
  };

  const root = {
    viewer: () => userOut(ws.me),
    organization: () => ({ id: ORG.id, name: ORG.name, urlKey: ORG.urlKey }),
    issuePriorityValues: () => PRIORITIES,
    teams: (args: { filter?: unknown }) => { noFilter(args, 'teams'); return connection(ws.teams.filter((t) => t.accessible).map(teamOut), args as never); },
    team: (args: { id: string }) => {
      const t = ws.teams.find((x) => (x.id === args.id || x.key === args.id) && x.accessible);
      if (!t) throw notFound('Team');
      return teamOut(t);
    },
    issue: (args: { id: string }) => {
      const i = [...ws.issues.values()].find((x) => (x.id === args.id || identifier(x) === args.id) && visible(x));
      if (!i) throw notFound('Issue');
      return issueOut(i);
    },
    issues: (args: { filter?: unknown; includeArchived?: boolean | null }) => {
      const id = idFilter(args.filter, 'issues');
      const list = [...ws.issues.values()].filter((i) => visible(i) && (id === undefined || i.id === id) && (args.includeArchived || i.archivedAt === undefined)).sort((a, b) => b.createdAt - a.createdAt);
      return connection(list.map(issueOut), args as never);
    },
    comments: (args: { filter?: unknown }) => {
      const id = idFilter(args.filter, 'comments');
      const list = [...ws.comments.values()].filter((c) => (id === undefined || c.id === id) && visible(ws.issues.get(c.issueId)!) && !ws.issues.get(c.issueId)!.trashed);
      return connection(list.map(commentOut), args as never);
    },
    comment: (args: { id?: string | null }) => {
      const c = args.id ? ws.comments.get(args.id) : undefined;
      if (!c) throw notFound('Comment');
      return commentOut(c);
    },
    issueCreate: ({ input }: { input: Record<string, unknown> }) => {
      need('createIssues');
      const teamId = String(input.teamId);
      const t = ws.teams.find((x) => x.id === teamId || x.key === teamId);
      if (!t) throw notFound('Team');
      if (!t.accessible) throw linearError('Forbidden: no access to the team', { type: 'forbidden', code: 'FORBIDDEN', statusCode: 403, userPresentableMessage: 'You do not have access to this team.' });
      for (const k of ['createAsUser', 'displayIconUrl', 'descriptionData', 'slaBreachesAt', 'slaStartedAt', 'sourcePullRequestCommentId', 'inheritsSharedAccess', 'cycleId', 'projectId', 'projectMilestoneId', 'parentId', 'templateId', 'releaseIds']) {
        if (input[k] != null) {
          if (k === 'cycleId' || k === 'projectId' || k === 'projectMilestoneId' || k === 'parentId' || k === 'templateId') throw notFound(k.replace(/Id$/, '').replace(/^./, (c) => c.toUpperCase()));
          throw linearError(`${k} is not implemented by this emulator`, { type: 'invalid input', code: 'INPUT_ERROR', statusCode: 400 });
        }
      }
      const id = input.id == null ? randomUUID() : String(input.id);
      if (!UUID_V4.test(id)) throw invalidInput('id', 'isUuid', 'id must be a UUID v4');
      if (ws.issues.has(id) || ws.comments.has(id)) throw invalidInput('id', 'isUnique', 'id is already in use');
      const title = typeof input.title === 'string' ? input.title.trim() : '';
      if (!title) throw invalidInput('title', 'isNotEmpty', 'title should not be empty');
      const priority = input.priority == null ? 0 : Number(input.priority);
      if (!Number.isInteger(priority) || priority < 0 || priority > 4) throw invalidInput('priority', 'max', 'priority must be 0 (No priority), 1 (Urgent), 2 (High), 3 (Medium) or 4 (Low)');
      const labelIds = (input.labelIds as string[] | undefined) ?? [];
      for (const l of labelIds) if (!t.labels.some((x) => x.id === l)) throw notFound('IssueLabel');
      const dueDate = input.dueDate == null ? undefined : String(input.dueDate);
      if (dueDate !== undefined && (!/^\d{4}-\d{2}-\d{2}$/.test(dueDate) || Number.isNaN(Date.parse(`${dueDate}T00:00:00Z`)))) throw invalidInput('dueDate', 'isTimelessDate', 'dueDate must be a date YYYY-MM-DD');
      const assigneeId = input.assigneeId == null ? undefined : String(input.assigneeId);
      if (assigneeId !== undefined && !ws.users.some((u) => u.id === assigneeId)) throw notFound('User');
      const stateId = input.stateId == null ? (t.states.find((s) => s.type === 'triage') ?? t.states.find((s) => s.type === 'backlog'))!.id : String(input.stateId);
      if (!t.states.some((s) => s.id === stateId)) throw notFound('WorkflowState');
      const estimate = input.estimate == null ? undefined : Number(input.estimate);
      if (input.description != null && typeof input.description !== 'string') throw invalidInput('description', 'isString', 'description must be a string');
      t.counter += 1;
      const issue: EmIssue = {
        id, teamId: t.id, number: t.counter, title, description: (input.description as string | undefined) ?? '', priority, stateId, labelIds, creatorId: ws.me.id, createdAt: now(), updatedAt: now(), trashed: false,
        ...(assigneeId ? { assigneeId } : {}), ...(dueDate ? { dueDate } : {}), ...(estimate !== undefined ? { estimate } : {}),
      };
      ws.issues.set(id, issue);
      return { success: true, lastSyncId: ws.issues.size, issue: issueOut(issue) };
    },
    commentCreate: ({ input }: { input: Record<string, unknown> }) => {
      need('createComments');
      for (const k of ['createAsUser', 'displayIconUrl', 'bodyData', 'parentId', 'documentContentId', 'initiativeId', 'initiativeUpdateId', 'postId', 'projectId', 'projectUpdateId', 'quotedText', 'createOnSyncedSlackThread', 'subscriberIds']) {
        if (input[k] != null) throw linearError(`${k} is not implemented by this emulator`, { type: 'invalid input', code: 'INPUT_ERROR', statusCode: 400 });
      }
      const issueId = input.issueId == null ? undefined : String(input.issueId);
      if (!issueId) throw invalidInput('issueId', 'isDefined', 'a comment needs an issueId (this emulator implements issue comments only)');
      const issue = [...ws.issues.values()].find((x) => (x.id === issueId || identifier(x) === issueId) && visible(x) && !x.trashed);
      if (!issue) throw notFound('Issue');
      const id = input.id == null ? randomUUID() : String(input.id);
      if (!UUID_V4.test(id)) throw invalidInput('id', 'isUuid', 'id must be a UUID v4');
      if (ws.comments.has(id) || ws.issues.has(id)) throw invalidInput('id', 'isUnique', 'id is already in use');
      const body = typeof input.body === 'string' ? input.body : '';
      if (!body.trim()) throw invalidInput('body', 'isNotEmpty', 'body should not be empty');
      const c: EmComment = { id, issueId: issue.id, body, userId: ws.me.id, createdAt: now() };
      ws.comments.set(id, c);
      issue.updatedAt = now();
      return { success: true, lastSyncId: ws.comments.size, comment: commentOut(c) };
    },
  };
  const IMPLEMENTED = new Set(Object.keys(root));

  function complexity(doc: DocumentNode, op: OperationDefinitionNode, variables: Record<string, unknown>): number {
    const fragments = new Map(doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === 'FragmentDefinition').map((f) => [f.name.value, f]));
    const argInt = (v: ValueNode | undefined): number | undefined => (v?.kind === 'IntValue' ? Number(v.value) : v?.kind === 'Variable' && typeof variables[v.name.value] === 'number' ? (variables[v.name.value] as number) : undefined);
    const walk = (set: SelectionSetNode | undefined, parent: GraphQLObjectType | GraphQLInterfaceType): number => {
      let points = 0;
      for (const s of set?.selections ?? []) {
        if (s.kind === 'FragmentSpread') {
          const f = fragments.get(s.name.value);
          const t = f && schema.getType(f.typeCondition.name.value);
          if (f && t && (isObjectType(t) || isInterfaceType(t))) points += walk(f.selectionSet, t);
          continue;
        }
        if (s.kind === 'InlineFragment') {
          const t = s.typeCondition ? schema.getType(s.typeCondition.name.value) : parent;
          if (t && (isObjectType(t) || isInterfaceType(t))) points += walk(s.selectionSet, t);
          continue;
        }
        if (s.name.value.startsWith('__')) continue;
        const def = parent.getFields()[s.name.value];
        if (!def) continue;
        const named = getNamedType(def.type);
        if (isLeafType(named)) {
          points += 0.1;
          continue;
        }
        if (!isObjectType(named) && !isInterfaceType(named)) continue;
        const children = walk(s.selectionSet, named);
        const first = named.name.endsWith('Connection') ? (argInt(s.arguments?.find((a) => a.name.value === 'first')?.value) ?? 50) : 1;
        points += 1 + children * first;
      }
      return points;
    };
    const rootType = op.operation === 'mutation' ? schema.getMutationType()! : schema.getQueryType()!;
    return Math.ceil(walk(op.selectionSet, rootType));
  }

  const server = createServer((req, res) => void handle(req, res).catch((e) => { if (!res.headersSent) { res.writeHead(500); res.end(String(e)); } }));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function send(res: ServerResponse, entry: RequestLogEntry, status: number, body: unknown, headers: Record<string, string> = {}) {
    entry.status = status;
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', date: new Date(now()).toUTCString(), ...headers });
    res.end(JSON.stringify(body));
  }
  const errorBody = (errors: GraphQLError[] | readonly GraphQLError[]) => ({ errors: errors.map((e) => ({ message: e.message, ...(e.path ? { path: e.path } : {}), ...(e.locations ? { locations: e.locations } : {}), extensions: e.extensions })) });
  const gqlFailure = (message: string, code: 'GRAPHQL_PARSE_FAILED' | 'GRAPHQL_VALIDATION_FAILED') => ({ errors: [{ message, extensions: { type: 'graphql error', code, statusCode: 400, userError: true } }] });

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const entry: RequestLogEntry = { at: now(), operation: 'unknown', status: 0, outcome: 'replied' };
    requests.push(entry);
    if (down) {
      entry.outcome = 'refused';
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== '/graphql') return send(res, entry, 404, { errors: [{ message: `The Linear emulator has no ${req.method} ${req.url}`, extensions: { type: 'invalid input', code: 'INPUT_ERROR', statusCode: 404 } }] });
    if (!/application\/json/.test(req.headers['content-type'] ?? '')) return send(res, entry, 400, gqlFailure('POST body must be application/json', 'GRAPHQL_PARSE_FAILED'));
    let payload: { query?: unknown; variables?: unknown; operationName?: unknown };
    try {
      payload = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return send(res, entry, 400, gqlFailure('The request body is not JSON', 'GRAPHQL_PARSE_FAILED'));
    }
    const query = typeof payload.query === 'string' ? payload.query : '';
    entry.operation = /^\s*(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? 'anonymous';
    // Faults come before the credentials: an outage or a lost reply does not look at the key.
    const fault = faults.take(entry.operation, entry);
    if (fault?.kind === 'ratelimited') {
      return send(res, entry, 400, { errors: [{ message: 'Rate limit exceeded', extensions: { type: 'ratelimited', code: 'RATELIMITED', statusCode: 429, userError: true, userPresentableMessage: 'Too many requests: the API request limit was reached. Try again later.' } }] }, { ...rateHeaders(0), 'x-ratelimit-requests-remaining': '0', 'x-ratelimit-requests-reset': String(now() + 2000) });
    }
    if (fault && !fault.commit) {
      if (fault.kind === 'drop') {
        entry.outcome = 'dropped';
        return void req.socket.destroy();
      }
      return send(res, entry, fault.status ?? 500, { errors: [{ message: 'Internal server error', extensions: { type: 'internal error', code: 'INTERNAL_SERVER_ERROR', statusCode: fault.status ?? 500 } }] }, fault.status === 503 ? { 'retry-after': '1' } : {});
    }
    if (req.headers.authorization !== apiKey) {
      return send(res, entry, 400, { errors: [{ message: 'Authentication required, not authenticated', extensions: { type: 'authentication error', code: 'AUTHENTICATION_ERROR', statusCode: 401, userError: true, userPresentableMessage: 'You need to authenticate to access this operation.' } }] });
    }
    refill(buckets.requests);
    refill(buckets.complexity);
    if (buckets.requests.level < 1) {
      return send(res, entry, 400, { errors: [{ message: 'Rate limit exceeded', extensions: { type: 'ratelimited', code: 'RATELIMITED', statusCode: 429, userError: true, userPresentableMessage: 'Too many requests: the API request limit was reached. Try again later.' } }] }, rateHeaders(0));
    }
    buckets.requests.level -= 1;
    let doc: DocumentNode;
    try {
      doc = parse(query);
    } catch (e) {
      return send(res, entry, 400, gqlFailure((e as Error).message, 'GRAPHQL_PARSE_FAILED'), rateHeaders(0));
    }
    const invalid = validate(schema, doc);
    if (invalid.length) return send(res, entry, 400, { errors: invalid.map((e) => ({ message: e.message, locations: e.locations, extensions: { type: 'graphql error', code: 'GRAPHQL_VALIDATION_FAILED', statusCode: 400, userError: true } })) }, rateHeaders(0));
    const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === 'OperationDefinition');
    const op = typeof payload.operationName === 'string' ? ops.find((d) => d.name?.value === payload.operationName) : ops.length === 1 ? ops[0] : undefined;
    if (!op) return send(res, entry, 400, gqlFailure('Unknown or ambiguous operationName', 'GRAPHQL_VALIDATION_FAILED'), rateHeaders(0));
    for (const s of op.selectionSet.selections) {
      if (s.kind === 'Field' && !s.name.value.startsWith('__') && !IMPLEMENTED.has(s.name.value)) {
        return send(res, entry, 400, { errors: [{ message: `${s.name.value} is valid against Linear's schema but not implemented by this emulator`, extensions: { type: 'other', code: 'NOT_IMPLEMENTED_BY_EMULATOR', statusCode: 400 } }] }, rateHeaders(0));
      }
    }
    const variables = (payload.variables && typeof payload.variables === 'object' ? payload.variables : {}) as Record<string, unknown>;
    const cost = complexity(doc, op, variables);
    entry.complexity = cost;
    if (cost > maxQuery) return send(res, entry, 400, { errors: [{ message: `Query too complex: ${cost} points, at most ${maxQuery}`, extensions: { type: 'invalid input', code: 'INPUT_ERROR', statusCode: 400, userError: true, userPresentableMessage: `The query is too complex (${cost} points, at most ${maxQuery}).` } }] }, rateHeaders(cost));
    if (buckets.complexity.level < cost) {
      buckets.requests.level += 1;
      return send(res, entry, 400, { errors: [{ message: 'Rate limit exceeded', extensions: { type: 'ratelimited', code: 'RATELIMITED', statusCode: 429, userError: true, userPresentableMessage: 'Too many requests: the API complexity limit was reached. Try again later.' } }] }, rateHeaders(cost));
    }
    buckets.complexity.level -= cost;
    const result = await execute({ schema, document: doc, rootValue: root, variableValues: variables, ...(op.name ? { operationName: op.name.value } : {}) });
    if (fault?.kind === 'drop') {
      entry.outcome = 'dropped';
      return void req.socket.destroy();
    }
    if (fault) return send(res, entry, fault.status ?? 500, { errors: [{ message: 'Internal server error', extensions: { type: 'internal error', code: 'INTERNAL_SERVER_ERROR', statusCode: fault.status ?? 500 } }] });
    if (result.errors?.length) {
      // A variable that does not coerce is a validation failure of the request as a whole.
      const body = errorBody(result.errors.map((e) => (e.extensions && Object.keys(e.extensions).length ? e : Object.assign(e, { extensions: { type: 'graphql error', code: 'GRAPHQL_VALIDATION_FAILED', statusCode: 400, userError: true } }))));
      return send(res, entry, result.data ? 200 : 400, { ...body, ...(result.data ? { data: result.data } : {}) }, rateHeaders(cost));
    }
    return send(res, entry, 200, { data: result.data }, rateHeaders(cost));
  }

  const issueOf = (idOrIdentifier: string) => {
    const i = [...ws.issues.values()].find((x) => x.id === idOrIdentifier || identifier(x) === idOrIdentifier);
    if (!i) throw new Error(`emulator: no issue ${idOrIdentifier}`);
    return i;
  };
  const control = {
    /** A teammate moves the issue to a workflow state (by name); its type is what Liaison reads back. */
    moveTo(idOrIdentifier: string, stateName: string) {
      const i = issueOf(idOrIdentifier);
      const st = ws.teams.find((t) => t.id === i.teamId)!.states.find((s) => s.name === stateName);
      if (!st) throw new Error(`emulator: no state ${stateName}`);
      i.stateId = st.id;
      i.updatedAt = now();
    },
    assign(idOrIdentifier: string, userId: string | null) {
      const i = issueOf(idOrIdentifier);
      if (userId) i.assigneeId = userId;
      else delete i.assigneeId;
      i.updatedAt = now();
    },
    /** A teammate (王强) comments. */
    commentAsColleague(idOrIdentifier: string, body: string) {
      const i = issueOf(idOrIdentifier);
      const c: EmComment = { id: randomUUID(), issueId: i.id, body, userId: ws.colleague.id, createdAt: now() };
      ws.comments.set(c.id, c);
      return c.id;
    },
    /** The issue is deleted in Linear: it goes to the trash (archived, trashed). */
    deleteIssue(idOrIdentifier: string) {
      const i = issueOf(idOrIdentifier);
      i.trashed = true;
      i.archivedAt = now();
    },
    /** Add states or labels to a team (by key) for a test. */
    team: (key: string) => ws.teams.find((t) => t.key === key)!,
    issuesWithId: (id: string) => [...ws.issues.values()].filter((i) => i.id === id),
    commentsOn: (issueId: string) => commentsOf(issueOf(issueId).id),
    /** The next `count` requests (of operation `api`, or any) answer `status` (500); with commit, the document runs first. */
    failNext(f: { api?: string; status?: number; count?: number; commit?: boolean } = {}) {
      faults.push({ kind: 'fail', left: f.count ?? 1, ...(f.api ? { api: f.api } : {}), ...(f.status ? { status: f.status } : {}), ...(f.commit ? { commit: true } : {}) });
    },
    /** The next request (of `api`, or any) loses its reply: the connection closes, after the document ran when `commit`. */
    dropNext(f: { api?: string; commit?: boolean } = {}) {
      faults.push({ kind: 'drop', left: 1, ...(f.api ? { api: f.api } : {}), ...(f.commit ? { commit: true } : {}) });
    },
    setFaultPolicy(p: ((entry: RequestLogEntry) => Omit<Fault, 'left'> | undefined) | undefined) {
      faults.setPolicy(p);
    },
    /** The user revoked the key: the old one is refused. */
    revokeKey() {
      apiKey = `${apiKey}-revoked-${Math.random()}`;
    },
    /** The key's permissions (Read, Create issues, Create comments). */
    setPermissions(p: ('read' | 'createIssues' | 'createComments')[]) {
      permissions = new Set(p);
    },
    /** Spend the request or complexity budget down to `left`. */
    spend(budget: 'requests' | 'complexity', left: number) {
      refill(buckets[budget]);
      buckets[budget].level = left;
    },
    setDown(v: boolean) {
      down = v;
    },
    clearLog() {
      requests.length = 0;
    },
  };
  return {
    url,
    get apiKey() {
      return apiKey;
    },
    workspace: ws,
    requests,
    control,
    close: () => new Promise<void>((ok) => { server.closeAllConnections(); server.close(() => ok()); }),
  };
}
export type LinearEmulator = Awaited<ReturnType<typeof startLinearEmulator>>;
