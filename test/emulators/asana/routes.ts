// Asana's REST API 1.0 routes as the emulator answers them. Shapes follow Asana's own OpenAPI
// file (shared/specs/asana.yaml = Asana/openapi @ fc9f8dcf224e defs/asana_oas.yaml, 2026-06-11;
// SOURCES.md) and the contract tests validate every reply against it; behaviour from
// developers.asana.com/docs ("Errors", updated 2025-09-12; "Pagination"; "Input/output options";
// the reference pages of Get a user, Get multiple workspaces, Get multiple projects (workspace),
// Get a project, Get sections in a project, Get a project's custom fields, Get multiple tasks,
// Create a task, Get a task, Get stories from a task, Create a story on a task; read 2026-12-06).
// Strict: a body not wrapped in {data: {…}}, a field Create a task does not take, a missing
// workspace/projects, an id that is not the workspace's ("Not a recognized ID"), a project the
// user cannot edit (403), a custom field not on the task's projects or a value its type cannot
// take, both due_on and due_at, a limit outside 1–100, a bad offset token, Get multiple tasks
// without exactly one of project/section/tag/assignee+workspace, are all 4xx with Asana's
// ErrorResponse body {errors: [{message, help}]}. Messages quote Asana's where its docs show them
// ("workspace: Missing input", "Not Authorized", "Not a recognized ID", "Unknown object", the 429
// text); the rest are the emulator's own words in the same shape.
import { COMPACT, customFieldFull, customFieldSetting, project, projectFull, sectionFull, storyFull, taskFull, unknownOptFields, userFull, workspaceFull } from './render';
import { nextGid, type CustomField, type State, type Task } from './state';

export interface Reply { status: number; body: unknown; headers?: Record<string, string> }
export interface Ctx { state: State; now: () => number; baseUrl: string }
type Json = Record<string, unknown>;

const HELP = 'For more information on API status codes and how to handle them, read the docs on errors: https://developers.asana.com/docs/errors';
export const asanaError = (status: number, ...messages: string[]): Reply => ({ status, body: { errors: messages.map((message) => ({ message, help: HELP })) } });
const ok = (data: unknown, status = 200): Reply => ({ status, body: { data } });
const isObj = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export function optFieldsOf(q: URLSearchParams): string[] | undefined {
  const raw = q.getAll('opt_fields');
  return raw.length ? raw.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean) : undefined;
}

/** One resource, projected; an opt_field the resource does not have is a 400. */
function one(full: Json, type: string, q: URLSearchParams, status = 200): Reply {
  const bad = unknownOptFields(full, optFieldsOf(q));
  if (bad.length) return asanaError(400, `opt_fields: Unknown field: ${bad[0]}`);
  return ok(project(full, type, optFieldsOf(q)), status);
}

/** A list, paged when `limit` is given: next_page {offset, path, uri} or null ("Pagination"). */
function list(ctx: Ctx, path: string, items: Json[], type: string, q: URLSearchParams): Reply {
  const opt = optFieldsOf(q);
  if (items[0]) {
    const bad = unknownOptFields(items[0], opt);
    if (bad.length) return asanaError(400, `opt_fields: Unknown field: ${bad[0]}`);
  }
  const projected = items.map((i) => project(i, type, opt));
  if (!q.has('limit')) {
    if (q.has('offset')) return asanaError(400, 'offset: An offset requires a limit');
    return { status: 200, body: { data: projected } };
  }
  const limit = Number(q.get('limit'));
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return asanaError(400, `limit: Must be an integer between 1 and 100, got ${q.get('limit')}`);
  let start = 0;
  const offset = q.get('offset');
  if (offset !== null) {
    const m = /^eyJ(.+)$/.exec(offset);
    let decoded: { i?: unknown; p?: unknown } | undefined;
    try {
      decoded = m ? JSON.parse(Buffer.from(offset, 'base64url').toString('utf8')) : undefined;
    } catch {
      decoded = undefined;
    }
    if (!decoded || typeof decoded.i !== 'number' || decoded.p !== path) return asanaError(400, 'offset: Your pagination token is invalid or has expired');
    start = decoded.i;
  }
  const page = projected.slice(start, start + limit);
  const more = start + limit < projected.length;
  const token = more ? Buffer.from(JSON.stringify({ i: start + limit, p: path })).toString('base64url') : undefined;
  const rest = [...q.entries()].filter(([k]) => k !== 'offset');
  const nextPath = token ? `${path}?${new URLSearchParams([...rest, ['offset', token]]).toString()}` : undefined;
  return { status: 200, body: { data: page, next_page: token ? { offset: token, path: nextPath, uri: `${ctx.baseUrl}/api/1.0${nextPath}` } : null } };
}

