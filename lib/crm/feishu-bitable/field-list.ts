// The fields of the connection's three tables (GET …/tables/:table_id/fields, paged), for the
// mapping editor (listFields) and for typing template values (template-cells.ts). One listing per
// table, kept for at most five minutes per adapter instance (ttl-memo.ts). Which fields a
// template may not write is decided here too: Liaison's own keys (记录ID, 成交ID), the links to
// other records (客户ID and any other link) and the fields Bitable computes itself.
import { CrmError } from '../errors';
import type { CrmField, CrmFieldList, FieldSection } from '../port';
import type { FeishuContext } from './client';
import { listFields as listTableFields, type FeishuField } from './fields';
import { FT, type TableKey } from './schema';
import { tableId } from './tables';
import type { FieldNames } from './values';

export const SECTION_TABLE: Record<FieldSection, TableKey> = { customer: 'customers', followUp: 'followUps', deal: 'deals' };

/** Bitable's type names for the types a template can fill (多维表格字段类型). */
export const WRITABLE_TYPE_NAMES: Readonly<Record<number, string>> = {
  [FT.text]: 'text', [FT.number]: 'number', [FT.singleSelect]: 'singleSelect', [FT.multiSelect]: 'multiSelect', [FT.dateTime]: 'dateTime',
  [FT.checkbox]: 'checkbox', [FT.user]: 'user', [FT.phone]: 'phone', [FT.url]: 'url',
};
/** Types no template value fits: attachment, lookup, formula, location, group, created/modified time and user, auto number. */
const COMPUTED_TYPE_NAMES: Readonly<Record<number, string>> = {
  17: 'attachment', 19: 'lookup', 20: 'formula', 22: 'location', 23: 'group', 1001: 'createdTime', 1002: 'modifiedTime', 1003: 'createdUser', 1004: 'modifiedUser', 1005: 'autoNumber',
};
export const isLink = (type: number) => type === FT.singleLink || type === FT.duplexLink;

export function tableFields(ctx: FeishuContext, table: string, signal?: AbortSignal): Promise<FeishuField[]> {
  return ctx.fieldLists.get(table, () => listTableFields(ctx, table, signal));
}

/** Liaison's own fields of a section by name (known without listing the table). */
export function reservedByName(section: FieldSection, names: FieldNames, name: string): string | undefined {
  if (section === 'followUp' && name === names.followUp.recordId) return 'the follow-up id a retry looks up';
  if (section === 'deal' && name === names.deal.dealId) return 'the deal id a retry looks up';
  if ((section === 'followUp' && name === names.followUp.customer) || (section === 'deal' && name === names.deal.customer)) return 'the link to the customer';
  return undefined;
}

/** Why a listed field cannot take a template value: reserved, or computed by Bitable. */
export function unwritable(section: FieldSection, names: FieldNames, f: FeishuField): { reserved: string } | { computed: string } | undefined {
  const byName = reservedByName(section, names, f.field_name);
  if (byName) return { reserved: byName };
  if (isLink(f.type)) return { reserved: 'a link to other records' };
  if (WRITABLE_TYPE_NAMES[f.type] === undefined) return { computed: COMPUTED_TYPE_NAMES[f.type] ?? `type ${f.type}` };
  return undefined;
}

function toField(f: FeishuField): CrmField {
  const raw = f.property?.options;
  const options = Array.isArray(raw) ? raw.map((o) => (o && typeof o === 'object' ? (o as { name?: unknown }).name : undefined)).filter((n): n is string => typeof n === 'string') : [];
  return { name: f.field_name, type: WRITABLE_TYPE_NAMES[f.type] ?? String(f.type), ...(options.length ? { options } : {}) };
}

/**
 * The writable fields of the customer, follow-up and deal tables. The customer table is the
 * point of the connection, so its failure is the call's; a follow-up or deal table that is not
 * configured or found leaves its section out ("not known").
 */
export async function listFields(ctx: FeishuContext, names: FieldNames, signal?: AbortSignal): Promise<CrmFieldList> {
  const out: CrmFieldList = {};
  for (const [section, key] of Object.entries(SECTION_TABLE) as [FieldSection, TableKey][]) {
    let fields: FeishuField[];
    try {
      fields = await tableFields(ctx, await tableId(ctx, key, signal), signal);
    } catch (e) {
      if (section !== 'customer' && e instanceof CrmError && (e.kind === 'validation' || e.kind === 'not-found')) continue;
      throw e;
    }
    out[section] = fields.filter((f) => !unwritable(section, names, f)).map(toField);
  }
  return out;
}
