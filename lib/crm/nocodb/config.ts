// The connection's settings for NocoDB, parsed at operation time (never at construction: the
// registry meta-test builds adapters with empty settings). The token comes from deps.secrets only.
// The connect form stores '' for an empty optional field, so '' means "not set" everywhere here.
import { z } from 'zod';
import { mappingSchema, type CrmMapping } from '../spec';
import { CrmError } from '../errors';
import type { AdapterDeps } from '../port';

const optionalId = z
  .string()
  .trim()
  .regex(/^[\w-]+$/, 'an id has letters, digits, _ and - only')
  .optional()
  .or(z.literal('').transform(() => undefined));

export const nocodbSettingsSchema = z.object({
  host: z.string().trim().min(1, 'the NocoDB URL is required'),
  base_id: optionalId,
  customers_table: optionalId,
  followups_table: optionalId,
  deals_table: optionalId,
  /** Overrides of spec.defaultMapping (column titles in the user's own tables). */
  mapping: mappingSchema.partial().optional(),
  /** Column titles the tables lack and that must not be written (from the setup report). */
  omit_fields: z.array(z.string()).default([]),
});
export type NocodbSettings = z.infer<typeof nocodbSettingsSchema>;

export interface NocodbConfig extends Omit<NocodbSettings, 'mapping'> {
  token: string;
  /** Origin with any path prefix (NocoDB behind a reverse proxy at /nocodb), no trailing slash. */
  baseUrl: string;
  mapping?: Partial<CrmMapping>;
}

function invalid(path: string): CrmError {
  return new CrmError('validation', `NocoDB settings: ${path}`, {
    userMessage: { zh_CN: `NocoDB 连接设置有误：${path}`, en: `The NocoDB connection settings are invalid: ${path}` },
  });
}

export function readConfig(deps: Pick<AdapterDeps, 'connection' | 'secrets'>): NocodbConfig {
  const parsed = nocodbSettingsSchema.safeParse(deps.connection.settings);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw invalid(i ? `${i.path.join('.')}: ${i.message}` : 'invalid');
  }
  let url: URL;
  try {
    url = new URL(parsed.data.host);
  } catch {
    throw invalid('host: not a URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw invalid('host: must start with http:// or https://');
  const token = deps.secrets.api_token?.trim();
  if (!token) {
    throw new CrmError('auth', 'NocoDB: the API token is missing', {
      userMessage: { zh_CN: '请填写 NocoDB 的 API 令牌', en: 'Enter the NocoDB API token' },
    });
  }
  const baseUrl = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  return { ...parsed.data, token, baseUrl };
}

export function requireBaseId(config: NocodbConfig): string {
  if (!config.base_id) {
    throw new CrmError('validation', 'NocoDB: base_id is not set', {
      userMessage: { zh_CN: '请填写 NocoDB 的 Base ID', en: 'Enter the NocoDB base id' },
    });
  }
  return config.base_id;
}
