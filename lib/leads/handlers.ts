// Message handlers for lead extraction. The browser parts (executeScript, opening the review
// tab) come in as ports from the background entrypoint, so this stays testable without a browser.
import type { LiaisonDb } from '../db/db';
import type { Handler } from '../messaging/router';
import { MessageError } from '../messaging/router';
import { getSettings } from '../settings/store';
import { importLeads } from './import';
import { buildReview, pageLeadsSchema, REVIEW_KEY_PREFIX, type LeadReview, type PageLeadsInput } from './review';
import { sheetCandidates } from './sheet';

export interface LeadPorts {
  /** Inject the extraction script into the tab and return what it returned. */
  runExtractor(tabId: number): Promise<unknown>;
  openReview(reviewId: string): Promise<void>;
}

type LeadTypes = 'leads.extract' | 'leads.sheet' | 'leads.review' | 'leads.import';

/** Reviews older than this are dropped when a new one is stored (they hold page text). */
const KEEP_MS = 7 * 24 * 3600_000;

export function createLeadHandlers(deps: {
  db: LiaisonDb;
  now(): number;
  changed(tables: string[]): Promise<void>;
  leads?: LeadPorts;
}): { [T in LeadTypes]: Handler<T> } {
  const { db, now } = deps;
  const stored = async (reviewId: string) => {
    const row = await db.kv.get(REVIEW_KEY_PREFIX + reviewId);
    if (!row) throw new MessageError('not-found', '线索列表已过期，请重新提取 / the lead list expired: extract again');
    return row.value as { page: PageLeadsInput; at: number };
  };
  /** The page is stored, not the review: duplicates are checked again whenever it is shown. */
  const keep = async (page: PageLeadsInput) => {
    const reviewId = crypto.randomUUID();
    const at = now();
    await db.kv.put({ key: REVIEW_KEY_PREFIX + reviewId, value: { page, at } });
    const old = await db.kv.where('key').startsWith(REVIEW_KEY_PREFIX).toArray();
    await db.kv.bulkDelete(old.filter((r) => ((r.value as { at?: number }).at ?? 0) < at - KEEP_MS).map((r) => r.key));
    return reviewId;
  };
  return {
    async 'leads.extract'({ tabId, open }) {
      if (!deps.leads) throw new MessageError('invalid', 'lead extraction is not available here');
      let raw: unknown;
      try {
        raw = await deps.leads.runExtractor(tabId);
      } catch (err) {
        // chrome:// pages, the web store, a tab without activeTab: say so plainly.
        throw new MessageError('forbidden', `无法读取此页面 / cannot read this page: ${err instanceof Error ? err.message : String(err)}`);
      }
      const parsed = pageLeadsSchema.safeParse(raw);
      if (!parsed.success) throw new MessageError('invalid', 'the page gave no readable result');
      const reviewId = await keep(parsed.data);
      if (open) await deps.leads.openReview(reviewId);
      return { reviewId, count: parsed.data.candidates.length };
    },
    async 'leads.sheet'({ title, rows, keyword }) {
      const candidates = sheetCandidates(rows);
      if (!candidates.length) throw new MessageError('invalid', '表格中没有找到带电话或微信号的行 / no row with a phone or WeChat id was found');
      // No page address: the review links nowhere; the title names the file (or 粘贴的表格).
      const reviewId = await keep(pageLeadsSchema.parse({ url: '', title, ...(keyword ? { keyword } : {}), candidates }));
      return { reviewId, count: candidates.length };
    },
    async 'leads.review'({ reviewId }): Promise<LeadReview> {
      const { page, at } = await stored(reviewId);
      return buildReview(db, page, { id: reviewId, now: at });
    },
    async 'leads.import'({ reviewId, leads, source, keyword, tz }) {
      const { page } = await stored(reviewId);
      const out = await importLeads(db, leads, { source, keyword, pageUrl: page.url, tz, settings: await getSettings(db), now: now() });
      await deps.changed(['customers', 'reminders', 'outbox', 'identities']);
      return out;
    },
  };
}
