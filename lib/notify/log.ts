// The last notifications sent to group robots and why any failed, in kv (NOTIFY_LOG_KEY), for the
// options page's robot list. Posts go through the queue (queue.ts): a failure recorded here is
// one the queue gave up on (after its retries, or a refusal that will not change).
import type { LiaisonDb } from '../db/db';
import { CrmError } from '../crm/errors';
import type { Localized } from '../crm/spec';

export const NOTIFY_LOG_KEY = 'notify.log';
const LOG_MAX = 50;

export interface NoticeEntry {
  at: number;
  robotId: string;
  /** What sent it: 'rule:<id>', 'test', 'strategy'… */
  source: string;
  event?: string;
  ok: boolean;
  /** CrmError kind when it failed ('rate-limited', 'retryable', 'network', 'auth'…). */
  kind?: string;
  /** The failure was temporary in kind (the queue retried it until it gave up). */
  retryable?: boolean;
  message?: Localized;
}

export async function recordNotice(db: LiaisonDb, entry: NoticeEntry): Promise<void> {
  await db.transaction('rw', db.kv, async () => {
    const prev = (await db.kv.get(NOTIFY_LOG_KEY))?.value;
    const list = Array.isArray(prev) ? (prev as NoticeEntry[]) : [];
    await db.kv.put({ key: NOTIFY_LOG_KEY, value: [...list, entry].slice(-LOG_MAX) });
  });
}

export async function noticeLog(db: LiaisonDb): Promise<NoticeEntry[]> {
  const v = (await db.kv.get(NOTIFY_LOG_KEY))?.value;
  return Array.isArray(v) ? (v as NoticeEntry[]) : [];
}

/** The entry for a failure: the robot's reason in both languages, the kind kept. */
export function failureEntry(base: Omit<NoticeEntry, 'ok'>, e: unknown): NoticeEntry {
  if (e instanceof CrmError) return { ...base, ok: false, kind: e.kind, retryable: e.retryable, message: e.userMessage };
  const m = e instanceof Error ? e.message : String(e);
  return { ...base, ok: false, kind: 'error', retryable: false, message: { zh_CN: m, en: m } };
}
