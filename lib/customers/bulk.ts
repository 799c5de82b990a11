// 批量更新客户状态 and the customer list (seed 000). Every change goes through updateCustomer,
// the same code path as a single edit, so connected CRMs get their outbox rows; chunks of
// CHUNK customers share one rw transaction (atomic per chunk, far fewer commits than one
// per customer on 10,000 selected rows). Stage changes are appended to the stage log
// (lib/stats/stage-log.ts) in the same transaction, which is what reports read.
import type { LiaisonDb } from '../db/db';
import type { Customer } from '../model';
import type { CustomerInput } from '../messaging/protocol';
import { getSettings } from '../settings/store';
import { matchingIds, normalizeQuery, queryPrefixes } from '../search/query';
import { updateCustomer } from './update';
import { ValidationError } from './errors';

export const CHUNK = 200;

export interface BulkPatch {
  stage?: string;
  addTags?: string[];
  removeTags?: string[];
  /** '' clears the owner. */
  owner?: string;
  /** null clears the next follow-up. */
  nextFollowUpAt?: number | null;
}

export interface BulkResult {
  updated: number;
  unchanged: number;
  /** Ids that no longer exist (deleted since the list was shown). */
  missing: string[];
}

function patchFor(c: Customer, p: BulkPatch): CustomerInput {
  const out: CustomerInput = {};
  if (p.stage !== undefined && p.stage !== c.stage) out.stage = p.stage;
  if (p.addTags?.length || p.removeTags?.length) {
    const remove = new Set(p.removeTags ?? []);
    const tags = [...new Set([...c.tags, ...(p.addTags ?? [])])].filter((t) => !remove.has(t));
    if (tags.length !== c.tags.length || tags.some((t, i) => t !== c.tags[i])) out.tags = tags;
  }
  if (p.owner !== undefined && (p.owner.trim() || undefined) !== c.owner) out.owner = p.owner.trim();
  if (p.nextFollowUpAt !== undefined && (p.nextFollowUpAt ?? undefined) !== c.nextFollowUpAt) out.nextFollowUpAt = p.nextFollowUpAt;
  return out;
}

export async function bulkUpdate(db: LiaisonDb, customerIds: readonly string[], patch: BulkPatch, now: number): Promise<BulkResult> {
  // Validate once up front: a bad stage or tag must not abort chunk 37 of 50 halfway.
  const settings = await getSettings(db);
  if (patch.stage !== undefined && !settings.stages.includes(patch.stage)) throw new ValidationError(`未知的阶段 / unknown stage: ${patch.stage}`);
  for (const t of [...(patch.addTags ?? [])]) {
    if (!t.trim() || t.length > 50) throw new ValidationError(`无效的标签 / invalid tag: ${t}`);
  }
  const result: BulkResult = { updated: 0, unchanged: 0, missing: [] };
  const ids = [...new Set(customerIds)];
  const tables = [db.customers, db.reminders, db.links, db.outbox, db.connections, db.kv];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    await db.transaction('rw', tables, async () => {
      const rows = await db.customers.bulkGet(chunk);
      for (let j = 0; j < chunk.length; j++) {
        const c = rows[j];
        if (!c) {
          result.missing.push(chunk[j]!);
          continue;
        }
        const p = patchFor(c, patch);
        if (Object.keys(p).length === 0) {
          result.unchanged += 1;
          continue;
        }
        await updateCustomer(db, c.id, p, now);
        result.updated += 1;
      }
    });
  }
  return result;
}

export type SortKey = 'updatedAt' | 'createdAt' | 'name' | 'code' | 'stage' | 'nextFollowUpAt';

export interface ListQuery {
  query?: string;
  stage?: string;
  tag?: string;
  source?: string;
  /** Due follow-ups: nextFollowUpAt < dueBefore. */
  dueBefore?: number;
  sort: SortKey;
  dir: 'asc' | 'desc';
  offset: number;
  limit: number;
}

/** What a list row shows: a customer without notes and search keys. */
export interface CustomerRow {
  id: string;
  code: string;
  name: string;
  company?: string;
  phones: string[];
  stage: string;
  tags: string[];
  source?: string;
  product?: string;
  owner?: string;
  lastContactAt?: number;
  nextFollowUpAt?: number;
  updatedAt: number;
  createdAt: number;
}

export interface ListResult {
  total: number;
  rows: CustomerRow[];
}

export function toRow(c: Customer): CustomerRow {
  const r: CustomerRow = { id: c.id, code: c.code, name: c.name, phones: c.phones, stage: c.stage, tags: c.tags, updatedAt: c.updatedAt, createdAt: c.createdAt };
  for (const k of ['company', 'source', 'product', 'owner', 'lastContactAt', 'nextFollowUpAt'] as const) {
    if (c[k] !== undefined) (r as unknown as Record<string, unknown>)[k] = c[k];
  }
  return r;
}

