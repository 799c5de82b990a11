// A follow-up on a ticket as an Asana comment: a story (POST /tasks/{gid}/stories {data:{text}}).
// Stories take no idempotency key: the text's last line carries Liaison's key (text.ts), and a
// create first reads the task's stories for it (GET /tasks/{gid}/stories, oldest first, paged),
// again after an unknown outcome. Stories are read from the task itself, so a committed comment is
// found at once.
import { z } from 'zod';
import type { FollowUp } from '../../model';
import { CrmError } from '../errors';
import type { RemoteRef, WriteOptions } from '../port';
import { call, notGid, type AsanaContext } from './client';
import { pages } from './fields';
import { followUpText, hasMarker, markerLine } from './text';

const storySchema = z.object({ gid: z.string(), text: z.string().nullable().optional(), resource_subtype: z.string().optional() }).passthrough();

async function findMarked(ctx: AsanaContext, taskGid: string, marker: string, signal?: AbortSignal): Promise<string | undefined> {
  const stories = await pages(ctx, `tasks/${taskGid}/stories`, storySchema, { opt_fields: 'text,resource_subtype' }, signal);
  return stories.find((s) => s.resource_subtype === 'comment_added' && hasMarker(s.text ?? undefined, marker))?.gid;
}

export async function addTicketComment(ctx: AsanaContext, taskGid: string, f: FollowUp, opts: WriteOptions): Promise<RemoteRef> {
  const bad = notGid(taskGid);
  if (bad) throw bad;
  if (opts.fields && Object.keys(opts.fields).length) {
    throw new CrmError('validation', 'Asana: a comment has no fields a template could write', { vendorCode: 'FIELD_NOT_WRITABLE' });
  }
  const marker = markerLine(opts.idempotencyKey);
  const existing = await findMarked(ctx, taskGid, marker, opts.signal);
  if (existing) return { remoteId: existing };
  try {
    const s = await call(ctx, 'post', `tasks/${taskGid}/stories`, { data: { text: followUpText(f, opts.idempotencyKey) }, write: true, schema: storySchema, signal: opts.signal });
    return { remoteId: s.gid };
  } catch (e) {
    if (e instanceof CrmError && e.kind === 'unknown-outcome') {
      const again = await findMarked(ctx, taskGid, marker, opts.signal).catch(() => undefined);
      if (again) return { remoteId: again };
    }
    throw e;
  }
}
