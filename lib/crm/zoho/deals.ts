// Deals (Contacts mode): POST /crm/v8/Deals/upsert {Deal_Name, Amount, Stage, Closing_Date,
// Contact_Name:{id}, <Liaison Key>} with duplicate_check_fields on the key (setup); without the
// key, the contact's deals are read first for one carrying this key's marker in Description.
// Zoho Deals link to Contacts (and Accounts) only: in Leads mode createDeal is unsupported and
// says so. Read back: GET /crm/v8/Contacts/{id}/Deals.
import { z } from 'zod';
import type { Deal } from '../../model';
import { CrmError } from '../errors';
import type { ListOptions, RemoteDeal, RemoteRef, WriteOptions } from '../port';
import { call, notValidId, parseTime, type ZohoContext } from './client';
import { keyField } from './fields';
import { recordSchema, writeReply } from './records';
import { dealName, dealStage, liaisonStatus, noteMarker, templateInto, zohoDate, type ZohoRecord } from './values';

const listReply = z.object({ data: z.array(recordSchema), info: z.object({ more_records: z.boolean().optional() }).passthrough().optional() }).optional();

function leadsRefused(): CrmError {
  return new CrmError('unsupported', 'Zoho: Deals link to Contacts, not Leads', { userMessage: { zh_CN: 'Zoho 的商机只能关联联系人：请在 Zoho 中把该潜在客户转换为联系人，或在设置中改为写入联系人', en: 'Zoho Deals link to Contacts only: convert the lead to a contact in Zoho, or create customers as Contacts in the options' } });
}

async function dealsOf(ctx: ZohoContext, contactId: string, key: string | undefined, signal?: AbortSignal): Promise<ZohoRecord[]> {
  const out: ZohoRecord[] = [];
  for (let page = 1; page <= 10; page++) {
    const r = await call(ctx, 'get', `crm/v8/Contacts/${contactId}/Deals`, { searchParams: { fields: ['Deal_Name', 'Amount', 'Stage', 'Closing_Date', 'Created_Time', 'Owner', 'Description', ...(key ? [key] : [])].join(','), page, per_page: 200 }, schema: listReply, signal });
    out.push(...(r?.data ?? []));
    if (!r?.info?.more_records) break;
  }
  return out;
}

export async function createDeal(ctx: ZohoContext, contactId: string, d: Deal, opts: WriteOptions): Promise<RemoteRef> {
  if (ctx.config.customerModule === 'Leads') throw leadsRefused();
  const bad = notValidId(contactId);
  if (bad) throw bad;
  const key = await keyField(ctx, 'Deals', opts.signal);
  const body: Record<string, unknown> = { Deal_Name: dealName(d), Stage: dealStage(d.status), Closing_Date: zohoDate(d.closedAt ?? d.createdAt), Contact_Name: { id: contactId }, ...(d.amount !== undefined ? { Amount: d.amount } : {}) };
  templateInto(body, opts.fields, [key, 'Contact_Name', 'id']);
  if (key) {
    body[key] = opts.idempotencyKey;
    const r = await call(ctx, 'post', 'crm/v8/Deals/upsert', { json: { data: [body], duplicate_check_fields: [key] }, write: true, schema: writeReply, signal: opts.signal });
    return { remoteId: r.data[0]!.details.id };
  }
  const marker = noteMarker(opts.idempotencyKey);
  const mine = (await dealsOf(ctx, contactId, undefined, opts.signal)).find((x) => typeof x.Description === 'string' && x.Description.includes(marker));
  if (mine) return { remoteId: mine.id };
  body.Description = [typeof body.Description === 'string' ? body.Description : '', marker].filter(Boolean).join('\n');
  const r = await call(ctx, 'post', 'crm/v8/Deals', { json: { data: [body] }, write: true, schema: writeReply, signal: opts.signal });
  return { remoteId: r.data[0]!.details.id };
}

export async function listDeals(ctx: ZohoContext, contactId: string, o: ListOptions): Promise<RemoteDeal[]> {
  if (ctx.config.customerModule === 'Leads') return [];
  const bad = notValidId(contactId);
  if (bad) throw bad;
  const key = ctx.config.settings.keyFields?.Deals;
  const out: RemoteDeal[] = [];
  for (const x of await dealsOf(ctx, contactId, key, o.signal)) {
    const createdAt = parseTime(x.Created_Time as string | undefined);
    if (o.since !== undefined && (createdAt ?? 0) < o.since) continue;
    const status = liaisonStatus(x.Stage);
    const closedAt = status !== '进行中' ? parseTime(x.Closing_Date as string | undefined) : undefined;
    const owner = x.Owner as { name?: string; id?: string } | null | undefined;
    const liaisonKey = key && typeof x[key] === 'string' ? (x[key] as string) : typeof x.Description === 'string' ? /\[Liaison ([A-Za-z0-9_-]{1,100})\]/.exec(x.Description)?.[1] : undefined;
    out.push({ remoteId: x.id, product: typeof x.Deal_Name === 'string' ? x.Deal_Name : '', ...(typeof x.Amount === 'number' ? { amount: x.Amount } : {}), status, ...(closedAt !== undefined ? { closedAt } : {}), ...(createdAt !== undefined ? { createdAt } : {}), ...(owner?.name ?? owner?.id ? { by: owner?.name ?? owner?.id } : {}), ...(liaisonKey ? { liaisonKey } : {}) });
  }
  out.sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0));
  return o.limit ? out.slice(0, o.limit) : out;
}
