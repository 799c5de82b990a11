// Issue 19, item 4, in the real browser: MV3 stops an idle service worker (after 30 s) and the next
// message or alarm starts a fresh one from nothing. Each test here stops the worker over CDP
// (ServiceWorker.stopAllWorkers), waits until CDP reports it stopped, checks no Liaison worker is
// left running, and then drives one event that must be answered correctly by the cold worker:
// (a) the sidebar beside the chat asks about a conversation it has not seen, and an extension page
//     asks for the settings;
// (b) the outbox's alarm fires with a follow-up for 智邦ERP (a vendor adapter, its emulator on
//     loopback) pending, and the ERP receives it: the fresh worker loads the vendors chunk, which
//     its start bundle does not contain (lib/background-start/boundary.ts), on this first use;
// (c) the reminders' alarm, scheduled at a follow-up's due time, wakes the stopped worker and its
//     notification is shown (the time passing is brought forward in the database and the alarm).
// A real notification click cannot be produced in headless Chromium (no CDP command clicks an
// extension notification), so the click itself is not driven here; (c) covers the alarm that
// shows the notification.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CDPSession, Page } from 'playwright-core';
import { startZhibangEmulator, type ZhibangEmulator } from '../emulators/zhibang/index';
import { connectZhibang } from './connection-form';
import { openDemoChat, poll, startE2E, type E2E } from './harness';
import { sidebar } from './sidebar-locator';

/** entrypoints/background/index.ts SYNC_ALARM */
const SYNC_ALARM = 'liaison.sync';
/** lib/reminders/controller.ts REMINDER_ALARM: one alarm at the next due reminder. */
const REMINDER_ALARM = 'liaison.next';

type Version = { versionId: string; scriptURL: string; runningStatus: string };

let e2e: E2E;
let zb: ZhibangEmulator;
let chat: Page;
/** An extension page that runs no script of Liaison's (its icon as a document): it can call chrome.* without waking the worker. */
let quiet: Page;
let cdp: CDPSession;
const versions = new Map<string, Version>();
const zhibangState = (p: Page) => sidebar(p).locator('[data-testid="sync-state"]', { hasText: '智邦' });
const liaisonVersions = () => [...versions.values()].filter((v) => v.scriptURL === e2e.extensionUrl('background.js'));

/**
 * Stops every service worker and waits until CDP reports Liaison's stopped. Under load the worker
 * may still be finishing an event (a reply, a sync the last step started) and Chromium starts it
 * again for that: the stop is asked again, up to 6 times, and the states CDP reported are named if
 * it never stays stopped.
 */
async function stopWorker(): Promise<void> {
  const seen: string[] = [];
  for (let attempt = 1; ; attempt++) {
    await cdp.send('ServiceWorker.stopAllWorkers');
    try {
      await poll(
        async () => liaisonVersions().map((v) => v.runningStatus),
        (states) => {
          seen.push(states.join('/'));
          return states.length > 0 && states.every((s) => s === 'stopped');
        },
        5_000,
        "Liaison's service worker stopped",
      );
      return;
    } catch (e) {
      if (attempt >= 6) throw new Error(`${(e as Error).message}; states seen over ${attempt} stops: ${[...new Set(seen)].join(', ')}`);
    }
  }
}

/** Whether a Liaison worker is running now (CDP's view). */
const running = () => liaisonVersions().some((v) => v.runningStatus === 'running' || v.runningStatus === 'starting');

beforeAll(async () => {
  zb = await startZhibangEmulator();
  e2e = await startE2E();
  quiet = await e2e.context.newPage();
  await quiet.goto(e2e.extensionUrl('icon/128.png'));
  cdp = await e2e.context.newCDPSession(quiet);
  cdp.on('ServiceWorker.workerVersionUpdated', (e: { versions: Version[] }) => {
    for (const v of e.versions) versions.set(v.versionId, v);
  });
  await cdp.send('ServiceWorker.enable');
});
afterAll(async () => {
  await cdp?.detach().catch(() => undefined);
  await e2e?.stop();
  await zb?.close();
});

