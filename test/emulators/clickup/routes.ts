// ClickUp API v2 routes as the emulator answers them. Shapes follow ClickUp's own OpenAPI file
// (shared/specs/clickup.json = developer.clickup.com/openapi/clickup-api-v2-reference.json, copy
// of 2026-07-30; SOURCES.md): the contract tests validate every request against it and every
// reply it declares (with the recorded overlay of test/unit/contract/clickup/openapi.ts).
// Behaviour from developer.clickup.com (read 2026-12-06): "Create Task" (name required; Custom
// Field values only saved when the field applies), "Get Tasks" (100 tasks per page, `page` from
// 0, closed tasks only with include_closed=true, `tags[]` filter), "Get Task", "Get Task
// Comments" (newest 25; older with start + start_id), "Create Task Comment" (comment_text and
// notify_all required), "Get Authorized User", "Get Authorized Workspaces", "Get Spaces",
// "Get Space", "Get Folders", "Get Folderless Lists", "Get List", "Get Accessible Custom Fields",
// "Common Errors" ({err, ECODE}). ClickUp documents no message texts or codes for a rejected task
// body: those (INPUT_*, FIELD_033) are the emulator's own words in ClickUp's shape. "Task not found"
// ITEM_013 and "List not found" ITEM_015 are as public ClickUp clients' tests record them
// (status 404; one records 401 for a missing task, `missingTaskStatus`).
export interface Reply { status: number; body: unknown; headers?: Record<string, string> }

export interface User { id: number; username: string; email: string; color: string; initials: string }
export interface Status { status: string; type: 'open' | 'custom' | 'done' | 'closed'; color: string }
export interface Field { id: string; name: string; type: string; options?: { id: string; name: string }[]; required?: boolean }
export interface List { id: string; name: string; spaceId: string; folderId?: string; fields: Field[] }
export interface Folder { id: string; name: string; spaceId: string }
export interface Space { id: string; name: string; teamId: string; tags: boolean; priorities: boolean; dueDates: boolean; statuses: Status[] }
export interface Team { id: string; name: string; members: number[] }
export interface Comment { id: string; text: string; user: number; date: number }
export interface Task {
  id: string; name: string; description: string; status: string; listId: string; tags: string[]; priority: number | null;
  dueDate: number | null; assignees: number[]; custom: Record<string, unknown>; creator: number; created: number; updated: number;
  /** When GET /v2/list/{id}/task shows it (listLagMs after the write). */
  listedAt: number; comments: Comment[]; deleted: boolean;
}
export interface State {
  seq: number; commentSeq: number; me: number; users: User[]; teams: Team[]; spaces: Space[]; folders: Folder[]; lists: List[]; tasks: Map<string, Task>;
}
export interface Ctx { state: State; now: () => number; listLagMs: number; missingTaskStatus: 401 | 404; /** false: a create keeps only tags the Space already has (the case the adapter warns about). */ newTagsKept: boolean }

export const cuError = (status: number, err: string, ECODE: string): Reply => ({ status, body: { err, ECODE } });
const ok = (body: unknown): Reply => ({ status: 200, body });
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const PRIORITY = { 1: { priority: 'urgent', color: '#f50000' }, 2: { priority: 'high', color: '#f8ae00' }, 3: { priority: 'normal', color: '#6fddff' }, 4: { priority: 'low', color: '#d8d8d8' } } as const;

export const teamNotAuthorized = () => cuError(401, 'Team not authorized', 'OAUTH_027');
const userOf = (ctx: Ctx, id: number) => ctx.state.users.find((u) => u.id === id);
const userJson = (u: User) => ({ id: u.id, username: u.username, email: u.email, color: u.color, initials: u.initials, profilePicture: `https://attachments.clickup.com/profilePictures/${u.id}.jpg` });
const teamOf = (ctx: Ctx, id: string) => ctx.state.teams.find((t) => t.id === id);
const canSee = (ctx: Ctx, teamId: string) => teamOf(ctx, teamId)?.members.includes(ctx.state.me) ?? false;

