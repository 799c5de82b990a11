// The read side for customers: one record by id (getCustomer) and the records modified since a
// time (changesSince). The marker is the record's last_modified_time (epoch ms as a string):
// Bitable has no version or ETag, so updates cannot be guarded (read.conditionalUpdate false).
//
// changesSince filters on the customers table's 最后更新时间 field (type 1002, ModifiedTime): a
// filter needs a field, and the record's own last_modified_time is not one. The documented date
// filter (记录筛选参数填写说明, 2025-07-21) resolves to CALENDAR DAYS in the Base's time zone
// ("第二个元素虽然是时间戳，但是实际筛选时，会被转为文档时区当天的零点") and has no isGreaterEqual, so the
// request asks for records modified on a day after `since − 2 days` (whatever the Base's zone, that
// includes the whole day of `since`), sorted newest first; the adapter drops the few records of
// that window older than `since` and stops paging at the first one. Sorting newest first also means
// a record edited while the pages are read moves to pages already read (it comes again next pull),
// never past the reader. Without a modified-time field the call is refused as 'unsupported' and
// the pull reads customers one by one (getCustomer).
import { CrmError } from '../errors';
import type { ChangesOptions, ChangesPage, RemoteCustomerRecord } from '../port';
import type { FeishuContext } from './client';
import { decodeCustomer, textOf } from './decode';
import { tableFields } from './field-list';
import type { FeishuField } from './fields';
import { batchGetRecords, searchPage, SEARCH_PAGE_MAX, type FeishuRecord } from './records';
import { FT, MODIFIED_TIME_FIELD } from './schema';
import { tableId } from './tables';
import { fieldNames, type FieldNames } from './values';

const DAY = 86_400_000;
/** Records per changesSince page when the caller does not say. */
export const CHANGES_PAGE_DEFAULT = 100;

/** A customer record in Liaison terms, with its marker. */
export function customerRecord(rec: FeishuRecord, names: FieldNames): RemoteCustomerRecord {
  const { fields, unreadable } = decodeCustomer(rec.fields, names);
  const code = names.customer.code ? textOf(rec.fields[names.customer.code]) : undefined;
  const modified = rec.last_modified_time;
  return {
    remoteId: rec.record_id,
    ...(code ? { remoteCode: code.trim() } : {}),
    ...(modified !== undefined ? { marker: String(modified), modifiedAt: modified } : {}),
    fields,
    ...(unreadable.length ? { unreadable } : {}),
  };
}

/** One customer by record id; null when the table no longer has it. */
export async function getCustomer(ctx: FeishuContext, remoteId: string, signal?: AbortSignal): Promise<RemoteCustomerRecord | null> {
  const names = fieldNames(ctx.config);
  const table = await tableId(ctx, 'customers', signal);
  const got = await batchGetRecords(ctx, table, [remoteId], signal);
  if (got.absent_record_ids.includes(remoteId)) return null;
  if (got.forbidden_record_ids.includes(remoteId)) {
    throw new CrmError('auth', `Feishu: record ${remoteId} is hidden from the app by the Base's advanced permissions`, {
      userMessage: {
        zh_CN: '多维表格开启了高级权限，应用读不到这条客户记录：请在「…」→「更多」→「添加文档应用」中给应用可管理权限',
        en: 'The Base’s advanced permissions hide this customer from the app: give the app manage access under "…" → "More" → "Add document app"',
      },
    });
  }
  const rec = got.records.find((r) => r.record_id === remoteId)!;
  return customerRecord(rec, names);
}

/** The customers table's modified-time field: 最后更新时间 when it has one by that name, else any of the type. */
export function modifiedTimeField(fields: FeishuField[]): FeishuField | undefined {
  const all = fields.filter((f) => f.type === FT.modifiedTime);
  return all.find((f) => f.field_name === MODIFIED_TIME_FIELD) ?? all[0];
}

export async function changesSince(ctx: FeishuContext, opts: ChangesOptions): Promise<ChangesPage> {
  const { since, signal } = opts;
  if (!Number.isFinite(since) || since < 0) throw new CrmError('validation', `Feishu changesSince: since must be epoch ms, got ${since}`);
  const names = fieldNames(ctx.config);
  const table = await tableId(ctx, 'customers', signal);
  const modified = modifiedTimeField(await tableFields(ctx, table, signal));
  if (!modified) {
    throw new CrmError('unsupported', `Feishu: the customers table has no modified-time field (type ${FT.modifiedTime}) to filter on`, {
      userMessage: {
        zh_CN: `客户信息表没有「${MODIFIED_TIME_FIELD}」字段，无法只读取有变动的客户：请在表格中添加「${MODIFIED_TIME_FIELD}」类型的字段，或重新「创建/检查推荐表格」；在此之前按客户逐个读取`,
        en: `The customers table has no "${MODIFIED_TIME_FIELD}" (modified time) field, so changed customers cannot be asked for: add one in the Base, or run "create or check the recommended tables" again; until then customers are read one by one`,
      },
    });
  }
  const mapped = [...new Set(Object.entries(names.customer).filter(([k]) => k !== 'syncState' && k !== 'createdAt' && k !== 'lastContactAt').map(([, n]) => n!))];
  const page = await searchPage(
    ctx,
    table,
    {
      field_names: [...new Set([...mapped, modified.field_name])],
      filter: { conjunction: 'and', conditions: [{ field_name: modified.field_name, operator: 'isGreater', value: ['ExactDate', String(Math.max(0, since - 2 * DAY))] }] },
      sort: [{ field_name: modified.field_name, desc: true }],
      automatic_fields: true,
    },
    { pageSize: Math.min(Math.max(1, Math.floor(opts.limit ?? CHANGES_PAGE_DEFAULT)), SEARCH_PAGE_MAX), pageToken: opts.page, signal },
  );
  const records: RemoteCustomerRecord[] = [];
  let passedSince = false;
  for (const rec of page.items) {
    // The field's own value decides (it is what the filter and the sort used).
    const at = rec.fields[modified.field_name];
    if (typeof at !== 'number') throw new CrmError('validation', `unexpected Feishu reply from records/search: ${modified.field_name} of ${rec.record_id} is not a time`);
    if (at < since) {
      passedSince = true;
      continue;
    }
    records.push(customerRecord(rec, names));
  }
  return { records, ...(!passedSince && page.has_more && page.page_token ? { next: page.page_token } : {}) };
}
