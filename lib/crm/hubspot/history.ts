// The read side for a contact's notes (follow-ups) and deals: the contact's associations
// (GET /crm/v4/objects/contacts/{id}/associations/{notes|deals}, 500 a page) then the records
// (POST /crm/v3/objects/{notes|deals}/batch/read, 100 ids a call). Both go through the general
// lane, not search: no search-index lag, and a note a colleague just logged is there at once.
// Cost per contact: 1 + ⌈n/100⌉ requests (+ the owners list, once per five minutes).
// Associations are not ordered by time, so every associated note is read and the newest `limit`
// kept; `since` is applied to the note's hs_timestamp.
//
// Authors: hubspot_owner_id, named through GET /crm/v3/owners (all owners, 500 a page, kept five
// minutes per adapter instance). That needs the crm.objects.owners.read scope, which Liaison only
// recommends: without it (403) the id is shown, and the owners are not asked again for five minutes.
import { z } from 'zod';
import { CrmError } from '../errors';
import type { ListOptions, RemoteDeal, RemoteFollowUp } from '../port';
import { call, type HubspotContext } from './client';
import { associatedIds, batchRead, type HubspotObject } from './objects';
import { dealStatus, hubspotTime, parseNoteBody } from './read-values';
import { LIAISON_ID_PROPERTY } from './spec';

export const NOTE_READ_PROPERTIES = ['hs_note_body', 'hs_timestamp', 'hubspot_owner_id', 'hs_createdate'];
export const DEAL_READ_PROPERTIES = ['dealname', 'amount', 'dealstage', 'pipeline', 'closedate', 'createdate', 'hubspot_owner_id', LIAISON_ID_PROPERTY];

const ownersReply = z.object({
  results: z.array(
    z.object({
      id: z.string().min(1),
      email: z.string().nullish(),
      firstName: z.string().nullish(),
      lastName: z.string().nullish(),
    }),
  ),
  paging: z.object({ next: z.object({ after: z.string() }).optional() }).optional(),
});

async function loadOwners(ctx: HubspotContext, signal?: AbortSignal): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  let after: string | undefined;
  for (let page = 0; page < 20; page++) {
    let reply: z.infer<typeof ownersReply>;
    try {
      reply = await call(ctx, 'get', 'crm/v3/owners', { searchParams: { limit: 500, after, archived: false }, signal, schema: ownersReply });
    } catch (e) {
      // No owners scope (403), or an account without the endpoint: names stay ids.
      if (e instanceof CrmError && (e.kind === 'auth' || e.kind === 'not-found')) return names;
      throw e;
    }
    for (const o of reply.results) {
      const name = [o.firstName?.trim(), o.lastName?.trim()].filter(Boolean).join(' ') || o.email?.trim();
      if (name) names.set(o.id, name);
    }
    after = reply.paging?.next?.after;
    if (!after) break;
  }
  return names;
}

/** The owner's name when HubSpot lets us know it, else the owner id. */
async function authorOf(ctx: HubspotContext, ownerId: string | null | undefined, signal?: AbortSignal): Promise<string | undefined> {
  const id = ownerId?.trim();
  if (!id) return undefined;
  const names = await ctx.owners.get('owners', () => loadOwners(ctx, signal));
  return names.get(id) ?? id;
}

async function associated(ctx: HubspotContext, contactId: string, type: 'notes' | 'deals', properties: string[], signal?: AbortSignal): Promise<HubspotObject[]> {
  if (!/^\d+$/.test(contactId)) throw new CrmError('validation', 'HubSpot: a contact id is a number');
  const ids = await associatedIds(ctx, 'contacts', contactId, type, signal);
  return ids.length ? batchRead(ctx, type, ids, properties, signal) : [];
}

export async function listFollowUps(ctx: HubspotContext, contactId: string, opts: ListOptions = {}): Promise<RemoteFollowUp[]> {
  const notes = await associated(ctx, contactId, 'notes', NOTE_READ_PROPERTIES, opts.signal);
  const rows: { o: HubspotObject; at: number }[] = [];
  for (const o of notes) {
    const at = hubspotTime(o.properties.hs_timestamp) ?? hubspotTime(o.properties.hs_createdate) ?? hubspotTime(o.createdAt);
    // A note without any time cannot be placed in the history: left out rather than dated now.
    if (at === undefined) continue;
    if (opts.since !== undefined && at < opts.since) continue;
    rows.push({ o, at });
  }
  rows.sort((a, b) => b.at - a.at || Number(b.o.id) - Number(a.o.id));
  const kept = opts.limit !== undefined ? rows.slice(0, Math.max(0, opts.limit)) : rows;
  const out: RemoteFollowUp[] = [];
  for (const { o, at } of kept) {
    const body = parseNoteBody(o.properties.hs_note_body ?? '');
    const by = await authorOf(ctx, o.properties.hubspot_owner_id, opts.signal);
    out.push({
      remoteId: o.id,
      at,
      content: body.content,
      ...(body.method ? { method: body.method } : {}),
      ...(body.result ? { result: body.result } : {}),
      ...(body.nextAction ? { nextAction: body.nextAction } : {}),
      ...(body.nextAt !== undefined ? { nextAt: body.nextAt } : {}),
      ...(by ? { by } : {}),
      ...(body.liaisonKey ? { liaisonKey: body.liaisonKey } : {}),
    });
  }
  return out;
}

/** values.ts writes dealname "product · institution": the product is the part before the first " · ". */
const productOf = (dealname: string) => dealname.split(' · ')[0]!.trim().slice(0, 100);

/**
 * The contact's deals, newest first. A deal whose stage cannot be read as a Liaison status (a
 * pipeline other than the default one) is left out: RemoteDeal needs a status, and a guessed one
 * would be wrong half the time.
 */
export async function listDeals(ctx: HubspotContext, contactId: string, opts: ListOptions = {}): Promise<RemoteDeal[]> {
  const deals = await associated(ctx, contactId, 'deals', DEAL_READ_PROPERTIES, opts.signal);
  const rows: RemoteDeal[] = [];
  for (const o of deals) {
    const p = o.properties;
    const status = dealStatus(p.dealstage?.trim() || undefined, p.pipeline?.trim() || undefined);
    if (!status) continue;
    const createdAt = hubspotTime(p.createdate) ?? hubspotTime(o.createdAt);
    if (opts.since !== undefined && createdAt !== undefined && createdAt < opts.since) continue;
    const amount = p.amount?.trim();
    const closedAt = hubspotTime(p.closedate);
    const by = await authorOf(ctx, p.hubspot_owner_id, opts.signal);
    const key = p[LIAISON_ID_PROPERTY]?.trim();
    rows.push({
      remoteId: o.id,
      product: productOf(p.dealname ?? '') || o.id,
      ...(amount && /^\d+(\.\d+)?$/.test(amount) ? { amount: Number(amount) } : {}),
      status,
      ...(closedAt !== undefined ? { closedAt } : {}),
      ...(createdAt !== undefined ? { createdAt } : {}),
      ...(by ? { by } : {}),
      ...(key ? { liaisonKey: key } : {}),
    });
  }
  rows.sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0) || Number(b.remoteId) - Number(a.remoteId));
  return opts.limit !== undefined ? rows.slice(0, Math.max(0, opts.limit)) : rows;
}
