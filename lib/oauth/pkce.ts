// PKCE (RFC 7636) with S256 only: the "plain" method would hand the verifier to anyone who can
// read the authorize URL (history, logs), which defeats the point for a public client like an
// extension. Pure WebCrypto, so it runs in the service worker, Node and tests alike.

/** RFC 4648 §5 base64url without padding (what RFC 7636 §4.2 requires for the challenge). */
export function base64url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function randomUrlSafe(byteLength: number): string {
  return base64url(crypto.getRandomValues(new Uint8Array(byteLength)));
}

/** 32 random bytes → 43 characters from the unreserved set, the RFC's recommended size. */
export function createCodeVerifier(): string {
  return randomUrlSafe(32);
}

const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
export function isValidCodeVerifier(v: string): boolean {
  return VERIFIER.test(v);
}

/** BASE64URL(SHA256(ASCII(code_verifier))). */
export async function codeChallengeS256(verifier: string): Promise<string> {
  if (!isValidCodeVerifier(verifier)) throw new Error('a PKCE code verifier is 43–128 characters of [A-Za-z0-9-._~]');
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** An unguessable state value binding the redirect to the flow this extension started (CSRF). */
export function createState(): string {
  return randomUrlSafe(24);
}
