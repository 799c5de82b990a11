// Notion's objects as Liaison reads them (zod, loose: Notion adds fields over time):
// page, data source, database, comment, user, list replies. Shapes from developers.notion.com
// reference/page, /data-source, /database, /comment-object, /user, /pagination (2025-09-03).
import { z } from 'zod';

export const richTextItem = z.object({ plain_text: z.string().optional().default(''), type: z.string().optional() }).loose();
export type RichTextItem = z.infer<typeof richTextItem>;

const userRef = z.object({ object: z.literal('user').optional(), id: z.string() }).loose();

/** A page property value: `type` names which key holds the value. */
export const propertyValue = z.object({ id: z.string().optional(), type: z.string() }).loose();
export type PropertyValue = z.infer<typeof propertyValue> & Record<string, unknown>;

export const pageSchema = z
  .object({
    object: z.literal('page'),
    id: z.string().min(1),
    created_time: z.string(),
    last_edited_time: z.string(),
    created_by: userRef.optional(),
    last_edited_by: userRef.optional(),
    archived: z.boolean().optional(),
    in_trash: z.boolean().optional(),
    parent: z.object({ type: z.string() }).loose().optional(),
    properties: z.record(z.string(), propertyValue),
    url: z.string().optional(),
  })
  .loose();
export type NotionPage = z.infer<typeof pageSchema>;

export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({ object: z.literal('list'), results: z.array(item), next_cursor: z.string().nullable(), has_more: z.boolean() }).loose();

/** A data source's property schema entry ({id, name, type, <type>: config}). */
export const schemaProperty = z
  .object({
    id: z.string(),
    name: z.string(),
    type: z.string(),
    select: z.object({ options: z.array(z.object({ name: z.string() }).loose()) }).loose().optional(),
    multi_select: z.object({ options: z.array(z.object({ name: z.string() }).loose()) }).loose().optional(),
    status: z.object({ options: z.array(z.object({ name: z.string() }).loose()) }).loose().optional(),
    relation: z.object({ data_source_id: z.string().optional() }).loose().optional(),
  })
  .loose();
export type SchemaProperty = z.infer<typeof schemaProperty>;

export const dataSourceSchema = z
  .object({
    object: z.literal('data_source'),
    id: z.string(),
    title: z.array(richTextItem).optional().default([]),
    properties: z.record(z.string(), schemaProperty),
  })
  .loose();
export type DataSource = z.infer<typeof dataSourceSchema>;

export const databaseSchema = z
  .object({
    object: z.literal('database'),
    id: z.string(),
    title: z.array(richTextItem).optional().default([]),
    data_sources: z.array(z.object({ id: z.string(), name: z.string().optional() }).loose()).optional().default([]),
  })
  .loose();

export const commentSchema = z
  .object({
    object: z.literal('comment'),
    id: z.string(),
    created_time: z.string(),
    created_by: userRef,
    rich_text: z.array(richTextItem),
  })
  .loose();
export type NotionComment = z.infer<typeof commentSchema>;

export const userSchema = z
  .object({
    object: z.literal('user'),
    id: z.string(),
    type: z.string().optional(),
    name: z.string().nullish(),
    bot: z.object({ workspace_name: z.string().nullish() }).loose().optional(),
  })
  .loose();

export const plain = (items: RichTextItem[] | undefined): string => (items ?? []).map((t) => t.plain_text).join('');
export const notionTime = (s: string | undefined | null): number | undefined => {
  if (!s || !/^\d{4}-\d{2}-\d{2}/.test(s)) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
};
