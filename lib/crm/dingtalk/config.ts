// The connection's settings and secrets for DingTalk, parsed at operation time (never at
// construction: the registry meta-test builds adapters with empty settings). The app secret
// comes from deps.secrets only and never appears in an error message.
import { z } from 'zod';
import { CrmError } from '../errors';
import { mappingSchema, type CrmMapping } from '../spec';
import type { AdapterDeps } from '../port';
import { DINGTALK_API_ORIGIN, DINGTALK_OAPI_ORIGIN, RELATION_TYPES, type RelationType } from './spec';

export const dingtalkSettingsSchema = z.object({
  appKey: z.string().trim().min(1).optional(),
  userId: z.string().trim().regex(/^[\w-]{1,64}$/, 'a DingTalk userId').optional(),
  relationType: z.enum(RELATION_TYPES).optional(),
  agentId: z.union([z.string().trim().regex(/^\d{1,20}$/, 'digits only'), z.literal('')]).optional(),
  mapping: mappingSchema.partial().optional(),
});
export type DingtalkSettings = z.infer<typeof dingtalkSettingsSchema>;

export interface DingtalkConfig {
  connectionId: string;
  apiBase: string;
  oapiBase: string;
  appKey: string;
  appSecret: string;
  userId: string;
  relationType: RelationType;
  agentId?: string;
  mapping: Partial<CrmMapping>;
}

function invalid(where: string, detail: string): CrmError {
  return new CrmError('validation', `DingTalk settings: ${where}: ${detail}`, {
    vendorCode: 'SETTINGS',
    userMessage: { zh_CN: `钉钉连接设置有误：${where}（${detail}）`, en: `The DingTalk connection settings are invalid: ${where} (${detail})` },
  });
}

export function readConfig(deps: Pick<AdapterDeps, 'connection' | 'secrets'>, o: { apiBase?: string; oapiBase?: string } = {}): DingtalkConfig {
  const parsed = dingtalkSettingsSchema.safeParse(deps.connection.settings ?? {});
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw invalid(i ? i.path.join('.') : 'settings', i?.message ?? 'invalid');
  }
  const s = parsed.data;
  if (!s.appKey) throw invalid('appKey', 'missing');
  if (!s.userId) throw invalid('userId', 'missing');
  const appSecret = deps.secrets.app_secret?.trim();
  if (!appSecret) {
    throw new CrmError('auth', 'DingTalk: no app secret stored for this connection', {
      userMessage: { zh_CN: '尚未填写钉钉应用的 Client Secret，请在设置中补全', en: 'The DingTalk app’s Client Secret is missing; enter it in the options' },
    });
  }
  return {
    connectionId: deps.connection.id,
    apiBase: (o.apiBase ?? DINGTALK_API_ORIGIN).replace(/\/+$/, ''),
    oapiBase: (o.oapiBase ?? DINGTALK_OAPI_ORIGIN).replace(/\/+$/, ''),
    appKey: s.appKey,
    appSecret,
    userId: s.userId,
    relationType: s.relationType ?? 'crm_customer_personal',
    ...(s.agentId ? { agentId: s.agentId } : {}),
    mapping: s.mapping ?? {},
  };
}
