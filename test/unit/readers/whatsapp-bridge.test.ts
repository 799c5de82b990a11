// The main-world bridge's pure parts: reading the open chat from a stub of WhatsApp Web's module
// registry (shaped after whatsapp-web.js, wa-js, whatsapp-web-incognito and W6's live probe:
// docs/whatsapp-identity.md), and the content script's check of what arrives.
import { describe, expect, it } from 'vitest';
import { MAX_DETAIL, parseBridgeDetail, readOpenChat, validFacts } from '../../../lib/readers/sites/whatsapp-bridge';
import type { ModuleRequire } from '../../../lib/readers/sites/whatsapp-bridge';

/** WhatsApp's id object: `_serialized`, user, server, toString(). */
const wid = (s: string) => ({ _serialized: s, user: s.split('@')[0], server: s.split('@')[1], toString: () => s });
/** A Wid known only by toString() (what whatsapp-web-incognito calls on chat.accountLid). */
const widByString = (s: string) => ({ toString: () => s });

interface ChatStub {
  id: unknown;
  active?: boolean;
  msgs?: string[];
  contact?: Record<string, unknown>;
  accountLid?: unknown;
}

function chatModel(c: ChatStub) {
  const models = (c.msgs ?? []).map((id) => ({ id: { id, _serialized: `false_x_${id}` } }));
  return { id: c.id, active: c.active ?? false, contact: c.contact, accountLid: c.accountLid, msgs: { getModelsArray: () => models } };
}

/** A registry like Meta's require: unknown names throw; `log` records every name asked for. */
function registry(modules: Record<string, unknown>, log: string[] = []): ModuleRequire {
  return (name: string) => {
    log.push(name);
    if (!(name in modules)) throw new Error(`Requiring unknown module "${name}"`);
    return modules[name];
  };
}

/** WAWebCollections.Chat with getActive (the incognito/wwebjs shape). */
function collections(chats: ChatStub[], api?: Record<string, unknown>) {
  const models = chats.map(chatModel);
  return registry({
    WAWebCollections: { Chat: { getActive: () => models.find((m) => m.active), getModelsArray: () => models } },
    ...(api ? { WAWebApiContact: api } : {}),
  });
}

describe('readOpenChat', () => {
  it('gives a 1:1 @c.us chat: its number, its @lid from the page, the row it checked', () => {
    const req = collections(
      [{ id: wid('8613800138000@c.us'), active: true, msgs: ['2A327AC82CD56D95E087', '3EB0D1C2B3A4958677F1'] }],
      { getCurrentLid: (w: unknown) => (String(w) === '8613800138000@c.us' ? wid('201234567890123@lid') : undefined) },
    );
    expect(readOpenChat(req, ['3EB0D1C2B3A4958677F1', '2A327AC82CD56D95E087'])).toEqual({
      facts: { chat: '8613800138000@c.us', phone: '8613800138000', lid: '201234567890123@lid', group: '0', anchor: '3EB0D1C2B3A4958677F1' },
    });
  });

  it.each([
    ['WAWebApiContact.getPhoneNumber (whatsapp-web.js)', { getPhoneNumber: () => wid('5511987654321@c.us') }, undefined],
    ['WAWebApiContact.lidPnCache.getPhoneNumber (wa-js)', { lidPnCache: { getPhoneNumber: () => wid('5511987654321@c.us') } }, undefined],
    ['chat.contact.phoneNumber (whatsapp-web.js getChatModel)', undefined, { phoneNumber: wid('5511987654321@c.us') }],
  ])('gives a @lid chat’s number where the page has it: %s', (_name, api, contact) => {
    const req = collections([{ id: wid('209876543210987@lid'), active: true, ...(contact ? { contact } : {}) }], api);
    expect(readOpenChat(req, [])).toEqual({
      facts: { chat: '209876543210987@lid', lid: '209876543210987@lid', phone: '5511987654321', group: '0', anchor: '' },
    });
  });

  it('gives a @lid chat without a number when the page has none, or its lookups fail', () => {
    const throwing = { getPhoneNumber: () => { throw new Error('not ready'); }, lidPnCache: { getPhoneNumber: () => null } };
    const req = collections([{ id: wid('209876543210987@lid'), active: true, contact: { phoneNumber: wid('209876543210987@lid') } }], throwing);
    expect(readOpenChat(req, [])).toEqual({ facts: { chat: '209876543210987@lid', lid: '209876543210987@lid', group: '0', anchor: '' } });
  });

  it('takes a @c.us chat’s @lid from chat.accountLid (incognito), known only by toString()', () => {
    const req = collections([{ id: wid('8613800138000@c.us'), active: true, accountLid: widByString('201234567890123@lid') }]);
    expect(readOpenChat(req, [])).toMatchObject({ facts: { lid: '201234567890123@lid' } });
  });

  it('gives a group as a group, with no number or @lid whatever the modules say', () => {
    const req = collections([{ id: wid('120363041234567890@g.us'), active: true }], { getPhoneNumber: () => wid('8613800138000@c.us') });
    expect(readOpenChat(req, [])).toEqual({ facts: { chat: '120363041234567890@g.us', group: '1', anchor: '' } });
  });

  it('reaches the active chat the other ways maintained projects do', () => {
    const chats = [chatModel({ id: wid('8613800138000@c.us') }), chatModel({ id: wid('8613700000001@c.us'), active: true })];
    // wa-js getActiveChat: findFirst(c => c.active)
    const waJs = registry({ WAWebCollections: { Chat: { findFirst: (f: (c: unknown) => boolean) => chats.find(f) } } });
    // only a model array
    const plain = registry({ WAWebCollections: { Chat: { getModelsArray: () => chats } } });
    // whatsapp-web-incognito: WAWebChatCollection.ChatCollection.getActive()
    const incognito = registry({ WAWebChatCollection: { ChatCollection: { getActive: () => chats[1] } } });
    for (const req of [waJs, plain, incognito]) expect(readOpenChat(req, [])).toMatchObject({ facts: { chat: '8613700000001@c.us' } });
  });

  it('matches old-style data-ids by their message id part', () => {
    const req = collections([{ id: wid('8613800138000@c.us'), active: true, msgs: ['3EB0A1B2C3D4E5F60001'] }]);
    expect(readOpenChat(req, ['false_8613800138000@c.us_3EB0A1B2C3D4E5F60001'])).toMatchObject({
      facts: { anchor: 'false_8613800138000@c.us_3EB0A1B2C3D4E5F60001' },
    });
  });

  it('waits while #main shows rows of another chat (a switch mid-render)', () => {
    const req = collections([{ id: wid('120363041234567890@g.us'), active: true, msgs: ['3EB0C1000000000000B1'] }]);
    expect(readOpenChat(req, ['2A327AC82CD56D95E087'])).toEqual({ none: 'pane' });
  });

  it.each([
    ['no require', undefined, 'no-require'],
    ['a require that is not a function', 42 as unknown as ModuleRequire, 'no-require'],
    ['the collections module renamed', registry({ WAWebCollectionsV2: {} }), 'no-module'],
    ['a require that throws for everything', (() => { throw new Error('x'); }) as ModuleRequire, 'no-module'],
    ['no active chat (start screen)', collections([{ id: wid('8613800138000@c.us') }]), 'no-active'],
    ['an active chat whose getters throw', registry({ WAWebCollections: { Chat: { getActive: () => { throw new Error('x'); } } } }), 'no-active'],
    ['a chat id of another shape', collections([{ id: wid('status@broadcast'), active: true }]), 'bad-id'],
    ['a chat id that is no id at all', collections([{ id: { user: '8613800138000' }, active: true }]), 'bad-id'],
  ])('says why it found nothing: %s', (_name, req, why) => {
    expect(readOpenChat(req as ModuleRequire | undefined, [])).toEqual({ none: why });
  });

  it('asks the page for these modules only', () => {
    const log: string[] = [];
    const model = chatModel({ id: wid('209876543210987@lid'), active: true });
    readOpenChat(registry({ WAWebCollections: { Chat: { getActive: () => model } }, WAWebApiContact: {} }, log), []);
    readOpenChat(registry({}, log), []);
    expect([...new Set(log)].sort()).toEqual(['WAWebApiContact', 'WAWebChatCollection', 'WAWebCollections']);
  });
});

