// 工单 / 售后单 (issue 17), from the sidebar beside the chat: file a ticket, list the customer's
// tickets with their numbers and live status, move a local ticket on.
import { z } from 'zod';
import { ticketInputSchema, ticketSchema, TICKET_STATUSES, type TicketView } from '../../model';
import { def } from '../define';
import { lazySchema } from '../../model/lazy-schema';

const page = ['page'] as const;
const id = lazySchema(() => z.string().min(1).max(100));
const convRef = lazySchema(() => z.object({ site: z.string().min(1).max(50), threadKey: z.string().min(1).max(300) }));
/** Background-produced replies: typed, not re-validated on the way to the page. */
const reply = <T>() => z.custom<T>(() => true);

export const ticketMessages = {
  /** 创建售后单: filed where the strategy's ticket routes say (the local CRM numbers it at once; CRMs through the outbox). */
  'ticket.create': def(page, () => z.object({ conv: convRef.optional(), customerId: id, ticket: ticketInputSchema }), () => z.object({ ticket: ticketSchema })),
  /** The customer's tickets, newest first: number, status (the vendor's word beside ours), where each lives. */
  'ticket.list': def(page, () => z.object({ conv: convRef.optional(), customerId: id }), () => reply<{ tickets: TicketView[] }>()),
  /** A local ticket's status (处理中 / 已解决 / 已关闭); remote tickets' status comes from their CRM. */
  'ticket.setStatus': def(page, () => z.object({ conv: convRef.optional(), customerId: id, ticketId: id, status: z.enum(TICKET_STATUSES) }), () => z.object({ ticket: ticketSchema })),
};
