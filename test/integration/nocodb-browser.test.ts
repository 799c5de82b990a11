// Issue 9 in the real browser with a real NocoDB: connect NocoDB in the options page (a bad token
// is refused, a good one passes the test), create the customer beside the demo chat, and see the
// row arrive in NocoDB with the same 客户编号 the sidebar shows, and the sync row say synced.
// Needs the built extension (`npx wxt build`; npm run test:integration builds first).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openDemoChat, startE2E, type E2E } from '../e2e/harness';
import { sidebar } from '../e2e/sidebar-locator';
import { api, count, preparedBase, server } from './helpers';

let e2e: E2E;
let ctx: Awaited<ReturnType<typeof preparedBase>>;
let chat: Page;

beforeAll(async () => {
  // The tables exist already (as after "create the recommended tables"); the connection leaves
  // the table ids empty, so the adapter finds them by title.
  ctx = await preparedBase('browser');
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.stop();
});

describe('NocoDB connected in the browser', () => {
  it('connects from the options page after a successful test', async () => {
    const options = await e2e.context.newPage();
    await options.goto(e2e.extensionUrl('options.html'));
    await options.locator('[data-testid="conn-add-nocodb"]').click();
    const form = options.locator('[data-testid="connection-form"]');
    await form.locator('[data-testid="conn-field-host"]').fill(server().url);
    await form.locator('[data-testid="conn-field-base_id"]').fill(ctx.baseId);
    await form.locator('[data-testid="conn-field-api_token"]').fill('wrong-token');
    await form.locator('[data-testid="conn-test"]').click();
    await expect.poll(() => form.locator('[data-testid="conn-error"]').innerText()).toMatch(/凭证|credentials|令牌|token|reconnect|重新连接/i);
    await form.locator('[data-testid="conn-field-api_token"]').fill(server().token);
    await form.locator('[data-testid="conn-test"]').click();
    await form.locator('[data-testid="conn-test-ok"]').waitFor();
    expect(await form.locator('[data-testid="conn-test-ok"]').innerText()).toContain('3 tables');
    await form.locator('[data-testid="conn-save"]').click();
    await expect.poll(() => options.locator('[data-testid="connection"]').count()).toBe(2);
    // The token never comes back to the page.
    expect(await options.content()).not.toContain(server().token);
    await options.close();
  });

  it('creates the customer in NocoDB and shows its code beside the chat', async () => {
    chat = await openDemoChat(e2e, 'u_8613800138000');
    await sidebar(chat).locator('[data-testid="create-submit"]').click();
    await expect.poll(() => count(ctx.tables.customers), { timeout: 30_000 }).toBe(1);
    const list = await api<{ list: Record<string, unknown>[] }>('GET', `/api/v2/tables/${ctx.tables.customers}/records?limit=5`);
    const row = list.body.list[0]!;
    expect(row['电话']).toBe('+8613800138000');
    const code = String(row['客户编号'] ?? '');
    expect(code).not.toBe('');
    await expect.poll(() => sidebar(chat).locator('[data-testid="customer-code"]').innerText(), { timeout: 20_000 }).toBe(code);
    const state = sidebar(chat).locator('[data-testid="sync-state"]', { hasText: 'NocoDB' });
    await expect.poll(() => state.getAttribute('data-state'), { timeout: 30_000 }).toBe('synced');
    // Exactly one row, even after the sidebar settled (no duplicate create).
    expect(await count(ctx.tables.customers)).toBe(1);
  });
});