/**
 * Ids whose search keys (name, pinyin and initials, phone digits, code…) start with the query:
 * the same normalization and prefixes as searchCustomers (lib/search/query.ts), but primary
 * keys only and one plain key range per prefix. searchCustomers reads and sorts whole rows for
 * a top-N, and startsWithAnyOf jumps a cursor; on "wang" over 100k customers both cost seconds.
 */
async function searchIds(db: LiaisonDb, query: string): Promise<Set<string>> {
  // The same prefixes and indexes as searchCustomers (search keys, and the indexes that hold
  // the keys storedSearchKeys leaves out).
  return matchingIds(db, queryPrefixes(normalizeQuery(query)));
}

/** Below this many candidates, read the rows and sort in memory instead of walking an index. */
const SMALL = 5000;

function intersect(a: Set<string> | undefined, b: Iterable<string>): Set<string> {
  if (!a) return new Set(b);
  const out = new Set<string>();
  for (const x of b) if (a.has(x)) out.add(x);
  return out;
}

function compare(sort: SortKey, dir: 'asc' | 'desc') {
  const sign = dir === 'asc' ? 1 : -1;
  return (x: Customer, y: Customer): number => {
    const a = x[sort];
    const b = y[sort];
    // Missing values (no next follow-up) go last in both directions, as in the index walk.
    if (a === undefined || b === undefined) return a === b ? x.id.localeCompare(y.id) : a === undefined ? 1 : -1;
    const c = a < b ? -1 : a > b ? 1 : 0;
    // Ties by id in the same direction, like an index walk (primary key breaks ties).
    return sign * (c || x.id.localeCompare(y.id));
  };
}

/**
 * Every id matching the filters, in list order: the list's page and "select all matching" use it.
 * Indexed filters (search keys with pinyin initials, stage, nextFollowUpAt) narrow by primary
 * keys only; tag and source have no index (proposal: `*tags, source` in schema v3), so they read
 * the candidate rows.
 */
export async function matchCustomerIds(db: LiaisonDb, q: Omit<ListQuery, 'offset' | 'limit'>): Promise<string[]> {
  return db.transaction('r', db.customers, async () => {
    let ids: Set<string> | undefined;
    if (q.query?.trim()) ids = await searchIds(db, q.query);
    if (q.stage) ids = intersect(ids, (await db.customers.where('stage').equals(q.stage).primaryKeys()) as string[]);
    if (q.dueBefore !== undefined) ids = intersect(ids, (await db.customers.where('nextFollowUpAt').below(q.dueBefore).primaryKeys()) as string[]);

    const needRows = !!q.tag || !!q.source;
    if ((ids && ids.size <= SMALL) || needRows) {
      const rows = ids ? (await db.customers.bulkGet([...ids])).filter((c): c is Customer => !!c) : await db.customers.toArray();
      const kept = rows.filter((c) => (!q.tag || c.tags.includes(q.tag)) && (!q.source || c.source === q.source));
      return kept.sort(compare(q.sort, q.dir)).map((c) => c.id);
    }
    // Large candidate sets: walk the sort index's keys only (no row reads), then filter.
    let ordered = (await db.customers.orderBy(q.sort).primaryKeys()) as string[];
    if (q.dir === 'desc') ordered.reverse();
    if (q.sort === 'nextFollowUpAt') {
      // The index holds only customers with a next follow-up; the rest go last.
      const seen = new Set(ordered);
      const rest = ((await db.customers.toCollection().primaryKeys()) as string[]).filter((id) => !seen.has(id));
      ordered = ordered.concat(rest);
    }
    return ids ? ordered.filter((id) => ids.has(id)) : ordered;
  });
}

export async function listCustomers(db: LiaisonDb, q: ListQuery): Promise<ListResult> {
  const noFilter = !q.query?.trim() && !q.stage && !q.tag && !q.source && q.dueBefore === undefined;
  if (noFilter && q.sort !== 'nextFollowUpAt') {
    // The common case (open the list, scroll): count + one index page, no id list at all.
    return db.transaction('r', db.customers, async () => {
      let coll = db.customers.orderBy(q.sort);
      if (q.dir === 'desc') coll = coll.reverse();
      const [total, rows] = await Promise.all([db.customers.count(), coll.offset(q.offset).limit(q.limit).toArray()]);
      return { total, rows: rows.map(toRow) };
    });
  }
  const ids = await matchCustomerIds(db, q);
  const page = ids.slice(q.offset, q.offset + q.limit);
  const rows = (await db.customers.bulkGet(page)).filter((c): c is Customer => !!c);
  return { total: ids.length, rows: rows.map(toRow) };
}
