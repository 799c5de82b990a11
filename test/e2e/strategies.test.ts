// 多 CRM 策略 in the real browser: two 智邦ERP emulators connected from the options page.
// (a) parallel (the default): a customer created beside the chat reaches both ERPs and the
// sidebar shows two synced 智邦 rows. (b) primary-backup chosen in the strategy section with
// failover at 0 minutes is stored and shown again. The failover itself (primary down → backup →
// synced back) is driven with HubSpot and Salesforce in multi-crm.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startZhibangEmulator, DEFAULT_USER, type ZhibangEmulator } from '../emulators/zhibang/index';
import { openDemoChat, startE2E, type E2E } from './harness';
import { sidebar } from './sidebar-locator';

let e2e: E2E;
let zb1: ZhibangEmulator;
let zb2: ZhibangEmulator;
const zhibangRows = (p: Page) => sidebar(p).locator('[data-testid="sync-state"]', { hasText: '智邦' });

beforeAll(async () => {
  zb1 = await startZhibangEmulator();
  zb2 = await startZhibangEmulator();
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.stop();
  await zb1?.close();
  await zb2?.close();
});

async function connect(options: Page, zb: ZhibangEmulator, name: string, count: number) {
  await options.locator('[data-testid="conn-add-zhibang"]').click();
  const form = options.locator('[data-testid="connection-form"]');
  await form.locator('[data-testid="conn-name"]').fill(name);
  await form.locator('[data-testid="conn-field-host"]').fill(zb.url);
  await form.locator('[data-testid="conn-field-user"]').fill(DEFAULT_USER.user);
  await form.locator('[data-testid="conn-field-password"]').fill(DEFAULT_USER.password);
  await form.locator('[data-testid="conn-test"]').click();
  await form.locator('[data-testid="conn-test-ok"]').waitFor();
  await form.locator('[data-testid="conn-save"]').click();
  await expect.poll(() => options.locator('[data-testid="connection"]').count(), { timeout: 20_000 }).toBe(count);
}

describe('多 CRM 策略 with two 智邦ERP', () => {
  let options: Page;

  it('connects both ERPs from the options page', async () => {
    options = await e2e.context.newPage();
    await options.goto(e2e.extensionUrl('options.html'));
    await connect(options, zb1, '智邦主', 2);
    await connect(options, zb2, '智邦备', 3);
    // The strategy section lists both as choices.
    await options.locator('[data-testid="strategy-section"]').waitFor();
  });

  it('parallel: a new customer reaches both ERPs, two synced 智邦 rows beside the chat', async () => {
    const chat = await openDemoChat(e2e, 'u_8613800138000');
    await sidebar(chat).locator('[data-testid="create-submit"]').click();
    await expect.poll(() => zb1.state.saved().length, { timeout: 60_000 }).toBe(1);
    await expect.poll(() => zb2.state.saved().length, { timeout: 60_000 }).toBe(1);
    expect(zb1.state.saved()[0]!.fields.mobile).toBe('13800138000');
    expect(zb2.state.saved()[0]!.fields.mobile).toBe('13800138000');
    await expect.poll(() => zhibangRows(chat).count(), { timeout: 60_000 }).toBe(2);
    await expect
      .poll(async () => (await zhibangRows(chat).evaluateAll((els) => els.map((e) => e.getAttribute('data-state')))).join(','), { timeout: 60_000 })
      .toBe('synced,synced');
    const ids = await zhibangRows(chat).evaluateAll((els) => els.map((e) => e.getAttribute('data-connection-id')));
    expect(new Set(ids).size).toBe(2);
    await chat.close();
  });

  it('primary-backup: chosen in the strategy section, stored, shown again after a reload', async () => {
    const section = () => options.locator('[data-testid="strategy-section"]');
    await section().locator('[data-testid="strategy-mode"]').selectOption('primary-backup');
    const primary = () => section().locator('[data-testid="strategy-primary"]');
    const backup = () => section().locator('[data-testid="strategy-backup"]');
    expect(await primary().locator('option').count()).toBe(2);
    await primary().selectOption({ label: '智邦主' });
    await backup().selectOption({ label: '智邦备' });
    await section().locator('[data-testid="strategy-failover"]').fill('0');
    await section().locator('[data-testid="strategy-save"]').click();
    await section().locator('[data-testid="strategy-saved"]').waitFor();

    await options.reload();
    await expect.poll(() => section().locator('[data-testid="strategy-mode"]').inputValue(), { timeout: 20_000 }).toBe('primary-backup');
    const label = (l: ReturnType<typeof primary>) => l.evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent ?? '');
    await expect.poll(() => label(primary()), { timeout: 20_000 }).toBe('智邦主');
    expect(await label(backup())).toBe('智邦备');
    expect(await section().locator('[data-testid="strategy-failover"]').inputValue()).toBe('0');
  });
});
