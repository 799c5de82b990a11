// Tickets → Case (Object Reference "Case", sforce_api_objects_case.htm; "CaseComment",
// sforce_api_objects_casecomment.htm; read 2026-12-06).
//
// - createTicket: Subject, Description (the description, the category and the chat lines, ending
//   with the trace "[Liaison <key>]"), Origin (settings.caseOrigin, default Web), Priority
//   (低 Low · 中 Medium · 高/紧急 High: the standard picklist has no fourth value). A Contact
//   customer links by ContactId; Case has no LeadId, so for a Lead the customer's name, email,
//   phone and company go to SuppliedName/SuppliedEmail/SuppliedPhone/SuppliedCompany (the
//   web-to-case fields) and the Lead's id is named in the Description. Status is left to the
//   org's default (New, or its support process's).
// - Idempotency: with the external ID field (Liaison_Id__c) on Case (set-up adds it:
//   docs/tickets-crm.md), the key is read first (GET sobjects/Case/Liaison_Id__c/{key}) and only a
//   missing Case is upserted; without it, a lookup before the insert: Cases with the same Subject
//   created in the last day, whose Description carries this key's trace (Description is long
//   text and cannot be filtered in SOQL, so the match is read, not queried).
// - getTicket: GET sobjects/Case/{id}?fields=CaseNumber,Subject,Status,IsClosed,… → our status.
// - addTicketComment: a CaseComment (ParentId, CommentBody ≤ 4,000). CaseComment takes no custom
//   fields, so no external ID: the Case's comments are read first and one carrying this key's
//   trace is the one a lost reply made.
import { z } from 'zod';
import type { FollowUp } from '../../model';
import type { TicketPriority, TicketStatus } from '../../model/enums';
import { CrmError } from '../errors';
import type { OpOptions, RemoteRef, RemoteTicket, TicketInput, WriteOptions } from '../port';
import { isSalesforceId, objectOfId, parseSfDateTime, sfCall, soqlDateTime, soqlString, type SalesforceContext } from './client';
import { missingExternalIdField, usesExternalId, writeKeyed } from './records';

export const CASE_PRIORITY: Record<TicketPriority, 'Low' | 'Medium' | 'High'> = { 低: 'Low', 中: 'Medium', 高: 'High', 紧急: 'High' };
const SUBJECT_MAX = 255;
const DESCRIPTION_MAX = 32_000;
const COMMENT_MAX = 4000;
const LOOKUP_WINDOW_MS = 24 * 3600_000;

/** The marker line a Case Description / CaseComment ends with: the outbox key, whole. */
export const traceLine = (key: string) => `\n[Liaison ${key}]`;

const clip = (s: string, max: number) => {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
};
const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

export function caseDescription(t: TicketInput, leadId: string | undefined, max: number): string {
  const lines = [t.description.trim(), `Category: ${t.category}`];
  if (leadId) lines.push(`Lead: ${leadId}`);
  if (t.messages.length) {
    lines.push('Chat:');
    for (const m of t.messages) lines.push(`${stamp(m.at)} ${m.from === 'customer' ? 'Customer' : 'Me'}: ${m.text.trim()}`);
  }
  return clip(lines.filter(Boolean).join('\n'), max);
}

export function caseFields(ctx: SalesforceContext, t: TicketInput, trace: string): Record<string, unknown> {
  const target = t.remoteCustomerId;
  if (target !== undefined && !isSalesforceId(target)) throw new CrmError('validation', 'Salesforce: the linked customer id is malformed');
  const kind = target ? objectOfId(target) : undefined;
  if (target && kind !== 'Contact' && kind !== 'Lead') throw new CrmError('validation', `Salesforce: a Case links to a Contact (or names a Lead); ${target} is neither`);
  const c = t.customer;
  const supplied =
    kind === 'Contact'
      ? { ContactId: target }
      : {
          SuppliedName: clip(c.name, 80),
          ...(c.email ? { SuppliedEmail: c.email } : {}),
          ...(c.phones[0] ? { SuppliedPhone: clip(c.phones[0], 40) } : {}),
          ...(c.company ? { SuppliedCompany: clip(c.company, 80) } : {}),
        };
  return {
    Subject: clip(t.subject.trim() || t.category, SUBJECT_MAX),
    Description: caseDescription(t, kind === 'Lead' ? target : undefined, DESCRIPTION_MAX - trace.length) + trace,
    Origin: ctx.config.caseOrigin,
    Priority: CASE_PRIORITY[t.priority],
    ...supplied,
  };
}

