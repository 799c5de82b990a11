// The account's ticket fields (GET /api/v2/ticket_fields: one array, no paging), for the mapping
// editor (listFields' `ticket` section), the settings form's choices (types, priorities) and the
// names of custom statuses (default_status choices: {"6": ["Waiting on Customer", "…"]}). Groups
// for the settings form come from GET /api/v2/groups (paged, Link header).
import { z } from 'zod';
import { CrmError } from '../errors';
import type { CrmField, CrmFieldList, FieldChoice } from '../port';
import { call, nextPage, type FreshdeskContext } from './client';
import { FRESHDESK_PRIORITY_NAMES, FRESHDESK_STATUSES, PRIORITY_FIELDS } from './spec';

export const ticketFieldSchema = z
  .object({ id: z.number(), name: z.string(), label: z.string(), type: z.string(), default: z.boolean().optional(), required_for_agents: z.boolean().optional(), choices: z.unknown().optional() })
  .passthrough();
export type TicketField = z.infer<typeof ticketFieldSchema>;
const fieldsReply = z.array(ticketFieldSchema);
const groupSchema = z.object({ id: z.number(), name: z.string() }).passthrough();

/** The ticket fields, read once per adapter instance (fresh: read again). */
export function ticketFields(ctx: FreshdeskContext, signal?: AbortSignal, fresh = false): Promise<TicketField[]> {
  if (fresh || !ctx.fieldsCache) {
    const p = call(ctx, 'get', 'api/v2/ticket_fields', { schema: fieldsReply, signal });
    ctx.fieldsCache = p;
    p.catch(() => {
      if (ctx.fieldsCache === p) ctx.fieldsCache = undefined;
    });
  }
  return ctx.fieldsCache as Promise<TicketField[]>;
}

/** A field's choices as names: arrays as they are, {name: value} maps by name, {id: [agent label, …]} by the agent label. */
export function choiceNames(choices: unknown): string[] {
  if (Array.isArray(choices)) return choices.filter((c): c is string => typeof c === 'string');
  if (choices && typeof choices === 'object') {
    return Object.entries(choices as Record<string, unknown>).map(([k, v]) => (Array.isArray(v) && typeof v[0] === 'string' ? v[0] : k));
  }
  return [];
}

/** Custom status id → its agent-facing name, from default_status choices. */
export async function statusNames(ctx: FreshdeskContext, signal?: AbortSignal): Promise<Record<string, string>> {
  const status = (await ticketFields(ctx, signal)).find((f) => f.type === 'default_status');
  const out: Record<string, string> = {};
  const choices = status?.choices;
  if (choices && typeof choices === 'object' && !Array.isArray(choices)) {
    for (const [id, v] of Object.entries(choices as Record<string, unknown>)) if (Array.isArray(v) && typeof v[0] === 'string') out[id] = v[0];
  }
  return out;
}

/** Ticket properties a template may set by name, beside custom fields (cf_…). */
export const TICKET_PROPS: Record<string, string> = { type: 'default_ticket_type', group_id: 'default_group', responder_id: 'default_agent', product_id: 'default_product', company_id: 'default_company' };

/** The fields a template may write: the writable default properties and every custom field (cf_…). */
export async function listFields(ctx: FreshdeskContext, signal?: AbortSignal): Promise<CrmFieldList & { ticket: CrmField[] }> {
  const fields = await ticketFields(ctx, signal, true);
  if (!fields.length) {
    throw new CrmError('validation', 'Freshdesk: GET /api/v2/ticket_fields listed no fields', { vendorCode: 'NO_TICKET_FIELDS' });
  }
  const ticket: CrmField[] = [];
  for (const f of fields) {
    const prop = Object.entries(TICKET_PROPS).find(([, type]) => type === f.type)?.[0];
    const name = prop ?? (f.default ? undefined : f.name);
    if (!name) continue;
    const options = choiceNames(f.choices);
    ticket.push({ name, label: f.required_for_agents ? `${f.label} *` : f.label, type: f.type, ...(options.length ? { options } : {}) });
  }
  return { ticket };
}

async function groups(ctx: FreshdeskContext, signal?: AbortSignal): Promise<FieldChoice[]> {
  const out: FieldChoice[] = [];
  let path: string | undefined = 'api/v2/groups?per_page=100&page=1';
  for (let i = 0; path && i < 20; i++) {
    let link: string | null = null;
    const page: z.infer<typeof groupSchema>[] = await call(ctx, 'get', path, { schema: z.array(groupSchema), signal, onHeaders: (h) => (link = h.get('link')) });
    out.push(...page.map((g) => ({ value: String(g.id), label: g.name })));
    path = nextPage(link);
  }
  return out;
}

/** The settings form's choices: groups, ticket types, priorities. */
export async function fieldChoices(ctx: FreshdeskContext, fieldKey: string, signal?: AbortSignal): Promise<FieldChoice[] | undefined> {
  if (fieldKey === 'groupId') return groups(ctx, signal);
  if (fieldKey === 'ticketType') {
    const type = (await ticketFields(ctx, signal, true)).find((f) => f.type === 'default_ticket_type');
    return choiceNames(type?.choices).map((v) => ({ value: v, label: v }));
  }
  if (Object.values(PRIORITY_FIELDS).some((f) => f.key === fieldKey)) {
    const field = (await ticketFields(ctx, signal, true)).find((f) => f.type === 'default_priority');
    const choices = field?.choices && typeof field.choices === 'object' && !Array.isArray(field.choices) ? (field.choices as Record<string, unknown>) : {};
    const listed = Object.entries(choices).filter(([, v]) => typeof v === 'number' && v >= 1 && v <= 4).map(([name, v]) => ({ value: String(v), label: name }));
    return listed.length ? listed : Object.entries(FRESHDESK_PRIORITY_NAMES).map(([v, name]) => ({ value: v, label: name }));
  }
  return undefined;
}

export { FRESHDESK_STATUSES };
