// Map a chat conversation to a customer (or undo it), and remember where the customer's chat
// is so the popup can open it (the Identity row has no URL: the thread key is not a URL on
// every site, and only the latest URL matters).
import type { ConvRef } from '../messaging/protocol';
import type { LiaisonDb } from '../db/db';
import { linkConversation, unlinkConversation } from '../identity';
import { NotFoundError } from './errors';

const CHAT_URL_PREFIX = 'chatUrl:';

export async function linkCustomer(db: LiaisonDb, conv: ConvRef, customerId: string, now: number): Promise<void> {
  if (!(await db.customers.get(customerId))) throw new NotFoundError(`客户不存在 / no such customer: ${customerId}`);
  await linkConversation(db, { site: conv.site, threadKey: conv.threadKey }, customerId, now);
}

export async function unlinkCustomer(db: LiaisonDb, conv: ConvRef): Promise<void> {
  await unlinkConversation(db, { site: conv.site, threadKey: conv.threadKey });
}

/** Only http(s) URLs are kept: the popup opens this, and a javascript: URL from a hostile page must never get there. */
export async function rememberChatUrl(db: LiaisonDb, customerId: string, url: string): Promise<void> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return;
  await db.kv.put({ key: CHAT_URL_PREFIX + customerId, value: parsed.href });
}

export async function lastChatUrl(db: LiaisonDb, customerId: string): Promise<string | undefined> {
  const v = (await db.kv.get(CHAT_URL_PREFIX + customerId))?.value;
  return typeof v === 'string' ? v : undefined;
}
