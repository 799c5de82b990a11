// 首次同步现有客户 / lead import (seed 000): plan (dry run, writes nothing) → apply → undo.
// Dedupe: against local customers by E.164 phone, then email, then wechat id, and within the
// file by the same keys (later rows fold into the first). Creating goes through
// createCustomer and merging through updateCustomer, so connected CRMs get outbox rows
// exactly as for a customer typed in by hand. Merging fills what the customer lacks and adds
// phones and tags; it never overwrites a value the user already has.
import type { LiaisonDb } from '../db/db';
import type { Customer, Settings } from '../model';
import { INTENT_LEVELS } from '../model';
import type { CustomerInput } from '../messaging/protocol';
import { customerInputSchema } from '../messaging/protocol';
import { normalizePhone, type CountryCode } from '../phone';
import { getSettings } from '../settings/store';
import { zonedTimeToEpoch } from '../reminders/schedule';
import { createCustomer } from '../customers/create';
import { updateCustomer } from '../customers/update';
import type { ColumnMapping, ImportField } from './mapping';
import type { SheetRow } from './parse';

export type IssueCode =
  | 'no-name'
  | 'invalid-phone'
  | 'invalid-email'
  | 'invalid-amount'
  | 'invalid-intent'
  | 'invalid-date'
  | 'unknown-stage'
  | 'duplicate-in-file'
  | 'no-new-data'
  | 'too-long'
  | 'error';

export interface Issue {
  row: number;
  reason: IssueCode;
  /** The offending value or the other row, for the message. */
  detail?: string;
}

export interface PlannedCreate {
  row: number;
  /** Rows of the file folded into this one. */
  alsoRows: number[];
  fields: CustomerInput;
}

export interface PlannedMerge {
  row: number;
  customerId: string;
  customerName: string;
  matchedBy: 'phone' | 'email' | 'wechat';
  patch: CustomerInput;
}

export interface ImportPlan {
  toCreate: PlannedCreate[];
  toMerge: PlannedMerge[];
  skipped: Issue[];
  failed: Issue[];
}

export interface PlanOptions {
  tz: string;
  defaultRegion?: CountryCode;
  /** Default stage for new customers when the sheet has none. */
  settings?: Settings;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const INTENT_ALIASES: Record<string, (typeof INTENT_LEVELS)[number]> = {
  高: '高', 中: '中', 低: '低', high: '高', medium: '中', mid: '中', low: '低', h: '高', m: '中', l: '低', a: '高', b: '中', c: '低',
};

/** "10万" → 100000, "¥50,000" → 50000, "1.5w" → 15000; undefined when not a number. */
export function parseAmount(s: string): number | undefined {
  const m = /^[¥￥$]?\s*([\d,]*\.?\d+)\s*(万|w|k|千)?\s*(元)?$/i.exec(s.replace(/\s+/g, ''));
  if (!m) return undefined;
  const n = Number(m[1]!.replace(/,/g, ''));
  if (!Number.isFinite(n) || n < 0) return undefined;
  const unit = (m[2] ?? '').toLowerCase();
  return unit === '万' || unit === 'w' ? n * 10_000 : unit === 'k' || unit === '千' ? n * 1000 : n;
}

/** ISO from a date cell (already an instant), "2026-03-05 14:30", "2026/3/5", "2026年3月5日" as wall time in tz. */
export function parseDate(s: string, tz: string): number | undefined {
  if (/^\d{4}-\d{2}-\d{2}T.*Z$/.test(s)) {
    const t = Date.parse(s);
    return Number.isNaN(t) ? undefined : t;
  }
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:\s+(\d{1,2})[:：](\d{2}))?$/.exec(s.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4] ?? '9', m[5] ?? '0'].map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return undefined;
  return zonedTimeToEpoch({ year, month, day, hour, minute }, tz);
}

const split = (s: string, re: RegExp) => s.split(re).map((x) => x.trim()).filter(Boolean);

