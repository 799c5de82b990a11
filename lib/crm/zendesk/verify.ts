// "Test connection": GET /api/v2/users/me names the user the token acts as. Zendesk answers this
// endpoint for anonymous callers too (an "Anonymous user" with no id), and an end user's
// credentials pass it: neither can create tickets, so both are refused here with the reason.
import { z } from 'zod';
import { CrmError } from '../errors';
import type { VerifyResult } from '../port';
import { call, type ZendeskContext } from './client';

const meReply = z.object({ user: z.object({ id: z.number().nullable(), name: z.string(), email: z.string().nullable().optional(), role: z.string().optional() }).passthrough() });

export async function verify(ctx: ZendeskContext, signal?: AbortSignal): Promise<VerifyResult> {
  const me = (await call(ctx, 'get', 'api/v2/users/me', { schema: meReply, signal })).user;
  const host = `${ctx.config.subdomain}.zendesk.com`;
  if (me.id === null) {
    throw new CrmError('auth', `Zendesk ${host} answered as an anonymous user`, {
      userMessage: { zh_CN: 'Zendesk 把这次请求当作匿名访问：请检查邮箱和 API 令牌', en: 'Zendesk treated the request as anonymous: check the email and API token' },
    });
  }
  if (me.role !== 'agent' && me.role !== 'admin') {
    throw new CrmError('auth', `Zendesk ${host}: ${me.role ?? 'unknown'} role cannot create tickets for others`, {
      status: 403,
      userMessage: { zh_CN: `这个 Zendesk 账户是「${me.role ?? '未知'}」角色，需要客服（Agent）或管理员才能创建工单`, en: `This Zendesk account has the ${me.role ?? 'unknown'} role; an agent or admin is needed to create tickets` },
    });
  }
  return { account: `${me.name}${me.email ? ` <${me.email}>` : ''} · ${host} (${me.role})` };
}
