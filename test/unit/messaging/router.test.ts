import { describe, expect, it, vi } from 'vitest';
import { createRouter, type Handlers, type SenderInfo } from '../../../lib/messaging/router';
import { protocol, type MessageType } from '../../../lib/messaging/protocol';
import { demoConversation } from './demo-report';

const EXT_ID = 'abcdefghijklmnopabcdefghijklmnop';
const ORIGIN = `chrome-extension://${EXT_ID}/`;
const page: SenderInfo = { id: EXT_ID, url: `${ORIGIN}popup.html` };
const content: SenderInfo = { id: EXT_ID, url: 'http://127.0.0.1:5300/#/chat/u_1', tab: { id: 7, url: 'http://127.0.0.1:5300/#/chat/u_1' } };

const conversation = demoConversation;

function setup() {
  const calls: { type: string; payload: unknown; context: string }[] = [];
  const handlers = Object.fromEntries(
    (Object.keys(protocol) as MessageType[]).map((type) => [
      type,
      vi.fn(async (payload: unknown, ctx: { context: string }) => {
        calls.push({ type, payload, context: ctx.context });
        return { ok: true, results: [], customer: {}, followUp: {} };
      }),
    ]),
  ) as unknown as Handlers;
  const route = createRouter(handlers, {
    extensionId: EXT_ID,
    extensionOrigin: ORIGIN,
    siteForUrl: (url) => (url.startsWith('http://127.0.0.1') ? 'demo' : undefined),
  });
  return { route, calls };
}

describe('message router', () => {
  it('passes a valid message from an allowed context to its handler', async () => {
    const { route, calls } = setup();
    const reply = await route({ liaison: 1, type: 'conversation.observed', payload: { conversation } }, content);
    expect(reply).toMatchObject({ ok: true });
    expect(calls).toEqual([{ type: 'conversation.observed', payload: expect.objectContaining({ conversation: expect.any(Object) }), context: 'content' }]);
  });

  it('ignores messages that are not envelopes (other listeners may answer)', async () => {
    const { route } = setup();
    expect(await route({ event: 'changed' }, page)).toBeUndefined();
    expect(await route('hello', page)).toBeUndefined();
    expect(await route(null, page)).toBeUndefined();
  });

  const rejected: [string, unknown, SenderInfo, string][] = [
    ['unknown type', { liaison: 1, type: 'secrets.dump', payload: {} }, page, 'bad-request'],
    ['prototype key as type', { liaison: 1, type: 'constructor', payload: {} }, page, 'bad-request'],
    ['wrong shape', { liaison: 1, type: 'customer.search', payload: { query: 42 } }, page, 'bad-request'],
    ['missing field', { liaison: 1, type: 'followUp.log', payload: { customerId: 'c1', followUp: { method: '电话' } } }, page, 'bad-request'],
    ['bad enum', { liaison: 1, type: 'followUp.log', payload: { customerId: 'c1', followUp: { method: 'fax', content: 'x' } } }, page, 'bad-request'],
    ['content asks for settings', { liaison: 1, type: 'settings.get', payload: {} }, content, 'forbidden'],
    ['content asks for an export', { liaison: 1, type: 'data.export', payload: {} }, content, 'forbidden'],
    ['page reports a conversation', { liaison: 1, type: 'conversation.observed', payload: { conversation } }, page, 'forbidden'],
    ['another extension', { liaison: 1, type: 'dashboard.get', payload: {} }, { id: 'otherextensionid', url: 'chrome-extension://otherextensionid/x.html' }, 'forbidden'],
    ['no sender id (web page)', { liaison: 1, type: 'dashboard.get', payload: {} }, { url: 'https://evil.example/' }, 'forbidden'],
    ['content script on an unknown site', { liaison: 1, type: 'customer.search', payload: { query: 'a' } }, { id: EXT_ID, url: 'https://evil.example/', tab: { id: 3, url: 'https://evil.example/' } }, 'forbidden'],
    ['content reports another site', { liaison: 1, type: 'conversation.observed', payload: { conversation: { ...conversation, site: 'whatsapp' } } }, content, 'forbidden'],
  ];
  it.each(rejected)('rejects %s', async (_name, message, sender, code) => {
    const { route, calls } = setup();
    const reply = await route(message, sender);
    expect(reply).toMatchObject({ ok: false, error: { code } });
    expect(calls).toHaveLength(0);
  });

  it('every message type declares at least one sender context and a request schema', () => {
    for (const [type, def] of Object.entries(protocol)) {
      expect(def.from.length, type).toBeGreaterThan(0);
      expect(typeof def.request.safeParse, type).toBe('function');
      expect(typeof def.response.safeParse, type).toBe('function');
    }
  });

  it('reports handler failures as errors, not crashes', async () => {
    const handlers = Object.fromEntries((Object.keys(protocol) as MessageType[]).map((t) => [t, async () => { throw new Error('disk full'); }])) as unknown as Handlers;
    const route = createRouter(handlers, { extensionId: EXT_ID, extensionOrigin: ORIGIN, siteForUrl: () => 'demo' });
    expect(await route({ liaison: 1, type: 'dashboard.get', payload: {} }, page)).toEqual({ ok: false, error: { code: 'internal', message: 'disk full' } });
  });
});
