// The other surfaces in real Chromium: reader health on an unreadable page, the options page
// (customer-code format, export and import), the popup's open-chat and quick note, English UI.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openDemoChat, poll, startE2E, type E2E } from './harness';
import { sidebar } from './sidebar-locator';

type DemoWindow = { demoChat: { open(id: string): void } };

function localInput(ms: number): string {
  const d = new Date(ms);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

describe('in Chinese (default for a zh-CN browser)', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E({ lang: 'zh-CN' });
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('says plainly when the page cannot be read, and shows no customer from a half-read page', async () => {
    const chat = await openDemoChat(e2e, 'u_8613800138000');
    await sidebar(chat).locator('[data-testid="identity-phones"]').waitFor();
    // A redesign: every selector the reader knows is renamed.
    await chat.evaluate(() => {
      for (const el of document.querySelectorAll('#conversation-host, #conversation')) el.removeAttribute('id');
      for (const el of document.querySelectorAll('[data-thread-id]')) el.removeAttribute('data-thread-id');
      for (const el of document.querySelectorAll('.conv-title, .conv-subtitle, .msg, .msg-text')) el.className = 'renamed';
      location.hash = '#/somewhere-else';
    });
    const banner = sidebar(chat).locator('[data-testid="health-banner"]');
    await banner.waitFor({ timeout: 10_000 });
    expect(await banner.innerText()).toContain('无法读取此页面的消息');
    expect(await sidebar(chat).locator('[data-testid="create-customer"], [data-testid="customer-code"]').count()).toBe(0);
    // The options page shows the site's status and which fields were not found.
    const options = await e2e.context.newPage();
    await options.goto(e2e.extensionUrl('options.html'));
    const demo = options.locator('[data-testid="site-health"][data-site="demo"]');
    await expect.poll(() => demo.getAttribute('data-state')).toBe('failed');
    expect(await demo.innerText()).toMatch(/title|messageList/);
    await options.close();
    await chat.close();
  });

  it('uses the customer-code format set in options', async () => {
    const options = await e2e.context.newPage();
    await options.goto(e2e.extensionUrl('options.html'));
    const format = options.locator('[data-testid="code-format"]');
    await format.fill('C{YY}{MM}-{seq:3}');
    await expect.poll(() => options.locator('[data-testid="code-preview"]').innerText()).toMatch(/C\d{4}-001/);
    await options.locator('[data-testid="save-settings"]').click();
    // Saved in the background, not just shown: ask it, as any extension page would.
    await expect
      .poll(() =>
        options.evaluate(async () => {
          const reply = (await chrome.runtime.sendMessage({ liaison: 1, type: 'settings.get', payload: {} })) as { data?: { codeFormat: string } };
          return reply?.data?.codeFormat ?? null;
        }),
      )
      .toBe('C{YY}{MM}-{seq:3}');

    const chat = await openDemoChat(e2e, 'u_8613800138001');
    await sidebar(chat).locator('[data-testid="create-submit"]').click();
    const code = sidebar(chat).locator('[data-testid="customer-code"]');
    await code.waitFor();
    expect((await code.innerText()).trim()).toMatch(/^C\d{4}-001$/);
    await options.close();
    await chat.close();
  });

  it("the options page's nav marks the section on screen as the page scrolls, and a section's address opens it marked", async () => {
    const options = await e2e.context.newPage();
    await options.setViewportSize({ width: 1100, height: 800 });
    await options.goto(e2e.extensionUrl('options.html'));
    await options.locator('[data-testid="code-format"]').waitFor();
    const marked = () => options.locator('.lzo-nav [aria-current="true"]').getAttribute('href');
    expect(await marked()).toBe('#lzo-connections');
    await options.evaluate(() => document.getElementById('lzo-reminders')!.scrollIntoView({ block: 'start' }));
    await expect.poll(marked).toBe('#lzo-reminders');
    await options.evaluate(() => window.scrollTo(0, 0));
    await expect.poll(marked).toBe('#lzo-connections');
    await options.goto(e2e.extensionUrl('options.html#lzo-team'));
    await options.locator('[data-testid="code-format"]').waitFor();
    await expect.poll(marked).toBe('#lzo-team');
    await options.close();
  });

  it('exports all local data as JSON and imports it back', async () => {
    const options = await e2e.context.newPage();
    await options.goto(e2e.extensionUrl('options.html'));
    const [download] = await Promise.all([options.waitForEvent('download'), options.locator('[data-testid="export"]').click()]);
    expect(download.suggestedFilename()).toMatch(/^liaison-export-\d{8}\.json$/);
    const path = await download.path();
    const doc = JSON.parse(readFileSync(path, 'utf8'));
    const customers = doc.tables?.customers ?? doc.customers;
    expect(Array.isArray(customers)).toBe(true);
    expect(customers.map((c: { name: string }) => c.name)).toContain('王芳');
    expect(JSON.stringify(doc)).not.toContain('secret');

    await options.locator('#lzo-data [data-testid="import-file"]').setInputFiles(path);
    await options.locator('[data-testid="import-replace"]').check();
    await options.locator('#lzo-data [data-testid="import"]').click(); // asks first
    await options.locator('[data-testid="replace-warning"]').waitFor();
    await options.locator('#lzo-data [data-testid="import"]').click();
    await options.locator('[data-testid="import-counts"]').waitFor();
    expect(await options.locator('[data-testid="import-counts"]').innerText()).toMatch(/1/);

    // A malformed file is refused with a clear error and nothing changes.
    await options.locator('#lzo-data [data-testid="import-file"]').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"customers": [{"id": 1}]}') });
    await options.locator('[data-testid="import-merge"]').check();
    await options.locator('#lzo-data [data-testid="import"]').click();
    await expect.poll(() => options.locator('[role="alert"]').count()).toBeGreaterThan(0);
    const chat = await openDemoChat(e2e, 'u_8613800138001');
    await expect.poll(() => sidebar(chat).locator('[data-testid="customer-code"]').count()).toBe(1);
    await chat.close();
    await options.close();
  });

  it('opens the chat from the popup and logs a quick note', async () => {
    const chat = await openDemoChat(e2e, 'u_14155552671');
    await sidebar(chat).locator('[data-testid="create-submit"]').click();
    await sidebar(chat).locator('[data-testid="customer-code"]').waitFor();
    const form = sidebar(chat).locator('[data-testid="followup-form"]');
    await form.locator('textarea').first().fill('Sent the catalog; call back about MOQ');
    await form.locator('input[type="datetime-local"]').fill(localInput(Date.now() - 2 * 60_000));
    await form.locator('[data-testid="followup-submit"]').click();
    await expect.poll(() => sidebar(chat).locator('[data-testid="followup-item"]').count()).toBe(1);
    await chat.close();

    const popup = await e2e.context.newPage();
    await popup.goto(e2e.extensionUrl('popup.html'));
    const item = popup.locator('[data-testid="due-item"]', { hasText: 'John Carter' });
    await item.waitFor();
    await item.locator('[data-testid="due-note"]').click();
    await item.locator('[data-testid="due-note-input"]').fill('客户说下周一回复');
    await item.locator('[data-testid="due-note-save"]').click();

    await item.locator('[data-testid="due-open"]').click();
    // A new tab, or an open tab of the demo chat switched to this conversation.
    const opened = await poll(
      async () => e2e.context.pages().find((p) => p.url().includes('#/chat/u_14155552671')),
      (p) => p !== undefined,
      15_000,
      'the chat tab',
    );
    if (!opened) throw new Error('unreachable');
    await sidebar(opened).locator('[data-testid="customer-code"]').waitFor({ timeout: 15_000 });
    await expect.poll(() => sidebar(opened).locator('[data-testid="followup-item"]').count()).toBe(2);
    expect(await sidebar(opened).locator('[data-testid="followup-item"]').first().innerText()).toContain('客户说下周一回复');
  });
});

describe('in English', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E({ lang: 'en-US' });
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  it('speaks English in an English browser, keeping the data as it is', async () => {
    const chat = await openDemoChat(e2e, 'u_8613800138000');
    await expect.poll(() => sidebar(chat).innerText()).toMatch(/new customer/i);
    expect(await sidebar(chat).innerText()).toContain('张伟');
    const popup = await e2e.context.newPage();
    await popup.goto(e2e.extensionUrl('popup.html'));
    await expect.poll(() => popup.locator('[data-testid="popup"]').innerText()).toMatch(/Due today|today/i);
  });
});
