// The demo reader over every saved variant of the demo page (DOM: happy-dom, see fixture-dom).
import { afterEach, describe, expect, it } from 'vitest';
import { demoReader } from '../../../lib/readers/sites/demo';
import { openFixture, watch } from './fixture-dom';
import type { Page } from './fixture-dom';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

function start(name: string, url?: string, prepare?: (doc: Document) => void) {
  const page: Page = openFixture('demo', name, url);
  prepare?.(page.doc);
  const w = watch(demoReader, page.doc);
  cleanup = async () => {
    w.ac.abort();
    await page.close();
  };
  w.running.readNow();
  return w.last();
}

const readFixture = (name: string, url?: string) => start(name, url);

describe('demo reader, variant v1 (the demo DOM)', () => {
  it('reads the conversation with every field from v1', () => {
    const { conversation: c, health } = readFixture('v1');
    expect(health).toEqual({
      site: 'demo',
      ok: true,
      fields: {
        root: 'v1', pane: 'v1', threadKey: 'v1', title: 'v1', subtitle: 'v1', groupMarker: null,
        messageList: 'v1', messageRow: 'v1', outgoing: 'v1', sender: null, time: 'v1', text: 'v1',
      },
      missing: [],
      issues: [],
    });
    expect(c?.site).toBe('demo');
    expect(c?.threadKey).toBe('u_8613800138000');
    expect(c?.isGroup).toBe(false);
    expect(c?.contact.displayName).toBe('张伟');
  });

  it('collects phones raw from the subtitle, the thread id and incoming text', () => {
    const c = readFixture('v1').conversation;
    expect(c?.contact.handles).toEqual({
      phones: ['13800138000', '+8613800138000', '186 1234 5678'],
      emails: [],
      siteId: 'u_8613800138000',
    });
  });

  it('parses direction, time, text and ids of every row, skipping day separators', () => {
    const msgs = readFixture('v1').conversation?.messages ?? [];
    expect(msgs.map((m) => m.direction)).toEqual(['in', 'out', 'in', 'in', 'out']);
    expect(msgs[0]).toEqual({
      id: 'u_8613800138000/u_8613800138000-1',
      direction: 'in',
      at: Date.parse('2026-03-02T01:00:00.000Z'),
      text: '你好，我想咨询一下经营贷，额度大概能批多少？',
    });
    expect(msgs[4]?.text).toBe('收到，明天 10:30 联系您 👍');
    expect(msgs.every((m) => m.sender === undefined)).toBe(true);
  });
});

describe('demo reader, variant v2 (data-testid redesign)', () => {
  it('falls back to the v2 selectors for every field', () => {
    const { health } = readFixture('v2');
    expect(health.ok).toBe(true);
    for (const [field, variant] of Object.entries(health.fields)) {
      expect({ field, variant }).toEqual({ field, variant: 'v2' });
    }
    expect(health.missing).toEqual([]);
  });

  it('reads a group: senders, direction from data-direction, rows nested in day groups', () => {
    const c = readFixture('v2').conversation;
    expect(c?.threadKey).toBe('g_loan_clients_2026');
    expect(c?.isGroup).toBe(true);
    expect(c?.contact.displayName).toBe('贷款客户群');
    expect(c?.messages.map((m) => [m.direction, m.sender ?? null, m.id])).toEqual([
      ['out', null, 'g_loan_clients_2026/m-401'],
      ['in', '赵强', 'g_loan_clients_2026/m-402'],
      ['in', '孙丽', 'g_loan_clients_2026/m-403'],
      ['in', '周明', 'g_loan_clients_2026/m-404'],
    ]);
    expect(c?.messages[3]?.at).toBe(Date.parse('2026-03-03T01:47:00.000Z'));
  });

  it('takes no phones from group messages (the number could be any member’s)', () => {
    expect(readFixture('v2').conversation?.contact.handles.phones).toEqual([]);
  });
});

describe('demo reader, broken page (everything renamed)', () => {
  it('reports every field missing and no conversation', () => {
    const { conversation, health } = readFixture('broken');
    expect(conversation).toBeNull();
    expect(health.ok).toBe(false);
    expect(Object.values(health.fields).every((v) => v === null)).toBe(true);
    expect(health.missing).toEqual(expect.arrayContaining(['threadKey', 'title', 'messageList', 'pane', 'root']));
    // Row fields cannot be judged without rows, and optional fields are not "missing".
    expect(health.missing).not.toContain('subtitle');
    expect(health.missing).not.toContain('text');
  });
});

describe('demo reader, thread key from the URL', () => {
  it('uses #/chat/<id> when the pane lost its id attribute, and says so', () => {
    const { conversation, health } = start('v1', 'http://127.0.0.1:5300/#/chat/u_k7f3m2q9', (doc) =>
      doc.getElementById('conversation')?.removeAttribute('data-thread-id'),
    );
    expect(conversation?.threadKey).toBe('u_k7f3m2q9');
    expect(health.fields.threadKey).toBe('url');
    // No phone in that id: only the subtitle's and the message's.
    expect(conversation?.contact.handles.phones).toEqual(['13800138000', '186 1234 5678']);
  });

  it('is missing when neither the pane nor the URL names the chat', () => {
    const snap = start('v1', 'http://127.0.0.1:5300/', (doc) =>
      doc.getElementById('conversation')?.removeAttribute('data-thread-id'),
    );
    expect(snap.conversation).toBeNull();
    expect(snap.health.missing).toContain('threadKey');
  });
});