/** One row → the fields to store, or the first problem found. */
function rowFields(r: SheetRow, mapping: ColumnMapping, settings: Settings, opts: PlanOptions): { fields: CustomerInput } | { issue: Issue; skip: boolean } {
  const cols = new Map<ImportField, string[]>();
  mapping.forEach((f, i) => {
    const v = r.values[i];
    if (!f || !v) return;
    const l = cols.get(f) ?? [];
    l.push(v);
    cols.set(f, l);
  });
  const one = (f: ImportField) => cols.get(f)?.[0];
  const fields: CustomerInput = {};
  const name = one('name');
  if (!name) return { issue: { row: r.row, reason: 'no-name' }, skip: true };
  fields.name = name;
  const phones: string[] = [];
  // Phones split on list separators only: "138 0013 8000" is one number with spaces.
  for (const raw of (cols.get('phones') ?? []).flatMap((v) => split(v, /[,;/、，；|\n]+/))) {
    const e164 = normalizePhone(raw, opts.defaultRegion ?? 'CN');
    if (!e164) return { issue: { row: r.row, reason: 'invalid-phone', detail: raw }, skip: true };
    if (!phones.includes(e164)) phones.push(e164);
  }
  if (phones.length) fields.phones = phones;
  for (const k of ['company', 'wechatId', 'source', 'product', 'owner', 'keyword', 'notes'] as const) {
    const v = one(k);
    if (v) fields[k] = v;
  }
  const email = one('email')?.toLowerCase();
  if (email) {
    if (!EMAIL.test(email)) return { issue: { row: r.row, reason: 'invalid-email', detail: email }, skip: false };
    fields.email = email;
  }
  const amount = one('amount');
  if (amount) {
    const n = parseAmount(amount);
    if (n === undefined) return { issue: { row: r.row, reason: 'invalid-amount', detail: amount }, skip: false };
    fields.amount = n;
  }
  const intent = one('intentLevel');
  if (intent) {
    const lvl = INTENT_ALIASES[intent.toLowerCase()] ?? INTENT_ALIASES[intent.replace(/意向$/, '')];
    if (!lvl) return { issue: { row: r.row, reason: 'invalid-intent', detail: intent }, skip: false };
    fields.intentLevel = lvl;
  }
  const stage = one('stage');
  if (stage) {
    if (!settings.stages.includes(stage)) return { issue: { row: r.row, reason: 'unknown-stage', detail: stage }, skip: false };
    fields.stage = stage;
  }
  const tags = (cols.get('tags') ?? []).flatMap((v) => split(v, /[,，、;；|\s]+/));
  if (tags.length) fields.tags = [...new Set(tags)];
  const next = one('nextFollowUpAt');
  if (next) {
    const t = parseDate(next, opts.tz);
    if (t === undefined) return { issue: { row: r.row, reason: 'invalid-date', detail: next }, skip: false };
    fields.nextFollowUpAt = t;
  }
  const check = customerInputSchema.safeParse(fields);
  if (!check.success) return { issue: { row: r.row, reason: 'too-long', detail: check.error.issues[0]?.path.join('.') }, skip: false };
  return { fields };
}

/** Fold `extra` into `base`: fill blanks, union phones and tags. */
function fold(base: CustomerInput, extra: CustomerInput): void {
  for (const [k, v] of Object.entries(extra) as [keyof CustomerInput, unknown][]) {
    if (k === 'phones' || k === 'tags') {
      const merged = [...new Set([...((base[k] as string[] | undefined) ?? []), ...(v as string[])])];
      (base as Record<string, unknown>)[k] = merged;
    } else if (base[k] === undefined) (base as Record<string, unknown>)[k] = v;
  }
}

/** What merging `incoming` into the customer would change (nothing the customer already has). */
function mergePatch(c: Customer, incoming: CustomerInput): CustomerInput {
  const p: CustomerInput = {};
  const phones = [...new Set([...c.phones, ...(incoming.phones ?? [])])];
  if (phones.length > c.phones.length) p.phones = phones;
  const tags = [...new Set([...c.tags, ...(incoming.tags ?? [])])];
  if (tags.length > c.tags.length) p.tags = tags;
  for (const k of ['company', 'wechatId', 'email', 'source', 'product', 'owner', 'keyword', 'notes', 'amount', 'intentLevel', 'nextFollowUpAt'] as const) {
    if (incoming[k] !== undefined && incoming[k] !== null && c[k] === undefined) (p as Record<string, unknown>)[k] = incoming[k];
  }
  // The stage is left alone: the user may have moved this customer on since the sheet was made.
  return p;
}

