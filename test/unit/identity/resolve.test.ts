import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiaisonDb } from '../../../lib/db/db';
import type { Conversation, Customer } from '../../../lib/model';
import { deriveSearchKeys } from '../../../lib/search/keys';
import { linkConversation, resolveConversation, unlinkConversation } from '../../../lib/identity';

const NOW = 1_790_000_000_000;

function customer(id: string, fields: Partial<Customer> & Pick<Customer, 'name'>, updatedAt = 1): Customer {
  const c: Customer = { id, code: `KH-${id}`, phones: [], stage: '新客户', tags: [], createdAt: 1, updatedAt, searchKeys: [], ...fields };
  c.searchKeys = deriveSearchKeys(c);
  return c;
}

function conv(over: {
  threadKey?: string;
  isGroup?: boolean;
  displayName?: string;
  phones?: string[];
  emails?: string[];
  wechat?: string;
  siteId?: string;
  messages?: { direction: 'in' | 'out'; text: string }[];
}): Conversation {
  return {
    site: 'whatsapp',
    threadKey: over.threadKey ?? 't1',
    isGroup: over.isGroup ?? false,
    contact: {
      displayName: over.displayName ?? 'Someone',
      handles: {
        phones: over.phones ?? [],
        emails: over.emails ?? [],
        ...(over.wechat ? { wechat: over.wechat } : {}),
        ...(over.siteId ? { siteId: over.siteId } : {}),
      },
    },
    messages: (over.messages ?? []).map((m, i) => ({ id: `m${i}`, ...m })),
  };
}

