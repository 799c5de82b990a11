// A follow-up on a ticket as a Trello comment (POST /1/cards/{id}/actions/comments, text in a
// JSON body: client.ts says why).
// Comments take no idempotency key: the text's last line carries Liaison's key (text.ts
// markerLine), and a create first reads the card's comments for it (GET
// /1/cards/{id}/actions?filter=commentCard, newest first, 50 a page, page ≤ 19 in trello.json),
// and again after an unknown outcome. The actions are read from the card itself, so a comment
// that committed is found at once.
import { z } from 'zod';
import type { FollowUp } from '../../model';
import { CrmError } from '../errors';
import type { RemoteRef, WriteOptions } from '../port';
import { call, notTrelloId, type TrelloContext } from './client';
import { followUpComment, hasMarker, markerLine } from './text';

const actionSchema = z.object({ id: z.string(), type: z.string().optional(), data: z.object({ text: z.string().optional() }).passthrough().optional() }).passthrough();

/** Trello's page of actions (its default limit) and the last page trello.json allows. */
const PAGE = 50;
const LAST_PAGE = 19;

async function findMarked(ctx: TrelloContext, cardId: string, marker: string, signal?: AbortSignal): Promise<string | undefined> {
  for (let page = 0; page <= LAST_PAGE; page++) {
    const got = await call(ctx, 'get', `cards/${cardId}/actions`, { searchParams: { filter: 'commentCard', page }, schema: z.array(actionSchema), signal });
    const mine = got.find((a) => a.type === 'commentCard' && hasMarker(a.data?.text, marker));
    if (mine) return mine.id;
    if (got.length < PAGE) return undefined;
  }
  return undefined;
}

export async function addTicketComment(ctx: TrelloContext, cardId: string, f: FollowUp, opts: WriteOptions): Promise<RemoteRef> {
  const bad = notTrelloId(cardId, 'card');
  if (bad) throw bad;
  if (opts.fields && Object.keys(opts.fields).length) {
    throw new CrmError('validation', 'Trello: a comment has no fields a template could write', { vendorCode: 'FIELD_NOT_WRITABLE' });
  }
  const marker = markerLine(opts.idempotencyKey);
  const text = followUpComment(f, opts.idempotencyKey);
  const existing = await findMarked(ctx, cardId, marker, opts.signal);
  if (existing) return { remoteId: existing };
  try {
    const a = await call(ctx, 'post', `cards/${cardId}/actions/comments`, { json: { text }, write: true, schema: actionSchema, signal: opts.signal });
    return { remoteId: a.id };
  } catch (e) {
    if (e instanceof CrmError && e.kind === 'unknown-outcome') {
      const again = await findMarked(ctx, cardId, marker, opts.signal).catch(() => undefined);
      if (again) return { remoteId: again };
    }
    throw e;
  }
}
