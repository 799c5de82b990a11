// What the chosen List takes, and the settings form's choices.
// - The List (GET /v2/list/{list_id}) and its Space (GET /v2/space/{space_id}): whether the Space
//   has Tags turned on (Liaison's idempotency tag needs them) and priorities; cached per adapter.
// - Its Custom Fields (GET /v2/list/{list_id}/field): what a template may write, and their types
//   and drop-down options. "Custom Field values in the request body are only saved when the field
//   is applicable" (Create Task, clickup.json): a value for a field the List lacks would be dropped
//   without an error, so the adapter refuses it by name before writing (UNKNOWN_FIELD).
// - Choices: Workspaces (GET /v2/team), and the Workspace's Lists as "Space / Folder / List"
//   (GET /v2/team/{id}/space, /v2/space/{id}/folder with its lists, /v2/space/{id}/list).
import { z } from 'zod';
import { CrmError } from '../errors';
import type { CrmField, CrmFieldList, FieldChoice } from '../port';
import { call, type ClickUpContext } from './client';
import { requireList, requireTeam } from './config';

const feature = z.object({ enabled: z.boolean() }).passthrough();
const listSchema = z.object({
  id: z.string(),
  name: z.string(),
  folder: z.object({ id: z.string(), name: z.string(), hidden: z.boolean().optional() }).passthrough().optional(),
  space: z.object({ id: z.string(), name: z.string() }).passthrough(),
}).passthrough();
const spaceSchema = z.object({
  id: z.string(),
  name: z.string(),
  features: z.object({ tags: feature.optional(), priorities: feature.optional(), due_dates: feature.optional() }).passthrough().optional(),
}).passthrough();
const optionSchema = z.object({ id: z.string(), name: z.string().optional(), label: z.string().optional(), orderindex: z.number().optional() }).passthrough();
export const fieldSchema = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  type_config: z.object({ options: z.array(optionSchema).optional() }).passthrough().optional(),
  required: z.boolean().optional(),
}).passthrough();
export type ClickUpField = z.infer<typeof fieldSchema>;
const fieldsReply = z.object({ fields: z.array(fieldSchema) });
const teamsReply = z.object({ teams: z.array(z.object({ id: z.string(), name: z.string() }).passthrough()) });
const spacesReply = z.object({ spaces: z.array(z.object({ id: z.string(), name: z.string() }).passthrough()) });
const listRef = z.object({ id: z.string(), name: z.string() }).passthrough();
const foldersReply = z.object({ folders: z.array(z.object({ id: z.string(), name: z.string(), hidden: z.boolean().optional(), lists: z.array(listRef).optional() }).passthrough()) });
const listsReply = z.object({ lists: z.array(listRef) });

export interface ListInfo {
  listId: string;
  name: string;
  path: string;
  tags: boolean;
  priorities: boolean;
  dueDates: boolean;
  fields: Map<string, ClickUpField>;
}

/** The chosen List, its Space's features and its Custom Fields (cached per adapter instance). */
export function listInfo(ctx: ClickUpContext, signal?: AbortSignal, fresh = false): Promise<ListInfo> {
  const listId = requireList(ctx.config);
  if (fresh) ctx.listCache.delete(listId);
  let p = ctx.listCache.get(listId) as Promise<ListInfo> | undefined;
  if (!p) {
    p = (async () => {
      const list = await call(ctx, 'get', `api/v2/list/${listId}`, { schema: listSchema, signal });
      const space = await call(ctx, 'get', `api/v2/space/${list.space.id}`, { schema: spaceSchema, signal });
      // GET /v2/list/{id}/field declares a required Content-Type header (clickup.json), sent as documented.
      const f = await call(ctx, 'get', `api/v2/list/${listId}/field`, { headers: { 'content-type': 'application/json' }, schema: fieldsReply, signal });
      const folder = list.folder && !list.folder.hidden ? `${list.folder.name} / ` : '';
      const on = (x: { enabled: boolean } | undefined) => x?.enabled !== false;
      return {
        listId,
        name: list.name,
        path: `${space.name} / ${folder}${list.name}`,
        tags: on(space.features?.tags),
        priorities: on(space.features?.priorities),
        dueDates: on(space.features?.due_dates),
        fields: new Map(f.fields.map((x) => [x.id, x])),
      };
    })();
    ctx.listCache.set(listId, p);
    p.catch(() => ctx.listCache.delete(listId));
  }
  return p;
}

/** The List's Custom Fields as a `ticket` section (ClickUp holds tickets only). Name: the field's id; label: its name. */
export async function listFields(ctx: ClickUpContext, signal?: AbortSignal): Promise<CrmFieldList & { ticket: CrmField[] }> {
  const info = await listInfo(ctx, signal, true);
  const ticket = [...info.fields.values()].map((f) => {
    const options = (f.type_config?.options ?? []).map((o) => o.name ?? o.label).filter((x): x is string => !!x);
    return { name: f.id, label: f.required ? `${f.name} *` : f.name, type: f.type, ...(options.length ? { options } : {}) };
  });
  return { ticket };
}

async function teams(ctx: ClickUpContext, signal?: AbortSignal): Promise<FieldChoice[]> {
  const r = await call(ctx, 'get', 'api/v2/team', { schema: teamsReply, signal });
  return r.teams.map((t) => ({ value: t.id, label: t.name }));
}

/** Every List of the Workspace the token can see, labelled "Space / Folder / List". */
async function lists(ctx: ClickUpContext, signal?: AbortSignal): Promise<FieldChoice[]> {
  const teamId = requireTeam(ctx.config);
  const out: FieldChoice[] = [];
  const { spaces } = await call(ctx, 'get', `api/v2/team/${teamId}/space`, { searchParams: { archived: false }, schema: spacesReply, signal });
  for (const s of spaces) {
    const { folders } = await call(ctx, 'get', `api/v2/space/${s.id}/folder`, { searchParams: { archived: false }, schema: foldersReply, signal });
    for (const f of folders) {
      // A hidden folder holds a Space's folderless lists in some replies: they come from /space/{id}/list below.
      if (f.hidden) continue;
      for (const l of f.lists ?? []) out.push({ value: l.id, label: `${s.name} / ${f.name} / ${l.name}` });
    }
    const { lists: loose } = await call(ctx, 'get', `api/v2/space/${s.id}/list`, { searchParams: { archived: false }, schema: listsReply, signal });
    for (const l of loose) out.push({ value: l.id, label: `${s.name} / ${l.name}` });
  }
  if (!out.length) {
    throw new CrmError('validation', `ClickUp: Workspace ${teamId} shows this token no List`, {
      vendorCode: 'NO_LISTS',
      userMessage: { zh_CN: '这个工作区里没有该账户能看到的列表：请先在 ClickUp 中建一个列表，或换一个工作区', en: 'This Workspace has no List the account can see: create one in ClickUp first, or choose another Workspace' },
    });
  }
  return out;
}

/** The settings form's choices: Workspaces and the Workspace's Lists (priorities are a fixed select). */
export async function fieldChoices(ctx: ClickUpContext, fieldKey: string, signal?: AbortSignal): Promise<FieldChoice[] | undefined> {
  if (fieldKey === 'teamId') return teams(ctx, signal);
  if (fieldKey === 'listId') return lists(ctx, signal);
  return undefined;
}
