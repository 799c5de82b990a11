// What the settings form offers and what a template may write, read from Asana:
// workspaces (GET /workspaces), the workspace's projects (GET /workspaces/{gid}/projects,
// archived=false), the project's sections (GET /projects/{gid}/sections) and its custom fields
// (GET /projects/{gid}/custom_field_settings: custom fields are a paid feature, a free project
// lists none). All paged by limit ≤ 100 and next_page.offset ("Pagination").
import { z } from 'zod';
import { CrmError } from '../errors';
import type { CrmField, CrmFieldList, FieldChoice } from '../port';
import { callPage, type AsanaContext } from './client';
import { requireWorkspace, target } from './config';
import { PRIORITY_FIELDS, SECTION_FIELDS } from './spec';

const named = z.object({ gid: z.string(), name: z.string().optional() }).passthrough();
const enumOption = z.object({ gid: z.string(), name: z.string().optional(), enabled: z.boolean().optional() }).passthrough();
export const customFieldSchema = z
  .object({
    gid: z.string(),
    name: z.string().optional(),
    resource_subtype: z.string().optional(),
    type: z.string().optional(),
    enum_options: z.array(enumOption).nullable().optional(),
    is_formula_field: z.boolean().nullable().optional(),
    is_value_read_only: z.boolean().nullable().optional(),
  })
  .passthrough();
export type CustomField = z.infer<typeof customFieldSchema>;
const settingSchema = z.object({ gid: z.string(), custom_field: customFieldSchema }).passthrough();

const PAGE = 100;
const MAX_PAGES = 20;

/** Every item of a paged list (at most MAX_PAGES pages). */
export async function pages<T extends z.ZodType>(ctx: AsanaContext, path: string, item: T, params: Record<string, string | number | boolean | undefined>, signal?: AbortSignal): Promise<z.output<T>[]> {
  const out: z.output<T>[] = [];
  let offset: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const r = await callPage(ctx, 'get', path, { searchParams: { ...params, limit: PAGE, ...(offset ? { offset } : {}) }, schema: z.array(item), signal });
    out.push(...r.data);
    offset = r.nextOffset;
    if (!offset) break;
  }
  return out;
}

const CF_FIELDS = 'custom_field.name,custom_field.resource_subtype,custom_field.type,custom_field.enum_options,custom_field.enum_options.name,custom_field.enum_options.enabled,custom_field.is_formula_field,custom_field.is_value_read_only';

/** The project's custom fields, keyed by gid. */
export async function projectCustomFields(ctx: AsanaContext, signal?: AbortSignal): Promise<Map<string, CustomField>> {
  const { projectGid } = target(ctx.config);
  const settings = await pages(ctx, `projects/${projectGid}/custom_field_settings`, settingSchema, { opt_fields: CF_FIELDS }, signal);
  return new Map(settings.map((s) => [s.custom_field.gid, s.custom_field]));
}

export const subtypeOf = (f: CustomField) => f.resource_subtype ?? f.type ?? 'unknown';
const writable = (f: CustomField) => !f.is_formula_field && !f.is_value_read_only;

/** The fields Liaison keeps for itself (the template editor offers the project's custom fields). */
export const RESERVED: Record<string, string> = {
  name: 'the ticket subject',
  notes: 'the ticket text, customer, quoted messages and idempotency marker',
  html_notes: 'the ticket text, customer, quoted messages and idempotency marker',
  projects: 'the configured project',
  workspace: 'the configured workspace',
  memberships: 'the configured project',
};

/** The project's custom fields as a `ticket` section (Asana holds tickets only). */
export async function listFields(ctx: AsanaContext, signal?: AbortSignal): Promise<CrmFieldList & { ticket: CrmField[] }> {
  const fields = await projectCustomFields(ctx, signal);
  const ticket = [...fields.values()].filter(writable).map((f) => {
    const options = (f.enum_options ?? []).filter((o) => o.enabled !== false).map((o) => o.name).filter((n): n is string => !!n);
    return { name: f.gid, ...(f.name ? { label: f.name } : {}), type: subtypeOf(f), ...(options.length ? { options } : {}) };
  });
  return { ticket };
}

async function priorityChoices(ctx: AsanaContext, signal?: AbortSignal): Promise<FieldChoice[]> {
  const fieldGid = ctx.config.settings.priorityFieldGid;
  if (!fieldGid) return [];
  const f = (await projectCustomFields(ctx, signal)).get(fieldGid);
  if (!f) {
    throw new CrmError('validation', `Asana: the priority field ${fieldGid} is not on the project`, {
      vendorCode: 'PRIORITY_FIELD_MISSING',
      userMessage: { zh_CN: '所选的优先级字段不在这个项目中，请重新选择', en: 'The chosen priority field is not on this project; choose it again' },
    });
  }
  return (f.enum_options ?? []).filter((o) => o.enabled !== false && o.name).map((o) => ({ value: o.name!, label: o.name! }));
}

/** The settings form's choices. */
export async function fieldChoices(ctx: AsanaContext, fieldKey: string, signal?: AbortSignal): Promise<FieldChoice[] | undefined> {
  if (fieldKey === 'workspaceGid') {
    const ws = await pages(ctx, 'workspaces', named, { opt_fields: 'name' }, signal);
    return ws.map((w) => ({ value: w.gid, label: w.name ?? w.gid }));
  }
  if (fieldKey === 'projectGid') {
    const ws = requireWorkspace(ctx.config);
    const ps = await pages(ctx, `workspaces/${ws}/projects`, named, { archived: false, opt_fields: 'name' }, signal);
    return ps.map((p) => ({ value: p.gid, label: p.name ?? p.gid }));
  }
  if (Object.values(SECTION_FIELDS).includes(fieldKey)) {
    const { projectGid } = target(ctx.config);
    const ss = await pages(ctx, `projects/${projectGid}/sections`, named, { opt_fields: 'name' }, signal);
    return ss.flatMap((s) => (s.name ? [{ value: s.name, label: s.name }] : []));
  }
  if (fieldKey === 'priorityFieldGid' || fieldKey === 'categoryFieldGid') {
    const fields = await projectCustomFields(ctx, signal);
    return [...fields.values()].filter((f) => subtypeOf(f) === 'enum' && writable(f)).map((f) => ({ value: f.gid, label: f.name ?? f.gid }));
  }
  if (Object.values(PRIORITY_FIELDS).some((f) => f.key === fieldKey)) return priorityChoices(ctx, signal);
  return undefined;
}
