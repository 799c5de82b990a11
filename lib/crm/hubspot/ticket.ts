// Tickets → HubSpot tickets (tickets guide, developers.hubspot.com/docs/guides/api/crm/objects/tickets;
// objects v3 and associations v4 OpenAPI files in shared/specs; read 2026-12-06).
//
// - createTicket: subject, content (description, category, the chat lines), hs_pipeline and
//   hs_pipeline_stage (settings ticket_pipeline / ticket_stage; default pipeline "0" and its first
//   open stage, read from the pipeline), hs_ticket_priority LOW/MEDIUM/HIGH/URGENT,
//   hs_ticket_category, source_type CHAT. Idempotent on tickets.liaison_id (a unique custom
//   property, created on first use like the contact one): the key is looked up first
//   (GET …/tickets/{key}?idProperty=liaison_id), so a retry after a lost reply returns the first
//   attempt's ticket without writing again (an upsert would move a stage a colleague already
//   changed back to the first), and only then created with batch/upsert on that key (a create that
//   raced another attempt lands on the same record). Then associated with the contact by the
//   default association (PUT /crm/v4/objects/tickets/{id}/associations/default/contacts/{contactId},
//   idempotent: ticket→contact type 16).
// - getTicket: the ticket's hs_pipeline_stage through its pipeline's stages: metadata.ticketState
//   CLOSED → 已关闭 (已解决 when the stage's label says resolved/solved), the pipeline's first stage
//   → 新建, a "waiting on contact/customer" stage → 待回复, any other open stage → 处理中.
// - addTicketComment: a note (hs_note_body with the follow-up's marker, hs_timestamp) associated
//   with the ticket (note→ticket 228), created once: the ticket's notes are searched for the same
//   hs_timestamp first (associations.ticket), as follow-up notes are on contacts (engagement.ts).
import { z } from 'zod';
import type { FollowUp } from '../../model';
import type { TicketCategory, TicketPriority, TicketStatus } from '../../model/enums';
import { CrmError } from '../errors';
import type { OpOptions, RemoteRef, RemoteTicket, TicketInput, WriteOptions } from '../port';
import { call, objectPath, type HubspotContext } from './client';
import { associationTo, createObject, getObject, objectSchema, search, type Filter } from './objects';
import { ticketPipeline, type TicketPipeline, type TicketStage } from './pipelines';
import { LIAISON_ID_PROPERTY } from './spec';
import { upsertItems } from './upsert';
import { noteBody, withNoteMarker } from './values';

export const TICKET_PRIORITY: Record<TicketPriority, 'LOW' | 'MEDIUM' | 'HIGH' | 'URGENT'> = { 低: 'LOW', 中: 'MEDIUM', 高: 'HIGH', 紧急: 'URGENT' };
/** hs_ticket_category's default options: PRODUCT_ISSUE, BILLING_ISSUE, FEATURE_REQUEST, GENERAL_INQUIRY. */
export const TICKET_CATEGORY: Record<TicketCategory, string> = { 售后: 'PRODUCT_ISSUE', 技术支持: 'PRODUCT_ISSUE', 客户服务: 'GENERAL_INQUIRY', 产品反馈: 'FEATURE_REQUEST' };
/** HUBSPOT_DEFINED note→ticket (associations guide, "Association type IDs"). */
export const NOTE_TO_TICKET = 228;
const READ_PROPERTIES = ['subject', 'hs_pipeline', 'hs_pipeline_stage', 'hs_ticket_priority', 'hubspot_owner_id', 'hs_lastmodifieddate', LIAISON_ID_PROPERTY];

const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
const clip = (s: string, max: number) => {
  const chars = [...s];
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
};

export function ticketContent(t: TicketInput): string {
  const lines = [t.description.trim(), `分类 / Category: ${t.category}`];
  if (t.messages.length) {
    lines.push('聊天记录 / Chat:');
    for (const m of t.messages) lines.push(`${stamp(m.at)} ${m.from === 'customer' ? '客户' : '我'}: ${m.text.trim()}`);
  }
  return clip(lines.filter(Boolean).join('\n'), 65_000);
}

// ---- the unique key property on tickets ----

const propertySchema = z.object({ name: z.string(), hasUniqueValue: z.boolean().optional() }).passthrough();
const ticketKeyReady = new Map<string, Promise<void>>();

