// Issue 3 in the real browser: connect 智邦ERP (its emulator on loopback) in options (默认客户来源
// then picked from the ERP's own list), create a
// customer beside the chat → the ERP's 客户编号 appears there; a follow-up reaches the ERP with
// sort 484; with the ERP down the sidebar says 待同步 and it syncs by itself when it returns.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startZhibangEmulator, DEFAULT_USER, type ZhibangEmulator } from '../emulators/zhibang/index';
import { openDemoChat, startE2E, type E2E } from './harness';
import { sidebar } from './sidebar-locator';

let e2e: E2E;
let zb: ZhibangEmulator;
let chat: Page;
const zhibangState = (p: Page) => sidebar(p).locator('[data-testid="sync-state"]', { hasText: '智邦' });

beforeAll(async () => {
  zb = await startZhibangEmulator();
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.stop();
  await zb?.close();
});

describe('智邦ERP connected', () => {
  it('connects from the options page after a successful test', async () => {
    const options = await e2e.context.newPage();
    await options.goto(e2e.extensionUrl('options.html'));
    await options.locator('[data-testid="conn-add-zhibang"]').click();
    const form = options.locator('[data-testid="connection-form"]');
    await form.locator('[data-testid="conn-field-host"]').fill(zb.url);
    await form.locator('[data-testid="conn-field-user"]').fill(DEFAULT_USER.user);
    // A wrong password is refused with a clear reason.
    await form.locator('[data-testid="conn-field-password"]').fill('wrong');
    await form.locator('[data-testid="conn-test"]').click();
    await expect.poll(() => form.locator('[data-testid="conn-error"]').innerText()).toMatch(/密码|password|凭证|credentials|鉴权/i);
    await form.locator('[data-testid="conn-field-password"]').fill(DEFAULT_USER.password);
    await form.locator('[data-testid="conn-test"]').click();
    await form.locator('[data-testid="conn-test-ok"]').waitFor();
    expect(await form.locator('[data-testid="conn-code-master"]').isChecked()).toBe(true);
    await form.locator('[data-testid="conn-save"]').click();
    await expect.poll(() => options.locator('[data-testid="connection"]').count()).toBe(2);
    // The password never comes back to the page.
    expect(await options.content()).not.toContain(DEFAULT_USER.password);

    // Editing it: 默认客户来源 is offered from the ERP's own 客户来源 list, by name.
    const row = options.locator('[data-testid="connection"]', { hasText: '智邦' });
    await row.locator('[data-testid="conn-edit"]').click();
    const edit = options.locator('[data-testid="connection-form"]');
    const hint = edit.locator('[data-testid="conn-choice-defaultSource"]');
    await expect.poll(() => hint.innerText(), { timeout: 20_000 }).toMatch(/\d+ 个选项/);
    await edit.locator('[data-testid="conn-field-defaultSource"]').fill('1001');
    await expect.poll(() => hint.innerText()).toBe('微信咨询');
    await edit.locator('[data-testid="conn-save"]').click();
    await expect.poll(() => options.locator('[data-testid="connection-form"]').count()).toBe(0);
    await options.close();
  });

  it('creates the customer in the ERP and shows its 客户编号 beside the chat', async () => {
    chat = await openDemoChat(e2e, 'u_8613800138000');
    await sidebar(chat).locator('[data-testid="create-submit"]').click();
    await expect.poll(() => zb.state.saved().length, { timeout: 20_000 }).toBe(1);
    const khid = String(zb.state.saved()[0]!.fields.khid ?? '');
    expect(khid).toMatch(/^KH\d{7}$/);
    await expect.poll(() => sidebar(chat).locator('[data-testid="customer-code"]').innerText(), { timeout: 20_000 }).toBe(khid);
    await expect.poll(() => zhibangState(chat).getAttribute('data-state')).toBe('synced');
    expect(zb.state.saved()[0]!.fields.mobile).toBe('13800138000');
  });

  it('logs the follow-up in the ERP as 484 (chat), and queues it while the ERP is down', async () => {
    const form = sidebar(chat).locator('[data-testid="followup-form"]');
    await form.locator('textarea').first().fill('微信沟通：客户想了解经营贷额度');
    await form.locator('[data-testid="followup-submit"]').click();
    await expect.poll(() => zb.state.followUps.length, { timeout: 20_000 }).toBe(1);
    expect(zb.state.followUps[0]).toMatchObject({ sort: 484, intro: expect.stringContaining('经营贷') });

    await zb.control.down();
    await form.locator('textarea').first().fill('电话回访，约周五面谈');
    await form.locator('[data-testid="followup-submit"]').click();
    await expect.poll(() => zhibangState(chat).getAttribute('data-state'), { timeout: 20_000 }).toBe('pending');
    expect(await zhibangState(chat).innerText()).toContain('待同步');

    await zb.control.up();
    await expect.poll(() => zb.state.followUps.length, { timeout: 60_000 }).toBe(2);
    await expect.poll(() => zhibangState(chat).getAttribute('data-state'), { timeout: 20_000 }).toBe('synced');
    expect(zb.state.saved()).toHaveLength(1);
  });
});