const me = (ctx: Ctx) => ctx.state.users.find((u) => u.gid === ctx.state.me)!;
const workspaceOf = (ctx: Ctx, gid: string) => (me(ctx).workspaces.includes(gid) ? ctx.state.workspaces.find((w) => w.gid === gid) : undefined);
const projectOf = (ctx: Ctx, gid: string) => ctx.state.projects.find((p) => p.gid === gid && p.members.includes(ctx.state.me));
export const liveTask = (ctx: Ctx, gid: string) => {
  const t = ctx.state.tasks.get(gid);
  return t && !t.deleted ? t : undefined;
};
const unknownObject = (gid: string) => asanaError(404, `Unknown object: ${gid}`);

// ---- users, workspaces, projects, sections, custom fields
export const getMe = (ctx: Ctx, q: URLSearchParams) => one(userFull(ctx.state, me(ctx)), 'user', q);

export function getWorkspaces(ctx: Ctx, q: URLSearchParams): Reply {
  return list(ctx, '/workspaces', me(ctx).workspaces.map((g) => workspaceFull(ctx.state.workspaces.find((w) => w.gid === g)!)), 'workspace', q);
}

export function getWorkspaceProjects(ctx: Ctx, ws: string, q: URLSearchParams): Reply {
  if (!workspaceOf(ctx, ws)) return unknownObject(ws);
  const archived = q.get('archived');
  if (archived !== null && archived !== 'true' && archived !== 'false') return asanaError(400, `archived: Not a boolean: ${archived}`);
  const ps = ctx.state.projects.filter((p) => p.workspace === ws && p.members.includes(ctx.state.me) && (archived === null || String(p.archived) === archived));
  return list(ctx, `/workspaces/${ws}/projects`, ps.map((p) => projectFull(ctx.state, p)), 'project', q);
}

export function getProject(ctx: Ctx, gid: string, q: URLSearchParams): Reply {
  const p = projectOf(ctx, gid);
  return p ? one(projectFull(ctx.state, p), 'project', q) : unknownObject(gid);
}

export function getSections(ctx: Ctx, gid: string, q: URLSearchParams): Reply {
  const p = projectOf(ctx, gid);
  return p ? list(ctx, `/projects/${gid}/sections`, p.sections.map((s) => sectionFull(p, s)), 'section', q) : unknownObject(gid);
}

export function getCustomFieldSettings(ctx: Ctx, gid: string, q: URLSearchParams): Reply {
  const p = projectOf(ctx, gid);
  if (!p) return unknownObject(gid);
  const fields = p.customFields.map((g, i) => customFieldSetting(p, ctx.state.customFields.get(g)!, i));
  return list(ctx, `/projects/${gid}/custom_field_settings`, fields, 'custom_field_setting', q);
}

// ---- tasks
export function getTasks(ctx: Ctx, q: URLSearchParams): Reply {
  const filters = ['project', 'section', 'tag', 'user_task_list'].filter((k) => q.has(k));
  const byAssignee = q.has('assignee') && q.has('workspace');
  if (filters.length + (byAssignee ? 1 : 0) !== 1 || (!byAssignee && (q.has('assignee') || q.has('workspace')))) {
    return asanaError(400, 'Must specify exactly one of project, tag, section, user task list, or assignee + workspace');
  }
  const since = (name: string): number | undefined | Reply => {
    const v = q.get(name);
    if (v === null) return undefined;
    if (name === 'completed_since' && v === 'now') return ctx.now();
    const t = Date.parse(v);
    return /^\d{4}-\d{2}-\d{2}T/.test(v) && Number.isFinite(t) ? t : asanaError(400, `${name}: Invalid date-time: ${v}`);
  };
  const modifiedSince = since('modified_since');
  if (typeof modifiedSince === 'object') return modifiedSince;
  const completedSince = since('completed_since');
  if (typeof completedSince === 'object') return completedSince;
  let tasks = [...ctx.state.tasks.values()].filter((t) => !t.deleted);
  if (q.has('project')) {
    const p = projectOf(ctx, q.get('project')!);
    if (!p) return asanaError(400, `project: Not a recognized ID: ${q.get('project')}`);
    tasks = tasks.filter((t) => t.memberships.some((m) => m.project === p.gid));
  } else if (q.has('section')) {
    tasks = tasks.filter((t) => t.memberships.some((m) => m.section === q.get('section')));
  } else if (byAssignee) {
    tasks = tasks.filter((t) => t.workspace === q.get('workspace') && t.assignee === (q.get('assignee') === 'me' ? ctx.state.me : q.get('assignee')));
  } else return { status: 200, body: { data: [] } };
  if (modifiedSince !== undefined) tasks = tasks.filter((t) => t.modifiedAt >= modifiedSince);
  if (completedSince !== undefined) tasks = tasks.filter((t) => !t.completed || (t.completedAt ?? 0) >= completedSince);
  const path = `/tasks`;
  return list(ctx, path, tasks.map((t) => taskFull(ctx.state, t)), 'task', q);
}