describe('resolveConversation', () => {
  let db: LiaisonDb;
  let n = 0;

  beforeEach(async () => {
    db = new LiaisonDb(`resolve-test-${++n}`);
    await db.customers.bulkPut([
      customer('zhang', { name: '张三', company: '腾讯科技', phones: ['+8613800138000'], email: 'zhang@example.com' }, 10),
      customer('li', { name: '李四', phones: ['+8613900139000'], wechatId: 'lisi_wx' }, 20),
      // shares a phone with wang2: the phone alone cannot say who it is
      customer('wang1', { name: '王五', phones: ['+8613700137000'] }, 30),
      customer('wang2', { name: '王五', company: '华为', phones: ['+8613700137000'] }, 40),
      customer('tom', { name: 'Tom Lee', phones: ['+14155552671'] }, 50),
    ]);
  });

  afterEach(async () => {
    await db.delete();
  });

  const mappingOf = async (threadKey = 't1') => (await db.identities.get(['whatsapp', threadKey]))?.customerId;

  it.each<[string, Parameters<typeof conv>[0], string, string[]]>([
    ['a phone handle in any format', { phones: ['+86 138 0013 8000'] }, 'zhang', ['phone']],
    ['a full-width phone handle', { phones: ['１３８００１３８０００'] }, 'zhang', ['phone']],
    ['a phone in an incoming message', { messages: [{ direction: 'in', text: '我的电话是138 0013 8000，微信同号' }] }, 'zhang', ['phone']],
    ['an email, case-insensitive', { emails: ['Zhang@Example.COM'] }, 'zhang', ['email']],
    ['a wechat id', { wechat: 'lisi_wx' }, 'li', ['wechat']],
    ['phone and email of the same customer', { phones: ['13800138000'], emails: ['zhang@example.com'] }, 'zhang', ['phone', 'email']],
    ['an international phone', { messages: [{ direction: 'in', text: 'call me at +1 (415) 555-2671' }] }, 'tom', ['phone']],
  ])('auto-links on %s and records the mapping', async (_label, c, customerId, matchedBy) => {
    const r = await resolveConversation(db, conv(c), { now: NOW });
    expect(r).toMatchObject({ customerId, matchedBy, autoLinked: true, candidates: [] });
    expect(await db.identities.get(['whatsapp', 't1'])).toEqual({ site: 'whatsapp', key: 't1', customerId, createdAt: NOW });

    // the next time it is a mapping hit, even without the handles
    const again = await resolveConversation(db, conv({}));
    expect(again).toMatchObject({ customerId, matchedBy: ['mapping'], autoLinked: false, candidates: [] });
  });

  it('reports the normalized identity', async () => {
    const r = await resolveConversation(
      db,
      conv({
        displayName: ' 张三 ',
        phones: ['+86 138 0013 8000', 'not a phone'],
        emails: ['Zhang@Example.com', 'nonsense'],
        wechat: ' zs_wx ',
        messages: [
          { direction: 'in', text: '座机 010-12345678，手机 13800138000' },
          { direction: 'out', text: '我们的电话 13500135000' },
        ],
      }),
    );
    expect(r.identity).toEqual({
      displayName: '张三',
      phones: ['+8613800138000', '+861012345678'],
      emails: ['zhang@example.com'],
      wechat: 'zs_wx',
      isGroup: false,
    });
  });

  it('never picks among several customers matched by handles', async () => {
    const r = await resolveConversation(db, conv({ phones: ['13700137000'] }));
    expect(r.customerId).toBeUndefined();
    expect(r.autoLinked).toBe(false);
    expect(r.candidates.map((c) => [c.id, c.matchedBy])).toEqual([
      ['wang2', ['phone']],
      ['wang1', ['phone']],
    ]);
    expect(await mappingOf()).toBeUndefined();
  });

  it('never picks when different handles point to different customers', async () => {
    const r = await resolveConversation(db, conv({ phones: ['13800138000'], wechat: 'lisi_wx' }));
    expect(r.customerId).toBeUndefined();
    expect(r.candidates.map((c) => c.id).sort()).toEqual(['li', 'zhang']);
    expect(await mappingOf()).toBeUndefined();
  });

  it('offers name matches as candidates only', async () => {
    const r = await resolveConversation(db, conv({ displayName: 'tom lee' }));
    expect(r).toMatchObject({ autoLinked: false, candidates: [{ id: 'tom', name: 'Tom Lee', matchedBy: ['name'] }] });
    expect(r.customerId).toBeUndefined();
    expect(await mappingOf()).toBeUndefined();
  });

  it('ranks name + company above name alone', async () => {
    const r = await resolveConversation(db, conv({ displayName: '王五-华为' }));
    expect(r.candidates.map((c) => [c.id, c.matchedBy])).toEqual([['wang2', ['name', 'company']]]);
    const plain = await resolveConversation(db, conv({ displayName: '王五' }));
    expect(plain.candidates.map((c) => c.id)).toEqual(['wang2', 'wang1']);
    expect(plain.autoLinked).toBe(false);
  });

  it('lists handle matches before name matches, merging the reasons', async () => {
    const r = await resolveConversation(db, conv({ displayName: '王五', phones: ['13700137000'] }));
    expect(r.candidates.map((c) => [c.id, c.matchedBy])).toEqual([
      ['wang2', ['phone', 'name']],
      ['wang1', ['phone', 'name']],
    ]);
  });

  it('returns nothing for an unknown contact', async () => {
    const r = await resolveConversation(db, conv({ displayName: 'Nobody', phones: ['13512345678'], messages: [{ direction: 'in', text: '订单号 13800138000' }] }));
    expect(r).toMatchObject({ autoLinked: false, candidates: [] });
    expect(r.customerId).toBeUndefined();
    expect(r.identity.phones).toEqual(['+8613512345678']);
  });

  it('ignores phones in messages the user sent', async () => {
    const r = await resolveConversation(db, conv({ messages: [{ direction: 'out', text: '我的电话 13800138000' }] }));
    expect(r.customerId).toBeUndefined();
    expect(r.identity.phones).toEqual([]);
  });

  describe('group chats', () => {
    it('are never auto-linked by handles, only offered', async () => {
      const r = await resolveConversation(db, conv({ isGroup: true, displayName: '项目群', phones: ['13800138000'] }));
      expect(r.autoLinked).toBe(false);
      expect(r.customerId).toBeUndefined();
      expect(r.candidates.map((c) => c.id)).toEqual(['zhang']);
      expect(await mappingOf()).toBeUndefined();
    });

    it('do not read phones from messages', async () => {
      const r = await resolveConversation(db, conv({ isGroup: true, messages: [{ direction: 'in', text: '我的电话是13800138000' }] }));
      expect(r.identity.phones).toEqual([]);
      expect(r.candidates).toEqual([]);
    });

    it('follow an explicit mapping', async () => {
      await linkConversation(db, { site: 'whatsapp', threadKey: 'group-1' }, 'li', NOW);
      const r = await resolveConversation(db, conv({ threadKey: 'group-1', isGroup: true }));
      expect(r).toMatchObject({ customerId: 'li', matchedBy: ['mapping'], autoLinked: false });
    });
  });

  it('prefers the mapping over handles', async () => {
    await linkConversation(db, { site: 'whatsapp', threadKey: 't1' }, 'li', NOW);
    const r = await resolveConversation(db, conv({ phones: ['13800138000'] }));
    expect(r).toMatchObject({ customerId: 'li', matchedBy: ['mapping'], autoLinked: false });
  });

  it('finds a mapping by the contact siteId', async () => {
    await db.identities.put({ site: 'whatsapp', key: '8613900139000@c.us', customerId: 'li', createdAt: NOW });
    const r = await resolveConversation(db, conv({ threadKey: 'other-thread', siteId: '8613900139000@c.us' }));
    expect(r).toMatchObject({ customerId: 'li', matchedBy: ['mapping'] });
    // a siteId mapping on another site does not count
    const elsewhere = await resolveConversation(db, { ...conv({ siteId: '8613900139000@c.us' }), site: 'telegram' });
    expect(elsewhere.customerId).toBeUndefined();
  });

  it('ignores a mapping to a deleted customer', async () => {
    await linkConversation(db, { site: 'whatsapp', threadKey: 't1' }, 'tom', NOW);
    await db.customers.delete('tom');
    const r = await resolveConversation(db, conv({ phones: ['13800138000'] }), { now: NOW + 1 });
    expect(r).toMatchObject({ customerId: 'zhang', autoLinked: true });
  });

  it('uses the default region for national numbers', async () => {
    const r = await resolveConversation(db, conv({ phones: ['(415) 555-2671'] }), { defaultRegion: 'US' });
    expect(r).toMatchObject({ customerId: 'tom', autoLinked: true });
  });
});

