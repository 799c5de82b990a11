// Tickets' status read back (issue 17): getTicket for open tickets whose status is older than
// the stale time, the vendor's word kept beside ours, a ticket the CRM lost marked gone, a
// closed one not read again; and the team's chat-open read and periodic pull.
import { afterEach, describe, expect, it } from 'vitest';
import { createCustomer } from '../../../lib/customers/create';
import { createTicket } from '../../../lib/customers/ticket';
import { CrmError } from '../../../lib/crm/port';
import type { TicketCapabilities } from '../../../lib/crm/spec';
import { pullTickets, TICKET_STALE_MS } from '../../../lib/sync/ticket-pull';
import { createTeam } from '../../../lib/sync/team';
import { CONN, drive, rig, type Rig } from '../sync/helpers';
import { FakeTicketCrm } from './fake-ticket-crm';

const TICKET = { subject: '退款还没到', description: '', category: '售后', priority: '中' } as const;
const CAPS: TicketCapabilities = { noun: { zh_CN: '工单', en: 'Ticket' }, read: true, comments: false, needsCustomer: false };

let current: Rig | undefined;
afterEach(async () => {
  await current?.db.delete();
  current = undefined;
});

async function filed(n = 1) {
  const r = await rig({ mode: 'key' });
  current = r;
  const desk = new FakeTicketCrm(r.crm, CAPS);
  const customer = await createCustomer(r.db, { fields: { name: '李雷', phones: ['13900139000'] } }, r.clock.now());
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await createTicket(r.db, customer.id, { ...TICKET, subject: `${TICKET.subject} ${i}` }, r.clock.now(), { ticketsOf: () => CAPS })).id);
  await drive(r, r.worker({ adapterFor: () => desk.adapter() }));
  const connection = (await r.db.connections.get(CONN))!;
  const deps = { db: r.db, connection, adapter: desk.adapter(), now: r.clock.now };
  return { r, desk, customer, ids, deps };
}

describe('pullTickets', () => {
  it('reads the status of open tickets older than the stale time, with the vendor’s word', async () => {
    const { r, desk, customer, ids, deps } = await filed(2);
    desk.tickets[0]!.status = '待回复';
    desk.tickets[0]!.vendorStatus = 'Waiting on contact';
    // Just created (status read with the create's reply): nothing is stale yet.
    expect(await pullTickets(deps, { customerId: customer.id, staleMs: TICKET_STALE_MS })).toEqual({ read: 0, changed: 0, gone: 0 });
    r.clock.advance(TICKET_STALE_MS + 1);
    const report = await pullTickets(deps, { customerId: customer.id, staleMs: TICKET_STALE_MS });
    expect(report).toEqual({ read: 2, changed: 2, gone: 0 });
    const local = async (remoteId: string) => (await r.db.tickets.where('remoteRefs').equals(`${CONN} ${remoteId}`).first())!;
    const t0 = await local(desk.tickets[0]!.remoteId);
    expect(t0).toMatchObject({ status: '待回复', updatedAt: r.clock.now() });
    expect(t0.places[0]).toMatchObject({ status: '待回复', vendorStatus: 'Waiting on contact', readAt: r.clock.now() });
    expect((await local(desk.tickets[1]!.remoteId)).status).toBe('新建');
    expect(new Set(ids)).toEqual(new Set([t0.id, (await local(desk.tickets[1]!.remoteId)).id]));
  });

  it('marks a ticket the CRM no longer has as gone, and reads neither it nor a closed one again', async () => {
    const { r, desk, ids, deps } = await filed(2);
    const [deleted, closed] = desk.tickets.splice(0, 2);
    desk.tickets.push({ ...closed!, status: '已关闭', vendorStatus: 'closed' });
    r.clock.advance(TICKET_STALE_MS + 1);
    expect(await pullTickets(deps, { staleMs: TICKET_STALE_MS })).toEqual({ read: 2, changed: 2, gone: 1 });
    const local = async (remoteId: string) => (await r.db.tickets.where('remoteRefs').equals(`${CONN} ${remoteId}`).first())!;
    expect((await local(deleted!.remoteId)).places[0]).toMatchObject({ gone: true });
    expect((await local(closed!.remoteId)).status).toBe('已关闭');
    expect(ids).toHaveLength(2);
    r.clock.advance(TICKET_STALE_MS + 1);
    desk.reads.length = 0;
    expect(await pullTickets(deps, { staleMs: 0 })).toEqual({ read: 0, changed: 0, gone: 0 });
    expect(desk.reads).toEqual([]);
  });

  it('stops at the first failure and says why; the rest wait for the next pull', async () => {
    const { r, desk, deps } = await filed(2);
    desk.readFault = new CrmError('retryable', 'HTTP 503: unavailable');
    r.clock.advance(TICKET_STALE_MS + 1);
    const report = await pullTickets(deps, { staleMs: TICKET_STALE_MS });
    expect(report).toEqual({ read: 0, changed: 0, gone: 0, error: 'retryable: HTTP 503: unavailable' });
    expect(await pullTickets(deps, { staleMs: TICKET_STALE_MS })).toMatchObject({ read: 2 });
  });

  it('the team reads a customer’s tickets when the chat opens (older than 60 s) and on the periodic pull, and says so', async () => {
    const { r, desk, customer, ids } = await filed(1);
    const changed: string[][] = [];
    const team = createTeam({ db: r.db, now: r.clock.now, adapterFor: () => desk.adapter(), changed: async (t) => void changed.push(t), kick: () => undefined });
    desk.tickets[0]!.status = '处理中';
    desk.tickets[0]!.vendorStatus = 'open';
    await team.pullIfStale(customer.id);
    expect(desk.reads).toEqual([]); // read at create, under a minute ago
    r.clock.advance(TICKET_STALE_MS + 1);
    await team.pullIfStale(customer.id);
    expect(desk.reads).toEqual(['t1']);
    expect((await r.db.tickets.get(ids[0]!))?.places[0]).toMatchObject({ status: '处理中', vendorStatus: 'open' });
    expect(changed).toContainEqual(['tickets']);
    desk.tickets[0]!.status = '已解决';
    r.clock.advance(TICKET_STALE_MS + 1);
    await team.pullAll();
    expect((await r.db.tickets.get(ids[0]!))?.status).toBe('已解决');
  });
});
