// A follow-up on a ticket as a ClickUp task comment (POST /v2/task/{task_id}/comment, which
// requires comment_text and notify_all: clickup.json CreateTaskCommentrequest). Comments take no
// idempotency key: the text's last line carries Liaison's key (text.ts keyMarker), and a create
// first reads the task's comments for it, and again after an unknown outcome. GET
// /v2/task/{id}/comment answers the newest 25 comments; older pages are asked for with `start`
// (the date) and `start_id` of the oldest comment seen ("Get Task Comments", clickup.json).
import { z } from 'zod';
import type { FollowUp } from '../../model';
import { CrmError } from '../errors';
import type { RemoteRef, WriteOptions } from '../port';
import { call, notTaskId, type ClickUpContext } from './client';
import { followUpComment, hasMarker } from './text';

const idSchema = z.union([z.string(), z.number()]).transform(String);
const commentSchema = z.object({ id: idSchema, comment_text: z.string(), date: z.union([z.string(), z.number()]).transform(Number) }).passthrough();
const pageSchema = z.object({ comments: z.array(commentSchema) });
const created = z.object({ id: idSchema, hist_id: z.string().optional(), date: z.number().optional() }).passthrough();

/** How far back a retry looks: a follow-up's retry comes within the outbox's lifetime of an entry. */
const MAX_PAGES = 40;

async function findMarked(ctx: ClickUpContext, taskId: string, key: string, signal?: AbortSignal): Promise<string | undefined> {
  let cursor: { start: number; start_id: string } | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const r = await call(ctx, 'get', `api/v2/task/${taskId}/comment`, { ...(cursor ? { searchParams: cursor } : {}), schema: pageSchema, signal });
    const mine = r.comments.find((c) => hasMarker(c.comment_text, key));
    if (mine) return mine.id;
    const oldest = r.comments.at(-1);
    if (!oldest || r.comments.length < 25) return undefined;
    cursor = { start: oldest.date, start_id: oldest.id };
  }
  return undefined;
}

export async function addTicketComment(ctx: ClickUpContext, taskId: string, f: FollowUp, opts: WriteOptions): Promise<RemoteRef> {
  const bad = notTaskId(taskId);
  if (bad) throw bad;
  if (opts.fields && Object.keys(opts.fields).length) {
    throw new CrmError('validation', 'ClickUp: a comment has no fields a template could write', { vendorCode: 'FIELD_NOT_WRITABLE' });
  }
  const existing = await findMarked(ctx, taskId, opts.idempotencyKey, opts.signal);
  if (existing) return { remoteId: existing };
  try {
    const c = await call(ctx, 'post', `api/v2/task/${taskId}/comment`, { json: { comment_text: followUpComment(f, opts.idempotencyKey), notify_all: false }, write: true, schema: created, signal: opts.signal });
    return { remoteId: c.id };
  } catch (e) {
    if (e instanceof CrmError && e.kind === 'unknown-outcome') {
      const again = await findMarked(ctx, taskId, opts.idempotencyKey, opts.signal).catch(() => undefined);
      if (again) return { remoteId: again };
    }
    throw e;
  }
}