/** tickets.liaison_id exists (created when missing), once per connection per worker. */
export function ensureTicketKey(ctx: HubspotContext, signal?: AbortSignal): Promise<void> {
  const key = ctx.config.connectionId;
  let p = ticketKeyReady.get(key);
  if (!p) {
    p = (async () => {
      try {
        await call(ctx, 'get', `crm/v3/properties/tickets/${LIAISON_ID_PROPERTY}`, { signal, schema: propertySchema });
        return;
      } catch (e) {
        if (!(e instanceof CrmError && e.kind === 'not-found')) throw e;
      }
      try {
        await call(ctx, 'post', 'crm/v3/properties/tickets', {
          json: { name: LIAISON_ID_PROPERTY, label: 'Liaison ID', description: 'Liaison ticket key (unique; written by the Liaison extension, do not edit)', groupName: 'ticketinformation', type: 'string', fieldType: 'text', hasUniqueValue: true, formField: false },
          write: true,
          signal,
          schema: propertySchema,
        });
      } catch (e) {
        if (!(e instanceof CrmError && e.kind === 'conflict')) throw e; // created meanwhile: fine
      }
    })();
    ticketKeyReady.set(key, p);
    p.catch(() => ticketKeyReady.delete(key));
  }
  return p;
}

/** Tests only. */
export function resetTicketKeyCache(): void {
  ticketKeyReady.clear();
}

// ---- status ----

export function stageStatus(pipeline: TicketPipeline, stage: TicketStage): TicketStatus {
  const label = stage.label.toLowerCase();
  if (stage.state === 'CLOSED') return /resolv|solved|已解决/.test(label) ? '已解决' : '已关闭';
  if (pipeline.stages[0]?.id === stage.id) return '新建';
  if (/waiting on (contact|customer)|awaiting (contact|customer)|待回复|等待客户/.test(label)) return '待回复';
  return '处理中';
}

async function startStage(ctx: HubspotContext, signal?: AbortSignal): Promise<{ pipeline: string; stage: string }> {
  const pipelineId = ctx.config.ticketPipeline ?? '0';
  if (ctx.config.ticketStage) return { pipeline: pipelineId, stage: ctx.config.ticketStage };
  const p = await ticketPipeline(ctx, pipelineId, signal);
  const first = p.stages.find((s) => s.state !== 'CLOSED') ?? p.stages[0];
  if (!first) throw new CrmError('validation', `HubSpot: ticket pipeline ${pipelineId} has no stages`);
  return { pipeline: pipelineId, stage: first.id };
}

const ticketUrl = (ctx: HubspotContext, id: string) => (ctx.config.portalId ? `https://app.hubspot.com/contacts/${ctx.config.portalId}/ticket/${id}` : undefined);

async function toRemoteTicket(ctx: HubspotContext, o: z.output<typeof objectSchema>, signal?: AbortSignal): Promise<RemoteTicket> {
  const p = o.properties;
  const pipelineId = p.hs_pipeline ?? '0';
  const stageId = p.hs_pipeline_stage ?? '';
  let pipeline = await ticketPipeline(ctx, pipelineId, signal);
  let stage = pipeline.stages.find((s) => s.id === stageId);
  if (!stage) {
    // A stage added since the cache was filled: read the pipeline again once.
    pipeline = await ticketPipeline(ctx, pipelineId, signal, true);
    stage = pipeline.stages.find((s) => s.id === stageId);
  }
  if (!stage) throw new CrmError('validation', `HubSpot: ticket ${o.id} is in stage ${stageId}, which pipeline ${pipelineId} does not list`);
  const modified = p.hs_lastmodifieddate ? Date.parse(p.hs_lastmodifieddate) : NaN;
  const url = ticketUrl(ctx, o.id);
  return {
    remoteId: o.id,
    remoteCode: o.id,
    status: stageStatus(pipeline, stage),
    vendorStatus: stage.label,
    ...(p.subject ? { subject: p.subject } : {}),
    ...(p.hubspot_owner_id ? { assignee: p.hubspot_owner_id } : {}),
    ...(Number.isFinite(modified) ? { modifiedAt: modified } : {}),
    ...(url ? { url } : {}),
  };
}

// ---- operations ----

