// ticket.create through the outbox worker (issue 17): the TicketInput sent, the place recorded
// (number, status), waiting for the customer's create where the CRM hangs tickets on a
// customer, and the same idempotency key on the retry after a lost reply (one ticket, not two).
import { afterEach, describe, expect, it } from 'vitest';
import { createCustomer } from '../../../lib/customers/create';
import { createTicket, ticketViews } from '../../../lib/customers/ticket';
import type { TicketCapabilities } from '../../../lib/crm/spec';
import type { SyncEntry } from '../../../lib/sync/entry';
import { CONN, drive, rig, type Rig } from '../sync/helpers';
import { FakeTicketCrm } from './fake-ticket-crm';

const TICKET = {
  subject: '收到的货坏了',
  description: '客户消息：\n> 收到的货坏了，我要投诉',
  category: '售后',
  priority: '高',
  messages: [{ id: 'm1', at: 1, from: 'customer', text: '收到的货坏了，我要投诉' }],
} as const;
const CAPS: TicketCapabilities = { noun: { zh_CN: '工单', en: 'Ticket' }, read: true, comments: false, needsCustomer: false };

let current: Rig | undefined;
afterEach(async () => {
  await current?.db.delete();
  current = undefined;
});

async function setup(caps: TicketCapabilities, opts: { linked: boolean }) {
  const r = await rig({ mode: 'key', connection: { enabled: opts.linked } });
  current = r;
  const desk = new FakeTicketCrm(r.crm, caps);
  // Not linked: the customer was created while the connection was off, so it is not in that CRM.
  const customer = await createCustomer(r.db, { fields: { name: '王芳', phones: ['13800138000'], email: 'wf@example.com' } }, r.clock.now());
  if (!opts.linked) await r.db.connections.update(CONN, { enabled: true });
  const worker = r.worker({ adapterFor: (c) => (c.id === CONN ? desk.adapter() : undefined) });
  const file = () => createTicket(r.db, customer.id, TICKET, r.clock.now(), { ticketsOf: (c) => (c.id === CONN ? caps : undefined) });
  return { r, desk, customer, worker, file };
}
const ticketEntries = async (r: Rig) => ((await r.db.outbox.toArray()) as SyncEntry[]).filter((e) => e.op === 'ticket.create');

