// The connection's settings and secret for WeCom, parsed at operation time (never at
// construction: the registry meta-test builds adapters with empty settings). The app secret comes
// from deps.secrets only and never appears in an error message.
import { z } from 'zod';
import { CrmError } from '../errors';
import { mappingSchema, type CrmMapping } from '../spec';
import type { AdapterDeps } from '../port';
import { WECOM_ORIGIN } from './spec';

export const wecomSettingsSchema = z.object({
  corpid: z.string().trim().regex(/^[A-Za-z0-9_-]{1,64}$/, 'a WeCom corpid such as ww0123456789abcdef').optional(),
  agentid: z.union([z.string().trim().regex(/^\d{1,20}$/, 'digits only'), z.literal('')]).optional(),
  // userid: 1–64 bytes, letters, digits and _-@. (WwOpenGetUser.yaml: 长度为1~64个字节)
  followUserId: z.string().trim().regex(/^[\w.@-]{1,64}$/, 'a WeCom userid (the member’s 账号)').optional(),
  mapping: mappingSchema.partial().optional(),
});
export type WecomSettings = z.infer<typeof wecomSettingsSchema>;

export interface WecomConfig {
  connectionId: string;
  base: string;
  corpid: string;
  agentid?: string;
  secret: string;
  followUserId: string;
  mapping: Partial<CrmMapping>;
}

function invalid(where: string, detail: string): CrmError {
  return new CrmError('validation', `WeCom settings: ${where}: ${detail}`, {
    vendorCode: 'SETTINGS',
    userMessage: { zh_CN: `企业微信连接设置有误：${where}（${detail}）`, en: `The WeCom connection settings are invalid: ${where} (${detail})` },
  });
}

export function readConfig(deps: Pick<AdapterDeps, 'connection' | 'secrets'>, o: { base?: string } = {}): WecomConfig {
  const parsed = wecomSettingsSchema.safeParse(deps.connection.settings ?? {});
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw invalid(i ? i.path.join('.') : 'settings', i?.message ?? 'invalid');
  }
  const s = parsed.data;
  if (!s.corpid) throw invalid('corpid', 'missing');
  if (!s.followUserId) throw invalid('followUserId', 'missing');
  const secret = deps.secrets.secret?.trim();
  if (!secret) {
    throw new CrmError('auth', 'WeCom: no app secret stored for this connection', {
      userMessage: { zh_CN: '尚未填写企业微信自建应用的 Secret，请在设置中补全', en: 'The WeCom app’s Secret is missing; enter it in the options' },
    });
  }
  return {
    connectionId: deps.connection.id,
    base: (o.base ?? WECOM_ORIGIN).replace(/\/+$/, ''),
    corpid: s.corpid,
    ...(s.agentid ? { agentid: s.agentid } : {}),
    secret,
    followUserId: s.followUserId,
    mapping: s.mapping ?? {},
  };
}
