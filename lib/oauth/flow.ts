// The whole authorization-code + PKCE flow, with the browser's part injected: `launch` is
// chrome.identity.launchWebAuthFlow in the background (interactive only from a user's click),
// a fetch that reads the 302's Location header in tests. lib/ itself touches no browser API.
import { buildAuthorizeUrl, parseRedirect } from './authorize';
import { OAuthError } from './errors';
import { codeChallengeS256, createCodeVerifier, createState } from './pkce';
import { exchangeCode, type TokenRequestOptions, type TokenSet } from './token';

/** Opens `url` and resolves with the URL the provider redirected to (our redirect URI + code/state). */
export type LaunchWebAuthFlow = (url: string, interactive: boolean) => Promise<string>;

export interface PkceFlowOptions {
  authorizeUrl: string;
  clientId: string;
  /** chrome.identity.getRedirectURL(): https://<extension id>.chromiumapp.org/ */
  redirectUri: string;
  scopes: readonly string[];
  launch: LaunchWebAuthFlow;
  /** Default true: a non-interactive launch fails whenever the provider wants to show a page. */
  interactive?: boolean;
  extraParams?: Record<string, string>;
}

export interface PkceFlowResult {
  code: string;
  /** The verifier to send with the code; keep it in memory only, it is single-use. */
  verifier: string;
  redirectUri: string;
}

export async function startPkceFlow(o: PkceFlowOptions): Promise<PkceFlowResult> {
  const verifier = createCodeVerifier();
  const state = createState();
  const url = buildAuthorizeUrl({
    authorizeUrl: o.authorizeUrl,
    clientId: o.clientId,
    redirectUri: o.redirectUri,
    scopes: o.scopes,
    state,
    codeChallenge: await codeChallengeS256(verifier),
    ...(o.extraParams ? { extraParams: o.extraParams } : {}),
  });
  let redirected: string;
  try {
    redirected = await o.launch(url, o.interactive ?? true);
  } catch (e) {
    // launchWebAuthFlow rejects when the user closes the window or the page never redirects.
    throw new OAuthError('flow_cancelled', e instanceof Error ? e.message : undefined, { cause: e });
  }
  const { code } = parseRedirect(redirected, { redirectUri: o.redirectUri, state });
  return { code, verifier, redirectUri: o.redirectUri };
}

/** startPkceFlow then exchangeCode: what "connect" does. */
export async function connectWithPkce(o: PkceFlowOptions & Omit<TokenRequestOptions, 'clientId'> & { tokenUrl: string }): Promise<TokenSet> {
  const { code, verifier, redirectUri } = await startPkceFlow(o);
  return exchangeCode({
    tokenUrl: o.tokenUrl,
    clientId: o.clientId,
    code,
    codeVerifier: verifier,
    redirectUri,
    ...(o.clientSecret ? { clientSecret: o.clientSecret } : {}),
    ...(o.fetch ? { fetch: o.fetch } : {}),
    ...(o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  });
}
