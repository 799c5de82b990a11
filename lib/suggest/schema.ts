// What the sidebar is offered from message understanding (CustomerView.suggestions). Imports
// model enums directly (not ../model) so lib/model/views.ts can import this without a cycle.
import { z } from 'zod';
import { FOLLOW_UP_METHODS, FOLLOW_UP_RESULTS, TICKET_CATEGORIES, TICKET_PRIORITIES } from '../model/enums';
import { lazySchema } from '../model/lazy-schema';

const time = lazySchema(() => z.number().int().nonnegative());

/** A follow-up ready to save with one click: the same record auto-logging would write. */
export const followUpPrefillSchema = lazySchema(() => z.object({
  method: z.enum(FOLLOW_UP_METHODS),
  content: z.string().max(10_000),
  result: z.enum(FOLLOW_UP_RESULTS).optional(),
  nextAction: z.string().max(500).optional(),
  nextAt: time.optional(),
  messageIds: z.array(z.string().max(400)).max(1000),
}));
export type FollowUpPrefill = z.infer<typeof followUpPrefillSchema>;

/** The 创建售后单 form's draft (lib/suggest/ticket-prefill.ts). */
export const ticketPrefillSchema = lazySchema(() => z.object({
  subject: z.string().max(300),
  description: z.string().max(10_000),
  category: z.enum(TICKET_CATEGORIES),
  priority: z.enum(TICKET_PRIORITIES),
  messages: z.array(z.object({ id: z.string().max(300).optional(), at: time, from: z.enum(['customer', 'me']), text: z.string().max(2000) })).max(50),
}));
export type TicketPrefill = z.infer<typeof ticketPrefillSchema>;

export const suggestionSchema = lazySchema(() => z.discriminatedUnion('kind', [
  /** 客户询价：经营贷 50万 — 创建成交? */
  z.object({
    kind: z.literal('deal'),
    id: z.string(),
    product: z.string().max(100).optional(),
    amount: z.number().nonnegative().optional(),
    /** The amount as the customer wrote it (50万). */
    amountText: z.string().max(50).optional(),
    /** The buying term that was understood (利率, 报价). */
    term: z.string().max(50),
  }),
  /** 下次跟进：明天 15:00? */
  z.object({ kind: z.literal('next'), id: z.string(), at: time, text: z.string().max(100) }),
  /**
   * Complaint or after-sales request → 创建售后单 (the prefilled ticket form; `ticket`), or, where
   * no draft could be made, the follow-up with nextAction 处理售后工单.
   */
  z.object({
    kind: z.literal('ticket'),
    id: z.string(),
    complaintKind: z.enum(['complaint', 'after-sales']),
    term: z.string().max(50),
    followUp: followUpPrefillSchema,
    ticket: ticketPrefillSchema.optional(),
  }),
  /** Auto-logging is off: the record it would write, for one click. */
  z.object({ kind: z.literal('log'), id: z.string(), followUp: followUpPrefillSchema }),
]));
export type Suggestion = z.infer<typeof suggestionSchema>;

export const suggestionsSchema = lazySchema(() => z.object({
  items: z.array(suggestionSchema).max(20),
  autoLog: z.object({
    /** Auto-logging runs for this conversation (settings, site, connection switches, customer). */
    active: z.boolean(),
    /** The user said "never log" for this customer. */
    never: z.boolean(),
  }),
  /** Where the log prefill's summary came from. */
  summarySource: z.enum(['extractive', 'llm']),
  understoodAt: time,
}));
export type Suggestions = z.infer<typeof suggestionsSchema>;
