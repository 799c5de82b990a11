// A follow-up on a ticket as a private note (POST /api/v2/tickets/{id}/notes {body, private:true};
// agents see it, the requester does not). Notes take no idempotency key: the body's last line
// carries Liaison's key ([Liaison <key>]) and a create first reads the ticket's conversations
// (GET /api/v2/tickets/{id}/conversations, oldest first, 100 a page, Link header) for it, and
// again after an unknown outcome. The conversations list reads the ticket itself, so a note that
// committed is found at once.
import { z } from 'zod';
import type { FollowUp } from '../../model';
import { CrmError } from '../errors';
import type { RemoteRef, WriteOptions } from '../port';
import { call, nextPage, notValidId, parseTime, type FreshdeskContext } from './client';
import { escapeHtml, stamp } from './tickets';

const conversationSchema = z.object({ id: z.number(), body: z.string().nullable().optional(), body_text: z.string().nullable().optional(), private: z.boolean().optional(), updated_at: z.string().optional() }).passthrough();
const MAX_PAGES = 10;

export const noteMarker = (idempotencyKey: string) => `[Liaison ${idempotencyKey}]`;

/** The note's HTML: the follow-up, its method/result/next step, and the marker last. */
export function noteBody(f: FollowUp, idempotencyKey: string): string {
  const lines = [f.content.trim(), `跟进方式：${f.method}`];
  if (f.result) lines.push(`跟进结果：${f.result}`);
  if (f.nextAction) lines.push(`下次行动：${f.nextAction}`);
  if (f.nextAt !== undefined) lines.push(`下次时间：${stamp(f.nextAt)}`);
  lines.push(noteMarker(idempotencyKey));
  return lines.map((l) => `<p>${escapeHtml(l).replace(/\n/g, '<br>')}</p>`).join('');
}

async function findMarked(ctx: FreshdeskContext, ticketId: string, marker: string, signal?: AbortSignal): Promise<number | undefined> {
  const escaped = escapeHtml(marker);
  let path: string | undefined = `api/v2/tickets/${ticketId}/conversations?per_page=100&page=1`;
  for (let i = 0; path && i < MAX_PAGES; i++) {
    let link: string | null = null;
    const page: z.infer<typeof conversationSchema>[] = await call(ctx, 'get', path, { schema: z.array(conversationSchema), signal, onHeaders: (h) => (link = h.get('link')) });
    const mine = page.find((c) => (c.body_text ?? '').includes(marker) || (c.body ?? '').includes(escaped));
    if (mine) return mine.id;
    path = nextPage(link);
  }
  return undefined;
}

export async function addTicketComment(ctx: FreshdeskContext, ticketId: string, f: FollowUp, opts: WriteOptions): Promise<RemoteRef> {
  const bad = notValidId(ticketId);
  if (bad) throw bad;
  if (opts.fields && Object.keys(opts.fields).length) {
    throw new CrmError('validation', 'Freshdesk: a note has no fields a template could write', { vendorCode: 'FIELD_NOT_WRITABLE' });
  }
  const marker = noteMarker(opts.idempotencyKey);
  const existing = await findMarked(ctx, ticketId, marker, opts.signal);
  if (existing !== undefined) return { remoteId: String(existing) };
  try {
    const n = await call(ctx, 'post', `api/v2/tickets/${ticketId}/notes`, { json: { body: noteBody(f, opts.idempotencyKey), private: true }, write: true, schema: conversationSchema, signal: opts.signal });
    const t = parseTime(n.updated_at);
    return { remoteId: String(n.id), ...(t !== undefined ? { marker: String(t) } : {}) };
  } catch (e) {
    if (e instanceof CrmError && e.kind === 'unknown-outcome') {
      const again = await findMarked(ctx, ticketId, marker, opts.signal).catch(() => undefined);
      if (again !== undefined) return { remoteId: String(again) };
    }
    throw e;
  }
}
