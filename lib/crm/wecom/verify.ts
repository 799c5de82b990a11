// "Test connection": a token for corpid + secret (gettoken), the app by agentid (agent/get: its
// name), the follow user (user/get: their name) and one page of their customers
// (batch/get_by_user limit 1: proves the app is in 「客户联系 可调用接口的应用」, else 48002).
import { z } from 'zod';
import type { VerifyResult } from '../port';
import { call, type WecomContext } from './client';

const agentReply = z.object({ agentid: z.number().int(), name: z.string() }).passthrough();
const userReply = z.object({ userid: z.string(), name: z.string().optional() }).passthrough();
const pageReply = z.object({ external_contact_list: z.array(z.unknown()).default([]) }).passthrough();

export async function verify(ctx: WecomContext, signal?: AbortSignal): Promise<VerifyResult> {
  await ctx.session.token(signal);
  const agent = ctx.config.agentid ? await call(ctx, 'get', 'cgi-bin/agent/get', { searchParams: { agentid: ctx.config.agentid }, schema: agentReply, signal }) : undefined;
  const user = await call(ctx, 'get', 'cgi-bin/user/get', { searchParams: { userid: ctx.config.followUserId }, schema: userReply, signal });
  await call(ctx, 'post', 'cgi-bin/externalcontact/batch/get_by_user', { json: { userid_list: [ctx.config.followUserId], cursor: '', limit: 1 }, schema: pageReply, signal });
  return { account: `${user.name ?? user.userid} (${user.userid})${agent ? ` · 应用 ${agent.name} (${agent.agentid})` : ''} · 企业 ${ctx.config.corpid}` };
}
