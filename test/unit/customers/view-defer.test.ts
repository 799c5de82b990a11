// Issue 19: a new chat's sidebar is answered before the first sight's writes (the chat → customer
// mapping, the observed identity); the caller runs them after. Nothing is lost, and the next view
// of the chat is a mapping hit.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LiaisonDb } from '../../../lib/db/db';
import type { Conversation, Customer } from '../../../lib/model';
import { buildCustomerView } from '../../../lib/customers/view';
import { observedKey, resolveConversation } from '../../../lib/identity/resolve';

const NOW = 1_790_000_000_000;

const zhang: Customer = { id: 'zhang', code: 'KH-1', name: '张三', phones: ['+8613800138000'], stage: '新客户', tags: [], createdAt: 1, updatedAt: 1, searchKeys: [] };

function conv(threadKey: string): Conversation {
  return { site: 'whatsapp', threadKey, isGroup: false, contact: { displayName: '张三', handles: { phones: ['138 0013 8000'], emails: [] } }, messages: [] };
}

describe('answer first, write after', () => {
  let db: LiaisonDb;
  let n = 0;
  beforeEach(async () => {
    db = new LiaisonDb(`view-defer-${++n}`);
    await db.customers.put(zhang);
  });
  afterEach(async () => {
    await db.delete();
  });

  it('shows the phone match before the mapping is written, and the deferred writes record it', async () => {
    const writes: (() => Promise<unknown>)[] = [];
    const view = await buildCustomerView(db, conv('t1'), NOW, { defer: (w) => writes.push(w) });
    expect(view).toMatchObject({ status: 'known', customer: { id: 'zhang' } });
    expect(writes).toHaveLength(2); // the mapping and the observed identity
    expect(await db.identities.get(['whatsapp', 't1'])).toBeUndefined();
    expect(await db.kv.get(observedKey({ site: 'whatsapp', threadKey: 't1' }))).toBeUndefined();

    await Promise.all(writes.map((w) => w()));
    expect(await db.identities.get(['whatsapp', 't1'])).toEqual({ site: 'whatsapp', key: 't1', customerId: 'zhang', createdAt: NOW });
    expect((await db.kv.get(observedKey({ site: 'whatsapp', threadKey: 't1' })))?.value).toMatchObject({ phones: ['+8613800138000'] });
    const again = await resolveConversation(db, conv('t1'), { now: NOW, defer: () => expect.unreachable('a mapped chat writes nothing') });
    expect(again).toMatchObject({ customerId: 'zhang', matchedBy: ['mapping'] });
  });

  it('a deferred write never replaces the link the user made in between', async () => {
    await db.customers.put({ ...zhang, id: 'other', code: 'KH-2', name: '别人', phones: [] });
    const writes: (() => Promise<unknown>)[] = [];
    const r = await resolveConversation(db, conv('t2'), { now: NOW, defer: (w) => writes.push(w) });
    expect(r).toMatchObject({ customerId: 'zhang', autoLinked: true });
    await db.identities.put({ site: 'whatsapp', key: 't2', customerId: 'other', createdAt: NOW }); // the user's choice
    await Promise.all(writes.map((w) => w()));
    expect((await db.identities.get(['whatsapp', 't2']))?.customerId).toBe('other');
  });

  it('a crash between answer and write costs only a repeat lookup: the same answer again', async () => {
    const first = await resolveConversation(db, conv('t3'), { now: NOW, defer: () => undefined }); // writes dropped
    const second = await resolveConversation(db, conv('t3'), { now: NOW });
    expect(second).toMatchObject({ customerId: first.customerId, autoLinked: true });
    expect((await db.identities.get(['whatsapp', 't3']))?.customerId).toBe('zhang');
  });
});