describe('ticket.create in the outbox', () => {
  it('sends the ticket with the customer, its id there and the messages, and records the number and status', async () => {
    const { r, desk, customer, worker, file } = await setup(CAPS, { linked: true });
    const tk = await file();
    await drive(r, worker);
    expect(desk.tickets).toHaveLength(1);
    const sent = desk.tickets[0]!.input;
    const remoteCustomerId = (await r.db.links.get([customer.id, CONN]))?.remoteId;
    expect(remoteCustomerId).toBeDefined();
    expect(sent).toEqual({
      subject: '收到的货坏了',
      description: TICKET.description,
      category: '售后',
      priority: '高',
      customer: { id: customer.id, name: '王芳', phones: ['+8613800138000'], email: 'wf@example.com', code: customer.code },
      remoteCustomerId,
      messages: [{ at: 1, from: 'customer', text: '收到的货坏了，我要投诉' }],
    });
    const row = await r.db.tickets.get(tk.id);
    expect(row?.places).toEqual([{ connectionId: CONN, remoteId: 't1', remoteCode: '#101', status: '新建', vendorStatus: 'new', readAt: r.clock.now() }]);
    expect(row?.remoteRefs).toEqual([`${CONN} t1`]);
    expect((await ticketEntries(r))[0]).toMatchObject({ state: 'done' });
    expect(r.changed.flat()).toContain('tickets');
    const [view] = await ticketViews(r.db, customer.id);
    expect(view?.places[0]).toMatchObject({ number: '#101', status: '新建', vendorStatus: 'new', sync: 'synced', connectionName: 'Fake CRM' });
  });

  it('where the CRM needs a customer and it is not there yet, creates the customer first and waits for its id', async () => {
    const { r, desk, customer, worker, file } = await setup({ ...CAPS, needsCustomer: true }, { linked: false });
    expect(await r.db.links.get([customer.id, CONN])).toBeUndefined();
    await file();
    // The customer's create was queued with the ticket, and the ticket waits for it.
    expect(await r.db.links.get([customer.id, CONN])).toMatchObject({ syncState: 'pending' });
    expect((await ticketEntries(r))[0]).toMatchObject({ waitsForCustomer: true });
    // The customer's create fails once: the ticket must not go out meanwhile.
    r.crm.failNext(1, 'retryable');
    await worker.runOnce();
    expect(desk.creates).toHaveLength(0);
    expect((await ticketEntries(r))[0]).toMatchObject({ state: 'pending' });
    await drive(r, worker);
    const remoteId = (await r.db.links.get([customer.id, CONN]))?.remoteId;
    expect(remoteId).toBeDefined();
    expect(desk.creates).toEqual([{ key: (await ticketEntries(r))[0]!.idempotencyKey, remoteCustomerId: remoteId }]);
    expect(desk.tickets).toHaveLength(1);
    expect(r.crm.customers).toHaveLength(1);
  });

  it('goes without waiting where the CRM takes the customer as text and the customer is not there', async () => {
    const { r, desk, customer, worker, file } = await setup(CAPS, { linked: false });
    await file();
    expect((await ticketEntries(r))[0]?.waitsForCustomer).toBeUndefined();
    await drive(r, worker);
    expect(desk.creates).toHaveLength(1);
    expect(desk.creates[0]?.remoteCustomerId).toBeUndefined();
    // No customer was created there for it.
    expect(r.crm.customers).toHaveLength(0);
    expect(await r.db.links.get([customer.id, CONN])).toBeUndefined();
  });

  it('retries a lost reply with the same idempotency key: one ticket at the CRM, its number recorded', async () => {
    const { r, desk, worker, file } = await setup(CAPS, { linked: true });
    const tk = await file();
    desk.loseNextReply = true;
    await drive(r, worker);
    expect(desk.creates.length).toBe(2);
    expect(new Set(desk.creates.map((c) => c.key)).size).toBe(1);
    expect(desk.creates[0]!.key).toBe((await ticketEntries(r))[0]!.idempotencyKey);
    expect(desk.tickets).toHaveLength(1);
    expect((await r.db.tickets.get(tk.id))?.places[0]).toMatchObject({ remoteId: 't1', remoteCode: '#101' });
    expect((await ticketEntries(r))[0]).toMatchObject({ state: 'done', attempts: 1 });
  });

  it('a worker killed while the CRM holds the ticket: the claim expires, the same key goes again, one ticket', async () => {
    const { r, desk, worker, file } = await setup(CAPS, { linked: true });
    await drive(r, worker); // the customer first
    const tk = await file();
    desk.hangNext = true;
    const life = new AbortController();
    const doomed = r.worker({ signal: life.signal, adapterFor: () => desk.adapter() }).runOnce();
    // Killed once the CRM holds the call.
    for (let i = 0; i < 200 && desk.creates.length === 0; i++) await new Promise((res) => setTimeout(res, 10));
    life.abort();
    expect((await doomed).stoppedBy).toBe('stopped');
    expect((await ticketEntries(r))[0]).toMatchObject({ state: 'inflight' });
    expect(desk.tickets).toHaveLength(1); // committed there, reply never came
    r.clock.advance(61_000);
    await drive(r, worker);
    expect(desk.creates).toHaveLength(2);
    expect(desk.creates[1]!.key).toBe(desk.creates[0]!.key);
    expect(desk.tickets).toHaveLength(1);
    expect((await ticketEntries(r))[0]).toMatchObject({ state: 'done' });
    expect((await r.db.tickets.get(tk.id))?.places[0]).toMatchObject({ remoteId: 't1', remoteCode: '#101' });
  });

  it('fails for good, with the reason beside the ticket, when the CRM refuses it', async () => {
    const { r, desk, customer, worker, file } = await setup({ ...CAPS, needsCustomer: true }, { linked: true });
    await file();
    // The CRM lost the customer: it refuses the ticket as invalid.
    await drive(r, worker);
    desk.crm.customers.splice(0);
    r.clock.advance(1000); // newest first
    await file();
    await drive(r, worker);
    const views = await ticketViews(r.db, customer.id);
    expect(views[0]?.places[0]).toMatchObject({ sync: 'failed', error: expect.stringContaining('a ticket needs a customer') });
    expect(views[1]?.places[0]).toMatchObject({ sync: 'synced', number: '#101' });
  });
});