const CREATE_TASK_FIELDS = new Set(['name', 'notes', 'html_notes', 'workspace', 'projects', 'memberships', 'parent', 'assignee', 'assignee_section', 'due_on', 'due_at', 'start_on', 'start_at', 'completed', 'completed_by', 'custom_fields', 'followers', 'tags', 'resource_subtype', 'approval_status', 'liked', 'external', 'custom_type', 'custom_type_status_option']);
const isDay = (s: unknown) => typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);

function userRef(ctx: Ctx, v: unknown, workspace: string) {
  if (typeof v !== 'string') return undefined;
  const gid = v === 'me' ? ctx.state.me : v;
  return ctx.state.users.find((u) => (u.gid === gid || u.email === gid) && u.workspaces.includes(workspace));
}

function customValue(f: CustomField, v: unknown): string | undefined {
  const opt = (g: unknown) => f.enumOptions?.find((o) => o.gid === g);
  if (f.formula) return `custom_fields: Cannot set the value of formula custom field ${f.gid}`;
  switch (f.subtype) {
    case 'text':
      return typeof v === 'string' || v === null ? undefined : `custom_fields: Text value expected for custom field ${f.gid}`;
    case 'number':
      return typeof v === 'number' || v === null ? undefined : `custom_fields: Number value expected for custom field ${f.gid}`;
    case 'enum': {
      if (v === null) return undefined;
      const o = opt(v);
      if (!o) return `custom_fields: enum_value ${String(v)} is not a valid enum option gid of custom field ${f.gid}`;
      return o.enabled ? undefined : `custom_fields: enum option ${o.gid} is disabled`;
    }
    case 'multi_enum':
      return Array.isArray(v) && v.every((g) => opt(g)?.enabled) ? undefined : `custom_fields: Array of enum option gids expected for custom field ${f.gid}`;
    case 'date':
      // asana.yaml: "For date, use format YYYY-MM-DD"; the object form {date} is taken too.
      return isDay(v) || (isObj(v) && isDay(v.date) && Object.keys(v).every((k) => k === 'date')) ? undefined : `custom_fields: "YYYY-MM-DD" expected for custom field ${f.gid}`;
    default:
      return `custom_fields: custom field ${f.gid} cannot be set through this API`;
  }
}

