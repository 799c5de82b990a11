// The search box and "link to existing": prefix search over customers.searchKeys (see ./keys.ts).
import type { LiaisonDb } from '../db/db';
import type { Customer } from '../model';
import { normalizeText } from './keys';

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

  // "zhang san" must also find the key "zhangsanfeng"; "john smith" the key "john smith".
  // "0086138…" is typed with the international prefix; keys hold "86138…".
  const prefixes = [...new Set([q, q.replace(/ /g, ''), q.replace(/^00(?=\d+$)/, '')])];
  // A multiEntry index yields a customer once per matching key: dedupe before reading rows.
  const ids = [...new Set(await db.customers.where('searchKeys').startsWithAnyOf(prefixes).primaryKeys())];
  const rows = (await db.customers.bulkGet(ids)).filter((c): c is Customer => c !== undefined);
  return rows.sort((a, b) => b.updatedAt - a.updatedAt || a.id.localeCompare(b.id)).slice(0, limit);
}
