// "Connect" for oauth2-pkce CRMs (Salesforce today, Dynamics/Airtable later), generic over the
// spec: its {{field}} URL templates are expanded with a per-spec values function (Salesforce's
// login host comes from a select + My Domain, not from one field) or the settings themselves,
// then the PKCE flow runs through the injected `launch` (chrome.identity.launchWebAuthFlow in the
// background; lib/ touches no browser API) and the token set is merged into the connection's
// secrets in one transaction. Nothing here returns or logs a token.
import type { LiaisonDb } from '../db/db';
import type { Connection } from '../model';
import { findSpec } from '../crm/registry';
import type { CrmSpec } from '../crm/spec';
import { CrmError } from '../crm/errors';
import { salesforceOAuthValues } from '../crm/salesforce/login';
import { connectWithPkce, type LaunchWebAuthFlow } from '../oauth/flow';
import { expandTemplate } from '../oauth/template';
import type { TokenSet } from '../oauth/token';

/** Specs whose templates need more than the raw settings. Others expand with the settings as they are. */
const OAUTH_VALUES: Record<string, (settings: Record<string, unknown>) => Record<string, unknown>> = {
  salesforce: salesforceOAuthValues,
};

/** The secrets a grant owns: replaced together, so a reconnect never keeps a stale refresh token. */
export const TOKEN_SECRET_KEYS = ['access_token', 'refresh_token', 'instance_url', 'issued_at', 'expires_at'] as const;

/** Whether a connection of this kind is connected through OAuth (the options page's "Connect" button). */
export function isOAuthKind(kind: string): boolean {
  return (findSpec(kind) as CrmSpec | undefined)?.auth.kind === 'oauth2-pkce';
}

/** Whether the stored secrets hold a grant (an OAuth connection without one is "not connected"). */
export function hasOAuthGrant(storedSecrets: readonly string[]): boolean {
  return storedSecrets.includes('refresh_token') || storedSecrets.includes('access_token');
}

const formProblem = (detail: string) =>
  new CrmError('validation', detail, {
    userMessage: { zh_CN: `连接设置不完整：${detail}`, en: `The connection settings are incomplete: ${detail}` },
  });

export interface OAuthConnectDeps {
  launch: LaunchWebAuthFlow;
  /** chrome.identity.getRedirectURL(): the connected app's callback URL. */
  redirectUri: string;
  now: () => number;
  fetch?: typeof fetch;
}

/** The token set as secrets: only what adapters read, never the signature or id URL. */
export function tokenSecrets(t: TokenSet, now: number): Record<string, string> {
  const out: Record<string, string> = { access_token: t.access_token };
  if (t.refresh_token) out.refresh_token = t.refresh_token;
  if (t.instance_url) out.instance_url = t.instance_url;
  if (t.issued_at) out.issued_at = t.issued_at;
  if (t.expires_in !== undefined && Number.isFinite(t.expires_in)) out.expires_at = String(now + t.expires_in * 1000);
  return out;
}

/** Merge a patch into a connection's secrets (refreshed tokens); nothing when the connection is gone. */
export async function mergeSecrets(db: LiaisonDb, connectionId: string, patch: Record<string, string>, replace: readonly string[] = []): Promise<boolean> {
  return db.transaction('rw', db.connections, db.secrets, async () => {
    // A refresh finishing after "remove" must not resurrect the secrets of a deleted connection.
    if (!(await db.connections.get(connectionId))) return false;
    const value = { ...((await db.secrets.get(connectionId))?.value ?? {}) };
    for (const k of replace) delete value[k];
    await db.secrets.put({ connectionId, value: { ...value, ...patch } });
    return true;
  });
}

/** Runs the flow for a saved connection and stores the grant. Returns the connection. */
export async function connectOAuth(db: LiaisonDb, id: string, deps: OAuthConnectDeps): Promise<Connection> {
  const connection = await db.connections.get(id);
  if (!connection) throw new CrmError('validation', `no such connection: ${id}`, { userMessage: { zh_CN: '连接不存在', en: 'No such connection' } });
  const spec = findSpec(connection.kind) as CrmSpec | undefined;
  const oauth = spec?.auth.kind === 'oauth2-pkce' ? spec.auth.oauth : undefined;
  if (!spec || !oauth) throw formProblem(`${connection.kind} does not sign in with OAuth`);

  let authorizeUrl: string;
  let tokenUrl: string;
  // Scopes may name the tenant's host too (Dynamics: {{orgUrl}}/user_impersonation).
  let scopes: string[];
  try {
    const values = OAUTH_VALUES[spec.id]?.(connection.settings) ?? connection.settings;
    authorizeUrl = expandTemplate(oauth.authorizeUrl, values);
    tokenUrl = expandTemplate(oauth.tokenUrl, values);
    scopes = oauth.scopes.map((sc) => expandTemplate(sc, values));
  } catch (e) {
    throw formProblem(e instanceof Error ? e.message : 'URL');
  }
  // The client id is the user's own connected app: the form's consumerKey / clientId field.
  const clientId = [connection.settings.consumerKey, connection.settings.clientId].find((v): v is string => typeof v === 'string' && !!v.trim())?.trim();
  if (!clientId) throw formProblem('Consumer Key / client id');
  const stored = (await db.secrets.get(id))?.value ?? {};
  const clientSecret = oauth.clientSecret !== 'none' ? stored.client_secret : undefined;

  const tokens = await connectWithPkce({
    authorizeUrl,
    tokenUrl,
    clientId,
    redirectUri: deps.redirectUri,
    scopes,
    launch: deps.launch,
    ...(oauth.extraAuthorizeParams ? { extraParams: oauth.extraAuthorizeParams } : {}),
    ...(clientSecret ? { clientSecret } : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  const saved = await mergeSecrets(db, id, tokenSecrets(tokens, deps.now()), TOKEN_SECRET_KEYS);
  if (!saved) throw new CrmError('validation', `connection removed during sign-in: ${id}`, { userMessage: { zh_CN: '连接已被删除', en: 'The connection was removed' } });
  return connection;
}
