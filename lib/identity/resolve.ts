// Who is this conversation with? (ARCHITECTURE.md, data flow step 3.)
//
// 1. An explicit mapping in `identities`: (site, threadKey), else (site, the contact's siteId).
// 2. Strong handles (normalized phones, emails, wechat id). Exactly one customer → it is the
//    customer, and the mapping is recorded so the next time is a mapping hit. Several → all
//    are candidates: the user chooses, Liaison never guesses.
// 3. The display name (exact), or name + company: candidates only, never linked.
// Group chats are linked only by an explicit mapping: a phone in a group belongs to anyone.
// A chat whose key is weak (read from its title only) is never linked: not by a mapping, not
// by handles, not by hand. Its other keys (aliases: WhatsApp @lid beside @c.us) carry a mapping
// over to the key read now, so a key change never loses an established link.
// Telegram K and A share one identity space (space.ts).
import Dexie from 'dexie';
import type { KvRow, LiaisonDb } from '../db/db';
import { readTogether, type KeyRead } from '../db/read-together';
import { relaxedUnlessInTransaction } from '../db/relaxed';
import type { Conversation, Customer, CustomerSummary, Identity, ObservedIdentity } from '../model';
import { extractPhones, normalizePhone, toHalfWidth, type CountryCode } from '../phone';
import { ValidationError } from '../customers/errors';
import { identitySites, identitySpace } from './space';

export type StrongHandle = 'phone' | 'email' | 'wechat';
export type MatchedBy = 'mapping' | StrongHandle;

export type Resolution = {
  identity: ObservedIdentity;
  customerId?: string;
  /** The customer's row as read while resolving (absent when only its id is known): saves the caller a read. */
  customer?: Customer;
  matchedBy?: MatchedBy[];
  autoLinked: boolean;
  candidates: CustomerSummary[];
};

export type ConvRef = { site: string; threadKey: string };

export interface ResolveOptions {
  defaultRegion?: CountryCode;
  /** Clock for the mapping's createdAt (tests). */
  now?: number;
  /**
   * Answer first, write after (issue 19): when given, the mapping a first sight records is handed
   * here instead of being written before the answer; the caller runs it once the sidebar has its
   * answer. Losing it (a crash in between) costs one more phone match the next time. Without it
   * the mapping is written before resolveConversation returns.
   */
  defer?: (write: () => Promise<unknown>) => void;
}

/** Candidates shown to the user; more would not be read. */
const MAX_CANDIDATES = 10;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** "张三-腾讯", "Tom | Acme", "李四（华为）": a display name carrying the company. */
const NAME_PART_SPLIT = /\s*[-|/@·—–()[\]【】]\s*/u;

/**
 * After the user unlinks a chat from a customer, handles must not link it straight back.
 * Kept in `kv` (no schema change): key → { customerId, at }.
 */
function unlinkedKey(conv: ConvRef): string {
  return `identity.unlinked:${identitySpace(conv.site)}:${conv.threadKey}`;
}

/** Where the identity last observed in a chat is kept (a bare-ref refresh shows it; weak keys are refused by it). */
export const observedKey = (c: ConvRef) => `observed:${c.site}\u0000${c.threadKey}`;

/** The stored mapping of (site, key), in the site's identity space. */
export async function identityRow(db: LiaisonDb, site: string, key: string) {
  for (const s of identitySites(site)) {
    const row = await db.identities.get([s, key]);
    if (row) return row;
  }
  return undefined;
}

function uniq<T>(xs: Iterable<T>): T[] {
  return [...new Set(xs)];
}

