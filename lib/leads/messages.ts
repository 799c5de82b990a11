// Lead extraction messages (extension pages only: the popup, the review page). Merged into the
// protocol in lib/messaging/protocol.ts. A content script can never ask for an extraction: the
// extraction runs on the user's click (popup or context menu) on the tab they are looking at.
import { z } from 'zod';
import type { LeadReview } from './review';
import type { LeadImportResult } from './import';
import type { CrmImportJob, LeadTarget } from './crm-import';
import { def } from '../messaging/define';
import { lazySchema } from '../model/lazy-schema';

/** Background-produced replies: typed, not re-validated on the way to the page. */
const reply = <T>() => z.custom<T>(() => true);
const page = ['page'] as const;

/** The picked leads of a review, as the review page sends them (local import or a CRM). */
const pickedLeads = lazySchema(() => z
  .array(
    z.object({
      name: z.string().trim().min(1).max(200),
      phones: z.array(z.string().max(64)).max(20),
      wechatId: z.string().trim().max(100).optional(),
      notes: z.string().max(5000).optional(),
    }),
  )
  .min(1)
  .max(1000));

export const leadMessages = {
  /** Run the extraction script on a tab; the review is kept in the background under reviewId. */
  'leads.extract': def(
    page,
    () => z.object({ tabId: z.number().int().nonnegative(), open: z.boolean().default(false) }),
    () => z.object({ reviewId: z.string(), count: z.number() }),
  ),
  /** Rows of a spreadsheet (a file read by the page, or cells pasted from Excel): kept as a review like an extraction. */
  'leads.sheet': def(
    page,
    () => z.object({
      title: z.string().trim().max(300),
      rows: z.array(z.array(z.string().max(2000)).max(60)).min(1).max(1001),
      keyword: z.string().max(200).optional(),
    }),
    () => z.object({ reviewId: z.string(), count: z.number() }),
  ),
  /** The review, with duplicates checked again now (the user may have imported meanwhile). */
  'leads.review': def(page, () => z.object({ reviewId: z.string().min(1).max(100) }), () => reply<LeadReview>()),
  'leads.import': def(
    page,
    () => z.object({
      reviewId: z.string().min(1).max(100),
      leads: pickedLeads,
      source: z.string().max(100).optional(),
      keyword: z.string().max(200).optional(),
      tz: z.string().min(1).max(64),
    }),
    () => reply<LeadImportResult>(),
  ),
  /** Where picked leads can go besides the local CRM: connected table CRMs whose adapter imports leads. */
  'leads.targets': def(page, () => z.object({}), () => reply<{ targets: LeadTarget[] }>()),
  /** 导入到 飞书多维表格 / NocoDB: starts the import in the background; the page follows it with leads.job. */
  'leads.toCrm': def(
    page,
    () => z.object({
      reviewId: z.string().min(1).max(100),
      connectionId: z.string().min(1).max(100),
      leads: pickedLeads,
      source: z.string().max(100).optional(),
      keyword: z.string().max(200).optional(),
    }),
    () => z.object({ jobId: z.string() }),
  ),
  /** A CRM import's progress (n / total, a rate-limit wait) and, when finished, its report. */
  'leads.job': def(page, () => z.object({ jobId: z.string().min(1).max(100) }), () => reply<CrmImportJob>()),
};
