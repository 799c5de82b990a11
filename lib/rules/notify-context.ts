// What a rule's "notify the group" posts about: the customer (with the amount and product just
// understood, so {{customer.amount}} says 120万 before any deal exists), the customer's open deal
// if any, and the conversation (site, contact, latest customer message, time, category,
// priority) — the MappingContext lib/notify's templates are rendered against.
import type { Conversation, Deal } from '../model';
import type { MappingContext } from '../mapping';
import type { RuleContext } from './evaluate';

const RECENT_MAX = 50;
const PRIORITY_WORDS: Record<string, string> = { low: '低', medium: '中', high: '高' };
/** The latest messages per chat, noted by the background as reports arrive (in memory only). */
const recent = new Map<string, { contactName: string; messages: Conversation['messages'] }>();
const keyOf = (site: string, threadKey: string) => `${site}\u0000${threadKey}`;

export function noteRuleConversation(c: Pick<Conversation, 'site' | 'threadKey' | 'contact' | 'messages'>): void {
  const k = keyOf(c.site, c.threadKey);
  recent.delete(k);
  recent.set(k, { contactName: c.contact.displayName, messages: c.messages.slice(-5) });
  while (recent.size > RECENT_MAX) recent.delete(recent.keys().next().value!);
}

export function forgetRuleConversations(): void {
  recent.clear();
}

export function notifyContext(ctx: RuleContext, deal: Deal | undefined, now: number): MappingContext {
  const u = ctx.understanding;
  const conv = recent.get(keyOf(ctx.site, ctx.threadKey));
  const lastIn = conv && [...conv.messages].reverse().find((m) => m.direction === 'in');
  const amount = u.buying.amount && (!u.buying.amount.currency || u.buying.amount.currency === 'CNY') ? u.buying.amount.value : ctx.customer.amount;
  const product = u.buying.product ?? ctx.customer.product;
  return {
    customer: { ...ctx.customer, ...(amount !== undefined ? { amount } : {}), ...(product ? { product } : {}) },
    ...(deal ? { deal } : {}),
    conversation: {
      site: ctx.site,
      ...(conv?.contactName ? { contactName: conv.contactName } : {}),
      ...(lastIn ? { lastMessage: lastIn.text } : {}),
      receivedAt: lastIn?.at ?? now,
      ...(u.category ? { category: u.category } : {}),
      // 紧急程度 in the product's words (低/中/高), as tickets say it, in either UI language.
      priority: PRIORITY_WORDS[u.priority] ?? u.priority,
    },
  };
}
