// PKCE helpers: S256 against RFC 7636's own vector, verifier shape, state randomness.
import { describe, expect, it } from 'vitest';
import { base64url, codeChallengeS256, createCodeVerifier, createState, isValidCodeVerifier } from '../../../lib/oauth/pkce';

describe('PKCE', () => {
  it('S256 challenge matches RFC 7636 appendix B', async () => {
    expect(await codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('verifiers are 43 unreserved characters and differ every time', () => {
    const a = createCodeVerifier();
    const b = createCodeVerifier();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(isValidCodeVerifier(a)).toBe(true);
    expect(a).not.toBe(b);
  });

  it('refuses a verifier outside the RFC alphabet or length', async () => {
    await expect(codeChallengeS256('short')).rejects.toThrow(/43–128/);
    await expect(codeChallengeS256('a'.repeat(42) + '=')).rejects.toThrow();
    expect(isValidCodeVerifier('a'.repeat(129))).toBe(false);
  });

  it('base64url has no padding or +/', () => {
    expect(base64url(new Uint8Array([0xfb, 0xff, 0xfe]))).toBe('-__-');
    expect(base64url(new Uint8Array([1]))).toBe('AQ');
  });

  it('state values are long and unique', () => {
    const states = new Set(Array.from({ length: 50 }, createState));
    expect(states.size).toBe(50);
    for (const s of states) expect(s.length).toBeGreaterThanOrEqual(32);
  });
});