export async function planImport(db: LiaisonDb, rows: SheetRow[], mapping: ColumnMapping, opts: PlanOptions): Promise<ImportPlan> {
  const settings = opts.settings ?? (await getSettings(db));
  const plan: ImportPlan = { toCreate: [], toMerge: [], skipped: [], failed: [] };
  const valid: { row: number; fields: CustomerInput }[] = [];
  for (const r of rows) {
    const out = rowFields(r, mapping, settings, opts);
    if ('issue' in out) (out.skip ? plan.skipped : plan.failed).push(out.issue);
    else valid.push({ row: r.row, fields: out.fields });
  }

  // Existing customers for every phone, email and wechat id in the file: three index reads.
  const phones = [...new Set(valid.flatMap((v) => v.fields.phones ?? []))];
  const emails = [...new Set(valid.map((v) => v.fields.email).filter((x): x is string => !!x))];
  const wechats = [...new Set(valid.map((v) => v.fields.wechatId).filter((x): x is string => !!x))];
  const [byPhoneRows, byEmailRows, byWechatRows] = await Promise.all([
    phones.length ? db.customers.where('phones').anyOf(phones).toArray() : [],
    emails.length ? db.customers.where('email').anyOf(emails).toArray() : [],
    wechats.length ? db.customers.where('wechatId').anyOf(wechats).toArray() : [],
  ]);
  const byPhone = new Map<string, Customer>();
  for (const c of byPhoneRows) for (const p of c.phones) if (!byPhone.has(p)) byPhone.set(p, c);
  const byEmail = new Map(byEmailRows.map((c) => [c.email!, c]));
  const byWechat = new Map(byWechatRows.map((c) => [c.wechatId!, c]));
  const customersById = new Map([...byPhoneRows, ...byEmailRows, ...byWechatRows].map((c) => [c.id, c]));

  // Within the file: key → the planned create (or merge) that owns it.
  const fileKeys = new Map<string, PlannedCreate | PlannedMerge>();
  const keysOf = (f: CustomerInput) => [...(f.phones ?? []).map((p) => `p:${p}`), ...(f.email ? [`e:${f.email}`] : []), ...(f.wechatId ? [`w:${f.wechatId}`] : [])];

  for (const v of valid) {
    const keys = keysOf(v.fields);
    const earlier = keys.map((k) => fileKeys.get(k)).find((x) => x !== undefined);
    if (earlier) {
      // A duplicate row of the file: fold it into the first occurrence.
      if ('fields' in earlier) {
        fold(earlier.fields, v.fields);
        earlier.alsoRows.push(v.row);
      } else {
        const c = customersById.get(earlier.customerId);
        if (c) fold(earlier.patch, mergePatch(c, v.fields));
      }
      plan.skipped.push({ row: v.row, reason: 'duplicate-in-file', detail: String(earlier.row) });
      for (const k of keysOf('fields' in earlier ? earlier.fields : v.fields)) if (!fileKeys.has(k)) fileKeys.set(k, earlier);
      continue;
    }
    const phoneHit = (v.fields.phones ?? []).map((p) => byPhone.get(p)).find((c) => c !== undefined);
    const hit: [Customer, PlannedMerge['matchedBy']] | undefined = phoneHit
      ? [phoneHit, 'phone']
      : v.fields.email && byEmail.get(v.fields.email)
        ? [byEmail.get(v.fields.email)!, 'email']
        : v.fields.wechatId && byWechat.get(v.fields.wechatId)
          ? [byWechat.get(v.fields.wechatId)!, 'wechat']
          : undefined;
    if (hit) {
      const [c, matchedBy] = hit;
      const already = plan.toMerge.find((m) => m.customerId === c.id);
      if (already) {
        fold(already.patch, mergePatch(c, v.fields));
        plan.skipped.push({ row: v.row, reason: 'duplicate-in-file', detail: String(already.row) });
        continue;
      }
      const merge: PlannedMerge = { row: v.row, customerId: c.id, customerName: c.name, matchedBy, patch: mergePatch(c, v.fields) };
      plan.toMerge.push(merge);
      for (const k of keys) fileKeys.set(k, merge);
      continue;
    }
    const create: PlannedCreate = { row: v.row, alsoRows: [], fields: { ...v.fields } };
    plan.toCreate.push(create);
    for (const k of keys) fileKeys.set(k, create);
  }
  // Merges that would change nothing are not work to do.
  plan.toMerge = plan.toMerge.filter((m) => {
    if (Object.keys(m.patch).length > 0) return true;
    plan.skipped.push({ row: m.row, reason: 'no-new-data', detail: m.customerName });
    return false;
  });
  plan.skipped.sort((a, b) => a.row - b.row);
  plan.failed.sort((a, b) => a.row - b.row);
  return plan;
}

// ---- apply / undo ----

export const IMPORT_KEY_PREFIX = 'import:';

export interface ImportRecord {
  importId: string;
  at: number;
  created: string[];
  /** For each merged customer, the value each patched field had before (null = was empty). */
  merged: { customerId: string; before: Record<string, unknown>; after: Record<string, unknown> }[];
  counts: ImportCounts;
  undoneAt?: number;
}

export interface ImportCounts {
  created: number;
  merged: number;
  skipped: number;
  failed: number;
}

export interface ApplyResult {
  importId: string;
  counts: ImportCounts;
  /** Rows that passed the plan but failed when written (e.g. a row changed meanwhile). */
  failed: Issue[];
}

const FLUSH_EVERY = 200;

