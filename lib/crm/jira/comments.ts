// A follow-up on a ticket as a Jira comment (POST /rest/api/3/issue/{id}/comment, ADF body).
// Comments take no idempotency key: the body's last line carries Liaison's key (adf.ts
// commentMarker), and a create first reads the issue's newest comments for it, and again after an
// unknown outcome. Unlike JQL search, GET /comment reads the issue itself, so a comment that
// committed is found at once.
import { z } from 'zod';
import type { FollowUp } from '../../model';
import { CrmError } from '../errors';
import type { RemoteRef, WriteOptions } from '../port';
import { adfTexts, commentMarker, followUpComment } from './adf';
import { call, notIssueId, type JiraContext } from './client';

const commentSchema = z.object({ id: z.string(), body: z.unknown().optional(), created: z.string().optional() }).passthrough();
const pageSchema = z.object({ comments: z.array(commentSchema).optional(), startAt: z.number().optional(), total: z.number().optional() });
const created = z.object({ id: z.string() }).passthrough();

const PAGE = 100;
/** How far back a retry looks: a follow-up's retry comes within the outbox's lifetime of an entry. */
const MAX_SCANNED = 1000;

async function findMarked(ctx: JiraContext, issueId: string, marker: string, signal?: AbortSignal): Promise<string | undefined> {
  for (let startAt = 0; startAt < MAX_SCANNED; ) {
    const r = await call(ctx, 'get', `rest/api/3/issue/${issueId}/comment`, { searchParams: { startAt, maxResults: PAGE, orderBy: '-created' }, schema: pageSchema, signal });
    const got = r.comments ?? [];
    const mine = got.find((c) => adfTexts(c.body).includes(marker));
    if (mine) return mine.id;
    startAt += got.length;
    if (!got.length || r.total === undefined || startAt >= r.total) return undefined;
  }
  return undefined;
}

export async function addTicketComment(ctx: JiraContext, issueId: string, f: FollowUp, opts: WriteOptions): Promise<RemoteRef> {
  const bad = notIssueId(issueId);
  if (bad) throw bad;
  if (opts.fields && Object.keys(opts.fields).length) {
    throw new CrmError('validation', 'Jira: a comment has no fields a template could write', { vendorCode: 'FIELD_NOT_WRITABLE' });
  }
  const marker = commentMarker(opts.idempotencyKey);
  const existing = await findMarked(ctx, issueId, marker, opts.signal);
  if (existing) return { remoteId: existing };
  try {
    const c = await call(ctx, 'post', `rest/api/3/issue/${issueId}/comment`, { json: { body: followUpComment(f, opts.idempotencyKey) }, write: true, schema: created, signal: opts.signal });
    return { remoteId: c.id };
  } catch (e) {
    if (e instanceof CrmError && e.kind === 'unknown-outcome') {
      const again = await findMarked(ctx, issueId, marker, opts.signal).catch(() => undefined);
      if (again) return { remoteId: again };
    }
    throw e;
  }
}
