// zod schemas for the parts of monday's replies Liaison reads (monday.graphql 2026-10: Board,
// Column, Item, ColumnValue, Update, User). Everything else in a reply is ignored.
import { z } from 'zod';

export const columnSchema = z.object({ id: z.string(), title: z.string(), type: z.string(), settings: z.unknown().optional() });
export type Column = z.infer<typeof columnSchema>;

export const boardSchema = z.object({ id: z.string(), name: z.string(), columns: z.array(columnSchema.nullable()).transform((c) => c.filter((x): x is Column => x !== null)) });
export type Board = z.infer<typeof boardSchema>;

export const columnValueSchema = z.object({ id: z.string(), type: z.string(), text: z.string().nullable().optional(), value: z.unknown().optional() });
export type ColumnValue = z.infer<typeof columnValueSchema>;

export const itemSchema = z.object({
  id: z.string(),
  name: z.string(),
  state: z.string().nullable().optional(),
  created_at: z.string().nullable().optional(),
  updated_at: z.string().nullable().optional(),
  creator: z.object({ name: z.string().nullable().optional() }).nullable().optional(),
  column_values: z.array(columnValueSchema),
});
export type Item = z.infer<typeof itemSchema>;

export const itemsResponseSchema = z.object({ cursor: z.string().nullable(), items: z.array(itemSchema) });

export const updateSchema = z.object({
  id: z.string(),
  body: z.string(),
  text_body: z.string().nullable().optional(),
  created_at: z.string().nullable().optional(),
  creator_id: z.string().nullable().optional(),
  creator: z.object({ name: z.string().nullable().optional() }).nullable().optional(),
});
export type Update = z.infer<typeof updateSchema>;

/** The selection of an item every read uses. */
export const ITEM_FIELDS = 'id name state created_at updated_at creator { name } column_values { id type text value }';

/** monday Date / ISO8601DateTime → epoch ms. */
export function mondayTime(s: string | null | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isFinite(t) ? t : undefined;
}
