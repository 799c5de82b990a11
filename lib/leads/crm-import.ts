// 搜索客户并导入飞书 (seed 000): reviewed leads sent straight into a table CRM (Feishu Bitable,
// NocoDB) through the adapter's own batch import (dedupe by phone, batches, client_token,
// retries), then made local customers linked to the records they became, so the sidebar knows
// them beside a chat. Never twice:
// - in the CRM: the adapter skips phones the table already holds (a re-run after a closed tab
//   finds the first run's rows there and only links them);
// - locally: a lead whose phone or WeChat id is already a customer is linked, not created again;
// - between the two: the new local customer is created and given its link to the CRM record in
//   ONE transaction, with any outbox create for that connection removed before it commits, so
//   the outbox never sends the same customer to the same CRM a second time. Other connections
//   get their outbox rows as for any new customer (the multi-CRM strategy decides).
import type { LiaisonDb } from '../db/db';
import type { Connection } from '../model';
import { linkSchema } from '../model';
import type { CrmErrorKind } from '../crm/errors';
import type { Localized } from '../crm/spec';
import type { ImportHooks, ImportProgress, ImportWait, Lead, LeadImportOutcome, SkipReason } from '../crm/lead-import';
import { createCustomer } from '../customers/create';
import { updateCustomer } from '../customers/update';
import type { LeadToImport } from './import';

type CustomerInput = Parameters<typeof createCustomer>[1]['fields'];

/** What a table CRM's adapter offers for seed 000's import (Bitable and NocoDB have it). */
export interface LeadImporter {
  importLeads(leads: Lead[], opts: ImportHooks & { importId?: string }): Promise<LeadImportOutcome>;
}

export function asLeadImporter(adapter: unknown): LeadImporter | undefined {
  const f = (adapter as { importLeads?: unknown } | null | undefined)?.importLeads;
  return typeof f === 'function' ? (adapter as LeadImporter) : undefined;
}

export interface CrmImportInput {
  leads: readonly LeadToImport[];
  /** 来源渠道 */
  source?: string;
  /** 搜索关键词 */
  keyword?: string;
  /** The page the leads came from, appended to the notes. */
  pageUrl?: string;
}

export type CrmRowReason = 'duplicate-batch' | 'duplicate-crm' | 'invalid-phone' | 'invalid-lead' | 'error';

export interface CrmImportRow {
  /** Position in the leads sent. */
  index: number;
  name: string;
  phone?: string;
  outcome: 'synced' | 'skipped' | 'failed';
  reason?: CrmRowReason;
  /** The CRM record: created now (synced) or already there (duplicate-crm). */
  remoteId?: string;
  error?: { kind: CrmErrorKind; message: string; userMessage: Localized };
  /** Failed without being sent: an earlier call failed in a way this one would too. */
  notSent?: true;
  /** What happened locally: a customer created and linked, an existing one linked, or left as it was. */
  local?: 'created' | 'linked' | 'kept' | 'failed';
}

export interface CrmImportResult {
  connectionId: string;
  counts: { total: number; synced: number; skipped: number; failed: number };
  /** Local customers made for the leads now in the CRM, and existing ones linked to them. */
  local: { created: number; linked: number; failed: number };
  rows: CrmImportRow[];
}

export interface RunOptions {
  now(): number;
  importId?: string;
  signal?: AbortSignal;
  onProgress?(p: ImportProgress): void;
  onWait?(w: ImportWait): void;
  /** Tests: the waits on a fake clock. */
  sleep?: ImportHooks['sleep'];
}

/** The lead as the CRM import takes it: one phone (the first valid one), the page text as 备注. */
export function toCrmLead(l: LeadToImport, input: Pick<CrmImportInput, 'source' | 'keyword' | 'pageUrl'>): Lead {
  const content = [l.notes?.trim(), input.pageUrl].filter(Boolean).join('\n').slice(0, 10_000);
  return {
    name: l.name.trim(),
    phone: l.phones[0] ?? '',
    ...(l.wechatId ? { wechatId: l.wechatId } : {}),
    ...(input.source?.trim() ? { source: input.source.trim() } : {}),
    ...(input.keyword?.trim() ? { keywords: [input.keyword.trim()] } : {}),
    ...(content ? { content } : {}),
  };
}

