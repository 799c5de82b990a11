// The connection's settings and secrets for Dynamics, parsed at operation time (never at
// construction: the registry meta-test builds adapters with empty settings).
// Secrets (filled by the background after the OAuth flow): access_token, refresh_token, expires_at.
import { z } from 'zod';
import { isLoopback } from '../../oauth/authorize';
import { CrmError } from '../errors';
import type { AdapterDeps } from '../port';
import { DYNAMICS_LOGIN_ORIGIN } from './spec';

export const DATAVERSE_API = 'api/data/v9.2';
export const CUSTOMER_ENTITIES = ['contact', 'lead'] as const;
export type CustomerEntity = (typeof CUSTOMER_ENTITIES)[number];

/** Per customer table: its entity set, key, and the navigation properties that point at it. */
export const ENTITY = {
  contact: { set: 'contacts', key: 'contactid', noteBind: 'objectid_contact', taskBind: 'regardingobjectid_contact_task', dealBind: 'parentcontactid', dealLookup: '_parentcontactid_value' },
  lead: { set: 'leads', key: 'leadid', noteBind: 'objectid_lead', taskBind: 'regardingobjectid_lead_task', dealBind: 'originatingleadid', dealLookup: '_originatingleadid_value' },
} as const;

export const dynamicsSettingsSchema = z.object({
  orgUrl: z.string().trim().min(1).optional(),
  tenant: z.string().trim().regex(/^[A-Za-z0-9.-]+$/, 'a tenant id or domain').optional(),
  clientId: z.string().trim().min(1).optional(),
  customerEntity: z.enum(CUSTOMER_ENTITIES).default('contact'),
});

export interface DynamicsConfig {
  orgOrigin: string;
  tenant: string;
  clientId: string;
  customerEntity: CustomerEntity;
  tokenUrl: string;
  scopes: string[];
}

export interface DynamicsTokens {
  accessToken: string;
  refreshToken?: string;
  /** epoch ms */
  expiresAt?: number;
}

export const reconnect = { zh_CN: 'Dynamics 365 授权已失效，请在设置中重新连接', en: 'The Dynamics 365 authorization expired; connect again in the options' };

function invalid(where: string, detail: string): CrmError {
  return new CrmError('validation', `Dynamics settings: ${where}: ${detail}`, {
    userMessage: { zh_CN: `Dynamics 365 连接设置有误：${where}`, en: `The Dynamics 365 connection settings are invalid: ${where}` },
  });
}

/** https://<org>.crm<N>.dynamics.com (any https origin; loopback http in tests) → its origin. */
export function orgOriginOf(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw invalid('orgUrl', 'not a URL');
  }
  if (url.protocol !== 'https:' && !isLoopback(url)) throw invalid('orgUrl', 'must start with https://');
  return url.origin;
}

export function readConfig(deps: Pick<AdapterDeps, 'connection'>, loginOverride?: string): DynamicsConfig {
  const parsed = dynamicsSettingsSchema.safeParse(deps.connection.settings);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw invalid(i?.path.join('.') ?? '', i?.message ?? 'invalid');
  }
  const s = parsed.data;
  if (!s.orgUrl) throw invalid('orgUrl', 'missing');
  if (!s.tenant) throw invalid('tenant', 'missing');
  if (!s.clientId) throw new CrmError('auth', 'Dynamics: client id is missing', { userMessage: reconnect });
  const orgOrigin = orgOriginOf(s.orgUrl);
  const login = loginOverride ?? DYNAMICS_LOGIN_ORIGIN;
  return {
    orgOrigin,
    tenant: s.tenant,
    clientId: s.clientId,
    customerEntity: s.customerEntity,
    tokenUrl: `${login}/${s.tenant}/oauth2/v2.0/token`,
    scopes: [`${orgOrigin}/user_impersonation`, 'offline_access'],
  };
}

export function readTokens(secrets: Record<string, string>): DynamicsTokens {
  const accessToken = secrets.access_token;
  if (!accessToken) throw new CrmError('auth', 'Dynamics: not connected (no access token)', { userMessage: reconnect });
  const exp = Number(secrets.expires_at);
  return { accessToken, ...(secrets.refresh_token ? { refreshToken: secrets.refresh_token } : {}), ...(Number.isFinite(exp) && exp > 0 ? { expiresAt: exp } : {}) };
}
