// The category routing needs when a customer is created from a chat: the chat is read by the
// content script and observed by the background before the user clicks 新建客户, but the
// understanding engine only keeps state for known customers. So the background notes the last
// messages of each observed conversation here (memory only: a restarted worker gets them again
// with the next observation) and the category is worked out only when a create asks for it.
import type { Conversation } from '../model';
import type { ConvRef } from '../messaging/protocol';
import { understand } from '../understand';

const MAX_CONVERSATIONS = 50;
const MAX_MESSAGES = 40;
const seen = new Map<string, Conversation['messages']>();
const keyOf = (c: ConvRef) => `${c.site}\u0000${c.threadKey}`;

export function noteConversation(conversation: Conversation): void {
  const key = keyOf(conversation);
  seen.delete(key); // re-insert: the Map's order is the eviction order
  seen.set(key, conversation.messages.slice(-MAX_MESSAGES));
  if (seen.size > MAX_CONVERSATIONS) seen.delete(seen.keys().next().value!);
}

/** 销售线索 / 技术支持 / 客户服务 / 产品反馈 of the noted conversation, or null. */
export function categoryOf(conv: ConvRef | undefined, now: number, products: readonly string[] = []): string | null {
  const messages = conv ? seen.get(keyOf(conv)) : undefined;
  if (!messages?.length) return null;
  return understand(messages, { now, products }).category;
}

export function forgetConversations(): void {
  seen.clear();
}
