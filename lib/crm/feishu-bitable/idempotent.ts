// A record create keyed by the outbox's idempotency key: client_token = that key as a uuidv4, so
// a retry after a lost reply returns the record the first attempt made (no duplicate). If the
// token was already used with DIFFERENT data (the record was edited between attempts) Feishu
// answers 1255006; then the record the first attempt made is found by its own key field
// (客户ID / 记录ID / 成交ID) instead of creating a second one.
import { CrmError } from '../errors';
import type { FeishuContext } from './client';
import { createRecord, searchAll, type FeishuRecord } from './records';
import { toUuidV4 } from './uuid';

export async function createIdempotent(
  ctx: FeishuContext,
  table: string,
  fields: Record<string, unknown>,
  idempotencyKey: string,
  /** Field and value that identify the record Liaison made (e.g. 记录ID = the follow-up id). */
  reconcileBy: { field: string; value: string } | undefined,
  signal?: AbortSignal,
): Promise<FeishuRecord> {
  const token = await toUuidV4(idempotencyKey);
  try {
    return await createRecord(ctx, table, fields, token, signal);
  } catch (e) {
    if (!(e instanceof CrmError) || e.vendorCode !== '1255006' || !reconcileBy) throw e;
    const found = await searchAll(ctx, table, { field_names: [reconcileBy.field], filter: { conjunction: 'and', conditions: [{ field_name: reconcileBy.field, operator: 'is', value: [reconcileBy.value] }] } }, { maxPages: 1, signal });
    if (found.length === 1) return found[0]!;
    throw e;
  }
}
