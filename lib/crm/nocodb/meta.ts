// NocoDB's meta API (schemas, not records): the tables of a base and one table's columns with
// their types, select options and link targets. Column metadata is what mapping, select checks
// and value encoding work from, so it is fetched once per table per adapter instance and kept
// for at most five minutes (ttl-memo.ts): an option or column the user adds shows up soon after.
// Docs: GET /api/v2/meta/bases/{baseId}/tables → {list}; GET /api/v2/meta/tables/{tableId} → {columns}.
import { z } from 'zod';
import { call, seg, type NocodbContext } from './client';
import { requireBaseId } from './config';

const optionSchema = z.object({ title: z.string() }).loose();
export const columnSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    uidt: z.string(),
    column_name: z.string().nullish(),
    pk: z.union([z.boolean(), z.number()]).nullish(),
    pv: z.union([z.boolean(), z.number()]).nullish(),
    system: z.union([z.boolean(), z.number()]).nullish(),
    colOptions: z
      .object({
        options: z.array(optionSchema).optional(),
        type: z.string().optional(),
        fk_related_model_id: z.string().nullish(),
      })
      .loose()
      .nullish(),
  })
  .loose();
export type Column = z.infer<typeof columnSchema>;

const tableMetaSchema = z.object({ id: z.string(), title: z.string(), columns: z.array(columnSchema) }).loose();
export type TableMeta = z.infer<typeof tableMetaSchema>;

const tableListSchema = z.object({ list: z.array(z.object({ id: z.string(), title: z.string() }).loose()) }).loose();
export type TableSummary = { id: string; title: string };

export async function listTables(ctx: NocodbContext, signal?: AbortSignal): Promise<TableSummary[]> {
  const base = requireBaseId(ctx.config);
  const r = await call(ctx, 'get', `api/v2/meta/bases/${seg(base)}/tables`, { signal, schema: tableListSchema });
  return r.list.map((t) => ({ id: t.id, title: t.title }));
}

export function tableMeta(ctx: NocodbContext, tableId: string, signal?: AbortSignal): Promise<TableMeta> {
  // A failed fetch is retried next time, not cached.
  return ctx.meta.get(tableId, () => call(ctx, 'get', `api/v2/meta/tables/${seg(tableId)}`, { signal, schema: tableMetaSchema }));
}

/** Forget a table's columns (after NocoDB refused a value: the user may have changed the options). */
export function forgetMeta(ctx: NocodbContext, tableId: string): void {
  ctx.meta.forget(tableId);
}

export const isTrue = (v: unknown) => v === true || v === 1;

export function selectOptions(c: Column): string[] | undefined {
  if (c.uidt !== 'SingleSelect' && c.uidt !== 'MultiSelect') return undefined;
  return (c.colOptions?.options ?? []).map((o) => o.title);
}
