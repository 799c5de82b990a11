// The connection's settings and secrets for Zoho, parsed at operation time (never at
// construction: the registry meta-test builds adapters with empty settings). Tokens and the
// client secret come from deps.secrets only and never appear in an error message.
import { z } from 'zod';
import { CrmError } from '../errors';
import { mappingSchema, type CrmMapping } from '../spec';
import type { AdapterDeps } from '../port';
import { ZOHO_DCS, zohoApiOrigin, type ZohoDc } from './spec';

const apiName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,99}$/, 'a Zoho field API name');
export const ZOHO_MODULES = ['Contacts', 'Leads', 'Deals', 'Tasks'] as const;
export type ZohoModule = (typeof ZOHO_MODULES)[number];

export const zohoSettingsSchema = z.object({
  dc: z.enum(ZOHO_DCS).optional(),
  clientId: z.string().optional(),
  customerModule: z.enum(['Contacts', 'Leads']).optional(),
  mapping: mappingSchema.partial().optional(),
  /** From prepare(): the API name of the unique Liaison Key field per module. */
  keyFields: z.partialRecord(z.enum(ZOHO_MODULES), apiName).optional(),
  /** From verify(): who and which organisation. */
  account: z.string().optional(),
});
export type ZohoSettings = z.infer<typeof zohoSettingsSchema>;

export interface ZohoTokens {
  accessToken: string;
  refreshToken?: string;
}

export interface ZohoConfig {
  connectionId: string;
  dc: ZohoDc;
  baseUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret?: string;
  customerModule: 'Contacts' | 'Leads';
  mapping: Partial<CrmMapping>;
  settings: ZohoSettings;
  tokens: ZohoTokens;
}

const reconnect = { zh_CN: 'Zoho CRM 尚未授权或授权已失效，请在设置中点「连接」', en: 'Zoho CRM is not connected or the authorization expired; click Connect in the options' };

export function readConfig(deps: Pick<AdapterDeps, 'connection' | 'secrets'>, o: { baseUrl?: string; tokenUrl?: string }): ZohoConfig {
  const parsed = zohoSettingsSchema.safeParse(deps.connection.settings ?? {});
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    const where = i ? `${i.path.join('.')}: ${i.message}` : 'invalid';
    throw new CrmError('validation', `Zoho settings: ${where}`, { userMessage: { zh_CN: `Zoho 连接设置有误（${where}）`, en: `The Zoho connection settings are invalid (${where})` } });
  }
  const s = parsed.data;
  const dc = s.dc ?? 'com';
  const accessToken = deps.secrets.access_token?.trim();
  if (!accessToken) throw new CrmError('auth', 'Zoho: no access token stored for this connection', { userMessage: reconnect });
  const clientId = s.clientId?.trim() ?? '';
  const clientSecret = deps.secrets.client_secret?.trim();
  return {
    connectionId: deps.connection.id,
    dc,
    baseUrl: (o.baseUrl ?? zohoApiOrigin(dc)).replace(/\/+$/, ''),
    tokenUrl: o.tokenUrl ?? `https://accounts.zoho.${dc}/oauth/v2/token`,
    clientId,
    ...(clientSecret ? { clientSecret } : {}),
    customerModule: s.customerModule ?? 'Contacts',
    mapping: s.mapping ?? {},
    settings: s,
    tokens: { accessToken, ...(deps.secrets.refresh_token ? { refreshToken: deps.secrets.refresh_token } : {}) },
  };
}
export { reconnect };
