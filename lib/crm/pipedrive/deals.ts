// Deals (API v2): POST /api/v2/deals {title, value, currency?, status, person_id, custom_fields}
// with the Liaison key in the deal custom field; a create first looks the key up
// (deals/search, exact match on custom fields). Read back: GET /api/v2/deals?person_id.
import { z } from 'zod';
import type { Deal } from '../../model';
import type { ListOptions, RemoteDeal, RemoteRef, WriteOptions } from '../port';
import { call, notValidId, parseTime, type PipedriveContext } from './client';
import { keyFields } from './fields';
import { dealStatus, dealTitle, liaisonStatus, templateInto } from './values';

const dealSchema = z.object({
  id: z.number(),
  title: z.string().optional().default(''),
  value: z.number().nullable().optional(),
  status: z.string().optional(),
  add_time: z.string().optional(),
  close_time: z.string().nullable().optional(),
  owner_id: z.number().optional(),
  person_id: z.number().nullable().optional(),
  custom_fields: z.record(z.string(), z.unknown()).nullable().optional(),
});
const one = z.object({ data: dealSchema });
const list = z.object({ data: z.array(dealSchema).nullable(), additional_data: z.object({ next_cursor: z.string().nullable().optional() }).nullable().optional() });
const searchReply = z.object({ data: z.object({ items: z.array(z.object({ item: z.object({ id: z.number() }).passthrough() })) }).nullable() });

export async function createDeal(ctx: PipedriveContext, personId: string, d: Deal, opts: WriteOptions): Promise<RemoteRef> {
  const bad = notValidId(personId);
  if (bad) throw bad;
  const { dealKey } = await keyFields(ctx, opts.signal);
  const body: Record<string, unknown> = { title: dealTitle(d), person_id: Number(personId), status: dealStatus(d.status), ...(d.amount !== undefined ? { value: d.amount } : {}), ...(ctx.config.settings.currency ? { currency: ctx.config.settings.currency } : {}) };
  templateInto(body, opts.fields, [dealKey], ['title', 'value']);
  body.custom_fields = { ...((body.custom_fields as Record<string, unknown>) ?? {}), [dealKey]: d.id };
  const found = await call(ctx, 'get', 'api/v2/deals/search', { searchParams: { term: d.id, fields: 'custom_fields', exact_match: true, person_id: Number(personId) }, search: true, schema: searchReply, signal: opts.signal });
  const existing = found.data?.items[0]?.item;
  if (existing) return { remoteId: String(existing.id) };
  const created = (await call(ctx, 'post', 'api/v2/deals', { json: body, write: true, schema: one, signal: opts.signal })).data;
  return { remoteId: String(created.id) };
}

export async function listDeals(ctx: PipedriveContext, personId: string, o: ListOptions = {}): Promise<RemoteDeal[]> {
  const bad = notValidId(personId);
  if (bad) throw bad;
  const key = ctx.config.settings.deal_key_field;
  const out: RemoteDeal[] = [];
  let cursor: string | undefined;
  const max = o.limit ?? 200;
  do {
    const r = await call(ctx, 'get', 'api/v2/deals', { searchParams: { person_id: Number(personId), sort_by: 'add_time', sort_direction: 'desc', limit: Math.min(100, max - out.length), ...(cursor ? { cursor } : {}) }, schema: list, signal: o.signal });
    for (const d of r.data ?? []) {
      const createdAt = parseTime(d.add_time);
      const closedAt = parseTime(d.close_time);
      const liaisonKey = key ? d.custom_fields?.[key] : undefined;
      out.push({
        remoteId: String(d.id), product: d.title, status: liaisonStatus(d.status),
        ...(typeof d.value === 'number' ? { amount: d.value } : {}), ...(closedAt !== undefined ? { closedAt } : {}), ...(createdAt !== undefined ? { createdAt } : {}),
        ...(d.owner_id !== undefined ? { by: String(d.owner_id) } : {}), ...(typeof liaisonKey === 'string' && liaisonKey ? { liaisonKey } : {}),
      });
    }
    cursor = r.additional_data?.next_cursor ?? undefined;
  } while (cursor && out.length < max);
  return out.filter((d) => o.since === undefined || (d.createdAt ?? 0) >= o.since);
}
