// Asana's resources as its API returns them (asana.yaml components/schemas *Response / *Compact,
// field names and types as there), and the opt_fields projection ("Input/output options": with
// opt_fields a reply carries the gid and exactly the fields asked for, dotted paths reaching into
// related objects; without it, the compact representation).
import type { CustomField, Project, State, Story, Task, User, Workspace } from './state';

type Json = Record<string, unknown>;
export const iso = (ms: number) => new Date(ms).toISOString();

const compact = (type: string, gid: string, name: string) => ({ gid, resource_type: type, name });
export const userCompact = (u: User) => compact('user', u.gid, u.name);
export const workspaceCompact = (w: Workspace) => compact('workspace', w.gid, w.name);
export const projectCompact = (p: Project) => compact('project', p.gid, p.name);

export function userFull(st: State, u: User): Json {
  return { ...userCompact(u), email: u.email, photo: null, workspaces: u.workspaces.map((g) => workspaceCompact(st.workspaces.find((w) => w.gid === g)!)) };
}
export function workspaceFull(w: Workspace): Json {
  return { ...workspaceCompact(w), email_domains: ['example.com'], is_organization: w.isOrganization };
}
export function projectFull(st: State, p: Project): Json {
  const w = st.workspaces.find((x) => x.gid === p.workspace)!;
  return { ...projectCompact(p), archived: p.archived, color: 'light-green', default_view: 'board', workspace: workspaceCompact(w), permalink_url: `https://app.asana.com/1/${w.gid}/project/${p.gid}`, members: p.members.map((g) => userCompact(st.users.find((u) => u.gid === g)!)) };
}
export function sectionFull(p: Project, s: { gid: string; name: string }): Json {
  return { ...compact('section', s.gid, s.name), project: projectCompact(p), created_at: '2026-01-05T02:00:00.000Z' };
}
export function customFieldFull(f: CustomField): Json {
  return {
    ...compact('custom_field', f.gid, f.name),
    resource_subtype: f.subtype,
    type: f.subtype,
    is_formula_field: !!f.formula,
    is_value_read_only: !!f.formula,
    ...(f.enumOptions ? { enum_options: f.enumOptions.map((o) => ({ gid: o.gid, resource_type: 'enum_option', name: o.name, enabled: o.enabled, color: o.color })) } : {}),
    ...(f.precision !== undefined ? { precision: f.precision } : {}),
  };
}
export function customFieldSetting(p: Project, f: CustomField, i: number): Json {
  return { gid: `${p.gid.slice(0, 8)}${f.gid.slice(-8)}${i}`, resource_type: 'custom_field_setting', is_important: i === 0, project: projectCompact(p), parent: projectCompact(p), custom_field: customFieldFull(f) };
}
export function storyFull(st: State, s: Story): Json {
  const by = s.createdBy ? st.users.find((u) => u.gid === s.createdBy) : undefined;
  return { gid: s.gid, resource_type: 'story', created_at: iso(s.createdAt), created_by: by ? userCompact(by) : null, resource_subtype: s.subtype, type: s.subtype === 'comment_added' ? 'comment' : 'system', text: s.text };
}
function customValue(st: State, f: CustomField, v: unknown): Json {
  const base = customFieldFull(f);
  const opt = (g: unknown) => f.enumOptions?.find((o) => o.gid === g);
  switch (f.subtype) {
    case 'text':
      return { ...base, text_value: (v as string | undefined) ?? null, display_value: (v as string | undefined) ?? null };
    case 'number':
      return { ...base, number_value: (v as number | undefined) ?? null, display_value: v === undefined ? null : String(v) };
    case 'enum': {
      const o = opt(v);
      return { ...base, enum_value: o ? { gid: o.gid, resource_type: 'enum_option', name: o.name, enabled: o.enabled, color: o.color } : null, display_value: o?.name ?? null };
    }
    case 'multi_enum': {
      const os = ((v as string[] | undefined) ?? []).map(opt).filter((o) => !!o);
      return { ...base, multi_enum_values: os.map((o) => ({ gid: o!.gid, resource_type: 'enum_option', name: o!.name, enabled: o!.enabled, color: o!.color })), display_value: os.map((o) => o!.name).join(', ') || null };
    }
    case 'date': {
      const d = v as { date?: string } | undefined;
      return { ...base, date_value: d?.date ? { date: d.date, date_time: null } : null, display_value: d?.date ?? null };
    }
    default:
      return { ...base, display_value: null };
  }
}
export function taskFull(st: State, t: Task): Json {
  const w = st.workspaces.find((x) => x.gid === t.workspace)!;
  const a = t.assignee ? st.users.find((u) => u.gid === t.assignee) : undefined;
  const projects = t.memberships.map((m) => st.projects.find((p) => p.gid === m.project)!);
  const fields = [...new Set(projects.flatMap((p) => p.customFields))].map((g) => st.customFields.get(g)!);
  return {
    gid: t.gid,
    resource_type: 'task',
    resource_subtype: 'default_task',
    name: t.name,
    notes: t.notes,
    completed: t.completed,
    completed_at: t.completedAt === null ? null : iso(t.completedAt),
    created_at: iso(t.createdAt),
    modified_at: iso(t.modifiedAt),
    due_on: t.dueOn,
    due_at: null,
    assignee: a ? userCompact(a) : null,
    workspace: workspaceCompact(w),
    projects: projects.map(projectCompact),
    memberships: t.memberships.map((m) => {
      const p = st.projects.find((x) => x.gid === m.project)!;
      const s = p.sections.find((x) => x.gid === m.section)!;
      return { project: projectCompact(p), section: compact('section', s.gid, s.name) };
    }),
    custom_fields: fields.map((f) => customValue(st, f, t.custom[f.gid])),
    num_subtasks: 0,
    permalink_url: `https://app.asana.com/1/${w.gid}/task/${t.gid}`,
  };
}

