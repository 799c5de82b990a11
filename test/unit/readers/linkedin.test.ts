// The LinkedIn messaging reader over every saved variant (DOM: happy-dom, see fixture-dom).
import { afterEach, describe, expect, it } from 'vitest';
import { matchesPattern, readerForUrl } from '../../../lib/readers/registry';
import { linkedinReader, linkedinThreadId } from '../../../lib/readers/sites/linkedin';
import { openFixture, watch } from './fixture-dom';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

function read(name: string, url: string) {
  const page = openFixture('linkedin', name, url);
  const w = watch(linkedinReader, page.doc);
  cleanup = async () => {
    w.ac.abort();
    await page.close();
  };
  w.running.readNow();
  return w.last();
}

const THREAD_URL = 'https://www.linkedin.com/messaging/thread/2-ZGVhbDEyMzQ1Njc4OTA=/';

describe('linkedin, variant current: a 1:1 thread', () => {
  it('keys by the thread id in the URL and says so', () => {
    const { conversation: c, health } = read('current', THREAD_URL);
    expect(c?.threadKey).toBe('2-ZGVhbDEyMzQ1Njc4OTA=');
    expect(health.fields).toEqual({
      root: 'current', pane: 'current', threadKey: 'url', title: 'current', messageList: 'current',
      messageRow: 'current', outgoing: 'current', sender: 'current', text: 'current', groupMarker: null,
    });
    expect(health.missing).toEqual([]);
  });

  it('falls back to the active card’s link off a thread URL', () => {
    const { conversation: c, health } = read('current', 'https://www.linkedin.com/messaging/');
    expect(c?.threadKey).toBe('2-ZGVhbDEyMzQ1Njc4OTA=');
    expect(health.fields.threadKey).toBe('current');
  });

  it('takes the profile slug from .msg-thread__link-to-profile and the phone the customer typed', () => {
    const c = read('current', THREAD_URL).conversation;
    expect(c?.isGroup).toBe(false);
    expect(c?.contact).toEqual({
      displayName: 'Alice Wang',
      handles: { phones: ['+44 7700 900123'], emails: [], username: 'alice-wang-8a1b2c', siteId: 'in/alice-wang-8a1b2c' },
    });
  });

  it('parses urn ids, direction from --other, and carries the group sender to continuation rows', () => {
    expect(read('current', THREAD_URL).conversation?.messages).toEqual([
      { id: '2-ZGVhbDEyMzQ1Njc4OTA=/urn:li:msg_message:(urn:li:fsd_profile:ACoAAA1,2-MTAwMQ==)', direction: 'in', sender: 'Alice Wang', text: "Hi, I'm interested in your SME loan product." },
      { id: '2-ZGVhbDEyMzQ1Njc4OTA=/urn:li:msg_message:(urn:li:fsd_profile:ACoAAA1,2-MTAwMg==)', direction: 'in', sender: 'Alice Wang', text: 'My number is +44 7700 900123 <img src=x onerror=alert(1)>' },
      { id: '2-ZGVhbDEyMzQ1Njc4OTA=/urn:li:msg_message:(urn:li:fsd_profile:ACoAAA1,2-MTAwMw==)', direction: 'out', sender: 'Li Ming', text: "Thanks Alice, I'll call you tomorrow." },
    ]);
  });
});

describe('linkedin, variant legacy: a group thread', () => {
  it('reads the older rows and marks the group', () => {
    const { conversation: c, health } = read('legacy', 'https://www.linkedin.com/messaging/thread/2-Z3JvdXA0NTY3ODk=/');
    expect(health.fields).toMatchObject({ pane: 'legacy', title: 'legacy', messageList: 'legacy', messageRow: 'legacy', sender: 'legacy', groupMarker: 'current' });
    expect(c?.threadKey).toBe('2-Z3JvdXA0NTY3ODk=');
    expect(c?.isGroup).toBe(true);
    expect(c?.contact).toEqual({ displayName: 'Loan partners', handles: { phones: [], emails: [] } });
    expect(c?.messages.map((m) => [m.direction, m.sender, m.text])).toEqual([
      ['in', 'Zhao Qiang', 'Rates for Q1?'],
      ['out', 'Li Ming', 'From 3.5%.'],
    ]);
    expect(c?.messages[0]?.id).toMatch(/^2-Z3JvdXA0NTY3ODk=\/h[0-9a-z]+$/);
  });

  it('reads the thread id from the legacy active link when the URL has none', () => {
    const { health, conversation } = read('legacy', 'https://www.linkedin.com/messaging/');
    expect(conversation?.threadKey).toBe('2-Z3JvdXA0NTY3ODk=');
    expect(health.fields.threadKey).toBe('legacy');
  });
});

describe('linkedin, broken page', () => {
  it('reports the page unreadable and no conversation', () => {
    const { conversation, health } = read('broken', 'https://www.linkedin.com/messaging/');
    expect(conversation).toBeNull();
    expect(health.ok).toBe(false);
    expect(health.missing).toEqual(expect.arrayContaining(['threadKey', 'title', 'messageList']));
  });
});

describe('linkedin URLs', () => {
  it.each([
    ['https://www.linkedin.com/messaging/thread/2-abc==/', '2-abc=='],
    ['/messaging/thread/2-abc/?trk=x', '2-abc'],
    ['https://www.linkedin.com/messaging/thread/new/', null],
    ['https://www.linkedin.com/messaging/', null],
    [null, null],
  ])('linkedinThreadId(%s) = %s', (href, id) => {
    expect(linkedinThreadId(href)).toBe(id);
  });

  it('reads messaging pages only, and is the reader of every www.linkedin.com page its script runs on (in-app navigation)', () => {
    expect(readerForUrl(THREAD_URL)?.id).toBe('linkedin');
    expect(linkedinReader.matches.some((p) => matchesPattern(p, THREAD_URL))).toBe(true);
    expect(linkedinReader.matches.some((p) => matchesPattern(p, 'https://www.linkedin.com/feed/'))).toBe(false);
    // The browser reports the address a page was loaded at: /feed, then the app navigated to messaging.
    expect(readerForUrl('https://www.linkedin.com/feed/')?.id).toBe('linkedin');
    expect(readerForUrl('https://linkedin.com/messaging/')).toBeUndefined();
    expect(readerForUrl('https://evil.example/www.linkedin.com/messaging/')).toBeUndefined();
  });
});
