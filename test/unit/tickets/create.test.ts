// Tickets on the local CRM (issue 17): numbered SH{date}-{seq}, status 新建, the user moves
// them on; routed to a connection that takes tickets, an outbox entry instead.
import { afterEach, describe, expect, it } from 'vitest';
import { LiaisonDb } from '../../../lib/db/db';
import { createCustomer } from '../../../lib/customers/create';
import { createTicket, setTicketStatus, ticketViews } from '../../../lib/customers/ticket';
import { ensureLocalConnection } from '../../../lib/crm/local/bootstrap';
import { formatCustomerCode } from '../../../lib/crm/local/code-format';
import { LOCAL_CONNECTION_ID, type Connection } from '../../../lib/model';
import type { SyncEntry } from '../../../lib/sync/entry';
import { exportAll, importAll } from '../../../lib/customers/export';

const NOW = Date.UTC(2026, 11, 6, 3, 0, 0);
const TICKET = { subject: '收到的货坏了', description: '客户消息：\n> 收到的货坏了，我要投诉', category: '售后', priority: '高', messages: [{ id: 'm1', at: NOW - 1000, from: 'customer', text: '收到的货坏了，我要投诉' }] } as const;
const caps = { noun: { zh_CN: '工单', en: 'Ticket' }, read: true, comments: false, needsCustomer: false };

let db: LiaisonDb;
afterEach(async () => {
  await db?.delete();
});

async function setup(remotes: Partial<Connection>[] = []) {
  db = new LiaisonDb('tickets-' + crypto.randomUUID());
  await ensureLocalConnection(db, 0);
  for (const r of remotes) await db.connections.put({ id: 'x', kind: 'fake', name: 'Desk', enabled: true, settings: {}, createdAt: 0, ...r } as Connection);
  const customer = await createCustomer(db, { fields: { name: '王芳', phones: ['13800138000'] } }, NOW);
  return customer;
}

describe('tickets on the local CRM', () => {
  it('numbers a ticket for the day and starts it at 新建, with no outbox entry', async () => {
    const c = await setup();
    const first = await createTicket(db, c.id, TICKET, NOW);
    const second = await createTicket(db, c.id, { ...TICKET, subject: '又坏了' }, NOW + 1);
    const day = formatCustomerCode('SH{YYYY}{MM}{DD}-{seq:3}', new Date(NOW), 1);
    expect(first.places).toEqual([{ connectionId: LOCAL_CONNECTION_ID, remoteId: day, remoteCode: day, status: '新建', readAt: NOW }]);
    expect(day).toMatch(/^SH2026120[56]-001$/);
    expect(second.places[0]?.remoteCode).toBe(day.replace(/001$/, '002'));
    expect(first).toMatchObject({ status: '新建', category: '售后', priority: '高', messageIds: ['m1'], remoteRefs: [`local ${day}`] });
    expect((await db.outbox.toArray()).filter((e) => e.op === 'ticket.create').length).toBe(0);
  });

  it('refuses a ticket without a subject, and one for a customer that does not exist', async () => {
    const c = await setup();
    await expect(createTicket(db, c.id, { ...TICKET, subject: '  ' }, NOW)).rejects.toThrow(/subject/);
    await expect(createTicket(db, 'nobody', TICKET, NOW)).rejects.toThrow(/no such customer/);
    expect(await db.tickets.count()).toBe(0);
  });

  it('lets the user move a local ticket to 处理中 and 已解决, not to 待回复', async () => {
    const c = await setup();
    const tk = await createTicket(db, c.id, TICKET, NOW);
    const moved = await setTicketStatus(db, c.id, tk.id, '处理中', NOW + 5);
    expect(moved).toMatchObject({ status: '处理中', updatedAt: NOW + 5 });
    expect(moved.places[0]).toMatchObject({ status: '处理中' });
    await expect(setTicketStatus(db, c.id, tk.id, '待回复', NOW + 6)).rejects.toThrow(/待回复/);
    await expect(setTicketStatus(db, 'other', tk.id, '已解决', NOW + 6)).rejects.toThrow(/no such ticket/);
    const [view] = await ticketViews(db, c.id);
    expect(view).toMatchObject({ status: '处理中', local: true, places: [{ connectionName: '本地 CRM', number: tk.places[0]!.remoteCode, status: '处理中', sync: 'synced' }] });
  });
});

describe('tickets routed to a connection that takes tickets', () => {
  it('queues ticket.create there instead of numbering it locally; the view shows it waiting', async () => {
    const c = await setup([{}]);
    const tk = await createTicket(db, c.id, TICKET, NOW, { ticketsOf: (conn) => (conn.kind === 'fake' ? caps : undefined) });
    expect(tk.places).toEqual([{ connectionId: 'x' }]);
    const entries = (await db.outbox.toArray()).filter((e) => e.op === 'ticket.create') as SyncEntry[];
    expect(entries).toHaveLength(1);
    // The customer is on its way there (created with it): the ticket waits for its id.
    expect(entries[0]).toMatchObject({ connectionId: 'x', entity: { table: 'tickets', id: tk.id }, state: 'pending', waitsForCustomer: true });
    const [view] = await ticketViews(db, c.id);
    expect(view).toMatchObject({ local: false, places: [{ connectionId: 'x', connectionName: 'Desk', sync: 'pending' }] });
    expect(view!.places[0]).not.toHaveProperty('number');
    await expect(setTicketStatus(db, c.id, tk.id, '已关闭', NOW)).rejects.toThrow(/another system/);
  });

  it('files on the local CRM when no enabled connection takes tickets', async () => {
    const c = await setup([{ enabled: false }]);
    const tk = await createTicket(db, c.id, TICKET, NOW, { ticketsOf: () => caps });
    expect(tk.places.map((p) => p.connectionId)).toEqual([LOCAL_CONNECTION_ID]);
  });
});

describe('tickets in a backup', () => {
  it('are exported and imported with the rest, and a backup made before tickets still imports', async () => {
    const c = await setup();
    const tk = await createTicket(db, c.id, TICKET, NOW);
    const { json, counts } = await exportAll(db, NOW);
    expect(counts.tickets).toBe(1);
    const other = new LiaisonDb('tickets-' + crypto.randomUUID());
    try {
      await importAll(other, json, 'replace', NOW);
      expect(await other.tickets.get(tk.id)).toEqual(tk);
      const old = JSON.parse(json) as { tables: Record<string, unknown> };
      delete old.tables.tickets;
      await importAll(other, JSON.stringify(old), 'replace', NOW);
      expect(await other.tickets.count()).toBe(0);
      expect(await other.customers.get(c.id)).toBeDefined();
    } finally {
      await other.delete();
    }
  });
});
