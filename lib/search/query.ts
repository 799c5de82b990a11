// The search box and "link to existing": prefix search over customers.searchKeys (see ./keys.ts).
import type { LiaisonDb } from '../db/db';
import type { Customer } from '../model';
import { allCallingCodes, normalizeText } from './keys';

/** Digits with the punctuation phones are written with, at least 3 digits: "138 0013", "+86-138", "(021)". */
const PHONE_LIKE = /^[+\d\s().\-]+$/;

/**
 * Trim, full-width → half-width, lower case, single spaces; a query that looks like a phone
 * keeps its digits only, because phone keys are digits ("+86 138-0013" → "861380013").
 */
export function normalizeQuery(q: string): string {
  const t = normalizeText(q);
  if (PHONE_LIKE.test(t) && (t.match(/\d/g) ?? []).length >= 3) return t.replace(/\D/g, '');
  return t;
}

export async function searchCustomers(db: LiaisonDb, query: string, limit: number): Promise<Customer[]> {
  if (limit <= 0) return [];
  const q = normalizeQuery(query);
  if (!q) return db.customers.orderBy('updatedAt').reverse().limit(limit).toArray();

  const ids = [...(await db.transaction('r', db.customers, () => matchingIds(db, queryPrefixes(q))))];
  const rows = (await db.customers.bulkGet(ids)).filter((c): c is Customer => c !== undefined);
  return rows.sort((a, b) => b.updatedAt - a.updatedAt || a.id.localeCompare(b.id)).slice(0, limit);
}

/**
 * The prefixes a normalized query is looked up by: "zhang san" must also find the key
 * "zhangsanfeng", "john smith" the key "john smith"; "0086138…" is typed with the international
 * prefix, and phones are stored without it.
 */
export function queryPrefixes(q: string): string[] {
  return [...new Set([q, q.replace(/ /g, ''), q.replace(/^00(?=\d+$)/, '')])].filter(Boolean);
}

const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/**
 * Ids of the customers one of whose search keys starts with one of the prefixes. Keys that
 * another index already holds are not stored in searchKeys (lib/search/keys.ts storedSearchKeys),
 * so those indexes are read too: names as stored, codes in upper case, and for a digits-only
 * prefix the phones (E.164) by '+' + prefix (all digits) and '+' + calling code + prefix (the
 * national number). One key range per prefix, all
 * issued at once; a multiEntry index yields a customer once per matching key, hence the set.
 */
export async function matchingIds(db: LiaisonDb, prefixes: readonly string[]): Promise<Set<string>> {
  const reads: Promise<unknown[]>[] = [];
  const range = (index: string, p: string) => reads.push(db.customers.where(index).startsWith(p).primaryKeys());
  for (const p of prefixes) {
    range('searchKeys', p);
    range('name', p);
    if (PRINTABLE_ASCII.test(p)) range('code', p.toUpperCase());
    if (/^\d+$/.test(p)) {
      range('phones', `+${p}`);
      for (const cc of allCallingCodes()) range('phones', `+${cc}${p}`);
    }
  }
  const out = new Set<string>();
  for (const ids of await Promise.all(reads)) for (const id of ids) out.add(id as string);
  return out;
}
