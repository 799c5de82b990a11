// The back channel: the token endpoint (RFC 6749 §4.1.3 code exchange, §6 refresh), form-encoded
// as the RFC requires (lib/crm/http.ts only speaks JSON, hence ky directly). Failures are
// classified like http.ts does: network/5xx → retryable, 429 → rate-limited, OAuth error codes →
// OAuthError ('auth' for invalid_grant & co., so the user is asked to connect again).
// No client secret by default: the user's own connected app is a public client using PKCE.
import ky, { HTTPError, TimeoutError } from 'ky';
import { z } from 'zod';
import { CrmError, classifyHttpError, classifyNetworkError } from '../crm/errors';
import { OAuthError } from './errors';
import { lazySchema } from '../model/lazy-schema';

/** What token endpoints answer. Extra members (Salesforce instance_url, issued_at, signature, id) pass through. */
export const tokenSetSchema = lazySchema(() => z
  .object({
    access_token: z.string().min(1),
    token_type: z.string().optional(),
    refresh_token: z.string().min(1).optional(),
    expires_in: z.coerce.number().optional(),
    scope: z.string().optional(),
    instance_url: z.string().url().optional(),
    issued_at: z.string().optional(),
    id: z.string().optional(),
    signature: z.string().optional(),
  })
  .passthrough());
export type TokenSet = z.infer<typeof tokenSetSchema>;

const errorBody = z.object({ error: z.string().min(1), error_description: z.string().optional() });

export interface TokenRequestOptions {
  tokenUrl: string;
  clientId: string;
  /** Only when the provider insists on one (spec.oauth.clientSecret 'required'/'optional'). */
  clientSecret?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  signal?: AbortSignal;
  now?: () => number;
}

async function postForm(o: TokenRequestOptions, form: Record<string, string>): Promise<TokenSet> {
  const url = new URL(o.tokenUrl);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))) {
    throw new Error('the token URL must be https');
  }
  const body = new URLSearchParams({ ...form, client_id: o.clientId, ...(o.clientSecret ? { client_secret: o.clientSecret } : {}) });
  let text: string;
  try {
    const res = await ky.post(url, {
      body,
      headers: { accept: 'application/json' },
      timeout: o.timeoutMs ?? 30_000,
      retry: 0,
      ...(o.fetch ? { fetch: o.fetch } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
    });
    text = await res.text();
  } catch (err) {
    if (err instanceof HTTPError) {
      const raw = await err.response.text().catch(() => '');
      const parsed = errorBody.safeParse(safeJson(raw));
      const status = err.response.status;
      if (parsed.success && status < 500 && status !== 429) throw new OAuthError(parsed.data.error, parsed.data.error_description, { status });
      throw classifyHttpError(status, err.response.headers, parsed.success ? { message: parsed.data.error } : undefined, { now: (o.now ?? Date.now)() });
    }
    if (o.signal?.aborted && !(err instanceof TimeoutError)) throw err;
    // Neither an exchange nor a refresh changes anything the retry would duplicate: retryable.
    throw classifyNetworkError(err, { write: false });
  }
  const json = safeJson(text);
  // Zoho's accounts server answers some failures with HTTP 200 and {"error": "invalid_code"}:
  // an error code and no access token is the OAuth error it names, whatever the status.
  const inBody = errorBody.safeParse(json);
  if (inBody.success && !(json as { access_token?: unknown }).access_token) throw new OAuthError(inBody.data.error, inBody.data.error_description, { status: 200 });
  const parsed = tokenSetSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CrmError('validation', `unexpected token reply: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`);
  }
  return parsed.data;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** authorization_code grant with the PKCE verifier; redirect_uri must equal the one authorized. */
export function exchangeCode(o: TokenRequestOptions & { code: string; codeVerifier: string; redirectUri: string }): Promise<TokenSet> {
  return postForm(o, { grant_type: 'authorization_code', code: o.code, code_verifier: o.codeVerifier, redirect_uri: o.redirectUri });
}

/** refresh_token grant. Providers that rotate refresh tokens return a new one; keep the old one otherwise. */
export function refreshToken(o: TokenRequestOptions & { refreshToken: string; scopes?: readonly string[] }): Promise<TokenSet> {
  return postForm(o, { grant_type: 'refresh_token', refresh_token: o.refreshToken, ...(o.scopes?.length ? { scope: o.scopes.join(' ') } : {}) });
}
