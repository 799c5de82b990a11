// 跟进记录 (follow records):
// - add: POST /v1.0/crm/followRecords/batch {operatorUserId, instanceList:[{dataArray:[{key,
//   value, extendValue}], bizExtMap}]} → {results:[{success, instanceId, errorCode, errorMsg}]}
//   (batch-add-follow-up-record-data). The record links its customer through the
//   follow_record_related_customer Lookup (extendValue {quote, list:[{instanceId, bizType}]}, the
//   shape the follow-record query page returns) and carries the text in the form's content field;
//   that field is the mapping's followUp.content, else the form's first Textarea read from
//   oapi /topapi/crm/objectmeta/followrecord/describe (the follow-record metadata page);
// - read: POST /v1.0/crm/targetFollowRecords/query {followTargetDataId, followTargetType:
//   "customer", maxResults, nextToken} → {result:{resultList:[{recordInstId, followContent:[{key,
//   value, bizAlias, extendValue}], creatorUserId, gmtCreateMilliseconds, …}], hasMore, nextToken}}
//   (the SDK's FindTargetRelatedFollowRecords; no doc page found for it).
// Idempotency by lookup: the text ends with a [Liaison <key>] line; a create reads the
// customer's records first and returns the one carrying this key.
import { z } from 'zod';
import type { FollowUp } from '../../model';
import { FOLLOW_UP_METHODS, FOLLOW_UP_RESULTS } from '../../model/enums';
import { CrmError } from '../errors';
import type { ListOptions, RemoteFollowUp, RemoteRef, WriteOptions } from '../port';
import { call, memo, oapiCall, type DingtalkContext } from './client';
import { checkId } from './customers';
import { dingtalkError } from './errors';
import { followUpText, keyMarker, markerIn, parseDingTime, readFollowUpText } from './values';

const metaReply = z.object({
  result: z.object({ fields: z.array(z.object({ name: z.string(), label: z.string().optional(), type: z.string().optional(), customized: z.boolean().optional(), nillable: z.boolean().optional() }).passthrough()) }).passthrough(),
});
const item = z.object({ key: z.string().optional(), value: z.string().nullable().optional(), bizAlias: z.string().nullable().optional(), extendValue: z.string().nullable().optional() }).passthrough();
const recordsReply = z.object({
  result: z
    .object({
      resultList: z.array(z.object({ recordInstId: z.string().min(1), followContent: z.array(item).optional(), creatorUserId: z.string().optional(), followTargetDataId: z.string().optional(), gmtCreateMilliseconds: z.string().optional(), gmtModifiedMilliseconds: z.string().optional() }).passthrough()).optional(),
      hasMore: z.boolean().optional(),
      nextToken: z.string().nullable().optional(),
    })
    .optional(),
});
const addReply = z.object({ results: z.array(z.object({ success: z.boolean().optional(), instanceId: z.string().optional(), errorCode: z.string().optional(), errorMsg: z.string().optional() }).passthrough()).min(1) });

export type FollowRecordField = z.infer<typeof metaReply>['result']['fields'][number];

/** The follow-record form's fields (oapi objectmeta/followrecord/describe), once per adapter. */
export function followRecordFields(ctx: DingtalkContext, signal?: AbortSignal): Promise<FollowRecordField[]> {
  return memo(ctx, 'followRecordMeta', async () => (await oapiCall(ctx, 'topapi/crm/objectmeta/followrecord/describe', { json: {}, schema: metaReply, signal })).result.fields);
}

async function contentField(ctx: DingtalkContext, signal?: AbortSignal): Promise<string> {
  const mapped = ctx.config.mapping.followUp?.content;
  if (mapped) return mapped;
  const fields = await followRecordFields(ctx, signal);
  const f = fields.find((x) => x.type === 'Textarea') ?? fields.find((x) => x.type === 'Text' && x.customized);
  if (!f) {
    throw new CrmError('validation', 'DingTalk: the follow-record form has no text field for the content', {
      vendorCode: 'NO_CONTENT_FIELD',
      userMessage: { zh_CN: '钉钉「跟进记录」表单没有多行文本字段可写跟进内容：请在客户管理的表单设置中添加一个，或在字段映射中指定', en: 'The DingTalk follow-record form has no multi-line text field for the content: add one in the CRM form settings, or name one in the field mapping' },
    });
  }
  return f.name;
}