const SKIP_REASON: Record<SkipReason, CrmRowReason> = { duplicate: 'duplicate-batch', 'invalid-phone': 'invalid-phone', 'invalid-lead': 'invalid-lead' };

export async function runCrmImport(db: LiaisonDb, importer: LeadImporter, connection: Connection, input: CrmImportInput, opts: RunOptions): Promise<CrmImportResult> {
  const crmLeads = input.leads.map((l) => toCrmLead(l, input));
  const indexOf = new Map<Lead, number>(crmLeads.map((l, i) => [l, i]));
  const outcome = await importer.importLeads(crmLeads, {
    ...(opts.importId ? { importId: opts.importId } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.sleep ? { sleep: opts.sleep } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    ...(opts.onWait ? { onWait: opts.onWait } : {}),
  });

  const rows: CrmImportRow[] = [];
  const base = (lead: Lead) => {
    const index = indexOf.get(lead) ?? -1;
    const l = input.leads[index];
    return { index, name: l?.name ?? lead.name ?? '', ...(l?.phones[0] ? { phone: l.phones[0] } : {}) };
  };
  for (const s of outcome.synced) rows.push({ ...base(s.lead), outcome: 'synced', remoteId: s.remoteId });
  for (const s of outcome.skipped) {
    const crm = s.reason === 'duplicate' && s.duplicateOf === 'table';
    rows.push({ ...base(s.lead), outcome: 'skipped', reason: crm ? 'duplicate-crm' : SKIP_REASON[s.reason], ...(crm && s.existingRemoteId ? { remoteId: s.existingRemoteId } : {}) });
  }
  for (const f of outcome.failed) {
    rows.push({ ...base(f.lead), outcome: 'failed', reason: 'error', error: { kind: f.error.kind, message: f.error.message.slice(0, 500), userMessage: f.error.userMessage }, ...(f.notSent ? { notSent: true as const } : {}) });
  }
  rows.sort((a, b) => a.index - b.index);

  // The leads that are in the CRM now (created, or found there) become linked local customers.
  const local = { created: 0, linked: 0, failed: 0 };
  for (const row of rows) {
    if (!row.remoteId) continue;
    const lead = input.leads[row.index];
    if (!lead) continue;
    try {
      row.local = await linkLocal(db, connection.id, lead, input, row.remoteId, opts.now());
      if (row.local === 'created') local.created += 1;
      else if (row.local === 'linked') local.linked += 1;
    } catch (e) {
      // The CRM has it; the local side can be linked later (a re-run finds it as a duplicate there).
      row.local = 'failed';
      local.failed += 1;
      console.warn('[liaison] lead import: local link failed:', e instanceof Error ? e.name : 'error');
    }
  }
  const count = (o: CrmImportRow['outcome']) => rows.filter((r) => r.outcome === o).length;
  return { connectionId: connection.id, counts: { total: input.leads.length, synced: count('synced'), skipped: count('skipped'), failed: count('failed') }, local, rows };
}

/** The local customer that holds one of these phones (E.164) or this WeChat id. */
async function findLocal(db: LiaisonDb, lead: LeadToImport) {
  if (lead.phones.length) {
    const hit = await db.customers.where('phones').anyOf(lead.phones).first();
    if (hit) return hit;
  }
  return lead.wechatId ? db.customers.where('wechatId').equals(lead.wechatId).first() : undefined;
}

/**
 * Link the customer to its record in the CRM (`remoteId`), creating the customer when none holds
 * the lead's phone or WeChat id. One transaction over every table, so the customer, its links and
 * the outbox rows createCustomer queues commit together — minus the create for this connection,
 * which the import has just done. A link that already names a record is left alone ('kept').
 */
async function linkLocal(db: LiaisonDb, connectionId: string, lead: LeadToImport, input: CrmImportInput, remoteId: string, now: number): Promise<'created' | 'linked' | 'kept'> {
  return db.transaction('rw', db.tables, async () => {
    const existing = await findLocal(db, lead);
    let customerId: string;
    let result: 'created' | 'linked';
    if (existing) {
      const link = await db.links.get([existing.id, connectionId]);
      if (link?.remoteId) return 'kept';
      // An outbox create for this connection being sent right now may yet create a record: let it.
      const queued = await db.outbox.where('[entity.table+entity.id]').equals(['customers', existing.id]).toArray();
      if (queued.some((e) => e.connectionId === connectionId && e.state === 'inflight')) return 'kept';
      const patch = fillBlanks(existing, lead, input);
      if (patch) await updateCustomer(db, existing.id, patch, now);
      customerId = existing.id;
      result = 'linked';
    } else {
      const fields: CustomerInput = {
        name: lead.name.trim() || lead.phones[0] || lead.wechatId || '客户',
        phones: lead.phones,
        ...(lead.wechatId ? { wechatId: lead.wechatId } : {}),
        ...(input.source?.trim() ? { source: input.source.trim() } : {}),
        ...(input.keyword?.trim() ? { keyword: input.keyword.trim() } : {}),
        // Seed 000's default for a fresh lead, as the CRM row got it.
        intentLevel: '中',
      };
      const notes = [lead.notes?.trim(), input.pageUrl].filter(Boolean).join('\n').slice(0, 10_000);
      if (notes) fields.notes = notes;
      customerId = (await createCustomer(db, { fields }, now)).id;
      result = 'created';
    }
    // The record exists in the CRM already: nothing for the outbox to create or update there.
    const mine = await db.outbox.where('[entity.table+entity.id]').equals(['customers', customerId]).toArray();
    await db.outbox.bulkDelete(mine.filter((e) => e.connectionId === connectionId && e.state === 'pending' && (e.op === 'customer.create' || e.op === 'customer.update')).map((e) => e.id));
    await db.links.put(linkSchema.parse({ customerId, connectionId, remoteId, syncState: 'synced', lastSyncedAt: now }));
    return result;
  });
}

/** What the lead adds to an existing customer: phones it lacks, blanks filled; nothing overwritten. */
function fillBlanks(c: { phones: string[]; wechatId?: string | undefined; source?: string | undefined; keyword?: string | undefined }, lead: LeadToImport, input: CrmImportInput): CustomerInput | undefined {
  const patch: CustomerInput = {};
  const phones = [...new Set([...c.phones, ...lead.phones])];
  if (phones.length > c.phones.length && phones.length <= 20) patch.phones = phones;
  if (!c.wechatId && lead.wechatId) patch.wechatId = lead.wechatId;
  if (!c.source && input.source?.trim()) patch.source = input.source.trim();
  if (!c.keyword && input.keyword?.trim()) patch.keyword = input.keyword.trim();
  return Object.keys(patch).length ? patch : undefined;
}

// ---- what the review page sees ----

/** A connection leads can be sent to: "导入到：飞书多维表格 客户表". */
export interface LeadTarget {
  connectionId: string;
  kind: string;
  /** The connection's name as the user gave it. */
  name: string;
  /** The CRM's name (飞书多维表格 / NocoDB). */
  vendor: Localized;
}

/** A CRM import running in the background, as the review page polls it. */
export interface CrmImportJob {
  jobId: string;
  connectionId: string;
  connectionName: string;
  vendor: Localized;
  state: 'running' | 'done' | 'failed' | 'interrupted';
  startedAt: number;
  progress: ImportProgress;
  /** Waiting before a retry: "限流，将在 N 秒后重试" until `until` (epoch ms). */
  waiting?: { until: number; kind: CrmErrorKind; step: ImportWait['step'] };
  result?: CrmImportResult;
  /** The import stopped before writing (the table could not be read or checked). */
  error?: { message: string; userMessage: Localized };
}