/** The object an id names, or the reply ClickUp gives when it names none or one the token may not see. */
function spaceFor(ctx: Ctx, id: string): Space | Reply {
  const s = ctx.state.spaces.find((x) => x.id === id);
  if (!s) return cuError(404, 'Space not found', 'ITEM_015');
  return canSee(ctx, s.teamId) ? s : teamNotAuthorized();
}
function listFor(ctx: Ctx, id: string): List | Reply {
  const l = ctx.state.lists.find((x) => x.id === id);
  if (!l) return cuError(404, 'List not found', 'ITEM_015');
  const s = ctx.state.spaces.find((x) => x.id === l.spaceId)!;
  return canSee(ctx, s.teamId) ? l : teamNotAuthorized();
}
export function taskFor(ctx: Ctx, id: string): Task | Reply {
  const t = ctx.state.tasks.get(id);
  if (!t || t.deleted) return cuError(ctx.missingTaskStatus, 'Task not found', 'ITEM_013');
  const l = ctx.state.lists.find((x) => x.id === t.listId)!;
  const s = ctx.state.spaces.find((x) => x.id === l.spaceId)!;
  return canSee(ctx, s.teamId) ? t : teamNotAuthorized();
}
const isReply = (x: unknown): x is Reply => isObj(x) && typeof x.status === 'number' && 'body' in x;

const statusJson = (s: Status, i: number, spaceId: string) => ({ id: `p${spaceId}_${i}`, status: s.status, color: s.color, orderindex: i, type: s.type });
const featuresOf = (s: Space) => ({
  due_dates: { enabled: s.dueDates, start_date: false, remap_due_dates: false, remap_closed_due_date: false },
  time_tracking: { enabled: false }, tags: { enabled: s.tags }, time_estimates: { enabled: false }, checklists: { enabled: true },
  custom_fields: { enabled: true }, remap_dependencies: { enabled: false }, dependency_warning: { enabled: false }, portfolios: { enabled: false },
  priorities: { enabled: s.priorities, priorities: Object.entries(PRIORITY).map(([id, p]) => ({ id, ...p, orderindex: id })) },
});

// ---- user, workspaces, hierarchy
export const user = (ctx: Ctx): Reply => ok({ user: { ...userJson(userOf(ctx, ctx.state.me)!), week_start_day: 1, global_font_support: false, timezone: 'Asia/Shanghai' } });

export function teams(ctx: Ctx): Reply {
  return ok({
    teams: ctx.state.teams.filter((t) => canSee(ctx, t.id)).map((t) => ({ id: t.id, name: t.name, color: '#7B68EE', avatar: `https://attachments.clickup.com/team_avatars/${t.id}.png`, members: t.members.map((m) => ({ user: userJson(userOf(ctx, m)!) })) })),
  });
}

function spaceJson(s: Space) {
  return { id: s.id, name: s.name, private: false, color: '#4169E1', avatar: `https://attachments.clickup.com/space_avatars/${s.id}.png`, admin_can_manage: true, archived: false, members: [], statuses: s.statuses.map((st, i) => statusJson(st, i, s.id)), multiple_assignees: true, features: featuresOf(s) };
}

export function spaces(ctx: Ctx, teamId: string): Reply {
  if (!teamOf(ctx, teamId)) return teamNotAuthorized();
  if (!canSee(ctx, teamId)) return teamNotAuthorized();
  return ok({ spaces: ctx.state.spaces.filter((s) => s.teamId === teamId).map(spaceJson) });
}

export function space(ctx: Ctx, id: string): Reply {
  const s = spaceFor(ctx, id);
  return isReply(s) ? s : ok(spaceJson(s));
}

function listJson(ctx: Ctx, l: List) {
  const s = ctx.state.spaces.find((x) => x.id === l.spaceId)!;
  const f = ctx.state.folders.find((x) => x.id === l.folderId);
  const count = [...ctx.state.tasks.values()].filter((t) => t.listId === l.id && !t.deleted).length;
  return {
    // A List with no colour status, priority or due date of its own (null, as Get Folderless Lists types them).
    id: l.id, name: l.name, orderindex: 0, content: '', status: null, priority: null, assignee: null, task_count: String(count), due_date: null, start_date: null,
    // A folderless List sits in a hidden folder named "hidden" (ClickUp's own reply shape).
    folder: f ? { id: f.id, name: f.name, hidden: false, access: true } : { id: `${s.id}0`, name: 'hidden', hidden: true, access: true },
    space: { id: s.id, name: s.name, access: true },
    archived: false, override_statuses: false, permission_level: 'create',
  };
}

