// Issue 16 in the real browser, the OAuth kind: Microsoft Dynamics 365 connected from the options
// page with the user's own Entra app — authorization code + PKCE (S256) through
// chrome.identity.launchWebAuthFlow — then a customer created beside the demo chat arriving in
// Dataverse as a contact, its row id shown beside the chat.
//
// The Dynamics emulator (test/emulators/dynamics: Entra's /{tenant}/oauth2/v2.0/authorize and
// /token with PKCE checked, and the Dataverse Web API) is served as the production hosts
// https://login.microsoftonline.com and https://contoso.crm.dynamics.com through TLS proxies on
// loopback, so the extension uses its real URLs and host permissions and nothing leaves the
// machine. The app registration's redirect URI is this extension's https://<id>.chromiumapp.org/,
// known once the browser has started.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startDynamicsEmulator, type DynamicsEmulator } from '../emulators/dynamics/index';
import { grantHostsLikeTheUser, openDemoChat, startE2E, type E2E } from './harness';
import { proxyArgs, startTlsProxy, type TlsProxy } from './tls-proxy';
import { sidebar } from './sidebar-locator';

const ORG_URL = 'https://contoso.crm.dynamics.com';
let e2e: E2E;
let dyn: DynamicsEmulator;
const proxies: TlsProxy[] = [];
let chat: Page;

const dynamicsState = (p: Page) => sidebar(p).locator('[data-testid="sync-state"]', { hasText: 'Dynamics' });
const contacts = () => dyn.control.rows('contacts') as Record<string, unknown>[];

beforeAll(async () => {
  dyn = await startDynamicsEmulator();
  proxies.push(await startTlsProxy('login.microsoftonline.com', dyn.url), await startTlsProxy('contoso.crm.dynamics.com', dyn.url));
  e2e = await startE2E({ args: proxyArgs(proxies) });
  // The app registration as the user made it: this extension's redirect URI, and the environment's
  // user_impersonation permission under its production URL.
  dyn.state.oauth.redirectUri = `https://${e2e.extensionId}.chromiumapp.org/`;
  dyn.state.oauth.resource = `${ORG_URL}/user_impersonation`;
  // The spec's hosts (lib/crm/dynamics/spec.ts): Entra's, and the environment URL the user types.
  await grantHostsLikeTheUser(e2e, ['https://login.microsoftonline.com/*', `${ORG_URL}/*`]);
});
afterAll(async () => {
  await e2e?.stop();
  await Promise.all(proxies.map((p) => p.close()));
  await dyn?.close();
});

describe('Dynamics 365 connected with OAuth + PKCE', () => {
  it('signs in from the options page through chrome.identity with a PKCE challenge', async () => {
    const options = await e2e.context.newPage();
    await options.goto(e2e.extensionUrl('options.html'));
    await options.locator('[data-testid="conn-add-dynamics"]').click();
    const form = options.locator('[data-testid="connection-form"]');
    // The redirect URI to register in the Entra app is this extension's identity redirect.
    expect(await form.locator('[data-testid="conn-oauth-redirect"]').inputValue()).toBe(dyn.state.oauth.redirectUri);
    await form.locator('[data-testid="conn-field-orgUrl"]').fill(ORG_URL);
    await form.locator('[data-testid="conn-field-tenant"]').fill(dyn.tenant);
    await form.locator('[data-testid="conn-field-clientId"]').fill(dyn.clientId);
    await form.locator('[data-testid="conn-save"]').click();

    const row = options.locator('[data-testid="connection"]', { hasText: 'Dynamics' });
    await expect.poll(() => row.getAttribute('data-state'), { timeout: 20_000 }).toBe('unauthorized');
    expect(dyn.state.oauth.tokenRequests.authorization_code).toBe(0);

    await row.locator('[data-testid="conn-oauth"]').click();
    // "Test connection" after sign-in names the user and the organisation (WhoAmI + systemuser).
    await expect.poll(() => row.locator('[data-testid="conn-oauth-ok"]').innerText(), { timeout: 30_000 }).toMatch(/张伟|zhangwei@contoso/);
    expect(dyn.state.oauth.tokenRequests.authorization_code).toBe(1);
    // The code was redeemed with a verifier matching the S256 challenge (the emulator refuses
    // otherwise: AADSTS501481), so the authorize request carried one.
    const authorize = dyn.state.requests.find((r) => /\/oauth2\/v2\.0\/authorize$/.test(r.path));
    expect(authorize?.query).toMatchObject({ code_challenge_method: 'S256', response_type: 'code', client_id: dyn.clientId });
    await expect.poll(() => row.getAttribute('data-state')).not.toBe('unauthorized');
    // Tokens stay in the background: neither the access nor the refresh token reaches the page.
    const html = await options.content();
    for (const token of [...dyn.state.oauth.accessTokens.keys(), ...dyn.state.oauth.refreshTokens.keys()]) expect(html).not.toContain(token);
    await options.close();
  });

  it('creates the customer as a contact and shows Dynamics synced beside the chat', async () => {
    chat = await openDemoChat(e2e, 'u_8613800138000');
    await sidebar(chat).locator('[data-testid="create-submit"]').click();
    await expect.poll(() => contacts().length, { timeout: 30_000 }).toBe(1);
    const c = contacts()[0]!;
    expect(String(c.mobilephone ?? c.telephone1)).toContain('13800138000');
    await expect.poll(() => dynamicsState(chat).getAttribute('data-state'), { timeout: 30_000 }).toBe('synced');
    // Beside the chat: the row's id in Dataverse (Dynamics has no customer code of its own).
    await expect.poll(() => dynamicsState(chat).innerText(), { timeout: 10_000 }).toContain(String(c.contactid).slice(0, 8));
  });
});
