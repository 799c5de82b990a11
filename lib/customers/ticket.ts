// 工单 / 售后单 (issue 17): a complaint beside the chat filed as a ticket, where the strategy's
// ticket routes say (lib/strategy decideTicketTargets): the local CRM numbers it at once
// (SH20261206-001, status 新建); each remote connection gets an outbox entry (ticket.create), all
// in ONE transaction with the ticket row. Local tickets change status here.
import { LOCAL_CONNECTION_ID, linkSchema, ticketInputSchema, ticketSchema, type Connection, type Ticket, type TicketPlace, type TicketStatus, type TicketView } from '../model';
import type { LiaisonDb } from '../db/db';
import { findSpec } from '../crm/registry';
import type { CrmCapabilities, TicketCapabilities } from '../crm/spec';
import { allocateTicketNumber } from '../crm/local/ticket-number';
import { decideTicketTargets } from '../strategy/decide';
import { getStrategy } from '../strategy/schema';
import { refreshLink } from '../sync/link-state';
import { parseInput } from './fields';
import { outboxEntry, remoteConnections, supports } from './sync';
import { NotFoundError, ValidationError } from './errors';

/** A connection's ticket capabilities (spec.capabilities.tickets); a kind without a spec takes none. */
export type TicketsOf = (c: Connection) => TicketCapabilities | undefined;
export const ticketsOfSpec: TicketsOf = (c) => (findSpec(c.kind)?.capabilities as CrmCapabilities | undefined)?.tickets;

export interface CreateTicketOptions {
  by?: string;
  /** Overrides the registry's specs (CRMs not in the registry, tests). */
  ticketsOf?: TicketsOf;
}

const TABLES = (db: LiaisonDb) => [db.tickets, db.customers, db.links, db.outbox, db.connections, db.counters, db.kv, db.followUps, db.deals, db.reminders];

export async function createTicket(db: LiaisonDb, customerId: string, input: unknown, now: number, opts: CreateTicketOptions = {}): Promise<Ticket> {
  const i = parseInput(ticketInputSchema, input);
  const by = opts.by;
  const ticketsOf = opts.ticketsOf ?? ticketsOfSpec;
  const takesTickets = (c: Connection) => ticketsOf(c) !== undefined;
  const needsCustomer = (c: Connection) => ticketsOf(c)?.needsCustomer === true;
  return db.transaction('rw', TABLES(db), async () => {
    if (!(await db.customers.get(customerId))) throw new NotFoundError(`客户不存在 / no such customer: ${customerId}`);
    const remotes = await remoteConnections(db);
    const targets = decideTicketTargets(await getStrategy(db), { connections: remotes, category: i.category, takesTickets });
    const id = crypto.randomUUID();
    const places: TicketPlace[] = [];
    const entries = [];
    for (const target of targets) {
      if (target === LOCAL_CONNECTION_ID) {
        const number = await allocateTicketNumber(db, now);
        places.push({ connectionId: LOCAL_CONNECTION_ID, remoteId: number, remoteCode: number, status: '新建', readAt: now });
        continue;
      }
      const c = remotes.find((r) => r.id === target)!;
      places.push({ connectionId: c.id });
      let link = await db.links.get([customerId, c.id]);
      // A CRM that hangs tickets on a customer gets the customer first (like a follow-up waits for its create).
      if (!link && needsCustomer(c) && supports(c, 'createCustomer')) {
        await db.links.put(linkSchema.parse({ customerId, connectionId: c.id, syncState: 'pending' }));
        entries.push(outboxEntry('customer.create', { table: 'customers', id: customerId }, c.id, now));
        link = await db.links.get([customerId, c.id]);
      }
      const entry = outboxEntry('ticket.create', { table: 'tickets', id }, c.id, now);
      // Wait for the customer wherever it is there or on its way (its id rides along; a CRM that
      // needs one got its create above). A CRM that needs a customer it cannot be given is asked
      // anyway and refuses with its reason, shown beside the ticket, rather than waiting forever.
      entries.push({ ...entry, ...(link ? { waitsForCustomer: true } : {}) });
    }
    const row = ticketSchema.parse({
      id,
      customerId,
      subject: i.subject,
      description: i.description,
      category: i.category,
      priority: i.priority,
      status: '新建',
      createdAt: now,
      updatedAt: now,
      ...(by ? { by: by.slice(0, 100) } : {}),
      messageIds: i.messages.flatMap((m) => (m.id ? [m.id] : [])),
      messages: i.messages,
      places,
      remoteRefs: places.filter((p) => p.remoteId).map((p) => `${p.connectionId} ${p.remoteId}`),
    });
    await db.tickets.add(row);
    for (const e of entries) await db.outbox.add(e);
    for (const c of new Set(entries.map((e) => e.connectionId))) await refreshLink(db, customerId, c);
    return row;
  });
}

