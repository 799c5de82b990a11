// Connecting a CRM in the options page as a user does: fill the form, 测试连接 until it says ok
// (a refusal is shown as the test's failure), then save and wait for the row.
import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { DEFAULT_USER, type ZhibangEmulator } from '../emulators/zhibang/index';

/** Test the open connection form, then save it; `count` is the number of connection rows after (the local CRM included). */
export async function saveTested(options: Page, form: Locator, count: number): Promise<void> {
  await form.locator('[data-testid="conn-test"]').click();
  await expect.poll(async () => ((await form.locator('[data-testid="conn-error"]').count()) ? await form.locator('[data-testid="conn-error"]').innerText() : 'ok?'), { timeout: 20_000 }).toBe('ok?');
  await form.locator('[data-testid="conn-test-ok"]').waitFor({ timeout: 20_000 });
  await form.locator('[data-testid="conn-save"]').click();
  await expect.poll(() => options.locator('[data-testid="connection"]').count(), { timeout: 20_000 }).toBe(count);
}

/** 智邦ERP named 智邦, on the emulator's loopback URL, as its default user. */
export async function connectZhibang(options: Page, zb: ZhibangEmulator, count: number): Promise<void> {
  await options.locator('[data-testid="conn-add-zhibang"]').click();
  const form = options.locator('[data-testid="connection-form"]');
  await form.locator('[data-testid="conn-name"]').fill('智邦');
  await form.locator('[data-testid="conn-field-host"]').fill(zb.url);
  await form.locator('[data-testid="conn-field-user"]').fill(DEFAULT_USER.user);
  await form.locator('[data-testid="conn-field-password"]').fill(DEFAULT_USER.password);
  await saveTested(options, form, count);
}
