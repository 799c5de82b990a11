// One identity per chat across key changes and site variants: WhatsApp's @lid beside @c.us
// (aliases), Telegram K and A (one identity space), and weak title-only keys (never linked).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiaisonDb } from '../../../lib/db/db';
import type { Conversation, Customer } from '../../../lib/model';
import { deriveSearchKeys } from '../../../lib/search/keys';
import { identitySpace, linkConversation, resolveConversation, unlinkConversation } from '../../../lib/identity';
import { buildCustomerView } from '../../../lib/customers/view';
import { createCustomer } from '../../../lib/customers/create';

const NOW = 1_790_000_000_000;

function customer(id: string, name: string, phones: string[] = []): Customer {
  const c: Customer = { id, code: `KH-${id}`, name, phones, stage: '新客户', tags: [], createdAt: 1, updatedAt: 1, searchKeys: [] };
  c.searchKeys = deriveSearchKeys(c);
  return c;
}

function conv(site: string, threadKey: string, over: Partial<Conversation> & { phones?: string[] } = {}): Conversation {
  const { phones, ...rest } = over;
  return {
    site,
    threadKey,
    isGroup: false,
    contact: { displayName: 'Lina', handles: { phones: phones ?? [], emails: [] } },
    messages: [],
    ...rest,
  };
}

let db: LiaisonDb;
let n = 0;
beforeEach(async () => {
  db = new LiaisonDb(`identity-keys-${++n}`);
  await db.customers.bulkPut([customer('lina', 'Lina', ['+8613800138000']), customer('bo', 'Bo')]);
});
afterEach(async () => {
  await db.delete();
});

describe('aliases: one chat known by two keys', () => {
  it('keeps the link when a chat first linked as @lid is read as @c.us with the @lid as an alias', async () => {
    await linkConversation(db, { site: 'whatsapp', threadKey: '201234567890123@lid' }, 'bo', NOW);
    const r = await resolveConversation(db, conv('whatsapp', '8613912345678@c.us', { keyAliases: ['201234567890123@lid'] }), { now: NOW });
    expect(r).toMatchObject({ customerId: 'bo', matchedBy: ['mapping'] });
    // Recorded under the new key too: the old one may never be read again.
    expect((await db.identities.get(['whatsapp', '8613912345678@c.us']))?.customerId).toBe('bo');
    const again = await resolveConversation(db, conv('whatsapp', '8613912345678@c.us'), { now: NOW });
    expect(again.customerId).toBe('bo');
  });

  it('lets a mapping under the key itself win over one under an alias', async () => {
    await linkConversation(db, { site: 'whatsapp', threadKey: '8613912345678@c.us' }, 'lina', NOW);
    await linkConversation(db, { site: 'whatsapp', threadKey: '201234567890123@lid' }, 'bo', NOW);
    const r = await resolveConversation(db, conv('whatsapp', '8613912345678@c.us', { keyAliases: ['201234567890123@lid'] }), { now: NOW });
    expect(r.customerId).toBe('lina');
  });
});

describe('Telegram K and A: one identity space', () => {
  it('maps both readers to one space, and nothing else', () => {
    expect(identitySpace('telegram-k')).toBe('telegram');
    expect(identitySpace('telegram-a')).toBe('telegram');
    expect(identitySpace('whatsapp')).toBe('whatsapp');
    expect(identitySpace('constructor')).toBe('constructor');
  });

  it('finds in Web A the customer linked in Web K for the same peer key', async () => {
    await linkConversation(db, { site: 'telegram-k', threadKey: '-1987654321' }, 'bo', NOW);
    const r = await resolveConversation(db, conv('telegram-a', '-1987654321'), { now: NOW });
    expect(r).toMatchObject({ customerId: 'bo', matchedBy: ['mapping'] });
    const view = await buildCustomerView(db, { site: 'telegram-a', threadKey: '-1987654321' }, NOW);
    expect(view.customer?.id).toBe('bo');
  });

  it('still finds a mapping stored under the old per-reader site, and moves it into the space', async () => {
    await db.identities.put({ site: 'telegram-k', key: '777000', customerId: 'bo', createdAt: 1 });
    const r = await resolveConversation(db, conv('telegram-a', '777000'), { now: NOW });
    expect(r.customerId).toBe('bo');
    expect((await db.identities.get(['telegram', '777000']))?.customerId).toBe('bo');
  });

  it('unlinks in both readers at once', async () => {
    await linkConversation(db, { site: 'telegram-a', threadKey: '777000' }, 'bo', NOW);
    await db.identities.put({ site: 'telegram-k', key: '777000', customerId: 'bo', createdAt: 1 });
    await unlinkConversation(db, { site: 'telegram-k', threadKey: '777000' }, NOW);
    expect(await db.identities.count()).toBe(0);
    const r = await resolveConversation(db, conv('telegram-a', '777000'), { now: NOW });
    expect(r.customerId).toBeUndefined();
  });
});

describe('weak keys (a title only): shown, never linked', () => {
  it('does not auto-link a weak chat even when its typed phone matches exactly one customer', async () => {
    const weak = conv('whatsapp', 'title:Lina', { weakKey: true, messages: [{ id: 'm1', direction: 'in', text: '我的电话 13800138000' }] });
    const r = await resolveConversation(db, weak, { now: NOW });
    expect(r.autoLinked).toBe(false);
    expect(r.customerId).toBeUndefined();
    expect(r.candidates.map((c) => c.id)).toContain('lina');
    expect(r.identity.weakKey).toBe(true);
    expect(await db.identities.count()).toBe(0);
  });

  it('ignores a mapping that somehow exists for the weak key', async () => {
    await db.identities.put({ site: 'whatsapp', key: 'title:Lina', customerId: 'bo', createdAt: 1 });
    const r = await resolveConversation(db, conv('whatsapp', 'title:Lina', { weakKey: true }), { now: NOW });
    expect(r.customerId).toBeUndefined();
  });

  it('refuses a link or a create by hand for a chat last seen with a weak key, and loses nothing', async () => {
    await buildCustomerView(db, conv('whatsapp', 'title:Lina', { weakKey: true }), NOW);
    const ref = { site: 'whatsapp', threadKey: 'title:Lina' };
    await expect(linkConversation(db, ref, 'bo', NOW)).rejects.toThrow(/title/);
    const before = await db.customers.count();
    await expect(createCustomer(db, { conv: ref, fields: { name: 'Lina 2', phones: [] } as never }, NOW)).rejects.toThrow(/title/);
    expect(await db.customers.count()).toBe(before);
    // The bare-ref refresh shows the chat as unknown and weak.
    const view = await buildCustomerView(db, ref, NOW);
    expect(view).toMatchObject({ status: 'unknown', identity: { weakKey: true } });
  });

  it('links normally once the same chat is read with its real key', async () => {
    await buildCustomerView(db, conv('whatsapp', 'title:Lina', { weakKey: true }), NOW);
    const strong = await buildCustomerView(db, conv('whatsapp', '8613800138000@c.us', { phones: ['+8613800138000'] }), NOW);
    expect(strong.customer?.id).toBe('lina');
  });
});
