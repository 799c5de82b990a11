// 复制页面结构 in real Chromium: from the sidebar's banner on a demo chat the reader cannot read,
// and from options → 网站状态. What reaches the clipboard is the page's skeleton: no word, name,
// number or attribute value of the page in it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame, Page } from 'playwright-core';
import { MARKUP_VOCABULARY } from '../../lib/readers/diagnostics';
import { poll, startE2E, type E2E } from './harness';

/** What the page says and what is markup, as the unit test of the scrubber collects them. */
async function pageWords(page: Page): Promise<{ said: string[]; markup: string[] }> {
  return page.evaluate(() => {
    const words = (s: string) => s.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 3);
    const said = new Set<string>();
    const markup = new Set<string>();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT | NodeFilter.SHOW_TEXT);
    for (let n: Node | null = walker.currentNode; n; n = walker.nextNode()) {
      if (n.nodeType === 3) {
        for (const w of words(n.nodeValue ?? '')) said.add(w);
        continue;
      }
      const el = n as Element;
      if (el.localName.startsWith('liaison-')) continue;
      for (const w of words(el.localName)) markup.add(w.toLowerCase());
      for (const a of Array.from(el.attributes)) {
        for (const w of words(a.name)) markup.add(w.toLowerCase());
        if (a.name === 'class' || a.name === 'id') for (const w of words(a.value)) markup.add(w.toLowerCase());
        else for (const w of words(a.value)) said.add(w);
      }
    }
    return { said: [...said], markup: [...markup] };
  });
}

function expectScrubbed(skeleton: string, page: { said: string[]; markup: string[] }) {
  expect(skeleton).toMatch(/^liaison page skeleton v1\nsite: demo · area: /);
  const body = skeleton
    .split('\n')
    .slice(2)
    .join('\n')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/#text|#shadow-root \((open|closed)\)/g, ' ');
  const printed = new Set(body.split(/[^A-Za-z0-9]+/).filter(Boolean).map((w) => w.toLowerCase()));
  const markup = new Set(page.markup);
  // W3C words an enumerated attribute keeps (role=grid, dir=auto) are markup too.
  const leaked = page.said.filter((w) => printed.has(w.toLowerCase()) && !markup.has(w.toLowerCase()) && !MARKUP_VOCABULARY.has(w.toLowerCase()));
  expect(leaked).toEqual([]);
  expect(skeleton).not.toMatch(/\d{3,}|[<>"'`]|张伟|@[a-z]/);
}

const sidebarFrame = (page: Page): Frame | undefined => page.frames().find((f) => f.url().includes('/sidebar.html'));

/** What the copy produced: the clipboard, or the textarea the sidebar/options fell back to. */
async function copied(frame: Page | Frame): Promise<string> {
  const done = frame.locator('[data-testid="copy-structure-done"], [data-testid="copy-structure-text"]').first();
  await done.waitFor({ timeout: 15_000 });
  if ((await done.getAttribute('data-testid')) === 'copy-structure-text') return done.inputValue();
  return frame.evaluate(() => navigator.clipboard.readText());
}

describe('复制页面结构', () => {
  let e2e: E2E;
  beforeAll(async () => {
    e2e = await startE2E({ lang: 'zh-CN' });
    await e2e.context.grantPermissions(['clipboard-read', 'clipboard-write']);
  });
  afterAll(async () => {
    await e2e?.stop();
  });

  async function openChat(): Promise<{ chat: Page; words: { said: string[]; markup: string[] } }> {
    const chat = await e2e.context.newPage();
    await chat.goto(new URL('/?live=0#/chat/u_8613800138000', e2e.demoUrl).href);
    await chat.locator('#conversation[data-thread-id]').waitFor({ timeout: 15_000 });
    await poll(async () => sidebarFrame(chat), (f) => !!f, 20_000, 'the sidebar frame');
    const words = await pageWords(chat);
    // The page does say things: names, messages, the phone in the address.
    expect(words.said.length).toBeGreaterThan(10);
    return { chat, words };
  }

  it('from 网站状态: the options page asks the background, which asks an open tab of the site', async () => {
    const { chat, words } = await openChat();
    const options = await e2e.context.newPage();
    await options.goto(e2e.extensionUrl('options.html'));
    await options.locator('[data-testid="site-health"][data-site="demo"] [data-testid="copy-structure"]').click();
    const skeleton = await copied(options);
    expectScrubbed(skeleton, words);
    expect(skeleton).toContain('area: root (v1)');

    // With no tab of the site open, the page says to open one first.
    await chat.close();
    await options.reload();
    await options.locator('[data-testid="site-health"][data-site="demo"] [data-testid="copy-structure"]').click();
    expect(await options.locator('[data-testid="copy-structure-no-tab"]').innerText()).toContain('demo');
    await options.close();
  });

  it('from the banner of a chat the reader cannot read', async () => {
    const { chat, words } = await openChat();
    const frame = sidebarFrame(chat)!;
    // A redesign: every selector the reader knows is renamed (as in surfaces.test.ts).
    await chat.evaluate(() => {
      for (const el of document.querySelectorAll('#conversation-host, #conversation')) el.removeAttribute('id');
      for (const el of document.querySelectorAll('[data-thread-id]')) el.removeAttribute('data-thread-id');
      for (const el of document.querySelectorAll('.conv-title, .conv-subtitle, .msg, .msg-text')) el.className = 'renamed';
      location.hash = '#/somewhere-else';
    });
    const banner = frame.locator('[data-testid="health-banner"]');
    await banner.waitFor({ timeout: 15_000 });
    expect(await banner.locator('[data-cause]').count()).toBeGreaterThan(0);
    await frame.locator('[data-testid="copy-structure"]').click();
    const skeleton = await copied(frame);
    expectScrubbed(skeleton, words);
    expect(skeleton).toContain('area: body');
    await chat.close();
  });
});
