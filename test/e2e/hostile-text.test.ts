// A contact named <img src=x onerror=alert(1)> whose messages carry <script> and <svg onload>:
// the sidebar renders them as text and nothing runs, on the page or in the sidebar.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openDemoChat, startE2E, type E2E } from './harness';
import { sidebar, sidebarFrame } from './sidebar-locator';

let e2e: E2E;
beforeAll(async () => {
  e2e = await startE2E();
});
afterAll(async () => {
  await e2e?.stop();
});

it('renders hostile names and messages as text and runs nothing', async () => {
  const page = await openDemoChat(e2e, 'u_8613800138000');
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const threads = await page.evaluate(() => (window as unknown as { demoChat: { threads(): { id: string; name: string }[] } }).demoChat.threads());
  const hostile = threads.find((t) => t.name.includes('<img'));
  expect(hostile, 'the demo has a hostile contact').toBeDefined();
  await page.evaluate((id) => (window as unknown as { demoChat: { open(id: string): void } }).demoChat.open(id), hostile!.id);

  const sb = sidebar(page);
  await expect.poll(() => sb.innerText()).toContain('<img src=x onerror=alert(1)>');
  // Create the customer: the hostile name is stored and shown as text.
  await sb.locator('[data-testid="create-submit"]').click();
  await sb.locator('[data-testid="customer-code"]').waitFor();
  await expect.poll(() => sb.innerText()).toContain('<img src=x onerror=alert(1)>');

  const pwned = await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned ?? null);
  // The sidebar page itself (its own origin): no element came from the text.
  const inSidebar = await sidebarFrame(page)!.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: unknown }).__pwned ?? null,
    imgs: document.querySelectorAll('img[src="x"], svg[onload], script:not([type="module"])').length,
  }));
  expect({ page: pwned, sidebar: inSidebar }).toEqual({ page: null, sidebar: { pwned: null, imgs: 0 } });
  expect(dialogs).toEqual([]);
});
