// lib/crm/app-token.ts: one fetch at a time, renewal before expiry, a rejected token renewed once
// for every caller together and never handed out again meanwhile.
import { expect, it } from 'vitest';
import { createAppTokenSession, RENEW_EARLY_MS } from '../../../lib/crm/app-token';

function rig() {
  let t = 1_000_000;
  let n = 0;
  let release: (() => void) | undefined;
  let hold = false;
  const s = createAppTokenSession({
    now: () => t,
    fetchToken: async () => {
      n += 1;
      if (hold) await new Promise<void>((ok) => (release = ok));
      return { token: `tok${n}`, expiresAt: t + 7_200_000 };
    },
  });
  return { s, advance: (ms: number) => void (t += ms), holdNext: () => void (hold = true), release: () => { hold = false; release?.(); } };
}

it('concurrent callers share one fetch; the token is reused until it nears its end', async () => {
  const r = rig();
  expect(await Promise.all([r.s.token(), r.s.token(), r.s.token()])).toEqual(['tok1', 'tok1', 'tok1']);
  r.advance(7_200_000 - RENEW_EARLY_MS - 1);
  expect(await r.s.token()).toBe('tok1');
  r.advance(2);
  expect(await r.s.token()).toBe('tok2');
  expect(r.s.fetched()).toBe(2);
});

it('a rejected token is renewed once for all callers, and not handed out while the new one is fetched', async () => {
  const r = rig();
  await r.s.token();
  r.holdNext();
  const renewals = [r.s.renew('tok1'), r.s.renew('tok1')];
  const meanwhile = r.s.token();
  r.release();
  expect(await Promise.all([...renewals, meanwhile])).toEqual(['tok2', 'tok2', 'tok2']);
  // A caller still holding the old token takes the new one without another fetch.
  expect(await r.s.renew('tok1')).toBe('tok2');
  expect(r.s.fetched()).toBe(2);
});
