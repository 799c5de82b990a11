// Jira Cloud's REST API v3 routes as the emulator answers them. Shapes follow Jira's own OpenAPI
// file (shared/specs/jira.json = dac-static.atlassian.com/cloud/jira/platform/swagger-v3.v3.json,
// 1001.0.0-SNAPSHOT, copy of 2025-12-25; SOURCES.md), and the contract tests validate every reply
// against it; behaviour from developer.atlassian.com/cloud/jira/platform/rest/v3 ("Issues",
// "Issue comments", "Issue search", "Myself", "Projects", "Issues: Get create field metadata for a
// project and issue type id", read 2026-12-06) and "Search and reconcile" (Feb 3, 2026: search
// is eventually consistent; `indexLagMs` models it). Strict: a create field not on the issue
// type's create screen, a missing required field, a summary with a line break or over 255
// characters, a label with a space, invalid ADF, an unknown priority/option/user, a maxResults
// over the documented limit are 400s with Jira's ErrorCollection body {errorMessages, errors}.
// Field messages quote Jira's where its docs or community threads show them; the rest are the
// emulator's own words, in the same shape.
import { adfProblem, adfText } from './adf';
import { JqlError, parseJql, type Query } from './jql';

export interface Reply { status: number; body: unknown; headers?: Record<string, string>; text?: string }

export interface User { accountId: string; displayName: string; emailAddress: string }
export interface Status { id: string; name: string; category: 'new' | 'indeterminate' | 'done' }
export interface FieldDef {
  fieldId: string; name: string; required: boolean; hasDefaultValue?: boolean;
  schema: { type: string; items?: string; system?: string; custom?: string; customId?: number };
  allowedValues?: Record<string, unknown>[];
}
export interface IssueType { id: string; name: string; subtask: boolean; fields: FieldDef[] }
export interface Project { id: string; key: string; name: string; issueTypes: IssueType[]; canCreate: boolean }
export interface Comment { id: string; author: string; body: unknown; created: number; updated: number }
export interface Issue {
  id: string; key: string; projectKey: string; issueTypeId: string; fields: Record<string, unknown>;
  status: string; reporter: string; created: number; updated: number; indexedAt: number; comments: Comment[]; deleted: boolean;
}
export interface State {
  seq: number; commentSeq: number; site: string; me: string; users: User[]; statuses: Status[];
  priorities: { id: string; name: string }[]; projects: Project[]; issues: Map<string, Issue>; counters: Map<string, number>;
}
export interface Ctx { state: State; now: () => number; indexLagMs: number }

export const jiraError = (status: number, errorMessages: string[], errors: Record<string, string> = {}): Reply => ({ status, body: { errorMessages, errors } });
const ok = (body: unknown, status = 200): Reply => ({ status, body });
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Jira's timestamp form: 2026-12-06T10:15:30.000+0000. */
export const jiraTime = (ms: number) => new Date(ms).toISOString().replace('Z', '+0000');

const CATEGORY = { new: { id: 2, key: 'new', colorName: 'blue-gray', name: 'To Do' }, indeterminate: { id: 4, key: 'indeterminate', colorName: 'yellow', name: 'In Progress' }, done: { id: 3, key: 'done', colorName: 'green', name: 'Done' } } as const;

function userJson(ctx: Ctx, u: User) {
  return { self: `${ctx.state.site}/rest/api/3/user?accountId=${u.accountId}`, accountId: u.accountId, accountType: 'atlassian', emailAddress: u.emailAddress, displayName: u.displayName, active: true, timeZone: 'Asia/Shanghai' };
}
const userOf = (ctx: Ctx, id: string) => ctx.state.users.find((u) => u.accountId === id);

// ---- myself
export function myself(ctx: Ctx): Reply {
  return ok({ ...userJson(ctx, userOf(ctx, ctx.state.me)!), locale: 'zh_CN' });
}

// ---- projects
function intParam(q: URLSearchParams, name: string, dflt: number, max: number): number | Reply {
  if (!q.has(name)) return dflt;
  const n = Number(q.get(name));
  if (!Number.isInteger(n) || n < 0) return jiraError(400, [`Parameter '${name}' must be a non-negative integer.`]);
  if (n > max) return jiraError(400, [`Parameter '${name}' must not exceed the limit '${max}'`]);
  return n;
}

