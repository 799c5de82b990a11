// updateCustomer: read the record, merge the patch, save (V1 saves post the whole form). In V3
// style the documented fields go through /webapi/v3/sales/customer/edit and the rest (weixinAcc,
// intro…) through a V1 save. A grade change is seed 003's 客户分级自动更新: WHITE/GRAY/BLACK →
// 跟进程度 sort1 via the connection's mapping. The ERP owns 客户编号, so `code` is never sent.
// Template values (template-fields.ts) go on top of the patch's fields.
import type { CustomerPatch, RemoteRef } from '../port';
import type { TemplateFields } from '../template-values';
import type { ZhibangClient } from './client';
import { customerFields, V3_FIELDS } from './fields';
import { mergeSave, readCustomer } from './record';
import { enumFields } from './value';
import { templateFields } from './template-fields';

export async function updateCustomer(client: ZhibangClient, now: () => number, ord: string, patch: CustomerPatch, signal?: AbortSignal, templates?: TemplateFields): Promise<RemoteRef> {
  const cfg = client.config;
  const warnings: string[] = [];
  const templated = await templateFields(client, now, 'customer', templates, signal, warnings); // refused before the record is read
  const rec = await readCustomer(client, ord, signal); // not-found when the ERP deleted or merged it
  const fields = customerFields(cfg, patch, rec.intsort ?? cfg.intsort, 'update');
  // An enum value whose lookup fails is left out with a warning (value.ts): the rest is still written.
  const enums = await enumFields(client, patch, 'update', now, signal);
  warnings.push(...enums.warnings);
  Object.assign(fields, enums.fields, templated);
  const ref = (khid: string | undefined): RemoteRef => ({
    remoteId: rec.ord,
    ...(khid ? { remoteCode: khid } : {}),
    ...(warnings.length ? { warnings: [...new Set(warnings)].slice(0, 20) } : {}),
  });
  if (!Object.keys(fields).length) return ref(rec.fields.khid);

  if (cfg.apiStyle === 'v3') {
    const v3: Record<string, string> = { ord: rec.ord };
    const rest: Record<string, string> = {};
    for (const [k, v] of Object.entries(fields)) ((V3_FIELDS as readonly string[]).includes(k) ? v3 : rest)[k] = v;
    if (Object.keys(v3).length > 1) await client.v3('sales/customer/edit', v3, { write: true, ...(signal ? { signal } : {}) });
    if (Object.keys(rest).length) await mergeSave(client, await readCustomer(client, ord, signal), rest, signal);
    return ref(rec.fields.khid);
  }
  await mergeSave(client, rec, fields, signal);
  return ref(rec.fields.khid);
}
