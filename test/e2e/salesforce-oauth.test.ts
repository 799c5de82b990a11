// Issue 6 in the real browser: "Connect with Salesforce" runs the OAuth + PKCE flow through
// chrome.identity.launchWebAuthFlow against the Salesforce emulator on loopback (its connected
// app's callback URL is this extension's https://<id>.chromiumapp.org/, so the emulator starts
// after the browser, once the id is known). Then a customer created beside the chat becomes a
// Lead, and after the org expires every session a follow-up costs exactly one token refresh.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startSalesforceEmulator, type SalesforceEmulator } from '../emulators/salesforce/index';
import { grantHostsLikeTheUser, inWorker, openDemoChat, startE2E, type E2E } from './harness';
import { sidebar } from './sidebar-locator';

let e2e: E2E;
let sf: SalesforceEmulator;
let chat: Page;
const salesforceState = (p: Page) => sidebar(p).locator('[data-testid="sync-state"]', { hasText: 'Salesforce' });
const leads = () => sf.control.records('Lead');
const tasks = () => sf.control.records('Task');

beforeAll(async () => {
  e2e = await startE2E();
  sf = await startSalesforceEmulator({ redirectUri: `https://${e2e.extensionId}.chromiumapp.org/` });
  // The spec's fixed hosts; the My Domain (the emulator on 127.0.0.1) is granted at install.
  await grantHostsLikeTheUser(e2e, ['https://*.salesforce.com/*', 'https://*.my.salesforce.com/*']);
});
afterAll(async () => {
  await e2e?.stop();
  await sf?.close();
});

describe('Salesforce connected with OAuth', () => {
  it('signs in from the options page through chrome.identity', async () => {
    const options = await e2e.context.newPage();
    await options.goto(e2e.extensionUrl('options.html'));
    await options.locator('[data-testid="conn-add-salesforce"]').click();
    const form = options.locator('[data-testid="connection-form"]');
    // The callback URL to paste into the connected app is this extension's identity redirect.
    expect(await form.locator('[data-testid="conn-oauth-redirect"]').inputValue()).toBe(sf.redirectUri);
    await form.locator('[data-testid="conn-field-loginHost"]').selectOption('my-domain');
    await form.locator('[data-testid="conn-field-myDomain"]').fill(sf.loginUrl);
    await form.locator('[data-testid="conn-field-consumerKey"]').fill(sf.clientId);
    await form.locator('[data-testid="conn-save"]').click();

    const row = options.locator('[data-testid="connection"]', { hasText: 'Salesforce' });
    // Saved but not signed in yet: nothing can sync, and the row says so.
    await expect.poll(() => row.getAttribute('data-state')).toBe('unauthorized');
    expect(await row.innerText()).toContain('未授权');
    expect(sf.state.oauth.tokenRequests.authorization_code).toBe(0);

    // The user denies on the authorization page: the reason is shown, nothing is stored.
    sf.control.denyNextAuthorization();
    await row.locator('[data-testid="conn-oauth"]').click();
    await expect.poll(() => row.locator('[data-testid="conn-oauth-error"]').innerText(), { timeout: 20_000 }).toMatch(/拒绝|denied/);
    expect(await row.getAttribute('data-state')).toBe('unauthorized');

    await row.locator('[data-testid="conn-oauth"]').click();
    await expect.poll(() => row.locator('[data-testid="conn-oauth-ok"]').innerText(), { timeout: 20_000 }).toContain('@ 127.0.0.1');
    expect(sf.state.oauth.tokenRequests.authorization_code).toBe(1);
    await expect.poll(() => row.getAttribute('data-state')).not.toBe('unauthorized');
    // Tokens stay in the background: neither the access nor the refresh token reaches the page.
    const html = await options.content();
    for (const token of [...sf.state.oauth.accessTokens.keys(), ...sf.state.oauth.refreshTokens]) expect(html).not.toContain(token);
    await options.close();
  });

  it('creates the customer as a Lead and shows Salesforce synced beside the chat', async () => {
    chat = await openDemoChat(e2e, 'u_8613800138000');
    await sidebar(chat).locator('[data-testid="create-submit"]').click();
    await expect.poll(() => leads().length, { timeout: 20_000 }).toBe(1);
    const phones = [leads()[0]!.fields.MobilePhone, leads()[0]!.fields.Phone].map(String).join(' ');
    expect(phones).toContain('13800138000');
    await expect.poll(() => salesforceState(chat).getAttribute('data-state'), { timeout: 20_000 }).toBe('synced');
  });

  it('refreshes the expired session once and delivers the follow-up as a Task', async () => {
    const refreshesBefore = sf.state.oauth.tokenRequests.refresh_token;
    sf.control.expireTokens();
    const form = sidebar(chat).locator('[data-testid="followup-form"]');
    await form.locator('textarea').first().fill('电话沟通：客户想了解抵押贷利率');
    await form.locator('[data-testid="followup-submit"]').click();
    await expect.poll(() => tasks().length, { timeout: 30_000 }).toBe(1);
    expect(tasks()[0]!.fields).toMatchObject({ WhoId: leads()[0]!.Id, Status: 'Completed', Description: expect.stringContaining('抵押贷') });
    expect(sf.state.oauth.tokenRequests.refresh_token - refreshesBefore).toBe(1);
    // The refreshed token was persisted (a worker restart would otherwise refresh again).
    const stored = await inWorker(e2e, () =>
      new Promise<string[]>((resolve, reject) => {
        const open = indexedDB.open('liaison');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('secrets').objectStore('secrets').getAll();
          all.onsuccess = () => resolve((all.result as { value: Record<string, string> }[]).map((r) => r.value.access_token ?? '').filter(Boolean));
          all.onerror = () => reject(all.error);
        };
      }),
    );
    expect(stored).toHaveLength(1);
    expect(sf.state.oauth.accessTokens.get(stored[0]!)).toBeGreaterThan(Date.now());
    await expect.poll(() => salesforceState(chat).getAttribute('data-state'), { timeout: 20_000 }).toBe('synced');
    expect(leads()).toHaveLength(1);
  });
});
