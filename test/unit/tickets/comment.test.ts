// A follow-up about a ticket (关联工单) posted as a comment where the ticket lives
// (ticket.comment): sent once the ticket has its number there, with its own idempotency key
// (a lost reply retried makes one comment), not also sent to that connection as a customer
// follow-up; a ticket of another customer is refused.
import { afterEach, describe, expect, it } from 'vitest';
import { createCustomer } from '../../../lib/customers/create';
import { logFollowUp } from '../../../lib/customers/follow-up';
import { createTicket } from '../../../lib/customers/ticket';
import { CrmError, type CrmAdapter } from '../../../lib/crm/port';
import type { TicketCapabilities } from '../../../lib/crm/spec';
import type { FollowUp } from '../../../lib/model';
import type { SyncEntry } from '../../../lib/sync/entry';
import { CONN, drive, rig, type Rig } from '../sync/helpers';
import { FakeTicketCrm } from './fake-ticket-crm';

const TICKET = { subject: '空调又坏了', description: '客户消息', category: '售后', priority: '高', messages: [] } as const;
const CAPS: TicketCapabilities = { noun: { zh_CN: '工单', en: 'Ticket' }, read: true, comments: true, needsCustomer: false };

let current: Rig | undefined;
afterEach(async () => {
  await current?.db.delete();
  current = undefined;
});

async function setup(caps = CAPS) {
  const r = await rig({ mode: 'key' });
  current = r;
  const desk = new FakeTicketCrm(r.crm, caps);
  const comments: { ticket: string; key: string; content: string }[] = [];
  let loseNext = false;
  const adapter = (): CrmAdapter => ({
    ...desk.adapter(),
    addTicketComment: async (ticket: string, f: FollowUp, { idempotencyKey }) => {
      await Promise.resolve();
      if (!comments.some((c) => c.key === idempotencyKey)) comments.push({ ticket, key: idempotencyKey, content: f.content });
      if (loseNext) {
        loseNext = false;
        throw new CrmError('unknown-outcome', 'connection reset after send');
      }
      return { remoteId: `c${comments.length}` };
    },
  });
  const ticketsOf = () => caps;
  const customer = await createCustomer(r.db, { fields: { name: '王芳', phones: ['13800138000'] } }, r.clock.now());
  const worker = r.worker({ adapterFor: (c) => (c.id === CONN ? adapter() : undefined) });
  const ticket = await createTicket(r.db, customer.id, TICKET, r.clock.now(), { ticketsOf });
  const log = (content: string, ticketId: string | undefined = ticket.id) =>
    logFollowUp(r.db, customer.id, { method: '电话', content, ...(ticketId ? { ticketId } : {}) }, r.clock.now(), undefined, { ticketsOf });
  return { r, desk, customer, worker, ticket, log, comments, loseNextReply: () => (loseNext = true) };
}
const entries = async (r: Rig, op: string) => ((await r.db.outbox.toArray()) as SyncEntry[]).filter((e) => e.op === op);

describe('ticket.comment', () => {
  it('waits for the ticket’s number, then comments on it; no customer follow-up to the same CRM', async () => {
    const { r, desk, worker, ticket, log, comments } = await setup();
    // Logged before the ticket's create ran: the comment waits for it instead of failing.
    const f = await log('已安排师傅周四上门');
    expect((await r.db.followUps.get(f.id))?.ticketId).toBe(ticket.id);
    expect((await entries(r, 'ticket.comment')).map((e) => [e.connectionId, e.ticketId, e.state])).toEqual([[CONN, ticket.id, 'pending']]);
    expect(await entries(r, 'followUp.create')).toEqual([]);
    await drive(r, worker);
    expect(desk.tickets).toHaveLength(1);
    expect(comments).toEqual([{ ticket: desk.tickets[0]!.remoteId, key: (await entries(r, 'ticket.comment'))[0]!.idempotencyKey, content: '已安排师傅周四上门' }]);
    expect((await entries(r, 'ticket.comment'))[0]).toMatchObject({ state: 'done' });
    expect((await r.db.followUps.get(f.id))?.remoteRefs).toEqual([`${CONN} c1`]);
    // An ordinary follow-up still goes to the customer's CRM as one.
    await log('客户问了价格', '');
    expect(await entries(r, 'followUp.create')).toHaveLength(1);
  });

  it('a lost reply is retried with the same key: one comment', async () => {
    const { r, worker, log, comments, loseNextReply } = await setup();
    await drive(r, worker); // the ticket first
    loseNextReply();
    await log('客户确认已修好');
    await drive(r, worker);
    expect(comments.map((c) => c.content)).toEqual(['客户确认已修好']);
    expect((await entries(r, 'ticket.comment'))[0]).toMatchObject({ state: 'done' });
  });

  it('where the ticket system takes no comments, the follow-up goes to the CRM as a follow-up', async () => {
    const { r, log } = await setup({ ...CAPS, comments: false });
    await log('回访完成');
    expect(await entries(r, 'ticket.comment')).toEqual([]);
    expect(await entries(r, 'followUp.create')).toHaveLength(1);
  });

  it('refuses another customer’s ticket, writing nothing', async () => {
    const { r, log } = await setup();
    const other = await createCustomer(r.db, { fields: { name: '李雷', phones: [] } }, r.clock.now());
    const theirs = await createTicket(r.db, other.id, TICKET, r.clock.now(), { ticketsOf: () => CAPS });
    const before = await r.db.followUps.count();
    await expect(log('x', theirs.id)).rejects.toThrow(/not a ticket of this customer/);
    expect(await r.db.followUps.count()).toBe(before);
  });
});
