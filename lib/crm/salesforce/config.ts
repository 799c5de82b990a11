// The connection's settings and secrets for Salesforce, parsed at operation time (never at
// construction: the registry meta-test builds adapters with empty settings).
// Secrets (deps.secrets, filled by the background after the OAuth flow): access_token,
// refresh_token, instance_url (issued_at informative).
import { z } from 'zod';
import { isLoopback } from '../../oauth/authorize';
import { CrmError } from '../errors';
import { mappingSchema, type CrmMapping } from '../spec';
import type { AdapterDeps } from '../port';
import { salesforceLoginOrigin } from './login';

export const SALESFORCE_API_VERSION = '60.0';
export const DEFAULT_EXTERNAL_ID_FIELD = 'Liaison_Id__c';
export const CUSTOMER_OBJECTS = ['Lead', 'Contact'] as const;
export type CustomerObject = (typeof CUSTOMER_OBJECTS)[number];
/** The objects Liaison writes; each may carry the external ID field (Case: optional, tickets fall back to a lookup). */
export const WRITTEN_OBJECTS = ['Lead', 'Contact', 'Task', 'Opportunity', 'Case'] as const;
/** A ticket's Case Origin when the settings name none: a standard value of every org's Origin picklist. */
export const DEFAULT_CASE_ORIGIN = 'Web';
export type WrittenObject = (typeof WRITTEN_OBJECTS)[number];

const apiName = z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'an API name (letters, digits, _)');

export const salesforceSettingsSchema = z.object({
  loginHost: z.enum(['production', 'sandbox', 'my-domain']).default('production'),
  myDomain: z.string().optional(),
  consumerKey: z.string().trim().min(1).optional(),
  customerObject: z.enum(CUSTOMER_OBJECTS).default('Lead'),
  externalIdField: apiName.default(DEFAULT_EXTERNAL_ID_FIELD),
  /** Objects known to carry the external ID field (from prepare()); absent = not checked yet: try, fall back. */
  externalIdObjects: z.array(z.enum(WRITTEN_OBJECTS)).optional(),
  /** Liaison stage → Lead Status picklist value; a stage not listed leaves Status alone. */
  stageMap: z.record(z.string(), z.string()).optional(),
  /** Case Origin picklist value for tickets (Web, Phone, Email, or the org's own such as Chat/WhatsApp). */
  caseOrigin: z.preprocess((v) => (typeof v === 'string' && !v.trim() ? undefined : v), z.string().trim().max(40).default(DEFAULT_CASE_ORIGIN)),
  mapping: mappingSchema.partial().optional(),
});
export type SalesforceSettings = z.infer<typeof salesforceSettingsSchema>;

export interface SalesforceConfig extends SalesforceSettings {
  consumerKey: string;
  loginOrigin: string;
  tokenUrl: string;
  mapping?: Partial<CrmMapping>;
}

export interface SalesforceTokens {
  accessToken: string;
  refreshToken?: string;
  instanceUrl: string;
}

const reconnect = { zh_CN: '请在设置中重新连接 Salesforce', en: 'Connect Salesforce again in the options' };

export function readConfig(deps: Pick<AdapterDeps, 'connection'>, loginOverride?: string): SalesforceConfig {
  const parsed = salesforceSettingsSchema.safeParse(deps.connection.settings);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    const where = i?.path.join('.') ?? '';
    throw new CrmError('validation', `Salesforce settings: ${i ? `${where}: ${i.message}` : 'invalid'}`, {
      userMessage: { zh_CN: `Salesforce 连接设置有误：${where}`, en: `The Salesforce connection settings are invalid: ${where}` },
    });
  }
  const s = parsed.data;
  const loginOrigin = loginOverride ?? salesforceLoginOrigin(s);
  if (!loginOrigin) {
    throw new CrmError('validation', 'Salesforce: the My Domain URL is missing or not https', {
      userMessage: { zh_CN: '请填写以 https:// 开头的 My Domain 地址', en: 'Enter the My Domain URL, starting with https://' },
    });
  }
  if (!s.consumerKey) throw new CrmError('auth', 'Salesforce: consumer key is missing', { userMessage: reconnect });
  return { ...s, consumerKey: s.consumerKey, loginOrigin, tokenUrl: `${loginOrigin}/services/oauth2/token` };
}

/** The tokens the OAuth flow stored; none means the user has not connected yet. */
export function readTokens(secrets: Record<string, string>): SalesforceTokens {
  const accessToken = secrets.access_token;
  const instanceUrl = secrets.instance_url;
  if (!accessToken || !instanceUrl) throw new CrmError('auth', 'Salesforce: not connected (no access token)', { userMessage: reconnect });
  return { accessToken, instanceUrl: checkInstanceUrl(instanceUrl), ...(secrets.refresh_token ? { refreshToken: secrets.refresh_token } : {}) };
}

/** instance_url comes from the token endpoint; still, never send the bearer token over plain http. */
export function checkInstanceUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CrmError('auth', 'Salesforce: the stored instance_url is not a URL', { userMessage: reconnect });
  }
  if (url.protocol !== 'https:' && !isLoopback(url)) throw new CrmError('auth', 'Salesforce: instance_url is not https', { userMessage: reconnect });
  return url.origin;
}