describe('linkConversation / unlinkConversation', () => {
  let db: LiaisonDb;
  let n = 0;
  const ref = { site: 'whatsapp', threadKey: 't1' };

  beforeEach(async () => {
    db = new LiaisonDb(`link-test-${++n}`);
    await db.customers.bulkPut([customer('zhang', { name: '张三', phones: ['+8613800138000'] }), customer('li', { name: '李四' })]);
  });

  afterEach(async () => {
    await db.delete();
  });

  it('links, relinks and unlinks', async () => {
    await linkConversation(db, ref, 'zhang', NOW);
    expect(await db.identities.get(['whatsapp', 't1'])).toEqual({ site: 'whatsapp', key: 't1', customerId: 'zhang', createdAt: NOW });
    await linkConversation(db, ref, 'li', NOW + 1);
    expect((await db.identities.get(['whatsapp', 't1']))?.customerId).toBe('li');
    expect(await db.identities.count()).toBe(1);
    await unlinkConversation(db, ref);
    expect(await db.identities.get(['whatsapp', 't1'])).toBeUndefined();
  });

  it('refuses to link to a customer that does not exist', async () => {
    await expect(linkConversation(db, ref, 'ghost', NOW)).rejects.toThrow(/ghost/);
    expect(await db.identities.count()).toBe(0);
  });

  it('does not auto-link again to the customer the user unlinked', async () => {
    const c = conv({ phones: ['13800138000'] });
    expect((await resolveConversation(db, c)).autoLinked).toBe(true);
    await unlinkConversation(db, ref, NOW);

    const r = await resolveConversation(db, c);
    expect(r.autoLinked).toBe(false);
    expect(r.customerId).toBeUndefined();
    expect(r.candidates.map((x) => x.id)).toEqual(['zhang']);
    expect(await db.identities.get(['whatsapp', 't1'])).toBeUndefined();

    // linking by hand again lifts that
    await linkConversation(db, ref, 'zhang', NOW);
    await unlinkConversation(db, ref, NOW);
    await linkConversation(db, ref, 'zhang', NOW);
    await db.identities.delete(['whatsapp', 't1']);
    expect((await resolveConversation(db, c)).autoLinked).toBe(true);
  });

  it('unlinking an unmapped chat is a no-op', async () => {
    await unlinkConversation(db, ref);
    expect(await db.identities.count()).toBe(0);
    expect(await db.kv.count()).toBe(0);
  });
});