describe('after a cold start of the service worker', () => {
  it('connects 智邦ERP from the options page', async () => {
    const options = await e2e.context.newPage();
    await options.goto(e2e.extensionUrl('options.html'));
    await connectZhibang(options, zb, 2);
    await options.close();
  });

  it('(a) the sidebar gets its answer for a conversation it has not seen, and settings.get is answered', async () => {
    chat = await openDemoChat(e2e, 'u_8613800138000');
    await sidebar(chat).locator('[data-testid="create-submit"]').click();
    await expect.poll(() => zb.state.saved().length, { timeout: 20_000 }).toBe(1);
    await expect.poll(() => zhibangState(chat).getAttribute('data-state'), { timeout: 20_000 }).toBe('synced');

    await stopWorker();
    expect(running()).toBe(false);
    // The content script reports the newly opened conversation; the fresh worker resolves it and the sidebar shows it.
    await chat.evaluate((id) => (window as unknown as { demoChat: { open(id: string): void } }).demoChat.open(id), 'u_8613912345678');
    await expect.poll(() => sidebar(chat).locator('[data-testid="identity-phones"]').innerText(), { timeout: 20_000 }).toContain('139 1234 5678');
    await sidebar(chat).locator('[data-testid="create-customer"]').waitFor({ timeout: 10_000 });
    expect(running()).toBe(true);

    await stopWorker();
    const reply = (await quiet.evaluate(() => chrome.runtime.sendMessage({ liaison: 1, type: 'settings.get', payload: {} }))) as { ok: boolean; data?: { language?: unknown } };
    expect(reply.ok).toBe(true);
    expect(reply.data).toHaveProperty('language');

    // Back to the customer: its 客户编号 from the ERP, read by a cold worker.
    const code = String(zb.state.saved()[0]!.fields.khid ?? '');
    await stopWorker();
    await chat.evaluate((id) => (window as unknown as { demoChat: { open(id: string): void } }).demoChat.open(id), 'u_8613800138000');
    await expect.poll(() => sidebar(chat).locator('[data-testid="customer-code"]').innerText(), { timeout: 20_000 }).toBe(code);
  });

  it('(b) the outbox alarm wakes the worker and a pending 智邦ERP follow-up reaches the ERP', async () => {
    await zb.control.down();
    const form = sidebar(chat).locator('[data-testid="followup-form"]');
    await form.locator('textarea').first().fill('微信沟通：冷启动后同步的跟进');
    await form.locator('[data-testid="followup-submit"]').click();
    await expect.poll(() => zhibangState(chat).getAttribute('data-state'), { timeout: 20_000 }).toBe('pending');
    const before = zb.state.followUps.length;
    // Nothing on a page may wake the worker now: the chat (and its sidebar) closes.
    await chat.close();
    await zb.control.up();
    await stopWorker();
    expect(zb.state.followUps.length).toBe(before);
    // The outbox's own alarm, brought forward: an alarm event is what starts the worker.
    await quiet.evaluate((name) => (chrome as unknown as { alarms: { create(n: string, i: { when: number }): Promise<void> } }).alarms.create(name, { when: Date.now() + 50 }), SYNC_ALARM);
    await expect.poll(() => zb.state.followUps.length, { timeout: 30_000 }).toBe(before + 1);
    expect(zb.state.followUps.at(-1)).toMatchObject({ intro: expect.stringContaining('冷启动后同步') });
    // 智邦's adapter lives in the vendors chunk (lib/background-start/boundary.ts), not in the
    // start bundle: the fresh worker loaded it itself for this alarm (importScripts of a chunk
    // installed with the worker).
    const worker = e2e.context.serviceWorkers().filter((w) => w.url() === e2e.extensionUrl('background.js')).at(-1);
    expect(await worker?.evaluate(() => Object.keys((globalThis as { __liaisonChunks?: { exports: object } }).__liaisonChunks?.exports ?? {}))).toContain('vendors');
    chat = await openDemoChat(e2e, 'u_8613800138000');
    await expect.poll(() => zhibangState(chat).getAttribute('data-state'), { timeout: 20_000 }).toBe('synced');
  });

  it("(c) the reminders' alarm wakes the stopped worker and the reminder's notification is shown", async () => {
    const form = sidebar(chat).locator('[data-testid="followup-form"]');
    await form.locator('textarea').first().fill('电话沟通，约下次跟进');
    // A due time a few minutes away (the field has minutes only): the worker schedules its alarm there.
    const due = new Date(Math.ceil((Date.now() + 3 * 60_000) / 60_000) * 60_000);
    const local = new Date(due.getTime() - due.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await form.locator('input[type="datetime-local"]').fill(local);
    await form.locator('[data-testid="followup-submit"]').click();
    const alarmsNow = () => quiet.evaluate(() => (chrome as unknown as { alarms: { getAll(): Promise<{ name: string; scheduledTime: number }[]> } }).alarms.getAll());
    const notificationIds = () => quiet.evaluate(() => chrome.notifications.getAll().then(Object.keys));
    await poll(alarmsNow, (list) => list.some((a) => a.name === REMINDER_ALARM && Math.abs(a.scheduledTime - due.getTime()) < 1000), 20_000, "the reminders' alarm at the due time");
    await chat.close();
    await stopWorker();
    expect((await notificationIds()).filter((id) => id.startsWith('reminder:'))).toHaveLength(0);
    // Time passing, as the stopped worker will see it: the reminder's fireAt (lib/reminders/store.ts)
    // is brought to now in the extension's database, from this page (which does not wake the
    // worker), and the reminders' own alarm to a second from now, instead of waiting minutes.
    const aged = await quiet.evaluate(
      () =>
        new Promise<number>((resolve, reject) => {
          const open = indexedDB.open('liaison');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction('reminders', 'readwrite');
            const store = tx.objectStore('reminders');
            let n = 0;
            const all = store.getAll();
            all.onsuccess = () => {
              for (const r of all.result as { state: string; fireAt: number }[]) {
                if (r.state !== 'due') continue;
                r.fireAt = Date.now();
                store.put(r);
                n++;
              }
            };
            tx.oncomplete = () => {
              open.result.close();
              resolve(n);
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
    );
    expect(aged).toBe(1);
    expect(running()).toBe(false);
    await quiet.evaluate((name) => (chrome as unknown as { alarms: { create(n: string, i: { when: number }): Promise<void> } }).alarms.create(name, { when: Date.now() + 1_000 }), REMINDER_ALARM);
    const ids = await poll(notificationIds, (list) => list.some((id) => id.startsWith('reminder:')), 30_000, 'a reminder notification from the woken worker');
    expect(ids.filter((id) => id.startsWith('reminder:'))).toHaveLength(1);
    // Shown by the alarm brought forward, not by waiting for the due time.
    expect(Date.now()).toBeLessThan(due.getTime());
  }, 90_000);
});
