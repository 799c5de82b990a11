// "Test connection": GET /crm/v8/users?type=CurrentUser names who signed in, GET /crm/v8/org the
// organisation (users.json, org.json).
import { z } from 'zod';
import type { VerifyResult } from '../port';
import { call, type ZohoContext } from './client';

const usersReply = z.object({ users: z.array(z.object({ full_name: z.string().optional(), email: z.string().optional(), id: z.string() }).passthrough()).min(1) });
const orgReply = z.object({ org: z.array(z.object({ company_name: z.string().nullable().optional(), domain_name: z.string().nullable().optional() }).passthrough()).min(1) });

export async function verify(ctx: ZohoContext, signal?: AbortSignal): Promise<VerifyResult> {
  const me = (await call(ctx, 'get', 'crm/v8/users', { searchParams: { type: 'CurrentUser' }, schema: usersReply, signal })).users[0]!;
  const org = (await call(ctx, 'get', 'crm/v8/org', { schema: orgReply, signal })).org[0]!;
  return { account: `${me.full_name ?? me.id}${me.email ? ` <${me.email}>` : ''}${org.company_name ? ` · ${org.company_name}` : ''} (zoho.${ctx.config.dc})` };
}