describe('parseBridgeDetail (the content script’s check)', () => {
  const good = { chat: '209876543210987@lid', lid: '209876543210987@lid', phone: '5511987654321', group: '0', anchor: '3EB0F1E2D3C4B5A69788' };

  it('takes the fixed shape, and {} for "no chat known"', () => {
    expect(parseBridgeDetail(JSON.stringify(good))).toEqual(good);
    expect(parseBridgeDetail('{}')).toEqual({});
    expect(parseBridgeDetail(JSON.stringify({ chat: '120363041234567890@g.us', group: '1', anchor: '' }))).toEqual({ chat: '120363041234567890@g.us', group: '1', anchor: '' });
  });

  it.each([
    ['an object, not a string', good],
    ['too long', JSON.stringify({ ...good, anchor: 'A'.repeat(MAX_DETAIL) })],
    ['not JSON', '{chat:'],
    ['an array', '[]'],
    ['an extra key', JSON.stringify({ ...good, name: '张伟' })],
    ['a number instead of a string', JSON.stringify({ ...good, phone: 5511987654321 })],
    ['a phone with a plus or spaces', JSON.stringify({ ...good, phone: '+55 11 98765-4321' })],
    ['a chat that is no address', JSON.stringify({ ...good, chat: '<img src=x>' })],
    ['a lid that is a c.us', JSON.stringify({ ...good, lid: '5511987654321@c.us' })],
    ['no anchor', JSON.stringify({ chat: good.chat, group: '0' })],
    ['no group', JSON.stringify({ chat: good.chat, anchor: '' })],
    ['facts without the chat', JSON.stringify({ phone: '5511987654321' })],
    ['an anchor with markup', JSON.stringify({ ...good, anchor: '"]<b>' })],
  ])('refuses %s', (_name, detail) => {
    expect(parseBridgeDetail(detail)).toBeNull();
  });

  it('is the same check the reader applies to ctx.facts', () => {
    expect(validFacts(good)).toEqual(good);
    expect(validFacts({ ...good, extra: 'x' })).toBeNull();
  });

  it('answers a frozen object once (the content script freezes each new set of facts), and never reuses an answer for a mutable one', () => {
    const frozen = Object.freeze({ ...good });
    const first = validFacts(frozen);
    expect(first).toEqual(good);
    expect(validFacts(frozen)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(validFacts(Object.freeze({ ...good, extra: 'x' }))).toBeNull();
    const mutable: Record<string, string> = { ...good };
    expect(validFacts(mutable)).toEqual(good);
    mutable.chat = 'not a chat';
    expect(validFacts(mutable)).toBeNull();
  });
});
