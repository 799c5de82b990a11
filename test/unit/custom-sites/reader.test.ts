// The generic reader built from a user's definition: a stored version-1 definition on the first
// fixture (it reads what it read before), and a version-2 definition on an attribute-keyed
// console (thread key in a header attribute, message ids and direction in row attributes, times
// in `datetime`, WeChat id cut by a regular expression, email); the weak title key; the router's
// view of custom sites (the cache, ports included).
import { describe, expect, it } from 'vitest';
import { customSiteSchema } from '../../../lib/custom-sites/schema';
import { createCustomSiteCache, loadCustomSites, saveCustomSites } from '../../../lib/custom-sites/store';
import type { CustomSiteDef, CustomSiteDefV1 } from '../../../lib/custom-sites/definition';
import { testRead } from '../../../lib/custom-sites/test-read';
import { useDb } from '../customers/helpers';
import { CONSOLE, openPage, readOnce } from './page';

const V1: CustomSiteDefV1 = {
  id: 'shop',
  name: '小店客服',
  pattern: 'http://127.0.0.1/custom-chat/*',
  selectors: { title: '.topbar .peer-name', messageList: '.thread', messageRow: '.msg', outgoing: '.mine', text: '.body', time: 'time', contact: '.topbar .peer-phone' },
};


const v1Def = () => customSiteSchema.parse(V1);

describe('a stored version-1 definition', () => {
  it('reads the contact, phone, directions, texts and times as before', () => {
    const page = openPage('chat.html', 'http://127.0.0.1:5300/custom-chat/room');
    const { conversation: c, health } = readOnce(v1Def(), page.doc);
    page.close();
    expect(health.ok).toBe(true);
    expect(c?.site).toBe('custom:shop');
    expect(c?.threadKey).toBe('139 1000 2233');
    expect(c?.weakKey).toBeUndefined();
    expect(c?.contact).toEqual({ displayName: '赵敏', handles: { phones: ['139 1000 2233'], emails: [] } });
    expect(c?.messages.map((m) => [m.direction, m.text])).toEqual([
      ['in', '你好，想问下装修贷的利率'],
      ['out', '您好，目前年化 3.6% 起'],
      ['in', '好的，我预算 20 万，稍后联系'],
    ]);
    expect(c?.messages[0]?.at).toBe(Date.parse('2026-03-01T10:00:00+08:00'));
  });

  it('reports the page unreadable when a required selector matches nothing, and survives a bad selector', () => {
    const page = openPage('chat.html', 'http://127.0.0.1:5300/custom-chat/room');
    const { conversation, health } = readOnce(customSiteSchema.parse({ ...V1, selectors: { ...V1.selectors, title: '.nope', contact: '[[bad' } }), page.doc);
    page.close();
    expect(conversation).toBeNull();
    expect(health.missing).toContain('title');
  });
});