/** Statuses a user sets on a local ticket (新建 is where it starts; 待回复 belongs to the help desks). */
export const LOCAL_STATUS_CHOICES: readonly TicketStatus[] = ['新建', '处理中', '已解决', '已关闭'];

/** The user moves a local ticket on (处理中 / 已解决 / 已关闭). A remote ticket's status comes from its CRM. */
export async function setTicketStatus(db: LiaisonDb, customerId: string, ticketId: string, status: TicketStatus, now: number): Promise<Ticket> {
  if (!LOCAL_STATUS_CHOICES.includes(status)) throw new ValidationError(`本地工单不能设为 ${status} / a local ticket cannot be set to ${status}`);
  return db.transaction('rw', db.tickets, async () => {
    const t = await db.tickets.get(ticketId);
    if (!t || t.customerId !== customerId) throw new NotFoundError(`工单不存在 / no such ticket: ${ticketId}`);
    const i = t.places.findIndex((p) => p.connectionId === LOCAL_CONNECTION_ID);
    if (i < 0) throw new ValidationError('这张工单在外部系统中，状态以那里为准 / this ticket lives in another system: its status comes from there');
    const places = t.places.map((p, j) => (j === i ? { ...p, status, readAt: now } : p));
    const row = ticketSchema.parse({ ...t, status, places, updatedAt: now });
    await db.tickets.put(row);
    return row;
  });
}

/** A customer's tickets, newest first, each place with its connection's name and its create's sync state. */
export async function ticketViews(db: LiaisonDb, customerId: string, limit = 20): Promise<TicketView[]> {
  return db.transaction('r', [db.tickets, db.outbox, db.connections], async () => {
    const rows = await db.tickets.where('customerId').equals(customerId).reverse().sortBy('createdAt');
    const names = new Map((await db.connections.toArray()).map((c) => [c.id, c.name]));
    const out: TicketView[] = [];
    for (const t of rows.slice(0, limit)) {
      const entries = await db.outbox.where('[entity.table+entity.id]').equals(['tickets', t.id]).toArray();
      out.push({
        id: t.id,
        subject: t.subject,
        category: t.category,
        priority: t.priority,
        status: t.status,
        createdAt: t.createdAt,
        updatedAt: t.updatedAt,
        messageIds: t.messageIds,
        local: t.places.some((p) => p.connectionId === LOCAL_CONNECTION_ID),
        places: t.places.map((p) => {
          const mine = entries.filter((e) => e.connectionId === p.connectionId && e.op === 'ticket.create').sort((a, b) => b.createdAt - a.createdAt)[0];
          const sync = p.remoteId ? 'synced' : mine?.state === 'failed' ? 'failed' : 'pending';
          return {
            connectionId: p.connectionId,
            connectionName: names.get(p.connectionId) ?? p.connectionId,
            ...(p.remoteCode || p.remoteId ? { number: p.remoteCode ?? p.remoteId } : {}),
            ...(p.status ? { status: p.status } : {}),
            ...(p.vendorStatus ? { vendorStatus: p.vendorStatus } : {}),
            ...(p.url ? { url: p.url } : {}),
            ...(p.readAt !== undefined ? { readAt: p.readAt } : {}),
            ...(p.gone ? { gone: true } : {}),
            sync,
            ...(sync !== 'synced' && mine?.lastError ? { error: mine.lastError } : {}),
          };
        }),
      });
    }
    return out;
  });
}