export function searchProjects(ctx: Ctx, q: URLSearchParams): Reply {
  const startAt = intParam(q, 'startAt', 0, Number.MAX_SAFE_INTEGER);
  if (typeof startAt !== 'number') return startAt;
  const maxResults = intParam(q, 'maxResults', 50, 100);
  if (typeof maxResults !== 'number') return maxResults;
  const action = q.get('action') ?? 'view';
  let list = ctx.state.projects.filter((p) => action !== 'create' || p.canCreate);
  const order = q.get('orderBy') ?? 'key';
  const by = order.replace(/^[+-]/, '') === 'name' ? 'name' : 'key';
  list = [...list].sort((a, b) => a[by].localeCompare(b[by]) * (order.startsWith('-') ? -1 : 1));
  const values = list.slice(startAt, startAt + maxResults).map((p) => ({ id: p.id, key: p.key, name: p.name, self: `${ctx.state.site}/rest/api/3/project/${p.id}`, projectTypeKey: 'software', simplified: false, style: 'classic', isPrivate: false }));
  return ok({ maxResults, startAt, total: list.length, isLast: startAt + maxResults >= list.length, values });
}

const projectOf = (ctx: Ctx, idOrKey: string) => ctx.state.projects.find((p) => p.key === idOrKey || p.id === idOrKey);

// ---- create metadata
export function createMetaIssueTypes(ctx: Ctx, projectIdOrKey: string, q: URLSearchParams): Reply {
  const p = projectOf(ctx, projectIdOrKey);
  if (!p) return jiraError(400, [`No project could be found with key '${projectIdOrKey}'.`]);
  const startAt = intParam(q, 'startAt', 0, Number.MAX_SAFE_INTEGER);
  if (typeof startAt !== 'number') return startAt;
  const maxResults = intParam(q, 'maxResults', 50, 200);
  if (typeof maxResults !== 'number') return maxResults;
  const types = p.canCreate ? p.issueTypes : [];
  const issueTypes = types.slice(startAt, startAt + maxResults).map((t) => ({ self: `${ctx.state.site}/rest/api/3/issuetype/${t.id}`, id: t.id, name: t.name, description: '', iconUrl: `${ctx.state.site}/images/icons/issuetypes/task.svg`, subtask: t.subtask, hierarchyLevel: t.subtask ? -1 : 0 }));
  return ok({ issueTypes, maxResults, startAt, total: types.length });
}

function fieldJson(f: FieldDef) {
  return { fieldId: f.fieldId, key: f.fieldId, name: f.name, required: f.required, hasDefaultValue: !!f.hasDefaultValue, operations: f.schema.type === 'array' ? ['add', 'set', 'remove'] : ['set'], schema: f.schema, ...(f.allowedValues ? { allowedValues: f.allowedValues } : {}) };
}

export function createMetaFields(ctx: Ctx, projectIdOrKey: string, issueTypeId: string, q: URLSearchParams): Reply {
  const p = projectOf(ctx, projectIdOrKey);
  if (!p) return jiraError(400, [`No project could be found with key '${projectIdOrKey}'.`]);
  const t = p.issueTypes.find((x) => x.id === issueTypeId);
  if (!t) return jiraError(400, [`Issue type with id '${issueTypeId}' does not exist or is not valid for project '${p.key}'.`]);
  const startAt = intParam(q, 'startAt', 0, Number.MAX_SAFE_INTEGER);
  if (typeof startAt !== 'number') return startAt;
  const maxResults = intParam(q, 'maxResults', 50, 200);
  if (typeof maxResults !== 'number') return maxResults;
  const fields = p.canCreate ? t.fields : [];
  return ok({ fields: fields.slice(startAt, startAt + maxResults).map(fieldJson), maxResults, startAt, total: fields.length });
}

// ---- issues
const ISSUE_KEYS = ['fields', 'update', 'historyMetadata', 'properties', 'transition'];

