// 工单 / 售后单 in real Chromium on the demo chat (issue 17), on the embedded local CRM: a
// complaint arrives, the sidebar offers 创建售后单, the prefilled form files it, and the ticket
// shows beside the chat with its number and status 新建; moving it to 处理中 shows at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openDemoChat, startE2E, type E2E } from './harness';
import { sidebar } from './sidebar-locator';

const ZHANG_WEI = 'u_8613800138000';
const COMPLAINT = '收到的货坏了，屏幕裂开了，我要投诉！';

let e2e: E2E;
let chat: Page;

beforeAll(async () => {
  e2e = await startE2E();
  chat = await openDemoChat(e2e, ZHANG_WEI);
});
afterAll(async () => {
  await e2e?.stop();
});

describe('tickets beside the demo chat (local CRM)', () => {
  it('turns a complaint into a numbered ticket, and shows its status change', async () => {
    const side = sidebar(chat);
    await side.locator('[data-testid="create-submit"]').click();
    await side.locator('[data-testid="customer-code"]').waitFor();
    expect(await side.locator('[data-testid="ticket-item"]').count()).toBe(0);

    await chat.evaluate(
      ([id, text]) => (window as unknown as { demoChat: { deliver(id: string, text: string): string } }).demoChat.deliver(id!, text!),
      [ZHANG_WEI, COMPLAINT],
    );
    const suggestion = side.locator('[data-testid="suggestion"][data-kind="ticket"]');
    await suggestion.waitFor({ timeout: 15_000 });
    const accept = suggestion.locator('[data-testid="suggestion-accept"]');
    expect(await accept.innerText()).toBe('创建售后单');
    await accept.click();

    // The form is prefilled from the message: subject, 售后, 高 (a strong complaint word), the message quoted.
    const form = side.locator('[data-testid="ticket-form"]');
    await form.waitFor();
    expect(await form.locator('[data-testid="ticket-subject"]').inputValue()).toBe(COMPLAINT);
    expect(await form.locator('[data-testid="ticket-category"]').inputValue()).toBe('售后');
    expect(await form.locator('[data-testid="ticket-priority"]').inputValue()).toBe('高');
    expect(await form.locator('[data-testid="ticket-description"]').inputValue()).toContain(`> ${COMPLAINT}`);
    await form.locator('[data-testid="ticket-submit"]').click();

    // Filed on the local CRM: its number (SH + today + -001) and status 新建 beside the chat.
    const item = side.locator('[data-testid="ticket-item"]');
    await item.waitFor({ timeout: 15_000 });
    expect(await item.count()).toBe(1);
    const number = await item.locator('[data-testid="ticket-number"]').innerText();
    expect(number).toMatch(/^SH\d{8}-001$/);
    expect(await item.locator('[data-testid="ticket-status"]').innerText()).toBe('新建');
    expect(await item.locator('[data-testid="ticket-where"]').innerText()).toContain('本地 CRM');
    expect(await item.innerText()).toContain(COMPLAINT);
    // The complaint is answered: the suggestion is gone.
    await expect.poll(() => side.locator('[data-testid="suggestion"][data-kind="ticket"]').count(), { timeout: 10_000 }).toBe(0);

    // The user moves it on: the new status shows, the number stays.
    await item.locator('[data-testid="ticket-status-select"]').selectOption('处理中');
    await expect.poll(() => item.locator('[data-testid="ticket-status"]').innerText(), { timeout: 10_000 }).toBe('处理中');
    expect(await item.locator('[data-testid="ticket-number"]').innerText()).toBe(number);
  });
});