type Row = NonNullable<NonNullable<z.infer<typeof recordsReply>['result']>['resultList']>[number];

async function records(ctx: DingtalkContext, customerId: string, max: number, signal?: AbortSignal): Promise<Row[]> {
  const out: Row[] = [];
  let nextToken: string | undefined;
  while (out.length < max) {
    const r = await call(ctx, 'post', 'v1.0/crm/targetFollowRecords/query', {
      json: { followTargetDataId: customerId, followTargetType: 'customer', maxResults: 100, ...(nextToken ? { nextToken } : {}) },
      schema: recordsReply,
      signal,
    });
    out.push(...(r.result?.resultList ?? []));
    if (!r.result?.hasMore || !r.result.nextToken) break;
    nextToken = r.result.nextToken;
  }
  return out;
}

const textIn = (row: Row, field: string) => row.followContent?.find((c) => c.key === field)?.value ?? '';

export async function addFollowUp(ctx: DingtalkContext, customerId: string, f: FollowUp, opts: WriteOptions): Promise<RemoteRef> {
  checkId(customerId);
  const field = await contentField(ctx, opts.signal);
  const marker = keyMarker(opts.idempotencyKey);
  const earlier = (await records(ctx, customerId, 500, opts.signal)).find((r) => textIn(r, field).includes(marker));
  if (earlier) return { remoteId: earlier.recordInstId };
  const dataArray: { key: string; value: string; extendValue?: string }[] = [
    { key: 'follow_record_related_customer', value: JSON.stringify([customerId]), extendValue: JSON.stringify({ quote: 1, list: [{ instanceId: customerId, bizType: ctx.config.relationType }] }) },
    { key: field, value: followUpText(f, opts.idempotencyKey) },
  ];
  for (const [key, value] of Object.entries(opts.fields ?? {})) {
    if (key === field || key === 'follow_record_related_customer') throw new CrmError('validation', `DingTalk: ${key} is reserved by Liaison and cannot be templated`, { vendorCode: 'RESERVED_FIELD' });
    dataArray.push({ key, value: String(value) });
  }
  const r = await call(ctx, 'post', 'v1.0/crm/followRecords/batch', {
    json: { operatorUserId: ctx.config.userId, instanceList: [{ dataArray, bizExtMap: { liaisonKey: opts.idempotencyKey } }] },
    write: true,
    schema: addReply,
    signal: opts.signal,
  });
  const first = r.results[0]!;
  if (first.success === false || !first.instanceId) throw dingtalkError({ code: first.errorCode ?? 'followRecord.failed', ...(first.errorMsg ? { message: first.errorMsg } : {}) }, undefined, ctx.now(), true);
  return { remoteId: first.instanceId };
}

export async function listFollowUps(ctx: DingtalkContext, customerId: string, o: ListOptions = {}): Promise<RemoteFollowUp[]> {
  checkId(customerId);
  const field = await contentField(ctx, o.signal);
  const rows = await records(ctx, customerId, Math.max(o.limit ?? 100, 1), o.signal);
  const out: RemoteFollowUp[] = [];
  for (const row of rows) {
    const at = parseDingTime(row.gmtCreateMilliseconds);
    if (at === undefined || (o.since !== undefined && at < o.since)) continue;
    const raw = textIn(row, field);
    const parsed = readFollowUpText(raw);
    const key = markerIn(raw);
    out.push({
      remoteId: row.recordInstId,
      at,
      content: parsed.content,
      ...((FOLLOW_UP_METHODS as readonly string[]).includes(parsed.method ?? '') ? { method: parsed.method as RemoteFollowUp['method'] } : {}),
      ...((FOLLOW_UP_RESULTS as readonly string[]).includes(parsed.result ?? '') ? { result: parsed.result as RemoteFollowUp['result'] } : {}),
      ...(parsed.nextAction ? { nextAction: parsed.nextAction } : {}),
      ...(row.creatorUserId ? { by: row.creatorUserId } : {}),
      ...(key ? { liaisonKey: key } : {}),
    });
  }
  out.sort((a, b) => b.at - a.at);
  return o.limit ? out.slice(0, o.limit) : out;
}
