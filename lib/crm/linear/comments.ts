// A follow-up on a ticket as a Linear comment (commentCreate). Like issueCreate, commentCreate
// takes the comment's own `id` (CommentCreateInput.id, "in UUID v4 format"): Liaison derives it
// from the follow-up's outbox key (ids.ts), looks it up before creating and after an unknown
// outcome (`comments(filter: {id: {eq}})`), and a retry that still misses sends the same id,
// which Linear cannot store twice. The body's last line names the key for people reading it.
import { z } from 'zod';
import type { FollowUp } from '../../model';
import { CrmError } from '../errors';
import type { RemoteRef, WriteOptions } from '../port';
import { abortableSleep } from '../rate-limiter';
import { gql, type LinearContext } from './client';
import { linearIdFor } from './ids';
import { notUuid } from './issues';
import { followUpComment } from './markdown';

const FIND = 'query CommentById($id: ID) { comments(filter: { id: { eq: $id } }, first: 1) { nodes { id issue { id } } } }';
const findReply = z.object({ comments: z.object({ nodes: z.array(z.object({ id: z.string(), issue: z.object({ id: z.string() }).nullable().optional() })) }) });
const CREATE = 'mutation CommentCreate($input: CommentCreateInput!) { commentCreate(input: $input) { success comment { id } } }';
const createReply = z.object({ commentCreate: z.object({ success: z.boolean(), comment: z.object({ id: z.string() }) }) });

async function exists(ctx: LinearContext, id: string, signal?: AbortSignal): Promise<boolean> {
  const r = await gql(ctx, FIND, { variables: { id }, schema: findReply, signal });
  return r.comments.nodes.length > 0;
}

export async function addTicketComment(ctx: LinearContext, issueId: string, f: FollowUp, opts: WriteOptions): Promise<RemoteRef> {
  const bad = notUuid(issueId);
  if (bad) throw bad;
  if (opts.fields && Object.keys(opts.fields).length) {
    throw new CrmError('validation', 'Linear: a comment has no fields a template could write', { vendorCode: 'FIELD_NOT_WRITABLE' });
  }
  const id = await linearIdFor('comment', opts.idempotencyKey);
  if (await exists(ctx, id, opts.signal)) return { remoteId: id };
  try {
    const r = await gql(ctx, CREATE, { variables: { input: { id, issueId, body: followUpComment(f, opts.idempotencyKey) } }, write: true, schema: createReply, signal: opts.signal });
    if (!r.commentCreate.success) throw new CrmError('validation', 'Linear: commentCreate answered success: false', { vendorCode: 'NOT_CREATED' });
    return { remoteId: r.commentCreate.comment.id };
  } catch (e) {
    if (!(e instanceof CrmError) || (e.kind !== 'unknown-outcome' && e.kind !== 'validation')) throw e;
    for (const delay of e.kind === 'unknown-outcome' ? ctx.reconcileDelaysMs : [0]) {
      if (delay) await abortableSleep(delay, opts.signal);
      if (await exists(ctx, id, opts.signal).catch(() => false)) return { remoteId: id };
    }
    throw e;
  }
}
