// Lead extraction messages (extension pages only: the popup, the review page). Merged into the
// protocol in lib/messaging/protocol.ts. A content script can never ask for an extraction: the
// extraction runs on the user's click (popup or context menu) on the tab they are looking at.
import { z } from 'zod';
import type { LeadReview } from './review';
import type { LeadImportResult } from './import';

/** Background-produced replies: typed, not re-validated on the way to the page. */
const reply = <T>() => z.custom<T>(() => true);
const page = ['page'] as const;

export const leadMessages = {
  /** Run the extraction script on a tab; the review is kept in the background under reviewId. */
  'leads.extract': {
    from: page,
    request: z.object({ tabId: z.number().int().nonnegative(), open: z.boolean().default(false) }),
    response: z.object({ reviewId: z.string(), count: z.number() }),
  },
  /** The review, with duplicates checked again now (the user may have imported meanwhile). */
  'leads.review': { from: page, request: z.object({ reviewId: z.string().min(1).max(100) }), response: reply<LeadReview>() },
  'leads.import': {
    from: page,
    request: z.object({
      reviewId: z.string().min(1).max(100),
      leads: z
        .array(
          z.object({
            name: z.string().trim().min(1).max(200),
            phones: z.array(z.string().max(64)).max(20),
            wechatId: z.string().trim().max(100).optional(),
            notes: z.string().max(5000).optional(),
          }),
        )
        .min(1)
        .max(1000),
      source: z.string().max(100).optional(),
      keyword: z.string().max(200).optional(),
      tz: z.string().min(1).max(64),
    }),
    response: reply<LeadImportResult>(),
  },
};
