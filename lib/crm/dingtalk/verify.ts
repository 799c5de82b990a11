// "Test connection": a token for the app key + secret, the operator by userId (their name), and
// the customer form (proves the CRM app is enabled and the app may read it). Names the person,
// the customer object and the app.
import type { VerifyResult } from '../port';
import type { DingtalkContext } from './client';
import { customerMeta } from './fields';
import { operator } from './user';

export async function verify(ctx: DingtalkContext, signal?: AbortSignal): Promise<VerifyResult> {
  await ctx.session.token(signal);
  const me = await operator(ctx, signal);
  const meta = await customerMeta(ctx, signal);
  const kind = ctx.config.relationType === 'crm_customer' ? '企业客户' : '个人客户';
  return { account: `${me.name ?? me.userid} (${me.userid}) · 钉钉客户管理 ${meta.name ?? kind} · AppKey ${ctx.config.appKey}` };
}
