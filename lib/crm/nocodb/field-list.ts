// The columns of the connection's three tables (the meta API, meta.ts), for the mapping editor
// (listFields) and for typing template values (template-cells.ts). Which columns a template may
// not write is decided here: the primary key, Liaison's own ids (记录ID, 成交ID), links to other
// tables (客户 and any other), and the columns NocoDB fills itself (system, formula, lookup…).
import { CrmError } from '../errors';
import type { CrmField, CrmFieldList, FieldSection } from '../port';
import type { NocodbContext } from './client';
import { isTrue, selectOptions, tableMeta, type Column } from './meta';
import { DATE_TYPES, LINK_TYPES, NUMBER_TYPES, type TableKey } from './schema';
import { tableId } from './tables';
import type { FieldNames } from './values';

export const SECTION_TABLE: Record<FieldSection, TableKey> = { customer: 'customers', followUp: 'followUps', deal: 'deals' };

/** Column types a template value can fill. */
export const WRITABLE_TYPES = new Set([
  'SingleLineText', 'LongText', 'Email', 'URL', 'PhoneNumber', 'SingleSelect', 'MultiSelect', 'Checkbox', 'Time', 'Year', ...NUMBER_TYPES, ...DATE_TYPES,
]);

export function reservedByName(section: FieldSection, names: FieldNames, title: string): string | undefined {
  if (title === 'Id' || title === 'id') return 'the record id';
  if (section === 'followUp' && title === names.followUp.recordId) return 'the follow-up id a retry looks up';
  if (section === 'deal' && title === names.deal.dealId) return 'the deal id a retry looks up';
  return undefined;
}

/** Why a column cannot take a template value: reserved (key, id, link), or filled by NocoDB. */
export function unwritable(section: FieldSection, names: FieldNames, c: Column): { reserved: string } | { computed: string } | undefined {
  const byName = reservedByName(section, names, c.title);
  if (byName) return { reserved: byName };
  if (isTrue(c.pk) || c.uidt === 'ID') return { reserved: 'the record id' };
  if (LINK_TYPES.includes(c.uidt) || c.uidt === 'ForeignKey') return { reserved: 'a link to other records' };
  if (isTrue(c.system) || !WRITABLE_TYPES.has(c.uidt)) return { computed: c.uidt };
  return undefined;
}

function toField(c: Column): CrmField {
  const options = selectOptions(c) ?? [];
  return { name: c.title, type: c.uidt, ...(options.length ? { options } : {}) };
}

/**
 * The writable columns of the customer, follow-up and deal tables. The customer table is the
 * point of the connection, so its failure is the call's; a follow-up or deal table that is not
 * configured or found leaves its section out ("not known").
 */
export async function listFields(ctx: NocodbContext, names: FieldNames, signal?: AbortSignal): Promise<CrmFieldList> {
  const out: CrmFieldList = {};
  for (const [section, key] of Object.entries(SECTION_TABLE) as [FieldSection, TableKey][]) {
    let columns: Column[];
    try {
      columns = (await tableMeta(ctx, await tableId(ctx, key, signal), signal)).columns;
    } catch (e) {
      if (section !== 'customer' && e instanceof CrmError && (e.kind === 'validation' || e.kind === 'not-found')) continue;
      throw e;
    }
    out[section] = columns.filter((c) => !unwritable(section, names, c)).map(toField);
  }
  return out;
}