describe('an attribute-keyed console (version 2)', () => {
  const open = () => openPage('console.html', 'http://127.0.0.1:41234/console/conv/c-8812');

  it('takes the key, ids, direction and times from attributes and the WeChat id and email from the header', () => {
    const page = open();
    const { conversation: c, health } = readOnce(CONSOLE, page.doc);
    expect(health.ok).toBe(true);
    expect(c?.threadKey).toBe('c-8812');
    expect(c?.weakKey).toBeUndefined();
    expect(c?.contact).toEqual({ displayName: '周芷若', handles: { phones: [], emails: ['zhiruo@emei.example'], wechat: 'zhiruo_emei', siteId: 'c-8812' } });
    expect(c?.messages.map((m) => [m.id, m.direction, m.text, m.at])).toEqual([
      ['c-8812/m-100231', 'in', '您好，我想了解企业版的报价', Date.parse('2026-12-01T09:30:00+08:00')],
      ['c-8812/m-100232', 'out', '您好，企业版每席位每年 1200 元', Date.parse('2026-12-01T09:31:00+08:00')],
      ['c-8812/m-100233', 'in', '我们有 30 个席位，下周签合同', Date.parse('2026-12-01T09:33:00+08:00')],
    ]);
    page.close();
  });

  it('follows the header attribute to another conversation', () => {
    const page = open();
    readOnce(CONSOLE, page.doc);
    page.doc.querySelector('.conv-header')!.setAttribute('data-conv-id', 'c-9034');
    page.doc.querySelector('.customer-name')!.textContent = '宋青书';
    const { conversation: c } = readOnce(CONSOLE, page.doc);
    expect([c?.threadKey, c?.contact.displayName, c?.messages[0]?.id]).toEqual(['c-9034', '宋青书', 'c-9034/m-100231']);
    page.close();
  });

  it('reads the other direction rules: rows matching X are outgoing, or rows matching X are incoming', () => {
    const page = open();
    const dirs = (direction: CustomSiteDef['direction']) => readOnce({ ...CONSOLE, direction }, page.doc).conversation?.messages.map((m) => m.direction);
    expect(dirs({ kind: 'outgoingIf', css: '[data-direction="out"]' })).toEqual(['in', 'out', 'in']);
    expect(dirs({ kind: 'incomingIf', css: '[data-direction="in"]' })).toEqual(['in', 'out', 'in']);
    expect(dirs(undefined)).toEqual(['in', 'in', 'in']);
    page.close();
  });

  it('falls back to the title as a weak key when the key attribute is gone, and says so', () => {
    const page = open();
    page.doc.querySelector('.conv-header')!.removeAttribute('data-conv-id');
    const { conversation: c, health } = readOnce(CONSOLE, page.doc);
    expect(c?.threadKey).toBe('周芷若');
    expect(c?.weakKey).toBe(true);
    expect(health.issues).toContainEqual({ cause: 'weakKey', detail: 'title' });
    // No thread key field at all: the same weak key.
    const { threadKey: _, ...fields } = CONSOLE.fields;
    expect(readOnce({ ...CONSOLE, fields }, page.doc).conversation?.weakKey).toBe(true);
    page.close();
  });

  it('reads a time written in a pattern, in the local time zone', () => {
    const page = open();
    for (const t of page.doc.querySelectorAll('time')) t.textContent = `01.12.2026 ${t.textContent}`;
    const { conversation: c } = readOnce({ ...CONSOLE, fields: { ...CONSOLE.fields, time: { css: '.msg-time', format: 'DD.MM.YYYY HH:mm' } } }, page.doc);
    expect(c?.messages[0]?.at).toBe(new Date(2026, 11, 1, 9, 30).getTime());
    page.close();
  });

  it('test read: what the reader read, first and last message, weak or not', () => {
    const page = open();
    const r = testRead(page.doc, CONSOLE);
    expect(r).toMatchObject({ ok: true, title: '周芷若', threadKey: 'c-8812', weakKey: false, messageCount: 3 });
    expect(r.first).toMatchObject({ direction: 'in', text: '您好，我想了解企业版的报价', at: Date.parse('2026-12-01T09:30:00+08:00') });
    expect(r.last).toMatchObject({ direction: 'in', text: '我们有 30 个席位，下周签合同' });
    const broken = testRead(page.doc, { ...CONSOLE, fields: { ...CONSOLE.fields, messageList: { css: '.nothing-here' } } });
    expect(broken.ok).toBe(false);
    expect(broken.missing).toContain('messageList');
    page.close();
  });
});

describe('stored definitions', () => {
  const h = useDb();
  it('are what the router accepts custom content-script senders by, ports included', async () => {
    await saveCustomSites(h.db, [v1Def(), { ...CONSOLE, pattern: 'http://127.0.0.1:41234/console/*' }]);
    const cache = createCustomSiteCache(h.db);
    await cache.ready();
    expect(cache.siteFor('http://127.0.0.1:8080/custom-chat/room')).toBe('custom:shop');
    expect(cache.siteFor('http://127.0.0.1:8080/other')).toBeUndefined();
    expect(cache.siteFor('http://127.0.0.1:41234/console/conv/1')).toBe('custom:console');
    expect(cache.siteFor('http://127.0.0.1:41235/console/conv/1')).toBeUndefined();
    // The script runs on the whole origin: a console page outside the pattern is still its origin's.
    expect(cache.siteForOrigin('http://127.0.0.1:41234/login')).toBe('custom:console');
    expect(cache.byId('custom:shop')?.name).toBe('小店客服');
  });

  it('keep a stored version-1 list readable (upgraded), and drop only an invalid entry', async () => {
    await h.db.kv.put({ key: 'customSites', value: [V1, { id: 'BAD ID', name: '', pattern: '<all_urls>', selectors: {} }] });
    const sites = await loadCustomSites(h.db);
    expect(sites).toHaveLength(1);
    expect(sites[0]).toMatchObject({ version: 2, id: 'shop', fields: { threadKey: { css: '.topbar .peer-phone' } }, direction: { kind: 'outgoingIf', css: '.mine' } });
  });
});
