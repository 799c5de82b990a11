// verify ("test connection"): GET /services/oauth2/userinfo on the instance with the bearer
// token — cheap, and it names the user. Account shown: username @ instance host.
import { z } from 'zod';
import type { VerifyResult } from '../port';
import { sfCall, type SalesforceContext } from './client';

const userinfo = z.object({ preferred_username: z.string().optional(), email: z.string().optional(), organization_id: z.string().optional() }).passthrough();

export async function verify(ctx: SalesforceContext, signal?: AbortSignal): Promise<VerifyResult> {
  const u = await sfCall(ctx, 'get', '/services/oauth2/userinfo', { signal, schema: userinfo });
  const host = new URL(ctx.session.current().instanceUrl).host;
  return { account: `${u.preferred_username ?? u.email ?? u.organization_id ?? 'Salesforce'} @ ${host}` };
}
