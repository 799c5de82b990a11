// The main flow, walked in a headless browser for `npm start -- --headless`: the pictures a
// newcomer would see. (The assertions about the same flow live in test/e2e.)
import { join } from 'node:path';

const ZHANG_WEI = 'u_8613800138000';

/**
 * @param {import('./chromium.mjs').LaunchedExtension} ext
 * @param {string} demoUrl
 * @param {string} out
 * @param {(line: string) => void} log
 */
export async function walkthrough(ext, demoUrl, out, log) {
  const shots = [];
  const shot = async (page, name, opts = {}) => {
    const path = join(out, name);
    await page.screenshot({ path, ...opts });
    shots.push(path);
    log(`wrote ${path}`);
  };
  const page = await ext.context.newPage();
  await page.goto(new URL(`/?live=0#/chat/${ZHANG_WEI}`, demoUrl).href);
  const sidebar = page.locator('[data-testid="liaison-sidebar"]');
  await sidebar.waitFor({ timeout: 20_000 });
  await sidebar.locator('[data-testid="identity-phones"]').waitFor();
  log('the sidebar recognises an unknown contact and the phone in the chat');
  await shot(page, 'sidebar-unknown-contact.png');

  await sidebar.locator('[data-testid="create-submit"]').click();
  await sidebar.locator('[data-testid="customer-code"]').waitFor();
  log(`created customer ${(await sidebar.locator('[data-testid="customer-code"]').innerText()).trim()}`);

  const form = sidebar.locator('[data-testid="followup-form"]');
  await form.locator('textarea').first().fill('电话沟通经营贷方案，客户需要报价，约明天再聊');
  const due = new Date(Date.now() - 5 * 60_000);
  await form.locator('input[type="datetime-local"]').fill(new Date(due.getTime() - due.getTimezoneOffset() * 60_000).toISOString().slice(0, 16));
  await form.locator('[data-testid="followup-submit"]').click();
  await sidebar.locator('[data-testid="followup-item"]').first().waitFor();
  log('logged a follow-up with a due next follow-up');
  // Show the card from the top: the customer code, stage and the due follow-up.
  await sidebar.locator('[data-testid="customer-code"]').evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await shot(page, 'sidebar-customer.png');

  const popup = await ext.context.newPage();
  await popup.setViewportSize({ width: 400, height: 560 });
  await popup.goto(ext.extensionUrl('popup.html'));
  await popup.locator('[data-testid="due-item"]').first().waitFor({ timeout: 15_000 });
  await shot(popup, 'popup.png', { fullPage: true });

  const options = await ext.context.newPage();
  await options.setViewportSize({ width: 1100, height: 800 });
  await options.goto(ext.extensionUrl('options.html'));
  await options.locator('[data-testid="code-format"]').waitFor();
  await shot(options, 'options.png');
  return shots;
}