export function createTask(ctx: Ctx, body: unknown, q: URLSearchParams): Reply {
  if (!isObj(body) || !isObj(body.data)) return asanaError(400, 'data: Missing input');
  const d = body.data;
  const extra = Object.keys(d).filter((k) => !CREATE_TASK_FIELDS.has(k));
  if (extra.length) return asanaError(400, `${extra[0]}: Unknown field`);
  if (d.external !== undefined) return asanaError(400, 'external: Only OAuth applications may set external data');
  if (d.parent !== undefined || d.memberships !== undefined || d.tags !== undefined || d.followers !== undefined) return asanaError(400, 'The Asana emulator does not model parent, memberships, tags or followers on create');
  const projectGids = d.projects === undefined ? [] : d.projects;
  if (!Array.isArray(projectGids) || !projectGids.every((g) => typeof g === 'string')) return asanaError(400, 'projects: Array of gids expected');
  const projects = [];
  for (const g of projectGids as string[]) {
    const p = projectOf(ctx, g);
    if (!p) return asanaError(400, `projects: Not a recognized ID: ${g}`);
    projects.push(p);
  }
  let workspace: string;
  if (d.workspace !== undefined) {
    if (typeof d.workspace !== 'string' || !workspaceOf(ctx, d.workspace)) return asanaError(400, `workspace: Not a recognized ID: ${String(d.workspace)}`);
    workspace = d.workspace;
  } else if (projects[0]) workspace = projects[0].workspace;
  else return asanaError(400, 'workspace: Missing input');
  const foreign = projects.find((p) => p.workspace !== workspace);
  if (foreign) return asanaError(400, `projects: Project ${foreign.gid} is not in workspace ${workspace}`);
  const readOnly = projects.find((p) => !p.editors.includes(ctx.state.me));
  if (readOnly) return asanaError(403, 'Forbidden');
  for (const k of ['name', 'notes', 'html_notes'] as const) if (d[k] !== undefined && typeof d[k] !== 'string') return asanaError(400, `${k}: Not a string`);
  if (d.notes !== undefined && d.html_notes !== undefined) return asanaError(400, 'You may only provide one of notes or html_notes');
  if (d.html_notes !== undefined) return asanaError(400, 'The Asana emulator does not model html_notes');
  if (d.due_on !== undefined && d.due_at !== undefined) return asanaError(400, 'You may only provide one of due_on or due_at');
  if (d.due_on !== undefined && d.due_on !== null && !isDay(d.due_on)) return asanaError(400, `due_on: Invalid date: ${String(d.due_on)}`);
  if (d.due_at !== undefined) return asanaError(400, 'The Asana emulator does not model due_at');
  if (d.completed !== undefined && typeof d.completed !== 'boolean') return asanaError(400, 'completed: Not a boolean');
  let assignee: string | null = null;
  if (d.assignee !== undefined && d.assignee !== null) {
    const u = userRef(ctx, d.assignee, workspace);
    if (!u) return asanaError(400, `assignee: Not a recognized ID: ${String(d.assignee)}`);
    assignee = u.gid;
  }
  const custom: Record<string, unknown> = {};
  if (d.custom_fields !== undefined) {
    if (!isObj(d.custom_fields)) return asanaError(400, 'custom_fields: Object of custom field gid → value expected');
    if (!ctx.state.workspaces.find((w) => w.gid === workspace)!.premium) return asanaError(402, 'Custom fields are only available to premium users');
    const allowed = new Set(projects.flatMap((p) => p.customFields));
    for (const [g, v] of Object.entries(d.custom_fields)) {
      const f = ctx.state.customFields.get(g);
      if (!f) return asanaError(400, `custom_fields: Not a recognized ID: ${g}`);
      if (!allowed.has(g)) return asanaError(400, `custom_fields: Custom field ${g} is not on any of the task's projects`);
      const problem = customValue(f, v);
      if (problem) return asanaError(400, problem);
      if (v !== null) custom[g] = f.subtype === 'date' && typeof v === 'string' ? { date: v } : v;
    }
  }
  const t = ctx.now();
  const task: Task = {
    gid: nextGid(ctx.state), workspace, name: (d.name as string | undefined) ?? '', notes: (d.notes as string | undefined) ?? '',
    completed: d.completed === true, completedAt: d.completed === true ? t : null, createdAt: t, modifiedAt: t, assignee,
    dueOn: (d.due_on as string | null | undefined) ?? null, memberships: projects.map((p) => ({ project: p.gid, section: p.sections[0]!.gid })), custom, stories: [], deleted: false,
  };
  for (const p of projects) task.stories.push({ gid: nextGid(ctx.state), createdAt: t, createdBy: ctx.state.me, subtype: 'added_to_project', text: `added to ${p.name}` });
  if (assignee) task.stories.push({ gid: nextGid(ctx.state), createdAt: t, createdBy: ctx.state.me, subtype: 'assigned', text: `assigned to ${ctx.state.users.find((u) => u.gid === assignee)!.name}` });
  ctx.state.tasks.set(task.gid, task);
  return one(taskFull(ctx.state, task), 'task', q, 201);
}

export function getTask(ctx: Ctx, gid: string, q: URLSearchParams): Reply {
  const t = liveTask(ctx, gid);
  return t ? one(taskFull(ctx.state, t), 'task', q) : unknownObject(gid);
}

// ---- stories
export function getStories(ctx: Ctx, gid: string, q: URLSearchParams): Reply {
  const t = liveTask(ctx, gid);
  return t ? list(ctx, `/tasks/${gid}/stories`, t.stories.map((s) => storyFull(ctx.state, s)), 'story', q) : unknownObject(gid);
}

const STORY_FIELDS = new Set(['text', 'html_text', 'is_pinned', 'sticker_name']);
export function createStory(ctx: Ctx, gid: string, body: unknown, q: URLSearchParams, author = ctx.state.me): Reply {
  const t = liveTask(ctx, gid);
  if (!t) return unknownObject(gid);
  if (!isObj(body) || !isObj(body.data)) return asanaError(400, 'data: Missing input');
  const d = body.data;
  const extra = Object.keys(d).filter((k) => !STORY_FIELDS.has(k));
  if (extra.length) return asanaError(400, `${extra[0]}: Unknown field`);
  if (d.html_text !== undefined) return asanaError(400, 'The Asana emulator does not model html_text');
  if (typeof d.text !== 'string' || !d.text.trim()) return asanaError(400, 'text: Missing input');
  const now = ctx.now();
  const s = { gid: nextGid(ctx.state), createdAt: now, createdBy: author, subtype: 'comment_added', text: d.text };
  t.stories.push(s);
  t.modifiedAt = now; // "adding stories" counts as modifying the task (Get multiple tasks, modified_since)
  return one(storyFull(ctx.state, s), 'story', q, 201);
}

export { COMPACT, customFieldFull };