export const COMPACT: Record<string, string[]> = {
  user: ['gid', 'resource_type', 'name'],
  workspace: ['gid', 'resource_type', 'name'],
  project: ['gid', 'resource_type', 'name'],
  section: ['gid', 'resource_type', 'name'],
  task: ['gid', 'resource_type', 'name', 'resource_subtype'],
  story: ['gid', 'resource_type', 'created_at', 'created_by', 'resource_subtype', 'text'],
  custom_field_setting: ['gid', 'resource_type', 'is_important', 'project', 'parent', 'custom_field'],
};

function pick(v: unknown, paths: string[][]): unknown {
  if (v === null || typeof v !== 'object') return v;
  if (Array.isArray(v)) return v.map((x) => pick(x, paths));
  const o = v as Json;
  const out: Json = 'gid' in o ? { gid: o.gid } : {};
  const groups = new Map<string, string[][]>();
  for (const [head, ...rest] of paths) {
    if (!groups.has(head!)) groups.set(head!, []);
    if (rest.length) groups.get(head!)!.push(rest);
  }
  for (const [head, subs] of groups) {
    if (!(head in o)) continue;
    const x = o[head];
    // A related object asked for by itself comes as {gid, resource_type}.
    out[head] = subs.length ? pick(x, subs) : pick(x, [['resource_type']]);
    if (!subs.length && (x === null || typeof x !== 'object')) out[head] = x;
    if (!subs.length && Array.isArray(x) && x.every((e) => e === null || typeof e !== 'object')) out[head] = x;
  }
  return out;
}

/** The reply form of a resource: projected by opt_fields, else compact. Unknown roots: the field list's error. */
export function project(full: Json, type: string, optFields: string[] | undefined): Json {
  if (!optFields) return Object.fromEntries((COMPACT[type] ?? Object.keys(full)).filter((k) => k in full).map((k) => [k, full[k]]));
  return pick(full, optFields.map((f) => f.split('.'))) as Json;
}

/** The roots a resource type answers to (for refusing an opt_field it does not have). */
export function unknownOptFields(full: Json, optFields: string[] | undefined): string[] {
  return (optFields ?? []).filter((f) => !(f.split('.')[0]! in full) && f !== 'offset' && f !== 'path' && f !== 'uri');
}
