// Reports and bulk work (options page only): the report, the customer list and batch updates,
// spreadsheet import (planned and applied in the background) and export rows.
import { z } from 'zod';
import type { Report } from '../../stats/report';
import type { ListResult, BulkResult } from '../../customers/bulk';
import type { ImportPlan, ApplyResult, UndoResult } from '../../sheets/import';
import type { ExportTable } from '../../sheets/export';
import { IMPORT_FIELDS } from '../../sheets/fields';
import { def } from '../define';
import { lazySchema } from '../../model/lazy-schema';

const time = lazySchema(() => z.number().int().nonnegative());
const tz = lazySchema(() => z.string().min(1).max(64));
const text = (max: number) => z.string().max(max);

const listFilterSchema = lazySchema(() => z.object({
  query: text(200).optional(),
  stage: text(50).optional(),
  tag: text(50).optional(),
  source: text(100).optional(),
  dueBefore: time.optional(),
  sort: z.enum(['updatedAt', 'createdAt', 'name', 'code', 'stage', 'nextFollowUpAt']),
  dir: z.enum(['asc', 'desc']),
}));

/** Background-produced replies: typed, not re-validated on the way to the page. */
const reply = <T>() => z.custom<T>(() => true);
const page = ['page'] as const;

export const bulkMessages = {
  'report.compute': def(page, () => z.object({ from: time, to: time, tz }), () => reply<Report>()),
  'customer.list': def(
    page,
    () => listFilterSchema.extend({ offset: z.number().int().min(0), limit: z.number().int().min(1).max(500) }),
    () => reply<ListResult>(),
  ),
  /** "Select all matching": ids only. */
  'customer.ids': def(page, () => listFilterSchema, () => z.object({ ids: z.array(z.string()) })),
  'customer.bulkUpdate': def(
    page,
    () => z.object({
      ids: z.array(z.string().min(1).max(100)).min(1).max(200_000),
      patch: z
        .object({
          stage: text(50).min(1),
          addTags: z.array(text(50).min(1)).max(50),
          removeTags: z.array(text(50).min(1)).max(50),
          owner: text(100),
          nextFollowUpAt: time.nullable(),
        })
        .partial(),
    }),
    () => reply<BulkResult>(),
  ),
  /** Plans an import of a parsed sheet; the plan stays in the background, the page gets it and its id. */
  'import.plan': def(
    page,
    () => z.object({
      sheet: z.object({
        headers: z.array(text(200)).max(200),
        rows: z.array(z.object({ row: z.number().int().min(1), values: z.array(text(10_000)).max(200) })).max(200_000),
      }),
      mapping: z.array(z.enum(IMPORT_FIELDS).nullable()).max(200),
      tz,
    }),
    () => reply<{ planId: string; plan: ImportPlan }>(),
  ),
  'import.apply': def(page, () => z.object({ planId: z.string().min(1).max(100) }), () => reply<ApplyResult>()),
  'import.undo': def(page, () => z.object({ importId: z.string().min(1).max(100) }), () => reply<UndoResult>()),
  'export.rows': def(
    page,
    () => z.object({ kind: z.enum(['customers', 'followUps', 'deals']), from: time.optional(), to: time.optional(), stage: text(50).optional(), tag: text(50).optional(), tz }),
    () => reply<ExportTable>(),
  ),
} as const;