/** The identity as Liaison understands it: phones in E.164, emails lower-cased. */
export function observeIdentity(conv: Conversation, defaultRegion: CountryCode = 'CN'): ObservedIdentity {
  const { handles } = conv.contact;
  // A handle is usually just the number; a header subtitle may carry more text around it.
  const fromHandles = handles.phones.flatMap((p) => {
    const n = normalizePhone(p, defaultRegion);
    return n ? [n] : extractPhones(p, defaultRegion);
  });
  // In a group, a number in a message may be anyone's: only 1:1 messages from the contact count.
  const fromMessages = conv.isGroup
    ? []
    : conv.messages.filter((m) => m.direction === 'in').flatMap((m) => extractPhones(m.text, defaultRegion));
  const phones = uniq([...fromHandles, ...fromMessages]);
  const emails = uniq(handles.emails.map((e) => toHalfWidth(e).trim().toLowerCase()).filter((e) => EMAIL.test(e)));
  const wechat = handles.wechat?.trim();
  return {
    displayName: conv.contact.displayName.trim(),
    phones,
    emails,
    ...(wechat ? { wechat } : {}),
    isGroup: conv.isGroup,
    ...(conv.weakKey ? { weakKey: true } : {}),
  };
}

function summarize(c: Customer, matchedBy: string[]): CustomerSummary {
  return {
    id: c.id,
    code: c.code,
    name: c.name,
    ...(c.company ? { company: c.company } : {}),
    phones: c.phones,
    stage: c.stage,
    matchedBy,
  };
}

/** Where the chat's mapping may be stored: the key read now, an alias, the contact's id; each in every site of the space. */
function mappingKeys(conv: Conversation): [string, string][] {
  const keys = uniq([conv.threadKey, conv.contact.handles.siteId, ...(conv.keyAliases ?? [])].filter((k): k is string => !!k));
  const sites = identitySites(conv.site);
  return keys.flatMap((key) => sites.map((s) => [s, key] as [string, string]));
}

/**
 * The chat's stored mapping among the rows read under mappingKeys: under the key read now, else
 * under another key of this chat (an alias, the contact's id, the space's legacy site). A mapping
 * to a deleted customer is stale: fall through to the next, then to matching. `relink` says the
 * mapping must also be recorded under the key read now, so the link survives the old key's end.
 */
async function mappedCustomer(db: LiaisonDb, conv: Conversation, rows: (Identity | undefined)[]): Promise<{ customerId: string; customer: Customer; relink: boolean } | undefined> {
  const found = rows.filter((r): r is Identity => r !== undefined);
  if (!found.length) return undefined;
  const ids = uniq(found.map((r) => r.customerId));
  // Plain key reads on the connection, like the first sight's (checked before any await, see there).
  const live = ((Dexie.currentTransaction ? undefined : await readTogether(db, ids.map((key) => ({ store: 'customers', key })))) ??
    (await db.customers.bulkGet(ids))) as (Customer | undefined)[];
  const byId = new Map(live.filter((c): c is Customer => c !== undefined).map((c) => [c.id, c]));
  const row = found.find((r) => byId.has(r.customerId));
  if (!row) return undefined;
  return { customerId: row.customerId, customer: byId.get(row.customerId)!, relink: row.key !== conv.threadKey || row.site !== identitySpace(conv.site) };
}

type Match = { customer: Customer; by: Set<string> };

function addMatch(matches: Map<string, Match>, customers: Customer[], by: string) {
  for (const customer of customers) {
    const m = matches.get(customer.id) ?? { customer, by: new Set<string>() };
    m.by.add(by);
    matches.set(customer.id, m);
  }
}

async function strongMatches(db: LiaisonDb, identity: ObservedIdentity): Promise<Map<string, Match>> {
  const matches = new Map<string, Match>();
  // One key read (getAll on the index) per phone, issued together: Dexie's anyOf walks a cursor,
  // a round trip per step, where a chat's usual single phone needs one read (issue 19).
  const byPhone = await Promise.all(identity.phones.map((p) => db.customers.where('phones').equals(p).toArray()));
  for (const rows of byPhone) addMatch(matches, rows, 'phone');
  if (identity.emails.length) addMatch(matches, await db.customers.where('email').anyOfIgnoreCase(identity.emails).toArray(), 'email');
  if (identity.wechat) addMatch(matches, await db.customers.where('wechatId').equalsIgnoreCase(identity.wechat).toArray(), 'wechat');
  return matches;
}

type FirstSight = { rows: (Identity | undefined)[]; matches: Map<string, Match>; unlinked: KvRow | undefined };