function fieldValue(ctx: Ctx, f: FieldDef, v: unknown): string | { value: unknown } {
  const bad = (m: string) => m;
  switch (f.schema.system ?? f.schema.type) {
    case 'summary':
      if (typeof v !== 'string' || !v.trim()) return bad('You must specify a summary of the issue.');
      if (/[\r\n]/.test(v)) return bad('The summary is invalid because it contains newline characters.');
      if ([...v].length > 255) return bad('Summary must be less than 255 characters.');
      return { value: v };
    case 'description': {
      const p = adfProblem(v);
      return p ? bad(`Operation value must be an Atlassian Document (see the Atlassian Document Format): ${p}`) : { value: v };
    }
    case 'labels': {
      if (!Array.isArray(v) || v.some((l) => typeof l !== 'string')) return bad('Field labels must be an array of strings.');
      const spaced = v.find((l) => /\s/.test(l as string));
      if (spaced !== undefined) return bad(`The label '${spaced}' contains spaces which is invalid.`);
      const long = v.find((l) => (l as string).length > 255);
      if (long !== undefined) return bad('The label must not exceed 255 characters.');
      return { value: [...new Set(v as string[])] };
    }
    case 'priority': {
      const want = isObj(v) ? (v.name ?? v.id) : undefined;
      const pr = ctx.state.priorities.find((x) => (isObj(v) && v.id !== undefined ? x.id === v.id : x.name === want));
      const allowed = (f.allowedValues ?? []).some((a) => a.id === pr?.id);
      return pr && allowed ? { value: pr.id } : bad("Specify a valid 'id' or 'name' for Priority");
    }
    case 'duedate':
      return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && Number.isFinite(Date.parse(v)) ? { value: v } : bad(`Error parsing date string: ${String(v)}`);
    case 'assignee': {
      if (v === null) return { value: null };
      const id = isObj(v) ? v.accountId : undefined;
      return typeof id === 'string' && userOf(ctx, id) ? { value: id } : bad('Specified user does not exist or you do not have required permissions');
    }
    case 'string':
      return typeof v === 'string' ? { value: v } : bad(`Operation value must be a string`);
    case 'number':
      return typeof v === 'number' && Number.isFinite(v) ? { value: v } : bad(`Operation value must be a number`);
    case 'option': {
      const val = isObj(v) ? (v.value ?? v.id) : undefined;
      const hit = (f.allowedValues ?? []).find((a) => a.value === val || a.id === val);
      return hit ? { value: hit.id } : bad(`Option value '${String(val)}' is not valid`);
    }
    default:
      return bad(`The Jira emulator does not implement fields of type ${f.schema.type}`);
  }
}

export function createIssue(ctx: Ctx, body: unknown): Reply {
  if (!isObj(body)) return jiraError(400, ['Can not deserialize instance of IssueUpdateBean out of the request body.']);
  const extra = Object.keys(body).filter((k) => !ISSUE_KEYS.includes(k));
  if (extra.length) return jiraError(400, [`Unrecognized field "${extra[0]}".`]);
  if (body.update !== undefined || body.transition !== undefined) return jiraError(400, ['The Jira emulator implements "fields" only on create (no "update" or "transition").']);
  const fields = body.fields;
  if (!isObj(fields)) return jiraError(400, [], { project: 'Specify a valid project ID or key' });
  const pRef = fields.project;
  const p = isObj(pRef) ? projectOf(ctx, String(pRef.key ?? pRef.id ?? '')) : undefined;
  if (!p) return jiraError(400, [], { project: 'Specify a valid project ID or key' });
  if (!p.canCreate) return jiraError(403, ['You do not have permission to create issues in this project.']);
  const tRef = fields.issuetype;
  const t = isObj(tRef) ? p.issueTypes.find((x) => x.id === tRef.id || (tRef.id === undefined && x.name === tRef.name)) : undefined;
  if (!t) return jiraError(400, [], { issuetype: 'Specify an issue type' });
  if (t.subtask) return jiraError(400, [], { parent: "Given parent work item does not belong to appropriate hierarchy." });
  const errors: Record<string, string> = {};
  const stored: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (k === 'project' || k === 'issuetype') continue;
    const def = t.fields.find((f) => f.fieldId === k);
    if (!def) { errors[k] = `Field '${k}' cannot be set. It is not on the appropriate screen, or unknown.`; continue; }
    const r = fieldValue(ctx, def, v);
    if (typeof r === 'string') errors[k] = r;
    else stored[k] = r.value;
  }
  for (const f of t.fields) {
    if (f.required && !f.hasDefaultValue && !['project', 'issuetype'].includes(f.fieldId) && stored[f.fieldId] === undefined && !errors[f.fieldId]) errors[f.fieldId] = `${f.name} is required.`;
  }
  if (Object.keys(errors).length) return jiraError(400, [], errors);
  const n = (ctx.state.counters.get(p.key) ?? 0) + 1;
  ctx.state.counters.set(p.key, n);
  const id = String(++ctx.state.seq);
  const at = ctx.now();
  const priorityDefault = t.fields.find((f) => f.fieldId === 'priority')?.hasDefaultValue ? ctx.state.priorities.find((x) => x.name === 'Medium')?.id : undefined;
  const issue: Issue = {
    id, key: `${p.key}-${n}`, projectKey: p.key, issueTypeId: t.id,
    fields: { ...(priorityDefault && stored.priority === undefined ? { priority: priorityDefault } : {}), ...stored },
    status: ctx.state.statuses.find((s) => s.category === 'new')!.id, reporter: ctx.state.me,
    created: at, updated: at, indexedAt: at + ctx.indexLagMs, comments: [], deleted: false,
  };
  ctx.state.issues.set(id, issue);
  return ok({ id, key: issue.key, self: `${ctx.state.site}/rest/api/3/issue/${id}` }, 201);
}

