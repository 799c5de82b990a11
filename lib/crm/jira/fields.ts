// What the chosen project and issue type take, from Jira's create metadata
// (GET /rest/api/3/issue/createmeta/{projectIdOrKey}/issuetypes/{issueTypeId}, paged by
// startAt/maxResults ≤ 200): which fields the create screen has, which are required, their types
// and allowed values. createTicket checks its fields against it before writing; listFields lists
// it for the mapping editor; the settings form's choices (projects, issue types, priorities) come
// from GET /rest/api/3/project/search (action=create) and the issue-type createmeta.
import { z } from 'zod';
import { CrmError } from '../errors';
import type { CrmField, CrmFieldList, FieldChoice } from '../port';
import { call, type JiraContext } from './client';
import { requireProject, target } from './config';
import { PRIORITY_FIELDS } from './spec';

const allowedValue = z.object({ id: z.string().optional(), name: z.string().optional(), value: z.string().optional() }).passthrough();
export const fieldMetaSchema = z.object({
  fieldId: z.string(),
  key: z.string().optional(),
  name: z.string(),
  required: z.boolean(),
  hasDefaultValue: z.boolean().optional(),
  schema: z.object({ type: z.string(), items: z.string().optional(), system: z.string().optional(), custom: z.string().optional() }).passthrough(),
  operations: z.array(z.string()).optional(),
  allowedValues: z.array(allowedValue).optional(),
});
export type FieldMeta = z.infer<typeof fieldMetaSchema>;
const fieldsPage = z.object({ fields: z.array(fieldMetaSchema).optional(), startAt: z.number().optional(), maxResults: z.number().optional(), total: z.number().optional() });
const issueTypesPage = z.object({
  issueTypes: z.array(z.object({ id: z.string(), name: z.string(), subtask: z.boolean().optional() }).passthrough()).optional(),
  startAt: z.number().optional(),
  total: z.number().optional(),
});
const projectsPage = z.object({ values: z.array(z.object({ id: z.string(), key: z.string(), name: z.string() }).passthrough()), isLast: z.boolean().optional(), startAt: z.number().optional(), total: z.number().optional() });

const PAGE = 200;
const MAX_PAGES = 20;

/** The create screen's fields for the chosen project and issue type (cached per adapter instance). */
export function createMeta(ctx: JiraContext, signal?: AbortSignal, fresh = false): Promise<Map<string, FieldMeta>> {
  const { projectKey, issueTypeId } = target(ctx.config);
  const key = `${projectKey}/${issueTypeId}`;
  if (fresh) ctx.metaCache.delete(key);
  let p = ctx.metaCache.get(key) as Promise<Map<string, FieldMeta>> | undefined;
  if (!p) {
    p = (async () => {
      const out = new Map<string, FieldMeta>();
      for (let page = 0, startAt = 0; page < MAX_PAGES; page++) {
        const r = await call(ctx, 'get', `rest/api/3/issue/createmeta/${encodeURIComponent(projectKey)}/issuetypes/${encodeURIComponent(issueTypeId)}`, { searchParams: { startAt, maxResults: PAGE }, schema: fieldsPage, signal });
        const got = r.fields ?? [];
        for (const f of got) out.set(f.fieldId, f);
        startAt += got.length;
        if (!got.length || r.total === undefined || startAt >= r.total) break;
      }
      if (!out.size) {
        // Jira answers an empty list when the account cannot create issues of this type here.
        throw new CrmError('validation', `Jira: the create screen of ${projectKey} / issue type ${issueTypeId} lists no fields`, {
          vendorCode: 'NO_CREATE_META',
          userMessage: { zh_CN: `Jira 项目 ${projectKey} 中所选问题类型没有可用的创建字段：请确认该账户有「创建问题」权限，并重新选择问题类型`, en: `Jira lists no create fields for the chosen issue type in ${projectKey}: check the account may create issues there, and choose the issue type again` },
        });
      }
      return out;
    })();
    ctx.metaCache.set(key, p);
    p.catch(() => ctx.metaCache.delete(key));
  }
  return p;
}

/** The fields a template may not write (Liaison keeps project, issue type, labels and the description for itself). */
export const RESERVED: Record<string, string> = { project: 'the configured project', issuetype: 'the configured issue type', labels: 'the idempotency label', description: 'the ticket text, customer and quoted messages' };

/**
 * The chosen issue type's create fields. Jira holds tickets only, so they come as a `ticket`
 * section beside the port's customer/followUp/deal sections, which Jira does not have.
 */
export async function listFields(ctx: JiraContext, signal?: AbortSignal): Promise<CrmFieldList & { ticket: CrmField[] }> {
  const meta = await createMeta(ctx, signal, true);
  const ticket = [...meta.values()]
    .filter((f) => !RESERVED[f.fieldId] && (f.operations === undefined || f.operations.includes('set')))
    .map((f) => {
      const options = (f.allowedValues ?? []).map((v) => v.name ?? v.value).filter((v): v is string => !!v);
      return { name: f.fieldId, label: f.required ? `${f.name} *` : f.name, type: f.schema.items ? `${f.schema.type}<${f.schema.items}>` : f.schema.type, ...(options.length ? { options } : {}) };
    });
  return { ticket };
}

async function projects(ctx: JiraContext, signal?: AbortSignal): Promise<FieldChoice[]> {
  const out: FieldChoice[] = [];
  for (let page = 0, startAt = 0; page < MAX_PAGES; page++) {
    const r = await call(ctx, 'get', 'rest/api/3/project/search', { searchParams: { startAt, maxResults: 50, orderBy: 'name', action: 'create' }, schema: projectsPage, signal });
    out.push(...r.values.map((p) => ({ value: p.key, label: `${p.name} (${p.key})` })));
    startAt += r.values.length;
    if (r.isLast !== false || !r.values.length) break;
  }
  return out;
}

async function issueTypes(ctx: JiraContext, signal?: AbortSignal): Promise<FieldChoice[]> {
  const projectKey = requireProject(ctx.config);
  const out: FieldChoice[] = [];
  for (let page = 0, startAt = 0; page < MAX_PAGES; page++) {
    const r = await call(ctx, 'get', `rest/api/3/issue/createmeta/${encodeURIComponent(projectKey)}/issuetypes`, { searchParams: { startAt, maxResults: 50 }, schema: issueTypesPage, signal });
    const got = r.issueTypes ?? [];
    // A sub-task needs a parent issue: never a ticket's type.
    out.push(...got.filter((t) => !t.subtask).map((t) => ({ value: t.id, label: t.name })));
    startAt += got.length;
    if (!got.length || r.total === undefined || startAt >= r.total) break;
  }
  return out;
}

/** The settings form's choices: projects, the project's issue types, the issue type's priorities. */
export async function fieldChoices(ctx: JiraContext, fieldKey: string, signal?: AbortSignal): Promise<FieldChoice[] | undefined> {
  if (fieldKey === 'projectKey') return projects(ctx, signal);
  if (fieldKey === 'issueTypeId') return issueTypes(ctx, signal);
  if (Object.values(PRIORITY_FIELDS).some((f) => f.key === fieldKey)) {
    const priority = (await createMeta(ctx, signal, true)).get('priority');
    return (priority?.allowedValues ?? []).flatMap((v) => (v.name ? [{ value: v.name, label: v.name }] : []));
  }
  return undefined;
}