/**
 * The reads of a first sight (the mapping under each key of the chat, the customers with its
 * phones/email/wechat, an earlier unlink) in one read-only transaction, issued together: one
 * round trip to the database, not five. The usual chat shows phones only (or nothing): those are
 * plain key reads, issued on the connection itself (lib/db/read-together.ts), the closest this
 * gets to one bare index read. Emails and wechat ids match case-insensitively (Dexie's cursor
 * algorithms), and inside a caller's transaction the reads must join it: Dexie then.
 */
async function firstSightReads(db: LiaisonDb, conv: Conversation, identity: ObservedIdentity): Promise<FirstSight> {
  const pairs = mappingKeys(conv);
  const unlinkKey = conv.isGroup ? undefined : unlinkedKey(conv);
  // Checked here, before any await: awaiting a native promise inside a caller's Dexie transaction
  // would let that transaction commit under it.
  if (!identity.emails.length && !identity.wechat && !Dexie.currentTransaction) {
    const reads: KeyRead[] = [
      ...pairs.map((key) => ({ store: 'identities', key })),
      ...identity.phones.map((key) => ({ store: 'customers', index: 'phones', key })),
      ...(unlinkKey ? [{ store: 'kv', key: unlinkKey }] : []),
    ];
    const got = await readTogether(db, reads);
    if (got) {
      const matches = new Map<string, Match>();
      for (const rows of got.slice(pairs.length, pairs.length + identity.phones.length)) addMatch(matches, rows as Customer[], 'phone');
      return { rows: got.slice(0, pairs.length) as (Identity | undefined)[], matches, unlinked: unlinkKey ? (got[got.length - 1] as KvRow | undefined) : undefined };
    }
  }
  const [rows, matches, unlinked] = await db.transaction('r', db.identities, db.customers, db.kv, () =>
    Promise.all([db.identities.bulkGet(pairs), strongMatches(db, identity), unlinkKey ? db.kv.get(unlinkKey) : undefined]),
  );
  return { rows, matches, unlinked };
}

/** Exact name (case-insensitive), or a name part of "张三-腾讯" whose company matches another part. */
async function nameMatches(db: LiaisonDb, displayName: string, matches: Map<string, Match>): Promise<void> {
  const full = toHalfWidth(displayName).trim();
  if (!full) return;
  const parts = full.split(NAME_PART_SPLIT).filter((p) => p.length > 0).slice(0, 5);
  const customers = await db.customers.where('name').anyOfIgnoreCase(uniq([full, ...parts])).toArray();
  const lower = (s: string) => toHalfWidth(s).trim().toLowerCase();
  for (const c of customers) {
    const name = lower(c.name);
    const company = lower(c.company ?? '');
    const companyNamed = company !== '' && parts.some((p) => lower(p) !== name && (company.includes(lower(p)) || lower(p).includes(company)));
    if (name === lower(full)) addMatch(matches, [c], 'name');
    else if (companyNamed) {
      addMatch(matches, [c], 'name');
      addMatch(matches, [c], 'company');
    }
  }
}

/** Strong matches first, then the most evidence, then the most recently updated. */
function rank(matches: Map<string, Match>): CustomerSummary[] {
  const order: Record<string, number> = { phone: 0, email: 1, wechat: 2, name: 3, company: 4 };
  const strong = (m: Match) => [...m.by].some((b) => b === 'phone' || b === 'email' || b === 'wechat');
  return [...matches.values()]
    .sort((a, b) => Number(strong(b)) - Number(strong(a)) || b.by.size - a.by.size || b.customer.updatedAt - a.customer.updatedAt)
    .slice(0, MAX_CANDIDATES)
    .map((m) => summarize(m.customer, [...m.by].sort((x, y) => (order[x] ?? 9) - (order[y] ?? 9))));
}