export function issueByIdOrKey(ctx: Ctx, idOrKey: string): Issue | undefined {
  const i = ctx.state.issues.get(idOrKey) ?? [...ctx.state.issues.values()].find((x) => x.key === idOrKey.toUpperCase());
  return i && !i.deleted ? i : undefined;
}
const notFound = () => jiraError(404, ['Issue does not exist or you do not have permission to see it.']);

const ALL_FIELDS = ['summary', 'status', 'assignee', 'reporter', 'updated', 'created', 'labels', 'priority', 'issuetype', 'project', 'description', 'duedate'];

function requestedFields(raw: string[], dflt: string[]): string[] {
  const names = raw.flatMap((f) => f.split(',')).map((f) => f.trim()).filter(Boolean);
  if (!names.length) return dflt;
  const out = new Set<string>();
  for (const n of names) {
    if (n === '*all' || n === '*navigable') ALL_FIELDS.forEach((f) => out.add(f));
    else if (n.startsWith('-')) out.delete(n.slice(1));
    else out.add(n);
  }
  return [...out];
}

function fieldsJson(ctx: Ctx, i: Issue, names: string[]): Record<string, unknown> {
  const st = ctx.state.statuses.find((s) => s.id === i.status)!;
  const p = ctx.state.projects.find((x) => x.key === i.projectKey)!;
  const t = p.issueTypes.find((x) => x.id === i.issueTypeId)!;
  const out: Record<string, unknown> = {};
  for (const n of names) {
    switch (n) {
      case 'status':
        out.status = { self: `${ctx.state.site}/rest/api/3/status/${st.id}`, description: '', iconUrl: `${ctx.state.site}/images/icons/statuses/generic.png`, name: st.name, id: st.id, statusCategory: { self: `${ctx.state.site}/rest/api/3/statuscategory/${CATEGORY[st.category].id}`, ...CATEGORY[st.category] } };
        break;
      case 'assignee':
      case 'reporter': {
        const id = n === 'reporter' ? i.reporter : (i.fields.assignee as string | undefined);
        const u = id ? userOf(ctx, id) : undefined;
        out[n] = u ? userJson(ctx, u) : null;
        break;
      }
      case 'updated':
      case 'created':
        out[n] = jiraTime(n === 'updated' ? i.updated : i.created);
        break;
      case 'priority': {
        const pr = ctx.state.priorities.find((x) => x.id === i.fields.priority);
        out.priority = pr ? { self: `${ctx.state.site}/rest/api/3/priority/${pr.id}`, name: pr.name, id: pr.id } : null;
        break;
      }
      case 'issuetype':
        out.issuetype = { self: `${ctx.state.site}/rest/api/3/issuetype/${t.id}`, id: t.id, name: t.name, subtask: t.subtask };
        break;
      case 'project':
        out.project = { self: `${ctx.state.site}/rest/api/3/project/${p.id}`, id: p.id, key: p.key, name: p.name };
        break;
      case 'labels':
        out.labels = (i.fields.labels as string[] | undefined) ?? [];
        break;
      default:
        if (n in i.fields) out[n] = i.fields[n] ?? null;
        else if (t.fields.some((f) => f.fieldId === n)) out[n] = null;
    }
  }
  return out;
}

