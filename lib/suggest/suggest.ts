// From what was understood to what the sidebar offers, as a pure function of the understood
// conversation and the customer's current state, so an accepted suggestion disappears on the
// next view (a deal exists, the time is set, the messages are logged) without extra bookkeeping.
import type { Customer, Deal } from '../model';
import type { FollowUpPrefill, Suggestion, TicketPrefill } from './schema';

/** The compact understanding kept per conversation (memory + kv): no transcripts unless allowed. */
export interface Understood {
  site: string;
  threadKey: string;
  customerId: string;
  at: number;
  buying?: { product?: string; amount?: number; amountText?: string; term: string; messageId: string };
  complaint?: { kind: 'complaint' | 'after-sales'; term: string; messageId: string; ticket?: TicketPrefill };
  next?: { at: number; text: string; messageId: string };
  /** The one-click follow-up for the recent non-noise messages. */
  draft?: FollowUpPrefill;
  summarySource: 'extractive' | 'llm';
}

export interface SuggestContext {
  customer: Customer;
  deals: readonly Deal[];
  logged: ReadonlySet<string>;
  /** Message ids a ticket was already filed from (the complaint is answered). */
  ticketed?: ReadonlySet<string>;
  now: number;
  autoLogActive: boolean;
}

export function buildSuggestions(u: Understood, ctx: SuggestContext): Suggestion[] {
  const out: Suggestion[] = [];
  if (u.buying) {
    const b = u.buying;
    // An open deal for the same product (or any open deal when no product was named) answers it.
    const open = ctx.deals.some((d) => d.status === '进行中' && (!b.product || d.product === b.product));
    if (!open) {
      out.push({
        kind: 'deal',
        id: `deal:${b.messageId}`,
        term: b.term,
        ...(b.product ? { product: b.product } : {}),
        ...(b.amount !== undefined ? { amount: b.amount } : {}),
        ...(b.amountText ? { amountText: b.amountText } : {}),
      });
    }
  }
  if (u.next && u.next.at > ctx.now && ctx.customer.nextFollowUpAt !== u.next.at) {
    out.push({ kind: 'next', id: `next:${u.next.messageId}:${u.next.at}`, at: u.next.at, text: u.next.text });
  }
  if (u.complaint && !ctx.logged.has(u.complaint.messageId) && !ctx.ticketed?.has(u.complaint.messageId) && u.draft) {
    out.push({
      kind: 'ticket',
      id: `ticket:${u.complaint.messageId}`,
      complaintKind: u.complaint.kind,
      term: u.complaint.term,
      followUp: { ...u.draft, nextAction: '处理售后工单', messageIds: u.draft.messageIds.filter((id) => !ctx.logged.has(id)) },
      ...(u.complaint.ticket ? { ticket: u.complaint.ticket } : {}),
    });
  }
  if (!ctx.autoLogActive && u.draft && !out.some((s) => s.kind === 'ticket')) {
    const ids = u.draft.messageIds.filter((id) => !ctx.logged.has(id));
    if (ids.length) out.push({ kind: 'log', id: `log:${ids.at(-1)}`, followUp: { ...u.draft, messageIds: ids } });
  }
  return out;
}
