// The connection's settings and secret for Notion, parsed at operation time (never at
// construction: the registry meta-test builds adapters with empty settings). The token comes
// from deps.secrets only and never appears in an error message.
import { z } from 'zod';
import { CrmError } from '../errors';
import { mappingSchema, type CrmMapping } from '../spec';
import type { AdapterDeps } from '../port';

export const notionSettingsSchema = z.object({
  /** What the user pasted: a database or data source link, or its id. */
  customers_source: z.string().optional(),
  deals_source: z.string().optional(),
  tasks_source: z.string().optional(),
  /** From prepare(): the data source ids the links resolved to. */
  customers_data_source_id: z.string().optional(),
  deals_data_source_id: z.string().optional(),
  tasks_data_source_id: z.string().optional(),
  /** Overrides of spec.defaultMapping (Notion property names). */
  mapping: mappingSchema.partial().optional(),
});

export type SourceRole = 'customers' | 'deals' | 'tasks';

export interface NotionConfig {
  connectionId: string;
  token: string;
  baseUrl: string;
  mapping: Partial<CrmMapping>;
  /** Per role: the data source id when prepare() resolved it, else the id found in what the user pasted. */
  sources: Partial<Record<SourceRole, { ref: string; dataSourceId?: string }>>;
}

/** A Notion id (32 hex digits, with or without dashes) found in a link or typed alone, dashed. */
export function notionId(raw: string): string | undefined {
  const s = raw.trim();
  // In a link the id is the last 32-hex run of the path (after the title slug), before ?v=.
  const path = /^https?:\/\//i.test(s) ? new URL(s).pathname : s;
  const runs = path.replace(/-/g, '').match(/[0-9a-f]{32}/gi);
  const hex = runs?.[runs.length - 1]?.toLowerCase();
  if (!hex) return undefined;
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function readConfig(deps: Pick<AdapterDeps, 'connection' | 'secrets'>, baseUrl: string): NotionConfig {
  const parsed = notionSettingsSchema.safeParse(deps.connection.settings ?? {});
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    const where = i ? `${i.path.join('.')}: ${i.message}` : 'invalid';
    throw new CrmError('validation', `Notion settings: ${where}`, {
      userMessage: { zh_CN: `Notion 连接设置有误（${where}）`, en: `The Notion connection settings are invalid (${where})` },
    });
  }
  const token = deps.secrets.token?.trim();
  if (!token) {
    throw new CrmError('auth', 'Notion: no integration secret stored for this connection', {
      userMessage: { zh_CN: '请粘贴 Notion 内部集成密钥', en: 'Paste the Notion internal integration secret' },
    });
  }
  const s = parsed.data;
  const sources: NotionConfig['sources'] = {};
  for (const role of ['customers', 'deals', 'tasks'] as const) {
    const pasted = s[`${role}_source`]?.trim();
    const resolved = s[`${role}_data_source_id`]?.trim();
    let ref: string | undefined;
    try {
      ref = pasted ? notionId(pasted) : undefined;
    } catch {
      ref = undefined;
    }
    if (pasted && !ref) {
      throw new CrmError('validation', `Notion settings: ${role}_source holds no Notion id`, {
        vendorCode: 'BAD_SOURCE',
        userMessage: {
          zh_CN: `「${role === 'customers' ? '客户' : role === 'deals' ? '成交' : '任务'}数据库」里没有找到 Notion 的 32 位 ID，请粘贴数据库的完整链接`,
          en: `No Notion id found in the ${role} database field; paste the database's full link`,
        },
      });
    }
    if (ref || resolved) sources[role] = { ref: ref ?? resolved!, ...(resolved ? { dataSourceId: resolved } : {}) };
  }
  return { connectionId: deps.connection.id, token, baseUrl: baseUrl.replace(/\/+$/, ''), mapping: s.mapping ?? {}, sources };
}
