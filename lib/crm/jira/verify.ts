// "Test connection": GET /rest/api/3/myself names the account the email and token belong to, and
// the site. With a project chosen, its create metadata is read too, so a project the account
// cannot create issues in is named now rather than at the first ticket.
import { z } from 'zod';
import type { VerifyResult } from '../port';
import { call, type JiraContext } from './client';
import { createMeta } from './fields';

const me = z.object({ accountId: z.string(), displayName: z.string().optional(), emailAddress: z.string().nullable().optional(), active: z.boolean().optional() }).passthrough();

export async function verify(ctx: JiraContext, signal?: AbortSignal): Promise<VerifyResult> {
  const m = await call(ctx, 'get', 'rest/api/3/myself', { schema: me, signal });
  const s = ctx.config.settings;
  if (s.projectKey && s.issueTypeId) await createMeta(ctx, signal, true);
  const who = `${m.displayName ?? m.accountId}${m.emailAddress ? ` <${m.emailAddress}>` : ''}`;
  return { account: `${who} · ${new URL(ctx.config.site).host}${s.projectKey ? ` · ${s.projectKey}` : ''}` };
}