function issueJson(ctx: Ctx, i: Issue, names: string[] | undefined) {
  return { expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations', id: i.id, self: `${ctx.state.site}/rest/api/3/issue/${i.id}`, key: i.key, ...(names ? { fields: fieldsJson(ctx, i, names) } : {}) };
}

export function getIssue(ctx: Ctx, idOrKey: string, q: URLSearchParams): Reply {
  const i = issueByIdOrKey(ctx, idOrKey);
  if (!i) return notFound();
  // GET issue returns all fields by default (unlike search).
  return ok(issueJson(ctx, i, requestedFields(q.getAll('fields'), ALL_FIELDS)));
}

// ---- search
function matches(ctx: Ctx, i: Issue, q: Query): boolean {
  return q.clauses.every((c) => {
    const vals = c.values.map((v) => (v === '\u0000currentUser' ? ctx.state.me : v));
    let hit: boolean;
    switch (c.field) {
      case 'project': {
        const p = ctx.state.projects.find((x) => x.key === i.projectKey)!;
        hit = vals.some((v) => v.toUpperCase() === p.key || v === p.id || v.toLowerCase() === p.name.toLowerCase());
        break;
      }
      case 'labels':
        hit = vals.some((v) => ((i.fields.labels as string[] | undefined) ?? []).some((l) => l.toLowerCase() === v.toLowerCase()));
        break;
      case 'key':
      case 'issuekey':
        hit = vals.some((v) => v.toUpperCase() === i.key || v === i.id);
        break;
      case 'status': {
        const st = ctx.state.statuses.find((s) => s.id === i.status)!;
        hit = vals.some((v) => v.toLowerCase() === st.name.toLowerCase() || v === st.id);
        break;
      }
      case 'statuscategory': {
        const st = ctx.state.statuses.find((s) => s.id === i.status)!;
        hit = vals.some((v) => v.toLowerCase() === st.category || v.toLowerCase() === CATEGORY[st.category].name.toLowerCase());
        break;
      }
      case 'reporter':
        hit = vals.some((v) => v === i.reporter);
        break;
      default:
        hit = false;
    }
    return c.op === '!=' ? !hit : hit;
  });
}

/** A field name a query names must exist: a project the account cannot see answers as Jira does. */
function unknownValues(ctx: Ctx, q: Query): string | undefined {
  for (const c of q.clauses) {
    if (c.field !== 'project') continue;
    for (const v of c.values) {
      if (!ctx.state.projects.some((p) => p.key === v.toUpperCase() || p.id === v || p.name.toLowerCase() === v.toLowerCase())) return `The value '${v}' does not exist for the field 'project'.`;
    }
  }
  return undefined;
}

const encodeToken = (n: number) => Buffer.from(`o:${n}`).toString('base64url');

export function searchJql(ctx: Ctx, params: { jql?: unknown; maxResults?: unknown; nextPageToken?: unknown; fields?: unknown; reconcileIssues?: unknown }): Reply {
  if (typeof params.jql !== 'string' || !params.jql.trim()) return jiraError(400, ['Unbounded JQL queries are not allowed here. Please add a search restriction to your query.']);
  let q: Query;
  try {
    q = parseJql(params.jql);
  } catch (e) {
    if (e instanceof JqlError) return jiraError(400, [e.message]);
    throw e;
  }
  const unknown = unknownValues(ctx, q);
  if (unknown) return jiraError(400, [unknown]);
  const max = params.maxResults === undefined ? 50 : Number(params.maxResults);
  if (!Number.isInteger(max) || max < 1 || max > 5000) return jiraError(400, ["The 'maxResults' parameter must be between 1 and 5000."]);
  let off = 0;
  if (params.nextPageToken !== undefined) {
    const m = /^o:(\d+)$/.exec(Buffer.from(String(params.nextPageToken), 'base64url').toString('utf8'));
    if (!m) return jiraError(400, ['Invalid nextPageToken.']);
    off = Number(m[1]);
  }
  const reconcile = new Set(Array.isArray(params.reconcileIssues) ? params.reconcileIssues.map(String) : []);
  const t = ctx.now();
  // The index: an issue is searchable once indexed (created + lag), unless the caller reconciles its id.
  let hits = [...ctx.state.issues.values()].filter((i) => !i.deleted && (i.indexedAt <= t || reconcile.has(i.id)) && matches(ctx, i, q));
  const order = q.order.length ? q.order : [{ field: 'created', dir: 'desc' as const }];
  hits = hits.sort((a, b) => {
    for (const o of order) {
      const d = o.field === 'key' ? a.key.localeCompare(b.key, undefined, { numeric: true }) : o.field === 'updated' ? a.updated - b.updated : a.created - b.created || Number(a.id) - Number(b.id);
      if (d) return o.dir === 'desc' ? -d : d;
    }
    return 0;
  });
  const names = params.fields === undefined ? undefined : requestedFields(Array.isArray(params.fields) ? params.fields.map(String) : [String(params.fields)], []);
  const page = hits.slice(off, off + max);
  const more = off + max < hits.length;
  return ok({ issues: page.map((i) => (names && names.length && !(names.length === 1 && names[0] === 'id') ? issueJson(ctx, i, names) : { id: i.id })), isLast: !more, ...(more ? { nextPageToken: encodeToken(off + max) } : {}) });
}

// ---- comments
const COMMENT_KEYS = ['body', 'visibility', 'properties'];

function commentJson(ctx: Ctx, i: Issue, c: Comment) {
  const author = userJson(ctx, userOf(ctx, c.author)!);
  return { self: `${ctx.state.site}/rest/api/3/issue/${i.id}/comment/${c.id}`, id: c.id, author, body: c.body, updateAuthor: author, created: jiraTime(c.created), updated: jiraTime(c.updated), jsdPublic: true };
}

export function listComments(ctx: Ctx, idOrKey: string, q: URLSearchParams): Reply {
  const i = issueByIdOrKey(ctx, idOrKey);
  if (!i) return notFound();
  const startAt = intParam(q, 'startAt', 0, Number.MAX_SAFE_INTEGER);
  if (typeof startAt !== 'number') return startAt;
  const maxResults = intParam(q, 'maxResults', 100, 5000);
  if (typeof maxResults !== 'number') return maxResults;
  const orderBy = q.get('orderBy') ?? 'created';
  if (!['created', '-created', '+created'].includes(orderBy)) return jiraError(400, [`Invalid orderBy value '${orderBy}'.`]);
  const list = [...i.comments].sort((a, b) => (a.created - b.created || Number(a.id) - Number(b.id)) * (orderBy === '-created' ? -1 : 1));
  return ok({ comments: list.slice(startAt, startAt + maxResults).map((c) => commentJson(ctx, i, c)), maxResults, startAt, total: list.length });
}

export function addComment(ctx: Ctx, idOrKey: string, body: unknown, author = ctx.state.me): Reply {
  const i = issueByIdOrKey(ctx, idOrKey);
  if (!i) return notFound();
  if (!isObj(body)) return jiraError(400, ['Can not deserialize instance of Comment out of the request body.']);
  const extra = Object.keys(body).filter((k) => !COMMENT_KEYS.includes(k));
  if (extra.length) return jiraError(400, [`Unrecognized field "${extra[0]}".`]);
  if (body.body === undefined) return jiraError(400, [], { comment: 'Comment body can not be empty!' });
  const p = adfProblem(body.body);
  if (p) return jiraError(400, [], { comment: `Comment body must be an Atlassian Document (see the Atlassian Document Format): ${p}` });
  if (!adfText(body.body).trim()) return jiraError(400, [], { comment: 'Comment body can not be empty!' });
  const at = ctx.now();
  const c: Comment = { id: String(++ctx.state.commentSeq), author, body: body.body, created: at, updated: at };
  i.comments.push(c);
  i.updated = at;
  return ok(commentJson(ctx, i, c), 201);
}
