// What a chat tab's report tells its sidebar (conversation.observed → tabs.notify). The view is
// sent along only when nothing was written while it was read: CI (2026-12-07, load 9-13) showed a
// sidebar left on the create form after 创建并关联, because the report's last view (read before the
// customer was created, sent after understanding finished) carried a newer number than the
// sidebar's fresh view and replaced it. Likewise a report overtaken by the tab's next one (the user
// switched chats while the first was understood) is not shown at all.
import { describe, expect, it, vi } from 'vitest';
import { createRouter, type SenderInfo } from '../../../lib/messaging/router';
import { createHandlers, type HandlerDeps } from '../../../entrypoints/background/handlers';
import { createTabStates } from '../../../entrypoints/background/tab-state';
import type { TabEvent } from '../../../lib/messaging/protocol';
import type { UnderstandingEngine } from '../../../lib/suggest/engine';
import { useDb } from '../customers/helpers';
import { demoConversation } from '../messaging/demo-report';

const t = useDb();
const EXT_ID = 'abcdefghijklmnopabcdefghijklmnop';
const ORIGIN = `chrome-extension://${EXT_ID}/`;
const TAB = 7;
const chatTab: SenderInfo = { id: EXT_ID, url: 'http://127.0.0.1:5300/#/chat/u_1', tab: { id: TAB, url: 'http://127.0.0.1:5300/#/chat/u_1' } };
const sidebarFrame: SenderInfo = { id: EXT_ID, url: `${ORIGIN}sidebar.html`, tab: { id: TAB, url: 'http://127.0.0.1:5300/#/chat/u_1' }, frameId: 3 };

const conversation = demoConversation;

interface Sent {
  seq: number;
  state?: TabEvent['state'];
}

/** The handlers with a tab, a change counter like broadcast.ts's, and the first chat's understanding waiting for `release`. */
function setUp() {
  let changes = 0;
  const sent: Sent[] = [];
  let release!: () => void;
  const understandingDone = new Promise<void>((ok) => (release = ok));
  const understanding = {
    // Only the first chat's understanding waits (a long chat on a cold worker); any other is quick.
    observed: vi.fn(async (c: { threadKey: string }) => {
      if (c.threadKey === conversation.threadKey) await understandingDone;
      return { wrote: false, suggestions: [] };
    }),
    forView: vi.fn(async () => []),
  } as unknown as UnderstandingEngine;
  const deps = {
    db: t.db,
    now: () => Date.UTC(2026, 11, 7, 10),
    changed: vi.fn(async () => void (changes += 1)),
    understanding,
    tabs: {
      states: createTabStates(),
      notify: (_tab: number, seq: number, state?: TabEvent['state']) => sent.push({ seq, ...(state ? { state } : {}) }),
      toContent: vi.fn(),
      changes: () => changes,
    },
  } as unknown as HandlerDeps;
  const route = createRouter(createHandlers(deps), { extensionId: EXT_ID, extensionOrigin: ORIGIN, siteForUrl: (u) => (u.startsWith('http://127.0.0.1') ? 'demo' : undefined) });
  return { route, sent, release };
}

const observed = { liaison: 1, type: 'conversation.observed', payload: { conversation } };

describe("a chat tab's report, as its sidebar hears it", () => {
  it('sends the view along when nothing was written while it was read, first without and then with suggestions', async () => {
    const { route, sent, release } = setUp();
    const done = route(observed, chatTab);
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    release();
    expect(await done).toMatchObject({ ok: true });
    expect(sent).toHaveLength(2);
    expect(sent.map((s) => s.state?.view?.identity.displayName)).toEqual(['张伟', '张伟']);
    expect(sent[1]!.seq).toBeGreaterThan(sent[0]!.seq);
  });

  it('does not send a view read before the customer was created: the sidebar re-asks and gets the customer', async () => {
    const { route, sent, release } = setUp();
    const done = route(observed, chatTab);
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    expect(sent[0]!.state?.view?.customer).toBeFalsy();

    // 创建并关联 while understanding still runs.
    const created = await route({ liaison: 1, type: 'customer.create', payload: { conv: { site: 'demo', threadKey: conversation.threadKey }, fields: { name: '张伟' } } }, sidebarFrame);
    expect(created).toMatchObject({ ok: true });
    const fresh = (await route({ liaison: 1, type: 'sidebar.state', payload: {} }, sidebarFrame)) as { ok: true; data: { seq: number; view: { customer?: { id: string } } } };
    expect(fresh.data.view.customer?.id).toBeTruthy();

    release();
    await done;
    expect(sent).toHaveLength(2);
    const last = sent[1]!;
    // Newer than what the sidebar holds, so it would replace it: no view comes with it, only the word to re-ask.
    expect(last.seq).toBeGreaterThan(fresh.data.seq);
    expect(last.state).toBeUndefined();
    const again = (await route({ liaison: 1, type: 'sidebar.state', payload: {} }, sidebarFrame)) as typeof fresh;
    expect(again.data.seq).toBe(last.seq);
    expect(again.data.view.customer?.id).toBe(fresh.data.view.customer?.id);
  });

  it("does not put back the chat the user left: a report overtaken by the next one's is not shown", async () => {
    const { route, sent, release } = setUp();
    const first = route(observed, chatTab);
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    // The user opens another chat while the first is still being understood.
    const other = { ...conversation, threadKey: 'u_8613900139000', contact: { displayName: '李娜', handles: { phones: ['13900139000'], emails: [] } } };
    expect(await route({ ...observed, payload: { conversation: other } }, chatTab)).toMatchObject({ ok: true });
    expect(sent.at(-1)!.state?.view?.identity.displayName).toBe('李娜');
    const shown = sent.length;

    release();
    expect(await first).toMatchObject({ ok: true });
    expect(sent).toHaveLength(shown);
    const now = (await route({ liaison: 1, type: 'sidebar.state', payload: {} }, sidebarFrame)) as { ok: true; data: { conv: { threadKey: string } } };
    expect(now.data.conv.threadKey).toBe(other.threadKey);
  });

  it('a page that stopped being readable overtakes a report still being understood', async () => {
    const { route, sent, release } = setUp();
    const first = route(observed, chatTab);
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    const health = { site: 'demo', ok: false, fields: { title: null }, missing: ['title'], issues: [] };
    expect(await route({ liaison: 1, type: 'health.report', payload: { health } }, chatTab)).toMatchObject({ ok: true });
    release();
    await first;
    const now = (await route({ liaison: 1, type: 'sidebar.state', payload: {} }, sidebarFrame)) as { ok: true; data: { conv: unknown; health: { ok: boolean } } };
    expect(now.data.conv).toBeNull();
    expect(now.data.health.ok).toBe(false);
  });
});