export async function applyImport(db: LiaisonDb, plan: ImportPlan, now: number): Promise<ApplyResult> {
  const importId = crypto.randomUUID();
  const record: ImportRecord = { importId, at: now, created: [], merged: [], counts: { created: 0, merged: 0, skipped: plan.skipped.length, failed: plan.failed.length } };
  const failed: Issue[] = [];
  // The undo record is kept up to date as we go: a closed tab midway still leaves an undoable import.
  const flush = () => db.kv.put({ key: IMPORT_KEY_PREFIX + importId, value: structuredClone(record) });
  await flush();
  let n = 0;
  for (const c of plan.toCreate) {
    try {
      const saved = await createCustomer(db, { fields: c.fields }, now);
      record.created.push(saved.id);
      record.counts.created += 1;
    } catch (e) {
      failed.push({ row: c.row, reason: 'error', detail: e instanceof Error ? e.message : String(e) });
    }
    if (++n % FLUSH_EVERY === 0) await flush();
  }
  for (const m of plan.toMerge) {
    try {
      const before = await db.customers.get(m.customerId);
      if (!before) throw new Error('customer no longer exists');
      const after = await updateCustomer(db, m.customerId, m.patch, now);
      const keys = Object.keys(m.patch) as (keyof Customer)[];
      record.merged.push({
        customerId: m.customerId,
        before: Object.fromEntries(keys.map((k) => [k, before[k] ?? null])),
        after: Object.fromEntries(keys.map((k) => [k, after[k] ?? null])),
      });
      record.counts.merged += 1;
    } catch (e) {
      failed.push({ row: m.row, reason: 'error', detail: e instanceof Error ? e.message : String(e) });
    }
    if (++n % FLUSH_EVERY === 0) await flush();
  }
  record.counts.failed += failed.length;
  await flush();
  return { importId, counts: record.counts, failed };
}

export async function getImportRecord(db: LiaisonDb, importId: string): Promise<ImportRecord | undefined> {
  return (await db.kv.get(IMPORT_KEY_PREFIX + importId))?.value as ImportRecord | undefined;
}

export interface UndoResult {
  removed: number;
  reverted: number;
  /** Created customers kept because they have follow-ups or deals now (deleting would lose them). */
  kept: string[];
  /** Created customers already sent to a remote CRM: removed here, still there (no delete op). */
  remoteKept: number;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

export async function undoImport(db: LiaisonDb, importId: string, now: number = Date.now()): Promise<UndoResult> {
  const record = await getImportRecord(db, importId);
  if (!record) throw new Error(`no such import: ${importId}`);
  if (record.undoneAt !== undefined) return { removed: 0, reverted: 0, kept: [], remoteKept: 0 };
  const result: UndoResult = { removed: 0, reverted: 0, kept: [], remoteKept: 0 };
  const tables = [db.customers, db.identities, db.links, db.reminders, db.outbox, db.followUps, db.deals];
  for (const id of record.created) {
    await db.transaction('rw', tables, async () => {
      if (!(await db.customers.get(id))) return;
      const [f, d] = await Promise.all([db.followUps.where('customerId').equals(id).count(), db.deals.where('customerId').equals(id).count()]);
      if (f + d > 0) {
        result.kept.push(id);
        return;
      }
      const outbox = await db.outbox.where('[entity.table+entity.id]').equals(['customers', id]).toArray();
      if (outbox.some((e) => e.state !== 'pending')) result.remoteKept += 1;
      await db.outbox.bulkDelete(outbox.filter((e) => e.state === 'pending').map((e) => e.id));
      await db.links.where('[customerId+connectionId]').between([id, ''], [id, '\uffff']).delete();
      await db.reminders.where('customerId').equals(id).delete();
      await db.identities.where('customerId').equals(id).delete();
      await db.customers.delete(id);
      result.removed += 1;
    });
  }
  for (const m of record.merged) {
    const c = await db.customers.get(m.customerId);
    if (!c) continue;
    // Only fields still holding what the import wrote: a later edit by the user wins.
    const patch: Record<string, unknown> = {};
    for (const [k, before] of Object.entries(m.before)) {
      if (!same(c[k as keyof Customer], m.after[k])) continue;
      patch[k] = before === null ? (k === 'amount' || k === 'intentLevel' || k === 'nextFollowUpAt' ? null : Array.isArray(m.after[k]) ? [] : '') : before;
    }
    if (Object.keys(patch).length === 0) continue;
    await updateCustomer(db, m.customerId, patch as CustomerInput, now);
    result.reverted += 1;
  }
  await db.kv.put({ key: IMPORT_KEY_PREFIX + importId, value: { ...record, undoneAt: now } });
  return result;
}