export function folders(ctx: Ctx, spaceId: string): Reply {
  const s = spaceFor(ctx, spaceId);
  if (isReply(s)) return s;
  const fs = ctx.state.folders.filter((f) => f.spaceId === s.id);
  return ok({
    folders: fs.map((f, i) => {
      const lists = ctx.state.lists.filter((l) => l.folderId === f.id).map((l) => listJson(ctx, l));
      return { id: f.id, name: f.name, orderindex: i, override_statuses: false, hidden: false, space: { id: s.id, name: s.name, access: true }, task_count: String(lists.reduce((n, l) => n + Number(l.task_count), 0)), lists };
    }),
  });
}

export function folderlessLists(ctx: Ctx, spaceId: string): Reply {
  const s = spaceFor(ctx, spaceId);
  if (isReply(s)) return s;
  return ok({ lists: ctx.state.lists.filter((l) => l.spaceId === s.id && !l.folderId).map((l) => listJson(ctx, l)) });
}

export function list(ctx: Ctx, id: string): Reply {
  const l = listFor(ctx, id);
  if (isReply(l)) return l;
  const s = ctx.state.spaces.find((x) => x.id === l.spaceId)!;
  return ok({ ...listJson(ctx, l), statuses: s.statuses.map((st, i) => statusJson(st, i, s.id)), inbound_address: `a.${l.id}.x@tasks.clickup.com` });
}

export function fields(ctx: Ctx, listId: string): Reply {
  const l = listFor(ctx, listId);
  if (isReply(l)) return l;
  return ok({
    fields: l.fields.map((f) => ({
      id: f.id, name: f.name, type: f.type, date_created: '1733011200000', hide_from_guests: false, required: f.required ?? false,
      type_config: f.options ? { sorting: 'manual', new_drop_down: true, options: f.options.map((o, i) => ({ id: o.id, name: o.name, color: null, orderindex: i })) } : {},
    })),
  });
}

// ---- tasks
const CREATE_KEYS = new Set(['name', 'description', 'assignees', 'archived', 'group_assignees', 'tags', 'status', 'priority', 'due_date', 'due_date_time', 'time_estimate', 'start_date', 'start_date_time', 'points', 'notify_all', 'parent', 'markdown_content', 'links_to', 'check_required_custom_fields', 'custom_fields', 'custom_item_id']);

function customValue(f: Field, v: unknown): string | undefined {
  const text = ['short_text', 'text', 'email', 'phone', 'url'];
  if (text.includes(f.type)) return typeof v === 'string' ? undefined : `Value must be a string for ${f.name}`;
  if (f.type === 'number' || f.type === 'currency') return typeof v === 'number' ? undefined : `Value must be a number for ${f.name}`;
  if (f.type === 'date') return Number.isInteger(v) ? undefined : `Value must be Unix time in milliseconds for ${f.name}`;
  if (f.type === 'checkbox') return typeof v === 'boolean' ? undefined : `Value must be a boolean for ${f.name}`;
  if (f.type === 'drop_down') return typeof v === 'string' && f.options?.some((o) => o.id === v) ? undefined : `Value is not an option of ${f.name}`;
  return `Custom field type ${f.type} cannot be set here`;
}

function taskJson(ctx: Ctx, t: Task) {
  const l = ctx.state.lists.find((x) => x.id === t.listId)!;
  const s = ctx.state.spaces.find((x) => x.id === l.spaceId)!;
  const i = s.statuses.findIndex((x) => x.status === t.status);
  const st = s.statuses[i]!;
  const closedAt = st.type === 'closed' || st.type === 'done' ? String(t.updated) : null;
  return {
    id: t.id, custom_id: null, custom_item_id: 0, name: t.name, text_content: t.description, description: t.description,
    status: statusJson(st, i, s.id), orderindex: '1.00000000000000000000000000000000', date_created: String(t.created), date_updated: String(t.updated),
    date_closed: closedAt, date_done: st.type === 'done' ? closedAt : null, archived: false,
    creator: userJson(userOf(ctx, t.creator)!), assignees: t.assignees.map((a) => userJson(userOf(ctx, a)!)), group_assignees: [], watchers: [userJson(userOf(ctx, t.creator)!)], checklists: [],
    tags: t.tags.map((name) => ({ name, tag_fg: '#800000', tag_bg: '#800000', creator: t.creator })),
    parent: null, top_level_parent: null,
    priority: t.priority === null ? null : { id: String(t.priority), ...PRIORITY[t.priority as 1 | 2 | 3 | 4], orderindex: String(t.priority) },
    due_date: t.dueDate === null ? null : String(t.dueDate), start_date: null, points: null, time_estimate: null,
    custom_fields: l.fields.map((f) => ({ id: f.id, name: f.name, type: f.type, type_config: {}, date_created: '1733011200000', hide_from_guests: false, required: false, ...(t.custom[f.id] !== undefined ? { value: t.custom[f.id] } : {}) })),
    dependencies: [], linked_tasks: [], locations: [], team_id: s.teamId, url: `https://app.clickup.com/t/${t.id}`, sharing: { public: false, public_share_expires_on: null, public_fields: [], token: null, seo_optimized: false },
    permission_level: 'create', list: { id: l.id, name: l.name, access: true }, project: { id: l.folderId ?? `${s.id}0`, name: 'hidden', hidden: !l.folderId, access: true },
    folder: { id: l.folderId ?? `${s.id}0`, name: ctx.state.folders.find((f) => f.id === l.folderId)?.name ?? 'hidden', hidden: !l.folderId, access: true }, space: { id: s.id },
  };
}

