// The main flow, walked in a headless browser for `npm start -- --headless`: the pictures a
// newcomer would see. (The assertions about the same flow live in test/e2e.)
import { join } from 'node:path';

const ZHANG_WEI = 'u_8613800138000';

/** An extension page at /sidebar.html (a frame's address may be empty or not a URL yet). */
const isSidebarUrl = (url) => /^(chrome|moz)-extension:\/\/[^/]+\/sidebar\.html(?:[?#]|$)/.test(url);

/**
 * The sidebar is an extension page framed beside the chat (in a closed shadow root the page
 * cannot enter): found as the page's frame whose address is /sidebar.html.
 * @param {import('playwright-core').Page} page
 */
async function sidebarOf(page, timeoutMs = 20_000) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const frame = page.frames().find((f) => !f.isDetached() && isSidebarUrl(f.url()));
    if (frame) return frame.locator('[data-testid="liaison-sidebar"]');
    if (Date.now() > end) throw new Error(`the sidebar did not appear within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * @param {import('./chromium.mjs').LaunchedExtension} ext
 * @param {string} demoUrl
 * @param {string} out
 * @param {(line: string) => void} log
 * @param {{ erp?: { url: string, user: string, password: string } }} [opts]
 */
export async function walkthrough(ext, demoUrl, out, log, opts = {}) {
  const shots = [];
  const shot = async (page, name, opts = {}) => {
    const path = join(out, name);
    await page.screenshot({ path, ...opts });
    shots.push(path);
    log(`wrote ${path}`);
  };
  const page = await ext.context.newPage();
  await page.goto(new URL(`/?live=0#/chat/${ZHANG_WEI}`, demoUrl).href);
  const sidebar = await sidebarOf(page);
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

  if (opts.erp) {
    // Connect the emulated 智邦ERP and create the next customer there: its 客户编号 appears beside the chat.
    await options.locator('[data-testid="conn-add-zhibang"]').click();
    const form = options.locator('[data-testid="connection-form"]');
    await form.locator('[data-testid="conn-field-host"]').fill(opts.erp.url);
    await form.locator('[data-testid="conn-field-user"]').fill(opts.erp.user);
    await form.locator('[data-testid="conn-field-password"]').fill(opts.erp.password);
    await form.locator('[data-testid="conn-test"]').click();
    await form.locator('[data-testid="conn-test-ok"]').waitFor({ timeout: 15_000 });
    await shot(options, 'options-connect-crm.png');
    await form.locator('[data-testid="conn-save"]').click();
    await options.locator('[data-testid="connection"]').nth(1).waitFor();
    log('connected the emulated 智邦ERP');

    await page.evaluate(() => window.demoChat.open('u_8613912345678'));
    await sidebar.locator('[data-testid="create-submit"]').click();
    const erpRow = sidebar.locator('[data-testid="sync-state"][data-state="synced"]', { hasText: '智邦' });
    await erpRow.waitFor({ timeout: 20_000 });
    // The ERP's code replaces the temporary 方案B one (WX…, 临时); let the frame paint it before the picture.
    await sidebar.locator('[data-testid="code-temporary"]').waitFor({ state: 'detached', timeout: 20_000 });
    await page.waitForTimeout(500);
    log(`created a customer in the ERP: ${(await sidebar.locator('[data-testid="customer-code"]').innerText()).trim()}`);
    await sidebar.locator('[data-testid="customer-code"]').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await shot(page, 'sidebar-synced-to-erp.png');

    // 字段映射: the ERP's fields with a live preview on the customer beside the chat.
    const mapping = options.locator('[data-testid="mapping-section"]');
    await options.reload();
    await mapping.locator('[data-testid="mapping-subject"][data-subject="customer"]').waitFor({ timeout: 15_000 });
    await mapping.locator('[data-testid="mapping-add-field"]').fill('intro');
    await mapping.locator('[data-testid="mapping-add-template"]').fill('来自{{platform}}：{{messageContent|truncate:30|default:无}}');
    await mapping.locator('[data-testid="mapping-add"]').click();
    await mapping.locator('[data-testid="mapping-row"][data-field="intro"]').waitFor();
    await options.waitForTimeout(500);
    await mapping.scrollIntoViewIfNeeded();
    await mapping.evaluate((el) => el.closest('section')?.scrollIntoView({ block: 'start' }));
    await shot(options, 'options-field-mapping.png');

    // The ERP's sync-health page (同步详情), opened from its connection row.
    const id = await options.locator('[data-testid="connection"]').nth(1).getAttribute('data-connection-id');
    const health = await ext.context.newPage();
    await health.setViewportSize({ width: 1000, height: 700 });
    await health.goto(ext.extensionUrl(`sync-health.html?connection=${id}`));
    await health.locator('[data-testid="health-last-success"]').waitFor({ timeout: 15_000 });
    await shot(health, 'sync-health.png');
  }
  return shots;
}
