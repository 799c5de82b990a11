// The connection's settings for Bitable, parsed at operation time (never at construction: the
// registry meta-test builds adapters with empty settings). Secrets come from deps.secrets only.
import { z } from 'zod';
import { mappingSchema, type CrmMapping } from '../spec';
import { CrmError } from '../errors';
import type { AdapterDeps } from '../port';
import { FEISHU_HOSTS, type FeishuHost } from './spec';

const tableId = z.string().trim().regex(/^tbl\w+$/, 'a table id starts with tbl');

export const feishuSettingsSchema = z.object({
  host: z.enum(Object.keys(FEISHU_HOSTS) as [FeishuHost, ...FeishuHost[]]).default('feishu.cn'),
  app_id: z.string().trim().min(1).optional(),
  app_token: z.string().trim().regex(/^\w+$/, 'the app_token is the part of the Base URL after /base/').optional(),
  tables_mode: z.enum(['create', 'existing']).default('create'),
  customers_table: tableId.optional().or(z.literal('').transform(() => undefined)),
  followups_table: tableId.optional().or(z.literal('').transform(() => undefined)),
  deals_table: tableId.optional().or(z.literal('').transform(() => undefined)),
  /** Overrides of spec.defaultMapping (field names in the user's own tables). */
  mapping: mappingSchema.partial().optional(),
  /** Feishu field names the tables lack and that must not be written (from the setup report). */
  omit_fields: z.array(z.string()).default([]),
  /**
   * The customers table's code field (客户ID) is a Bitable 自动编号 (from the setup report): it is
   * read, never written, and a new customer's code is the number Bitable gave it.
   */
  code_auto: z.boolean().default(false),
});
export type FeishuSettings = z.infer<typeof feishuSettingsSchema>;

export interface FeishuConfig extends FeishuSettings {
  appId: string;
  appSecret: string;
  baseUrl: string;
  mapping?: Partial<CrmMapping>;
}

/** Reads and checks the connection; a missing or malformed value is the user's to fix → validation/auth. */
export function readConfig(deps: Pick<AdapterDeps, 'connection' | 'secrets'>, baseUrlOverride?: string): FeishuConfig {
  const parsed = feishuSettingsSchema.safeParse(deps.connection.settings);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new CrmError('validation', `Feishu settings: ${i ? `${i.path.join('.')}: ${i.message}` : 'invalid'}`, {
      userMessage: { zh_CN: `飞书连接设置有误：${i?.path.join('.') ?? ''}`, en: `The Feishu connection settings are invalid: ${i?.path.join('.') ?? ''}` },
    });
  }
  const appId = parsed.data.app_id ?? deps.secrets.app_id;
  const appSecret = deps.secrets.app_secret;
  if (!appId || !appSecret) {
    throw new CrmError('auth', 'Feishu: app_id or app_secret is missing', {
      userMessage: { zh_CN: '请填写飞书应用的 App ID 和 App Secret', en: 'Enter the Feishu app’s App ID and App Secret' },
    });
  }
  const baseUrl = `${baseUrlOverride ?? FEISHU_HOSTS[parsed.data.host]}/open-apis`;
  return { ...parsed.data, appId, appSecret, baseUrl };
}

export function requireAppToken(config: FeishuConfig): string {
  if (!config.app_token) {
    throw new CrmError('validation', 'Feishu: app_token is not set', {
      userMessage: { zh_CN: '请填写多维表格的 app_token（地址中 /base/ 后的一段）', en: 'Enter the Base app_token (the part of its URL after /base/)' },
    });
  }
  return config.app_token;
}
