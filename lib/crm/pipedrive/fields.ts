// The company's fields (GET /v1/personFields, /v1/dealFields, /v1/noteFields) for listFields and
// prepare(): Liaison's own custom fields found by name, else created (POST /v1/personFields,
// /v1/dealFields {name, field_type:'varchar'}). Pipedrive names custom fields by a 40-hex key;
// settings keep the keys, and a write that finds them missing finds or creates them itself.
import { z } from 'zod';
import { CrmError } from '../errors';
import type { CrmFieldList, PrepareResult } from '../port';
import { call, type PipedriveContext } from './client';
import { LIAISON_CODE_FIELD, LIAISON_KEY_FIELD } from './spec';

const fieldSchema = z.object({
  key: z.string(),
  name: z.string(),
  field_type: z.string().optional(),
  edit_flag: z.boolean().optional(),
  bulk_edit_allowed: z.boolean().optional(),
  options: z.array(z.object({ label: z.string() }).passthrough()).nullable().optional(),
});
type Field = z.infer<typeof fieldSchema>;
const listReply = z.object({ data: z.array(fieldSchema).nullable(), additional_data: z.object({ pagination: z.object({ more_items_in_collection: z.boolean().optional(), next_start: z.number().optional() }).optional() }).nullable().optional() });
const oneReply = z.object({ data: fieldSchema });

type Entity = 'person' | 'deal' | 'note';

export function fieldsOf(ctx: PipedriveContext, entity: Entity, signal?: AbortSignal, fresh = false): Promise<Field[]> {
  const key = entity;
  if (fresh) ctx.fieldCache.delete(key);
  let p = ctx.fieldCache.get(key) as Promise<Field[]> | undefined;
  if (!p) {
    p = (async () => {
      const out: Field[] = [];
      let start = 0;
      for (let i = 0; i < 20; i++) {
        // noteFields takes no paging parameters (v1 file); the others page by start/limit.
        const r = await call(ctx, 'get', `v1/${entity}Fields`, { ...(entity === 'note' ? {} : { searchParams: { start, limit: 500 } }), schema: listReply, signal });
        out.push(...(r.data ?? []));
        const pg = r.additional_data?.pagination;
        if (!pg?.more_items_in_collection || pg.next_start === undefined) break;
        start = pg.next_start;
      }
      return out;
    })();
    ctx.fieldCache.set(key, p);
    p.catch(() => ctx.fieldCache.delete(key));
  }
  return p;
}

async function ensureField(ctx: PipedriveContext, entity: 'person' | 'deal', name: string, created: string[], signal?: AbortSignal): Promise<string> {
  const found = (await fieldsOf(ctx, entity, signal)).find((f) => f.name === name);
  if (found) return found.key;
  const r = await call(ctx, 'post', `v1/${entity}Fields`, { json: { name, field_type: 'varchar' }, write: true, schema: oneReply, signal });
  ctx.fieldCache.delete(entity);
  created.push(`${entity}.${name}`);
  return r.data.key;
}

/** The custom field keys, from settings or found/created now (cached on the context). */
export async function keyFields(ctx: PipedriveContext, signal?: AbortSignal): Promise<{ personKey: string; personCode: string; dealKey: string; created: string[] }> {
  const s = ctx.config.settings;
  const created: string[] = [];
  const personKey = s.person_key_field ?? (await ensureField(ctx, 'person', LIAISON_KEY_FIELD, created, signal));
  const personCode = s.person_code_field ?? (await ensureField(ctx, 'person', LIAISON_CODE_FIELD, created, signal));
  const dealKey = s.deal_key_field ?? (await ensureField(ctx, 'deal', LIAISON_KEY_FIELD, created, signal));
  // Later writes of this instance use them without asking again.
  Object.assign(ctx.config.settings, { person_key_field: personKey, person_code_field: personCode, deal_key_field: dealKey });
  return { personKey, personCode, dealKey, created };
}

export async function prepare(ctx: PipedriveContext, signal?: AbortSignal): Promise<PrepareResult> {
  try {
    const k = await keyFields(ctx, signal);
    return { settings: { person_key_field: k.personKey, person_code_field: k.personCode, deal_key_field: k.dealKey }, created: k.created, problems: [], usable: true };
  } catch (e) {
    if (e instanceof CrmError && e.kind === 'auth' && e.status === 403) {
      return { settings: {}, created: [], problems: [`${LIAISON_KEY_FIELD}: ${e.message}`], usable: false };
    }
    throw e;
  }
}

const STANDARD: Record<Entity, string[]> = { person: ['name'], deal: ['title', 'value'], note: ['content'] };

/** Writable fields per section: the standard ones a template may set, and every editable custom field except Liaison's own. */
export async function listFields(ctx: PipedriveContext, signal?: AbortSignal): Promise<CrmFieldList> {
  const s = ctx.config.settings;
  const reserved = new Set([s.person_key_field, s.deal_key_field].filter(Boolean));
  const section = async (entity: Entity) => {
    const fields = await fieldsOf(ctx, entity, signal, true);
    const custom = fields.filter((f) => /^[0-9a-f]{40}$/.test(f.key) && !reserved.has(f.key) && f.name !== LIAISON_KEY_FIELD);
    return [
      ...STANDARD[entity].map((name) => ({ name, label: fields.find((f) => f.key === name)?.name ?? name, type: fields.find((f) => f.key === name)?.field_type ?? 'varchar' })),
      ...custom.map((f) => ({ name: f.key, label: f.name, ...(f.field_type ? { type: f.field_type } : {}), ...(f.options?.length ? { options: f.options.map((o) => o.label) } : {}) })),
    ];
  };
  return { customer: await section('person'), deal: await section('deal'), followUp: await section('note') };
}
