// The chat page cannot reach the CRM (issue 14), tried in real Chromium the way an audit would:
// - from the page's main world (WhatsApp's own code, a third-party tag, an XSS): read or click
//   into the sidebar, message the extension, probe its resources, forge WXT's window message;
// - from the content script's isolated world (reached over CDP, as a compromised renderer or a
//   bug in our content script would give it): every privileged message type.
// Each refusal is asserted, and the sidebar keeps working afterwards.
import type { CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { protocol, type MessageType } from '../../lib/messaging/protocol';
import { openDemoChat, poll, startE2E, type E2E } from './harness';
import { isSidebarUrl, sidebar, sidebarFrame } from './sidebar-locator';

const ZHANG_WEI = 'u_8613800138000';
const LI_NA = 'u_8613912345678';

let e2e: E2E;
let chat: Page;
/** Any id: the refusal comes before any lookup (forbidden, not not-found). */
const customerId = 'c-any';
/** The customers' codes, shown in the sidebar only. */
const codes: string[] = [];

/** What a content script may send: reports about its own page, and its user-defined site's definition. */
const CONTENT_MAY_SEND = new Set<MessageType>(['conversation.observed', 'health.report', 'customSite.forPage' as MessageType]);

/** A payload that passes each privileged type's schema, so a refusal is the sender check, not the shape. */
function payloadFor(type: MessageType, conv: { site: string; threadKey: string }): unknown {
  const byType: Partial<Record<MessageType, unknown>> = {
    'customer.search': { query: '' },
    'customer.link': { conv, customerId },
    'customer.unlink': { conv },
    'customer.update': { conv, customerId, patch: { notes: 'forged' } },
    'customer.create': { conv, fields: { name: 'forged', phones: [] } },
    'followUp.log': { conv, customerId, followUp: { method: '其他', content: 'forged' } },
    'deal.create': { conv, customerId, deal: { product: 'forged', amount: 1 } },
    'sidebar.state': {},
    'data.export': {},
    'settings.get': {},
    'dashboard.get': {},
  };
  return byType[type] ?? {};
}

/** The content script's isolated world in the chat page, found over CDP. */
async function isolatedWorld(page: Page): Promise<{ cdp: CDPSession; contextId: number }> {
  const cdp = await page.context().newCDPSession(page);
  const contexts: { id: number; origin: string; auxData?: { type?: string; isDefault?: boolean } }[] = [];
  cdp.on('Runtime.executionContextCreated', (e: { context: (typeof contexts)[number] }) => contexts.push(e.context));
  await cdp.send('Runtime.enable');
  const ours = contexts.find((c) => c.auxData?.type === 'isolated' && c.origin.startsWith(`chrome-extension://${e2e.extensionId}`));
  if (!ours) throw new Error(`no isolated world of the extension in the chat page: ${JSON.stringify(contexts.map((c) => [c.origin, c.auxData]))}`);
  return { cdp, contextId: ours.id };
}

async function sendFromContentScript(world: { cdp: CDPSession; contextId: number }, type: string, payload: unknown): Promise<unknown> {
  const r = (await world.cdp.send('Runtime.evaluate', {
    contextId: world.contextId,
    expression: `chrome.runtime.sendMessage(${JSON.stringify({ liaison: 1, type, payload })})`,
    awaitPromise: true,
    returnByValue: true,
  })) as { result: { value?: unknown }; exceptionDetails?: unknown };
  if (r.exceptionDetails) throw new Error(`evaluation failed: ${JSON.stringify(r.exceptionDetails)}`);
  return r.result.value;
}

beforeAll(async () => {
  e2e = await startE2E();
  chat = await openDemoChat(e2e, ZHANG_WEI);
  await sidebar(chat).locator('[data-testid="create-submit"]').click();
  await sidebar(chat).locator('[data-testid="customer-code"]').waitFor();
  codes.push((await sidebar(chat).locator('[data-testid="customer-code"]').innerText()).trim());
  // Li Na is a second customer the page must not be able to find.
  await chat.evaluate((id) => (window as unknown as { demoChat: { open(id: string): void } }).demoChat.open(id), LI_NA);
  await poll(() => sidebar(chat).locator('[data-testid="identity-name"]').innerText(), (t) => t === 'Li Na', 15_000, 'the switch to 李娜');
  await sidebar(chat).locator('[data-testid="create-submit"]').click();
  await sidebar(chat).locator('[data-testid="customer-code"]').waitFor();
  codes.push((await sidebar(chat).locator('[data-testid="customer-code"]').innerText()).trim());
  await chat.evaluate((id) => (window as unknown as { demoChat: { open(id: string): void } }).demoChat.open(id), ZHANG_WEI);
  await poll(() => sidebar(chat).locator('[data-testid="customer-name"]').innerText(), (t) => t.includes('张伟'), 15_000, 'the switch back');
});
afterAll(async () => {
  await e2e?.stop();
});

describe("from the page's main world", () => {
  it('cannot see into the sidebar: a closed root, a cross-origin frame, no customer text anywhere in the page', async () => {
    const seen = await chat.evaluate(() => {
      const host = document.querySelector('liaison-sidebar');
      let frameHref: string;
      try {
        frameHref = String((window.frames[0] as Window | undefined)?.location.href ?? 'blocked');
      } catch {
        frameHref = 'blocked';
      }
      let frameDoc: string;
      try {
        frameDoc = String((window.frames[0] as Window | undefined)?.document.body.innerText ?? 'blocked');
      } catch {
        frameDoc = 'blocked';
      }
      return {
        host: !!host,
        shadowRoot: host ? host.shadowRoot : 'no host',
        hostChildren: host ? host.children.length : -1,
        frames: window.frames.length,
        frameHref,
        frameDoc,
        // What a script could find by walking the page, light DOM and open shadow roots alike.
        pageText: document.documentElement.innerText,
      };
    });
    // A frame inside a shadow tree is not one of the window's document-tree child navigables
    // (HTML spec), so window.frames does not list it either: the page cannot even navigate it.
    expect(seen).toMatchObject({ host: true, shadowRoot: null, hostChildren: 0, frames: 0, frameHref: 'blocked', frameDoc: 'blocked' });
    // The customers' codes are shown in the sidebar, and nowhere the page can read.
    expect(codes).toHaveLength(2);
    for (const code of codes) {
      expect(code).toMatch(/^KH/);
      expect(seen.pageText).not.toContain(code);
    }
  });

  it('cannot click or type into the sidebar: synthetic events stay in the page', async () => {
    await chat.evaluate(() => {
      const host = document.querySelector('liaison-sidebar')!;
      for (const type of ['click', 'keydown', 'input']) host.dispatchEvent(new Event(type, { bubbles: true, composed: true }));
      document.elementFromPoint(window.innerWidth - 100, 200)?.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    });
    // The sidebar still shows the same customer, unchanged.
    expect(await sidebar(chat).locator('[data-testid="customer-name"]').innerText()).toContain('张伟');
    expect(await sidebar(chat).locator('[data-testid="customer-code"]').innerText()).toBe(codes[0]);
  });

  it('cannot message the extension, nor load or probe its pages', async () => {
    const r = await chat.evaluate(async (id) => {
      const out: Record<string, string> = {};
      const chromeObj = (window as unknown as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome;
      out.runtime = typeof chromeObj?.runtime?.sendMessage;
      for (const path of ['sidebar.html', 'popup.html', 'options.html', 'manifest.json']) {
        try {
          const res = await fetch(`chrome-extension://${id}/${path}`);
          out[path] = `fetched ${res.status}`;
        } catch {
          out[path] = 'refused';
        }
      }
      out.frame = await new Promise<string>((ok) => {
        const f = document.createElement('iframe');
        f.src = `chrome-extension://${id}/sidebar.html`;
        f.onload = () => {
          try {
            ok(`loaded ${f.contentWindow!.location.href}`);
          } catch {
            ok('loaded cross-origin');
          }
        };
        document.body.append(f);
        setTimeout(() => ok('timeout'), 3000);
      });
      return out;
    }, e2e.extensionId);
    expect(r).toMatchObject({ runtime: 'undefined', 'sidebar.html': 'refused', 'popup.html': 'refused', 'options.html': 'refused', 'manifest.json': 'refused' });
    // Chromium answers a blocked extension resource with its own error page, never ours.
    const probe = chat.frames().find((f) => f !== chat.mainFrame() && f.url().includes('chromewebdata'));
    expect(r.frame === 'timeout' || probe !== undefined || (r.frame ?? '').startsWith('loaded cross-origin')).toBe(true);
    expect(chat.frames().filter((f) => isSidebarUrl(f.url()))).toHaveLength(1);
  });

  it("cannot switch Liaison off by forging WXT's 'content script started' window message", async () => {
    // The message as WXT would post it, with the id the page may have learnt elsewhere.
    const forged = await chat.evaluate((id) => {
      const heard: unknown[] = [];
      addEventListener('message', (e) => heard.push(e.data));
      for (const name of ['demo', 'content', 'demo.content']) {
        window.postMessage({ type: `${id}:${name}:wxt:content-script-started`, contentScriptName: name, messageId: String(Math.random()) }, '*');
      }
      return new Promise<unknown[]>((ok) => setTimeout(() => ok(heard), 500));
    }, e2e.extensionId);
    // Only the page's own three messages: Liaison posts nothing to the page at all.
    expect(forged).toHaveLength(3);
    // Still reading: a new message and a switch still reach the sidebar.
    await chat.evaluate((id) => (window as unknown as { demoChat: { open(id: string): void } }).demoChat.open(id), LI_NA);
    await expect.poll(() => sidebar(chat).locator('[data-testid="customer-code"]').innerText()).toBe(codes[1]);
    expect(await chat.locator('liaison-sidebar').count()).toBe(1);
  });

  it('hears nothing from Liaison on a fresh page load (no id leaked through window messages)', async () => {
    const page = await e2e.context.newPage();
    await page.addInitScript(() => {
      (window as unknown as { __heard: unknown[] }).__heard = [];
      addEventListener('message', (e) => (window as unknown as { __heard: unknown[] }).__heard.push(e.data), true);
    });
    await page.goto(new URL(`/?live=0#/chat/${ZHANG_WEI}`, e2e.demoUrl).href);
    await sidebar(page).locator('[data-testid="customer-code"]').waitFor();
    const heard = await page.evaluate(() => JSON.stringify((window as unknown as { __heard: unknown[] }).__heard));
    expect(heard).not.toContain(e2e.extensionId);
    expect(heard).toBe('[]');
    await page.close();
  });
});

describe("from the content script's isolated world", () => {
  it('is refused every message but its own reports, with the data untouched', async () => {
    const world = await isolatedWorld(chat);
    const conv = { site: 'demo', threadKey: ZHANG_WEI };
    const refused: string[] = [];
    const answered: Record<string, unknown> = {};
    for (const type of Object.keys(protocol) as MessageType[]) {
      if (CONTENT_MAY_SEND.has(type)) continue;
      const reply = (await sendFromContentScript(world, type, payloadFor(type, conv))) as { ok?: boolean; error?: { code?: string } } | undefined;
      if (reply?.ok === false && reply.error?.code === 'forbidden') refused.push(type);
      else answered[type] = reply;
    }
    expect(answered).toEqual({});
    expect(refused).toEqual(expect.arrayContaining(['customer.search', 'customer.link', 'customer.update', 'customer.create', 'followUp.log', 'deal.create', 'sidebar.state', 'data.export']));
    await world.cdp.detach();
    // Nothing changed: the customer has no forged note and no forged follow-up.
    await sidebar(chat).locator('[data-testid="customer-code"]').waitFor();
    expect(await sidebarFrame(chat)!.evaluate(() => document.body.innerText)).not.toContain('forged');
  });

  it("reports only for its own site, and within the size caps", async () => {
    const world = await isolatedWorld(chat);
    const health = { site: 'whatsapp', ok: false, fields: {}, missing: [], issues: [] };
    const other = (await sendFromContentScript(world, 'health.report', { health })) as { ok: boolean; error?: { code: string } };
    expect(other).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const huge = { site: 'demo', ok: false, fields: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`f${i}`, 'x'.repeat(50)])), missing: [], issues: [] };
    const big = (await sendFromContentScript(world, 'health.report', { health: huge })) as { ok: boolean; error?: { code: string } };
    expect(big).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    const conversation = { site: 'whatsapp', threadKey: 'x@c.us', isGroup: false, contact: { displayName: 'x', handles: { phones: [], emails: [] } }, messages: [] };
    const forgedSite = (await sendFromContentScript(world, 'conversation.observed', { conversation })) as { ok: boolean; error?: { code: string } };
    expect(forgedSite).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    await world.cdp.detach();
  });
});