const caseRow = z
  .object({
    Id: z.string(),
    CaseNumber: z.string().nullish(),
    Subject: z.string().nullish(),
    Status: z.string().nullish(),
    IsClosed: z.boolean().nullish(),
    OwnerId: z.string().nullish(),
    LastModifiedDate: z.string().nullish(),
  })
  .passthrough();
const READ_FIELDS = ['Id', 'CaseNumber', 'Subject', 'Status', 'IsClosed', 'OwnerId', 'LastModifiedDate'];

/** A Case Status (the org's words) in Liaison's terms: closed first, then the usual wording. */
export function caseStatus(status: string, isClosed: boolean): TicketStatus {
  const s = status.toLowerCase();
  if (isClosed) return /resolv|solved|fixed/.test(s) ? '已解决' : '已关闭';
  if (/^new$|^open$/.test(s)) return '新建';
  if (/wait|pending|on hold|awaiting|customer/.test(s)) return '待回复';
  if (/resolv|solved/.test(s)) return '已解决';
  return '处理中';
}

const caseUrl = (ctx: SalesforceContext, id: string) => `${ctx.session.current().instanceUrl}/lightning/r/Case/${id}/view`;

export async function getCase(ctx: SalesforceContext, remoteId: string, opts: OpOptions = {}): Promise<RemoteTicket | null> {
  if (!isSalesforceId(remoteId) || objectOfId(remoteId) !== 'Case') throw new CrmError('validation', 'Salesforce: a Case id starts with 500');
  let row;
  try {
    row = await sfCall(ctx, 'get', `sobjects/Case/${remoteId}`, { searchParams: { fields: READ_FIELDS.join(',') }, signal: opts.signal, schema: caseRow });
  } catch (e) {
    if (e instanceof CrmError && e.kind === 'not-found' && (e.vendorCode === 'NOT_FOUND' || e.vendorCode === 'ENTITY_IS_DELETED')) return null;
    throw e;
  }
  const vendorStatus = row.Status ?? '';
  const modifiedAt = parseSfDateTime(row.LastModifiedDate);
  return {
    remoteId: row.Id,
    ...(row.CaseNumber ? { remoteCode: row.CaseNumber } : {}),
    status: caseStatus(vendorStatus, row.IsClosed === true),
    vendorStatus,
    ...(row.Subject ? { subject: row.Subject } : {}),
    ...(row.OwnerId ? { assignee: row.OwnerId } : {}),
    ...(modifiedAt !== undefined ? { modifiedAt } : {}),
    url: caseUrl(ctx, row.Id),
  };
}

const lookupRows = z.object({ records: z.array(z.object({ Id: z.string(), Description: z.string().nullish() }).passthrough()) }).passthrough();

/** Without the external ID: a Case this key already made (same Subject, last day, the trace in Description). */
async function findCase(ctx: SalesforceContext, subject: string, trace: string, signal?: AbortSignal): Promise<string | undefined> {
  const soql = `SELECT Id, Description FROM Case WHERE Subject = ${soqlString(subject)} AND CreatedDate >= ${soqlDateTime(ctx.now() - LOOKUP_WINDOW_MS)} ORDER BY CreatedDate DESC LIMIT 50`;
  const r = await sfCall(ctx, 'get', 'query', { searchParams: { q: soql }, signal, schema: lookupRows });
  return r.records.find((x) => (x.Description ?? '').endsWith(trace))?.Id;
}

