// One customer record: read it (custom/add.asp?edit=1 → BillClass) and save it (custom/add.asp
// ?intsort=N, cmdkey __sys_dosave). A save posts the whole form, so an update reads the record,
// merges the change and posts every editable field; fields left out would be emptied.
import { CrmError } from '../errors';
import { PATHS, type ZhibangClient } from './client';
import { bill } from './wire';
import { isEditable } from './fields';

export interface ZbCustomer {
  ord: string;
  intsort?: 1 | 2;
  fields: Record<string, string>;
  /** An allocated ord stays an empty draft until a save succeeds. */
  saved: boolean;
}

export async function readCustomer(client: ZhibangClient, ord: string, signal?: AbortSignal): Promise<ZbCustomer> {
  const doc = await client.v1(PATHS.customAdd, '', { ord }, { searchParams: { edit: '1' }, ...(signal ? { signal } : {}) });
  const b = bill(doc);
  const sort = b.fields.intsort ?? b.fields.sort2;
  return {
    ord: b.value || ord,
    ...(sort === '1' || sort === '2' ? { intsort: Number(sort) as 1 | 2 } : {}),
    fields: b.fields,
    saved: !!b.fields.name?.trim(),
  };
}

export async function allocateOrd(client: ZhibangClient, intsort: 1 | 2, signal?: AbortSignal): Promise<string> {
  // A write: the ERP reserves the id. A lost reply leaves an orphan draft, never a customer.
  const doc = await client.v1(PATHS.customAdd, '', { edit: '', intsort: String(intsort) }, { write: true, ...(signal ? { signal } : {}) });
  const ord = bill(doc).value;
  if (!/^\d+$/.test(ord)) throw new CrmError('validation', '智邦ERP: allocation returned no customer id');
  return ord;
}

export async function saveCustomer(client: ZhibangClient, ord: string, intsort: 1 | 2, fields: Record<string, string>, signal?: AbortSignal): Promise<void> {
  await client.v1(PATHS.customAdd, '__sys_dosave', { ord, ...fields }, { write: true, searchParams: { intsort: String(intsort) }, ...(signal ? { signal } : {}) });
}

/** Read-merge-save: changes `fields` and keeps every other editable field as the ERP has it. */
export async function mergeSave(client: ZhibangClient, rec: ZbCustomer, fields: Record<string, string>, signal?: AbortSignal): Promise<void> {
  const kept = Object.fromEntries(Object.entries(rec.fields).filter(([k]) => isEditable(k)));
  await saveCustomer(client, rec.ord, rec.intsort ?? client.config.intsort, { ...kept, ...fields }, signal);
}
