// listFields for the mapping editor: the customer form from GET /v1.0/crm/personalCustomers/
// objectMeta?relationType (fields[].name/label/type/selectOptions), the follow-record form from
// oapi objectmeta/followrecord/describe (follow-ups.ts). Lookups to other objects are left out
// (the adapter writes the customer link itself).
import { z } from 'zod';
import type { CrmField, CrmFieldList } from '../port';
import { call, memo, type DingtalkContext } from './client';
import { followRecordFields } from './follow-ups';

const metaField = z.object({ name: z.string().min(1), label: z.string().optional(), type: z.string().optional(), nillable: z.boolean().optional(), quote: z.boolean().optional(), selectOptions: z.array(z.object({ key: z.string().optional(), value: z.string().optional() }).passthrough()).nullable().optional() }).passthrough();
export const objectMetaReply = z.object({ name: z.string().optional(), code: z.string().optional(), status: z.string().optional(), fields: z.array(metaField) });

export function customerMeta(ctx: DingtalkContext, signal?: AbortSignal) {
  return memo(ctx, 'customerMeta', () => call(ctx, 'get', 'v1.0/crm/personalCustomers/objectMeta', { searchParams: { relationType: ctx.config.relationType }, schema: objectMetaReply, signal }));
}

const asField = (f: { name: string; label?: string | undefined; type?: string | undefined; selectOptions?: { value?: string | undefined }[] | null | undefined }): CrmField => ({
  name: f.name,
  ...(f.label ? { label: f.label } : {}),
  ...(f.type ? { type: f.type } : {}),
  ...(f.selectOptions?.length ? { options: f.selectOptions.flatMap((o) => (o.value ? [o.value] : [])) } : {}),
});

export async function listFields(ctx: DingtalkContext, signal?: AbortSignal): Promise<CrmFieldList> {
  const meta = await customerMeta(ctx, signal);
  const follow = await followRecordFields(ctx, signal);
  return {
    customer: meta.fields.filter((f) => f.type !== 'Lookup').map(asField),
    followUp: follow.filter((f) => f.type !== 'Lookup' && f.name !== 'follow_record_related_customer').map((f) => asField({ name: f.name, label: f.label, type: f.type, selectOptions: (f as { select_options?: { value?: string }[] }).select_options })),
  };
}
