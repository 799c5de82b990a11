// OAuth 2.0 authorization code + PKCE for CRM connections (pure: the browser call is injected).
export { base64url, codeChallengeS256, createCodeVerifier, createState, isValidCodeVerifier } from './pkce';
export { buildAuthorizeUrl, parseRedirect, isLoopback, type AuthorizeParams } from './authorize';
export { OAuthError } from './errors';
export { exchangeCode, refreshToken, tokenSetSchema, type TokenSet, type TokenRequestOptions } from './token';
export { startPkceFlow, connectWithPkce, type LaunchWebAuthFlow, type PkceFlowOptions, type PkceFlowResult } from './flow';
export { expandTemplate } from './template';
