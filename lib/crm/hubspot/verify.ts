// verify ("test connection"): GET /crm/v3/objects/contacts?limit=1 proves the token reads
// contacts (401 → auth), then the private app token info (POST /oauth/v2/private-apps/get/
// access-token-info) gives the portal (hub) id and the granted scopes; missing contact scopes
// are an auth error naming them. Both calls are allowed while the daily quota is paused.
import { z } from 'zod';
import { CrmError } from '../errors';
import type { VerifyResult } from '../port';
import { call, objectPath, type HubspotContext } from './client';
import { REQUIRED_SCOPES } from './spec';

const listReply = z.object({ results: z.array(z.object({ id: z.string() })) });
const tokenInfo = z.object({ hubId: z.union([z.number(), z.string()]), scopes: z.array(z.string()).optional(), appId: z.union([z.number(), z.string()]).optional() });

export async function verify(ctx: HubspotContext, signal?: AbortSignal): Promise<VerifyResult> {
  await call(ctx, 'get', objectPath('contacts'), { searchParams: { limit: 1 }, essential: true, signal, schema: listReply });
  let info: z.infer<typeof tokenInfo>;
  try {
    info = await call(ctx, 'post', 'oauth/v2/private-apps/get/access-token-info', { json: { tokenKey: ctx.config.token }, essential: true, signal, schema: tokenInfo });
  } catch (e) {
    // The contacts call already proved the token; the portal id is a courtesy.
    if (e instanceof CrmError && e.kind !== 'auth') return { account: 'HubSpot' };
    throw e;
  }
  const missing = info.scopes ? REQUIRED_SCOPES.filter((s) => !info.scopes!.includes(s)) : [];
  if (missing.length) {
    throw new CrmError('auth', `HubSpot private app lacks scopes: ${missing.join(', ')}`, {
      vendorCode: 'MISSING_SCOPES',
      userMessage: {
        zh_CN: `HubSpot 私有应用缺少权限范围：${missing.join(', ')}。请在私有应用的「范围」中勾选后重新复制令牌`,
        en: `The HubSpot private app lacks the scope(s) ${missing.join(', ')}. Add them under the private app's "Scopes" and copy the token again`,
      },
    });
  }
  return { account: `HubSpot portal ${info.hubId}` };
}