export function createTask(ctx: Ctx, listId: string, b: unknown, by = ctx.state.me): Reply {
  const l = listFor(ctx, listId);
  if (isReply(l)) return l;
  if (!isObj(b)) return cuError(400, 'Request body must be a JSON object', 'INPUT_001');
  const extra = Object.keys(b).filter((k) => !CREATE_KEYS.has(k));
  if (extra.length) return cuError(400, `Unknown property ${extra[0]}`, 'INPUT_002');
  if (typeof b.name !== 'string' || !b.name.trim()) return cuError(400, 'Task name invalid', 'INPUT_005');
  if (b.description !== undefined && typeof b.description !== 'string') return cuError(400, 'description must be a string', 'INPUT_003');
  const s = ctx.state.spaces.find((x) => x.id === l.spaceId)!;
  if (b.priority !== undefined && b.priority !== null && !(Number.isInteger(b.priority) && (b.priority as number) >= 1 && (b.priority as number) <= 4)) return cuError(400, 'Priority invalid', 'INPUT_006');
  if (b.due_date !== undefined && !Number.isInteger(b.due_date)) return cuError(400, 'due_date must be Unix time in milliseconds', 'INPUT_007');
  if (b.tags !== undefined && (!Array.isArray(b.tags) || b.tags.some((t) => typeof t !== 'string' || !t.trim()))) return cuError(400, 'Tags must be an array of names', 'INPUT_008');
  if (b.status !== undefined && !s.statuses.some((x) => x.status === String(b.status).toLowerCase())) return cuError(400, 'Status does not exist', 'INPUT_009');
  const team = teamOf(ctx, s.teamId)!;
  if (b.assignees !== undefined && (!Array.isArray(b.assignees) || b.assignees.some((a) => !team.members.includes(a as number)))) return cuError(400, 'Assignee is not a member of this Workspace', 'INPUT_010');
  const custom: Record<string, unknown> = {};
  if (b.custom_fields !== undefined) {
    if (!Array.isArray(b.custom_fields)) return cuError(400, 'custom_fields must be an array', 'INPUT_011');
    for (const c of b.custom_fields) {
      if (!isObj(c) || typeof c.id !== 'string') return cuError(400, 'Custom field id required', 'INPUT_012');
      const f = l.fields.find((x) => x.id === c.id);
      // "only saved when the field is applicable": a field the List lacks is dropped, without an error.
      if (!f) continue;
      const bad = customValue(f, c.value);
      if (bad) return cuError(400, bad, 'FIELD_033');
      custom[f.id] = c.value;
    }
  }
  const t = ctx.now();
  const id = `86${(ctx.state.seq++).toString(36)}`;
  const task: Task = {
    id, name: b.name, description: typeof b.description === 'string' ? b.description : '', status: b.status !== undefined ? String(b.status).toLowerCase() : s.statuses[0]!.status, listId: l.id,
    // Tags are kept in lower case; a Space with Tags turned off keeps none (behaviour not documented: the adapter never writes there).
    tags: s.tags ? [...new Set(((b.tags as string[] | undefined) ?? []).map((x) => x.trim().toLowerCase()))].filter((x) => ctx.newTagsKept || [...ctx.state.tasks.values()].some((o) => o.tags.includes(x))) : [],
    priority: s.priorities && b.priority !== undefined ? (b.priority as number | null) : null,
    dueDate: s.dueDates && b.due_date !== undefined ? (b.due_date as number) : null,
    assignees: (b.assignees as number[] | undefined) ?? [], custom, creator: by, created: t, updated: t, listedAt: t + ctx.listLagMs, comments: [], deleted: false,
  };
  ctx.state.tasks.set(id, task);
  return ok(taskJson(ctx, task));
}

