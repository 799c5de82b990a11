// The connection's settings and secret for Pipedrive, parsed at operation time (never at
// construction: the registry meta-test builds adapters with empty settings). The token comes
// from deps.secrets only and is never put into an error message.
import { z } from 'zod';
import { CrmError } from '../errors';
import { mappingSchema, type CrmMapping } from '../spec';
import type { AdapterDeps } from '../port';

const fieldKey = z.string().regex(/^[0-9a-f]{40}$/, 'a Pipedrive custom field key (40 hex characters)');
export const pipedriveSettingsSchema = z.object({
  mapping: mappingSchema.partial().optional(),
  /** From prepare(): the custom field keys Liaison writes. */
  person_key_field: fieldKey.optional(),
  person_code_field: fieldKey.optional(),
  deal_key_field: fieldKey.optional(),
  /** Deal currency (ISO 4217); Pipedrive takes the company's default when absent. */
  currency: z.string().regex(/^[A-Z]{3}$/).optional(),
  /** From verify(): the company, for the options page. */
  company: z.string().optional(),
});
export type PipedriveSettings = z.infer<typeof pipedriveSettingsSchema>;

export interface PipedriveConfig {
  connectionId: string;
  token: string;
  baseUrl: string;
  mapping: Partial<CrmMapping>;
  settings: PipedriveSettings;
}

export function readConfig(deps: Pick<AdapterDeps, 'connection' | 'secrets'>, baseUrl: string): PipedriveConfig {
  const parsed = pipedriveSettingsSchema.safeParse(deps.connection.settings ?? {});
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    const where = i ? `${i.path.join('.')}: ${i.message}` : 'invalid';
    throw new CrmError('validation', `Pipedrive settings: ${where}`, {
      userMessage: { zh_CN: `Pipedrive 连接设置有误（${where}）`, en: `The Pipedrive connection settings are invalid (${where})` },
    });
  }
  const token = deps.secrets.token?.trim();
  if (!token) {
    throw new CrmError('auth', 'Pipedrive: no API token stored for this connection', {
      userMessage: { zh_CN: '请粘贴 Pipedrive 的个人 API 令牌', en: 'Paste your Pipedrive personal API token' },
    });
  }
  return { connectionId: deps.connection.id, token, baseUrl: baseUrl.replace(/\/+$/, ''), mapping: parsed.data.mapping ?? {}, settings: parsed.data };
}