async function byKey(ctx: HubspotContext, key: string, signal?: AbortSignal) {
  try {
    return await call(ctx, 'get', objectPath('tickets', key), { searchParams: { idProperty: LIAISON_ID_PROPERTY, properties: READ_PROPERTIES.join(','), archived: false }, signal, schema: objectSchema });
  } catch (e) {
    if (e instanceof CrmError && e.kind === 'not-found') return null;
    throw e;
  }
}

export async function createTicket(ctx: HubspotContext, t: TicketInput, opts: WriteOptions): Promise<RemoteRef & { status?: TicketStatus; vendorStatus?: string; url?: string }> {
  const contactId = t.remoteCustomerId;
  if (!contactId || !/^\d+$/.test(contactId)) {
    throw new CrmError('validation', 'HubSpot: a ticket is associated with a contact; the customer is not linked to HubSpot', {
      userMessage: { zh_CN: 'HubSpot 工单需要关联联系人：请先把该客户同步到 HubSpot', en: 'A HubSpot ticket needs the contact: sync the customer to HubSpot first' },
    });
  }
  const key = opts.idempotencyKey;
  await ensureTicketKey(ctx, opts.signal);
  let ticket = await byKey(ctx, key, opts.signal);
  if (!ticket) {
    const start = await startStage(ctx, opts.signal);
    const properties: Record<string, string> = {
      subject: clip(t.subject.trim() || t.category, 255),
      content: ticketContent(t),
      hs_pipeline: start.pipeline,
      hs_pipeline_stage: start.stage,
      hs_ticket_priority: TICKET_PRIORITY[t.priority],
      hs_ticket_category: TICKET_CATEGORY[t.category],
      source_type: 'CHAT',
      ...(t.assignee && /^\d+$/.test(t.assignee) ? { hubspot_owner_id: t.assignee } : {}),
    };
    const [r] = await upsertItems(ctx, 'tickets', [{ liaisonId: key, properties }], opts.signal);
    if (!r) throw new CrmError('unknown-outcome', 'HubSpot upsert returned no result');
    if (!r.ok) throw r.error;
    ticket = { id: r.ref.remoteId, properties: { ...properties, hs_pipeline: start.pipeline, hs_pipeline_stage: start.stage } };
  }
  // Idempotent: a retry whose association was lost adds it now, a second one changes nothing.
  const path = ['crm/v4/objects/tickets', ticket.id, 'associations/default/contacts', contactId].map((s, i) => (i % 2 === 0 ? s : encodeURIComponent(s))).join('/');
  await call(ctx, 'put', path, { write: true, signal: opts.signal, schema: z.unknown() });
  const read = await toRemoteTicket(ctx, ticket, opts.signal).catch(() => undefined);
  const url = ticketUrl(ctx, ticket.id);
  return { remoteId: ticket.id, remoteCode: ticket.id, ...(read ? { status: read.status, vendorStatus: read.vendorStatus } : {}), ...(url ? { url } : {}) };
}

export async function getTicket(ctx: HubspotContext, remoteId: string, opts: OpOptions = {}): Promise<RemoteTicket | null> {
  if (!/^\d+$/.test(remoteId)) throw new CrmError('validation', 'HubSpot: a ticket id is a number');
  const o = await getObject(ctx, 'tickets', remoteId, READ_PROPERTIES, opts.signal);
  return o ? toRemoteTicket(ctx, o, opts.signal) : null;
}

export async function addTicketNote(ctx: HubspotContext, ticketId: string, f: FollowUp, opts: WriteOptions): Promise<RemoteRef> {
  if (!/^\d+$/.test(ticketId)) throw new CrmError('validation', 'HubSpot: a ticket id is a number');
  const properties = { hs_note_body: withNoteMarker(noteBody(f), f.id), hs_timestamp: String(Math.round(f.at)) };
  const filters: Filter[] = [
    { propertyName: 'associations.ticket', operator: 'EQ', value: ticketId },
    { propertyName: 'hs_timestamp', operator: 'EQ', value: properties.hs_timestamp },
  ];
  const found = await search(ctx, 'notes', { filterGroups: [{ filters }], properties: ['hs_timestamp'], limit: 10 }, { maxPages: 1, signal: opts.signal });
  if (found[0]) return { remoteId: found[0].id };
  const created = await createObject(ctx, 'notes', properties, [associationTo(ticketId, NOTE_TO_TICKET)], opts.signal);
  return { remoteId: created.id };
}
