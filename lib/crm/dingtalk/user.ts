// The operator (settings.userId) as DingTalk knows them: oapi POST /topapi/v2/user/get
// {userid, language} → {errcode:0, result:{userid, unionid, name, active, …}} (查询用户详情,
// open.dingtalk.com/document/orgapp/query-user-details; its page was not in the store, the shape as
// third-party integrations describe it, read 2026-12-06). The unionId
// is what the todo API takes; the name is what "test connection" shows.
import { z } from 'zod';
import { memo, oapiCall, type DingtalkContext } from './client';

const userReply = z.object({ result: z.object({ userid: z.string(), unionid: z.string().min(1), name: z.string().optional() }).passthrough() });
export type DingtalkUser = z.infer<typeof userReply>['result'];

export function operator(ctx: DingtalkContext, signal?: AbortSignal): Promise<DingtalkUser> {
  return memo(ctx, 'operator', async () => (await oapiCall(ctx, 'topapi/v2/user/get', { json: { userid: ctx.config.userId, language: 'zh_CN' }, schema: userReply, signal })).result);
}
