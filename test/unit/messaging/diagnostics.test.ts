// diagnostics.skeleton: only extension pages may ask; the background asks a tab of the site and
// hands back nothing but a skeleton (a compromised chat page could answer with anything).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDiagnosticsHandlers, type DiagnosticsPort } from '../../../entrypoints/background/diagnostics';
import { createRouter, MessageError, type Handlers, type RequestContext, type SenderInfo } from '../../../lib/messaging/router';
import { protocol, type MessageType, type SkeletonAsk } from '../../../lib/messaging/protocol';
import { pageSkeleton } from '../../../lib/readers/diagnostics';
import { readers } from '../../../lib/readers/registry';
import { openFixture, type Page } from '../readers/fixture-dom';

const EXT_ID = 'abcdefghijklmnopabcdefghijklmnop';
const ORIGIN = `chrome-extension://${EXT_ID}/`;
const optionsPage: SenderInfo = { id: EXT_ID, url: `${ORIGIN}options.html`, tab: { id: 3, url: `${ORIGIN}options.html` } };
const content: SenderInfo = { id: EXT_ID, url: 'http://127.0.0.1:5300/', tab: { id: 7, url: 'http://127.0.0.1:5300/' } };
const demo = readers.find((r) => r.id === 'demo')!;

let pages: Page[] = [];
afterEach(async () => {
  await Promise.all(pages.map((p) => p.close()));
  pages = [];
  vi.useRealTimers();
});

/** A tab whose content script answers like lib/content/sidebar-host.ts: the skeleton of its page. */
function demoTab(name = 'broken') {
  const p = openFixture('demo', name);
  pages.push(p);
  return (m: SkeletonAsk) => (m.site === 'demo' ? { site: 'demo', skeleton: pageSkeleton(p.doc, demo) } : undefined);
}

function port(tabs: Record<number, (m: SkeletonAsk) => unknown>, order = Object.keys(tabs).map(Number)) {
  const asked: number[] = [];
  const p: DiagnosticsPort = {
    tabsOf: vi.fn(async () => order),
    ask: vi.fn(async (tabId: number, m: SkeletonAsk) => {
      asked.push(tabId);
      const tab = tabs[tabId];
      if (!tab) throw new Error('Could not establish connection. Receiving end does not exist.');
      return tab(m);
    }),
  };
  return { port: p, asked };
}

const pageCtx: RequestContext = { context: 'page', url: `${ORIGIN}options.html` };
const run = (p: DiagnosticsPort, site = 'demo', ctx = pageCtx) => createDiagnosticsHandlers(p)['diagnostics.skeleton']({ site }, ctx);

describe('diagnostics.skeleton: who may ask', () => {
  function setup() {
    const calls: string[] = [];
    const handlers = Object.fromEntries(
      (Object.keys(protocol) as MessageType[]).map((type) => [
        type,
        vi.fn(async () => {
          calls.push(type);
          return { skeleton: null };
        }),
      ]),
    ) as unknown as Handlers;
    const route = createRouter(handlers, { extensionId: EXT_ID, extensionOrigin: ORIGIN, siteForUrl: (url) => (url.startsWith('http://127.0.0.1') ? 'demo' : undefined) });
    return { route, calls };
  }

  it('a content script cannot ask for any page skeleton, not even its own site’s', async () => {
    const { route, calls } = setup();
    expect(await route({ liaison: 1, type: 'diagnostics.skeleton', payload: { site: 'demo' } }, content)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await route({ liaison: 1, type: 'diagnostics.skeleton', payload: { site: 'whatsapp' } }, content)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(calls).toEqual([]);
  });

  it('an extension page may, with a well-formed site', async () => {
    const { route, calls } = setup();
    expect(await route({ liaison: 1, type: 'diagnostics.skeleton', payload: { site: 'demo' } }, optionsPage)).toMatchObject({ ok: true, data: { skeleton: null } });
    expect(await route({ liaison: 1, type: 'diagnostics.skeleton', payload: { site: '' } }, optionsPage)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(calls).toEqual(['diagnostics.skeleton']);
  });
});

describe('diagnostics.skeleton: what comes back', () => {
  it('the skeleton of the site’s open tab, asked by the site’s match patterns, with nothing of the page in it', async () => {
    const { port: p, asked } = port({ 11: demoTab() });
    const { skeleton } = await run(p);
    expect(p.tabsOf).toHaveBeenCalledWith([...demo.matches]);
    expect(asked).toEqual([11]);
    expect(skeleton).toMatch(/^liaison page skeleton v1\nsite: demo · area: body/);
    expect(skeleton).toContain('div.x-bubble.x-left [data-uid={digits1}]');
    expect(skeleton).not.toMatch(/张伟|经营贷|13800138000|8613800138000|09:0/);
    expect(protocol['diagnostics.skeleton'].response.safeParse({ skeleton }).success).toBe(true);
  });

  it('null when no tab of the site is open or none answers', async () => {
    expect((await run(port({}).port)).skeleton).toBeNull();
    const { port: p, asked } = port({}, [4, 5]);
    expect((await run(p)).skeleton).toBeNull();
    expect(asked).toEqual([4, 5]);
  });

  it('the asking page’s own tab first (the sidebar framed in a chat tab), then the others', async () => {
    const { port: p, asked } = port({ 9: () => undefined, 12: demoTab('v1') }, [12, 9]);
    const { skeleton } = await run(p, 'demo', { context: 'page', url: `${ORIGIN}sidebar.html`, tabId: 9 });
    expect(asked).toEqual([9, 12]);
    expect(skeleton).toContain('area: root (v1)');
  });

  it.each([
    ['raw HTML', { site: 'demo', skeleton: '<div class="x-chat">张伟 13800138000</div>' }],
    ['page text under a forged header', { site: 'demo', skeleton: 'liaison page skeleton v1\nsite: demo\n你好，我想咨询一下经营贷' }],
    ['a phone number under a forged header', { site: 'demo', skeleton: 'liaison page skeleton v1\nsite: demo\nphone 13800138000' }],
    ['an e-mail under a forged header', { site: 'demo', skeleton: 'liaison page skeleton v1\nsite: demo\nzhang.wei@example.com' }],
    ['another site’s answer', { site: 'whatsapp', skeleton: 'liaison page skeleton v1\nsite: whatsapp\ndiv' }],
    ['not a string', { site: 'demo', skeleton: { html: '<b>x</b>' } }],
  ])('refuses %s, and says so', async (_name, answer) => {
    const { port: p } = port({ 11: () => answer });
    const err = await run(p).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MessageError);
    expect((err as MessageError).code).toBe('invalid');
    expect((err as MessageError).message).not.toMatch(/张伟|1380013|咨询|zhang/);
  });

  it('a refused answer does not hide a good one from another tab', async () => {
    const { port: p } = port({ 11: () => ({ site: 'demo', skeleton: '<p>张伟</p>' }), 12: demoTab() });
    expect((await run(p)).skeleton).toMatch(/^liaison page skeleton v1/);
  });

  it('a tab that never answers is given up on', async () => {
    vi.useFakeTimers();
    const { port: p } = port({ 11: () => new Promise(() => undefined) });
    const done = run(p);
    await vi.advanceTimersByTimeAsync(6000);
    expect((await done).skeleton).toBeNull();
  });

  it('an unknown site is not found', async () => {
    await expect(run(port({}).port, 'myspace')).rejects.toMatchObject({ code: 'not-found' });
  });
});