function boolParam(q: URLSearchParams, name: string): boolean | Reply {
  const v = q.get(name);
  if (v === null) return false;
  if (v === 'true' || v === 'false') return v === 'true';
  return cuError(400, `${name} must be true or false`, 'INPUT_020');
}

export function listTasks(ctx: Ctx, listId: string, q: URLSearchParams): Reply {
  const l = listFor(ctx, listId);
  if (isReply(l)) return l;
  const page = q.has('page') ? Number(q.get('page')) : 0;
  if (!Number.isInteger(page) || page < 0) return cuError(400, 'page must be a non-negative integer', 'INPUT_021');
  const closed = boolParam(q, 'include_closed');
  if (typeof closed !== 'boolean') return closed;
  const s = ctx.state.spaces.find((x) => x.id === l.spaceId)!;
  const tags = q.getAll('tags[]').map((x) => x.toLowerCase());
  const t = ctx.now();
  const all = [...ctx.state.tasks.values()]
    .filter((x) => x.listId === l.id && !x.deleted && x.listedAt <= t)
    .filter((x) => closed || s.statuses.find((st) => st.status === x.status)?.type !== 'closed')
    .filter((x) => !tags.length || tags.some((tag) => x.tags.includes(tag)))
    .sort((a, b) => a.created - b.created);
  const rows = all.slice(page * 100, page * 100 + 100);
  return ok({ tasks: rows.map((x) => taskJson(ctx, x)), last_page: page * 100 + 100 >= all.length });
}

export function getTask(ctx: Ctx, id: string): Reply {
  const t = taskFor(ctx, id);
  return isReply(t) ? t : ok(taskJson(ctx, t));
}

// ---- comments
const PAGE = 25;
function commentJson(ctx: Ctx, c: Comment) {
  const u = userOf(ctx, c.user)!;
  return { id: c.id, comment: [{ text: c.text }], comment_text: c.text, user: userJson(u), resolved: false, assignee: null, assigned_by: null, reactions: [], date: String(c.date), reply_count: '0' };
}

export function listComments(ctx: Ctx, taskId: string, q: URLSearchParams): Reply {
  const t = taskFor(ctx, taskId);
  if (isReply(t)) return t;
  const newest = [...t.comments].sort((a, b) => b.date - a.date || Number(b.id) - Number(a.id));
  let from = 0;
  if (q.has('start') || q.has('start_id')) {
    const startId = q.get('start_id');
    const start = Number(q.get('start'));
    if (!startId || !Number.isInteger(start)) return cuError(400, 'start and start_id go together', 'INPUT_030');
    const i = newest.findIndex((c) => c.id === startId && c.date === start);
    if (i < 0) return cuError(400, 'start_id is not a comment of this task', 'INPUT_031');
    from = i + 1;
  }
  return ok({ comments: newest.slice(from, from + PAGE).map((c) => commentJson(ctx, c)) });
}

export function addComment(ctx: Ctx, taskId: string, b: unknown, by = ctx.state.me): Reply {
  const t = taskFor(ctx, taskId);
  if (isReply(t)) return t;
  if (!isObj(b)) return cuError(400, 'Request body must be a JSON object', 'INPUT_001');
  if (typeof b.comment_text !== 'string' || !b.comment_text.trim()) return cuError(400, 'Comment text required', 'INPUT_040');
  if (typeof b.notify_all !== 'boolean') return cuError(400, 'notify_all required', 'INPUT_041');
  const extra = Object.keys(b).filter((k) => !['comment_text', 'assignee', 'group_assignee', 'notify_all'].includes(k));
  if (extra.length) return cuError(400, `Unknown property ${extra[0]}`, 'INPUT_002');
  const c: Comment = { id: String(ctx.state.commentSeq++), text: b.comment_text, user: by, date: ctx.now() };
  t.comments.push(c);
  t.updated = c.date;
  return ok({ id: c.id, hist_id: `h${c.id}`, date: c.date });
}
