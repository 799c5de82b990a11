// The foundation's main flow, in real Chromium with the built extension and the demo chat:
// unknown contact → create → 客户编号 → switch away and back → log a follow-up → notification →
// popup lists it → done in the popup → the sidebar updates.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { inWorker, openDemoChat, poll, startE2E, type E2E } from './harness';
import { sidebar } from './sidebar-locator';

const ZHANG_WEI = 'u_8613800138000';
const LI_NA = 'u_8613912345678';

let e2e: E2E;
let chat: Page;

beforeAll(async () => {
  e2e = await startE2E();
  chat = await openDemoChat(e2e, ZHANG_WEI);
});
afterAll(async () => {
  await e2e?.stop();
});


describe('main flow on the demo chat', () => {
  it('shows the unknown contact with the phone parsed from the chat', async () => {
    await expect.poll(() => sidebar(chat).locator('[data-testid="identity-phones"]').innerText()).toContain('138 0013 8000');
    expect(await sidebar(chat).locator('[data-testid="customer-code"]').count()).toBe(0);
  });

  let code = '';
  it('creates the customer and shows the 客户编号 beside the chat', async () => {
    await sidebar(chat).locator('[data-testid="create-submit"]').click();
    const codeEl = sidebar(chat).locator('[data-testid="customer-code"]');
    await codeEl.waitFor();
    code = (await codeEl.innerText()).trim();
    expect(code).toMatch(/^KH\d{4}-\d{4}$/);
  });

  it('follows a conversation switch and comes back still linked', async () => {
    await chat.evaluate((id) => (window as unknown as { demoChat: { open(id: string): void } }).demoChat.open(id), LI_NA);
    await expect.poll(() => sidebar(chat).locator('[data-testid="identity-phones"]').innerText()).toContain('139 1234 5678');
    expect(await sidebar(chat).locator('[data-testid="customer-code"]').count()).toBe(0);
    await chat.evaluate((id) => (window as unknown as { demoChat: { open(id: string): void } }).demoChat.open(id), ZHANG_WEI);
    await expect.poll(() => sidebar(chat).locator('[data-testid="customer-code"]').innerText()).toBe(code);
  });

  it('logs a follow-up whose next time is due, and a notification is listed', async () => {
    const form = sidebar(chat).locator('[data-testid="followup-form"]');
    await form.locator('textarea').first().fill('电话沟通经营贷方案，客户需要报价');
    // Due one minute ago: the reminder fires at once.
    const due = new Date(Date.now() - 60_000);
    const local = new Date(due.getTime() - due.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await form.locator('input[type="datetime-local"]').fill(local);
    await form.locator('[data-testid="followup-submit"]').click();
    await expect.poll(() => sidebar(chat).locator('[data-testid="followup-item"]').count()).toBe(1);
    await expect.poll(() => sidebar(chat).locator('[data-testid="next-followup"]').getAttribute('data-state')).toBe('overdue');

    const ids = await poll(
      () => inWorker(e2e, async () => Object.keys(await chrome.notifications.getAll())),
      (list) => list.some((id) => id.startsWith('reminder:')),
      20_000,
      'a reminder notification',
    );
    expect(ids.filter((id) => id.startsWith('reminder:'))).toHaveLength(1);
  });

  it('lists it in the popup; done there updates the sidebar', async () => {
    const popup = await e2e.context.newPage();
    await popup.goto(e2e.extensionUrl('popup.html'));
    const item = popup.locator('[data-testid="due-item"]');
    await expect.poll(() => item.count()).toBe(1);
    expect(await item.innerText()).toContain(code);
    await item.locator('[data-testid="due-done"]').click();
    await expect.poll(() => popup.locator('[data-testid="due-item"]').count()).toBe(0);
    // The chat tab's sidebar hears the change without a reload.
    await expect.poll(() => sidebar(chat).locator('[data-testid="next-followup"]').getAttribute('data-state')).toBe('none');
    const notes = await inWorker(e2e, async () => Object.keys(await chrome.notifications.getAll()));
    expect(notes.filter((id) => id.startsWith('reminder:'))).toHaveLength(0);
    await popup.close();
  });
});
