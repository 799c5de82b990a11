import { describe, expect, it } from 'vitest';
import { createCustomer } from '../../../lib/customers/create';
import { logFollowUp } from '../../../lib/customers/follow-up';
import { buildCustomerView } from '../../../lib/customers/view';
import type { Conversation } from '../../../lib/model';
import { useDb, at, connection } from './helpers';

const t = useDb();
const now = at(2026, 3, 5);

function chat(over: Partial<Conversation> = {}): Conversation {
  return {
    site: 'whatsapp',
    threadKey: 'thread-1',
    isGroup: false,
    contact: { displayName: 'Stranger', handles: { phones: [], emails: [] } },
    messages: [],
    ...over,
  };
}

describe('buildCustomerView', () => {
  it('an unknown conversation: status unknown, the observed identity, the form options', async () => {
    const { db } = t;
    const v = await buildCustomerView(db, chat({ contact: { displayName: 'Stranger', handles: { phones: ['+86 139 0013 9000'], emails: [] } } }), now);
    expect(v).toMatchObject({ status: 'unknown', site: 'whatsapp', threadKey: 'thread-1', links: [], followUps: [], deals: [] });
    expect(v.identity).toMatchObject({ displayName: 'Stranger', phones: ['+8613900139000'] });
    expect(v.customer).toBeUndefined();
    expect(v.options.stages[0]).toBe('新客户');
    // A bare-ref refresh of the same chat keeps the identity last observed.
    const again = await buildCustomerView(db, { site: 'whatsapp', threadKey: 'thread-1' }, now);
    expect(again.identity).toEqual(v.identity);
  });

  it('a known conversation: customer, links with connection names, follow-ups newest first (20), reminder', async () => {
    const { db } = t;
    await db.connections.add(connection({ id: 'hub', name: 'My HubSpot' }));
    const conv = { site: 'whatsapp', threadKey: 'thread-1' };
    const c = await createCustomer(db, { conv, fields: { name: '张三', nextFollowUpAt: now + 1000 } }, now);
    for (let i = 0; i < 25; i++) await logFollowUp(db, c.id, { method: '微信', content: `n${i}`, at: now - (25 - i) * 1000, nextAt: now + 1000 }, now);

    for (const input of [chat(), conv]) {
      const v = await buildCustomerView(db, input, now);
      expect(v.status).toBe('known');
      expect(v.customer?.id).toBe(c.id);
      expect(v.followUps).toHaveLength(20);
      expect(v.followUps[0]?.content).toBe('n24');
      expect(v.followUps[19]?.content).toBe('n5');
      expect(v.reminder).toMatchObject({ dueAt: now + 1000, state: 'due' });
      const byId = Object.fromEntries(v.links.map((l) => [l.connectionId, l]));
      expect(byId.local).toMatchObject({ kind: 'local', syncState: 'synced', remoteCode: c.code });
      expect(byId.hub).toMatchObject({ connectionName: 'My HubSpot', kind: 'hubspot', syncState: 'pending' });
    }
  });

  it('a mapping to a customer that no longer exists is unknown', async () => {
    const { db } = t;
    await db.identities.add({ site: 'whatsapp', key: 'thread-1', customerId: 'gone', createdAt: now });
    const v = await buildCustomerView(db, { site: 'whatsapp', threadKey: 'thread-1' }, now);
    expect(v.status).toBe('unknown');
    expect(v.identity.displayName).toBe('');
  });
});