export async function resolveConversation(db: LiaisonDb, conv: Conversation, opts: ResolveOptions = {}): Promise<Resolution> {
  const identity = observeIdentity(conv, opts.defaultRegion ?? 'CN');
  // A title is no identity: show who it may be, link nothing.
  if (conv.weakKey) {
    const matches = await strongMatches(db, identity);
    await nameMatches(db, identity.displayName, matches);
    return { identity, autoLinked: false, candidates: rank(matches) };
  }

  const now = opts.now ?? Date.now();
  const { rows, matches, unlinked } = await firstSightReads(db, conv, identity);
  const mapped = await mappedCustomer(db, conv, rows);
  if (mapped) {
    if (mapped.relink) {
      if (opts.defer) opts.defer(() => autoLink(db, conv, mapped.customerId, now));
      else await autoLink(db, conv, mapped.customerId, now);
    }
    return { identity, customerId: mapped.customerId, customer: mapped.customer, matchedBy: ['mapping'], autoLinked: false, candidates: [] };
  }

  const only = matches.size === 1 ? [...matches.values()][0] : undefined;
  if (only && !conv.isGroup) {
    const refused = (unlinked?.value as { customerId?: string } | undefined)?.customerId === only.customer.id;
    if (!refused) {
      // Deferred: autoLink still keeps a mapping the user made meanwhile (it writes only when no
      // live one exists); the sidebar is told of that choice by the change it broadcasts.
      if (opts.defer) opts.defer(() => autoLink(db, conv, only.customer.id, now));
      const linkedTo = opts.defer ? only.customer.id : await autoLink(db, conv, only.customer.id, now);
      if (linkedTo !== only.customer.id) {
        // The user linked this chat while we were matching: their choice wins.
        return { identity, customerId: linkedTo, matchedBy: ['mapping'], autoLinked: false, candidates: [] };
      }
      const matchedBy = (['phone', 'email', 'wechat'] as const).filter((b) => only.by.has(b));
      return { identity, customerId: only.customer.id, customer: only.customer, matchedBy, autoLinked: true, candidates: [] };
    }
  }

  await nameMatches(db, identity.displayName, matches);
  return { identity, autoLinked: false, candidates: rank(matches) };
}

/**
 * Records the mapping unless a live one appeared meanwhile (a stale one is replaced); returns the
 * customer the chat is mapped to. Written with relaxed durability (lib/db/relaxed.ts): this write
 * sits on the path that shows the sidebar, and losing it in an OS crash costs only one more phone
 * match the next time the chat opens. The user's own link (linkConversation) stays strict.
 */
async function autoLink(db: LiaisonDb, conv: ConvRef, customerId: string, now: number): Promise<string> {
  // Inside a caller's transaction (createCustomer → …) the write joins it, on its connection.
  const w = relaxedUnlessInTransaction(db);
  return w.transaction('rw', w.identities, w.customers, async () => {
    const site = identitySpace(conv.site);
    const existing = await w.identities.get([site, conv.threadKey]);
    if (existing && (await w.customers.get(existing.customerId))) return existing.customerId;
    await w.identities.put({ site, key: conv.threadKey, customerId, createdAt: now });
    return customerId;
  });
}

/** The user's choice: this chat is with this customer (replaces any previous mapping). */
export async function linkConversation(db: LiaisonDb, conv: ConvRef, customerId: string, now: number): Promise<void> {
  await db.transaction('rw', db.identities, db.customers, db.kv, async () => {
    if (!(await db.customers.get(customerId))) throw new Error(`customer ${customerId} not found`);
    const observed = (await db.kv.get(observedKey(conv)))?.value as { weakKey?: unknown } | undefined;
    if (observed?.weakKey === true) {
      throw new ValidationError('尚未确认这个聊天的联系人（只读到了聊天名称），不能关联客户 / this chat is known only by its title: it cannot be linked until its own id is read');
    }
    await db.identities.put({ site: identitySpace(conv.site), key: conv.threadKey, customerId, createdAt: now });
    await db.kv.delete(unlinkedKey(conv));
  });
}

/** The user's choice: this chat is not with the mapped customer; handles will not re-link it to them. */
export async function unlinkConversation(db: LiaisonDb, conv: ConvRef, now: number = Date.now()): Promise<void> {
  await db.transaction('rw', db.identities, db.kv, async () => {
    let existing;
    for (const site of identitySites(conv.site)) {
      const row = await db.identities.get([site, conv.threadKey]);
      if (!row) continue;
      existing ??= row;
      await db.identities.delete([site, conv.threadKey]);
    }
    if (!existing) return;
    await db.kv.put({ key: unlinkedKey(conv), value: { customerId: existing.customerId, at: now } });
  });
}