/**
 * The Case this key already made, by the external ID (GET sobjects/Case/{field}/{key}); undefined
 * when there is none or Case lacks the field (then writeKeyed falls back to the lookup).
 */
async function caseByKey(ctx: SalesforceContext, key: string, signal?: AbortSignal): Promise<string | undefined> {
  if (!usesExternalId(ctx, 'Case')) return undefined;
  try {
    const row = await sfCall(ctx, 'get', `sobjects/Case/${ctx.config.externalIdField}/${encodeURIComponent(key)}`, { searchParams: { fields: 'Id' }, signal, schema: z.object({ Id: z.string() }).passthrough() });
    return row.Id;
  } catch (e) {
    if (missingExternalIdField(e)) {
      ctx.noExternalId.add('Case');
      return undefined;
    }
    if (e instanceof CrmError && e.kind === 'not-found') return undefined;
    throw e;
  }
}

export async function createCase(ctx: SalesforceContext, t: TicketInput, opts: WriteOptions): Promise<RemoteRef & { status?: TicketStatus; vendorStatus?: string; url?: string }> {
  const trace = traceLine(opts.idempotencyKey);
  const fields = caseFields(ctx, t, trace);
  // A Case this key made is returned as it is: an upsert would write Priority/Description over an
  // agent's edits, and SuppliedName/Email/Phone/Company cannot be updated after the Case is created.
  const existing = await caseByKey(ctx, opts.idempotencyKey, opts.signal);
  const r = existing
    ? { id: existing }
    : await writeKeyed(ctx, 'Case', opts.idempotencyKey, fields, opts.signal, () => findCase(ctx, fields.Subject as string, trace, opts.signal));
  // The CaseNumber users quote, and the status the org gave it (its default or assignment rules).
  const read = await getCase(ctx, r.id, { ...(opts.signal ? { signal: opts.signal } : {}) }).catch(() => null);
  return {
    remoteId: r.id,
    ...(read?.remoteCode ? { remoteCode: read.remoteCode } : {}),
    ...(read ? { status: read.status, vendorStatus: read.vendorStatus } : {}),
    url: caseUrl(ctx, r.id),
  };
}

const commentRows = z.object({ records: z.array(z.object({ Id: z.string(), CommentBody: z.string().nullish() }).passthrough()) }).passthrough();
const saveResult = z.object({ id: z.string().min(1) }).passthrough();

export function commentBody(f: FollowUp, max: number): string {
  const text = f.summary?.trim() || f.content.trim();
  const next = f.nextAction?.trim() ? `\nNext: ${f.nextAction.trim()}` : '';
  return clip(`[${f.method}${f.result ? ` · ${f.result}` : ''}] ${text}${next}`, max);
}

export async function addCaseComment(ctx: SalesforceContext, caseId: string, f: FollowUp, opts: WriteOptions): Promise<RemoteRef> {
  if (!isSalesforceId(caseId) || objectOfId(caseId) !== 'Case') throw new CrmError('validation', 'Salesforce: a Case id starts with 500');
  const trace = traceLine(opts.idempotencyKey);
  // CaseComment cannot carry an external ID: the comment a lost reply made is found by its trace.
  const soql = `SELECT Id, CommentBody FROM CaseComment WHERE ParentId = ${soqlString(caseId)} ORDER BY CreatedDate DESC LIMIT 200`;
  const existing = await sfCall(ctx, 'get', 'query', { searchParams: { q: soql }, signal: opts.signal, schema: commentRows });
  const hit = existing.records.find((x) => (x.CommentBody ?? '').endsWith(trace));
  if (hit) return { remoteId: hit.Id };
  const body = commentBody(f, COMMENT_MAX - trace.length) + trace;
  const r = await sfCall(ctx, 'post', 'sobjects/CaseComment', { json: { ParentId: caseId, CommentBody: body, IsPublished: false }, write: true, signal: opts.signal, schema: saveResult });
  return { remoteId: r.id };
}
