// What every table CRM's lead import (seed 000's 生成线索 → 过滤有效线索 → 导入) takes and
// reports, shared so the Bitable and NocoDB importers (and any later one) speak alike.
import { z } from 'zod';
import { INTENT_LEVELS } from '../model';
import { CrmError } from './errors';
import { abortableSleep } from './rate-limiter';
import { normalizePhone, type CountryCode } from '../phone';

/** A lead as seed 000's search produced it (name, phone, source, intent_level, content, keyword). */
export const leadSchema = z.object({
  name: z.string().trim().max(200).optional(),
  phone: z.string().max(64),
  source: z.string().trim().max(100).optional(),
  intentLevel: z.enum(INTENT_LEVELS).optional(),
  content: z.string().max(10_000).optional(),
  keywords: z.array(z.string().trim().max(100)).max(50).optional(),
  wechatId: z.string().trim().max(100).optional(),
  product: z.string().trim().max(100).optional(),
  amount: z.number().nonnegative().optional(),
  code: z.string().trim().max(64).optional(),
});
export type Lead = z.input<typeof leadSchema>;

export type SkipReason = 'duplicate' | 'invalid-phone' | 'invalid-lead';

/** synced / skipped (with why) / failed (with the error): the report the user reads. */
export interface LeadImportOutcome {
  synced: { lead: Lead; remoteId: string }[];
  skipped: { lead: Lead; reason: SkipReason; duplicateOf?: 'batch' | 'table'; existingRemoteId?: string; detail?: string }[];
  /** `notSent`: never sent, because an earlier call failed in a way this one would too (auth, a limit that did not lift). */
  failed: { lead: Lead; reason: string; error: CrmError; notSent?: true }[];
}

/** A lead that passed seed 000's filter: valid, its phone normalized (E.164). */
export interface LeadCandidate {
  lead: Lead;
  parsed: z.output<typeof leadSchema>;
  phone: string;
}

/**
 * Steps 1–2 of every import: validate each lead, normalize its phone, skip invalid ones and
 * duplicates within the batch (the first occurrence wins) into the report. By phone, in order.
 */
export function filterLeads(leads: readonly Lead[], report: Pick<LeadImportOutcome, 'skipped'>, defaultRegion: CountryCode = 'CN'): Map<string, LeadCandidate> {
  const unique = new Map<string, LeadCandidate>();
  for (const lead of leads) {
    const parsed = leadSchema.safeParse(lead);
    if (!parsed.success) {
      report.skipped.push({ lead, reason: 'invalid-lead', detail: parsed.error.issues[0]?.path.join('.') ?? 'invalid' });
      continue;
    }
    const phone = normalizePhone(parsed.data.phone, defaultRegion);
    if (!phone) {
      report.skipped.push({ lead, reason: 'invalid-phone' });
      continue;
    }
    if (unique.has(phone)) {
      report.skipped.push({ lead, reason: 'duplicate', duplicateOf: 'batch' });
      continue;
    }
    unique.set(phone, { lead, parsed: parsed.data, phone });
  }
  return unique;
}

// ---- progress and retries, shared by every table CRM's import ----

/** Where an import stands: `done` of `total` leads have an outcome (synced, skipped or failed). */
export interface ImportProgress {
  done: number;
  total: number;
  synced: number;
  skipped: number;
  failed: number;
}

/** The import is waiting before it tries again (the UI says "限流，将在 N 秒后重试"). */
export interface ImportWait {
  ms: number;
  /** Why: rate-limited (429 / 99991400 / 1254290), retryable (503, write conflict), unknown-outcome (a lost reply). */
  kind: CrmError['kind'];
  /** Which try comes next (2 = the first retry). */
  attempt: number;
  /** What is being retried. */
  step: 'tables' | 'dedupe' | 'write' | 'reconcile';
}

export interface ImportHooks {
  signal?: AbortSignal;
  /** Tests and the benchmark run the waits on a fake clock. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Tries per step for transient refusals (503, write conflict, lost reply). Default 4. */
  maxAttempts?: number;
  /**
   * Waits per step for rate limits. A 429 is the CRM asking us to slow down, not a failure: the
   * import waits as told (x-ogw-ratelimit-reset / Retry-After, else backoff) this many times
   * before it reports the leads as failed. Default 12 (minutes of waiting at the 30 s cap).
   */
  maxRateLimitWaits?: number;
  onProgress?(p: ImportProgress): void;
  onWait?(w: ImportWait): void;
}

const BACKOFF_BASE_MS = 500;
const BACKOFF_CAP_MS = 30_000;

/** Full-jitter-free exponential backoff (the caller adds the vendor's own wait): 0.5 s, 1 s, 2 s… ≤ 30 s. */
export function backoffMs(attempt: number): number {
  return Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
}

/**
 * Runs one step of an import, retrying what a retry can fix: rate limits (waiting at least what
 * the CRM said), transient refusals and — only when `unknownOutcome` says how — lost replies.
 * Bitable replays a write with the same client_token (it answers the first result); NocoDB has
 * no idempotency key, so its caller reconciles by lookup first and passes `'rethrow'`.
 * Anything else (auth after the client's one token refresh, validation) is thrown at once.
 */
export async function retrying<T>(step: ImportWait['step'], op: (attempt: number) => Promise<T>, hooks: ImportHooks, unknownOutcome: 'replay' | 'rethrow' = 'rethrow'): Promise<T> {
  const sleep = hooks.sleep ?? abortableSleep;
  const maxAttempts = hooks.maxAttempts ?? 4;
  const maxWaits = hooks.maxRateLimitWaits ?? 12;
  let transient = 0;
  let limited = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      return await op(attempt);
    } catch (e) {
      if (!(e instanceof CrmError) || hooks.signal?.aborted) throw e;
      let ms: number;
      if (e.kind === 'rate-limited') {
        if (++limited > maxWaits) throw e;
        ms = Math.max(e.retryAfterMs ?? 0, backoffMs(limited));
      } else if (e.kind === 'retryable' || (e.kind === 'unknown-outcome' && unknownOutcome === 'replay')) {
        if (++transient >= maxAttempts) throw e;
        ms = Math.max(e.retryAfterMs ?? 0, backoffMs(transient));
      } else throw e;
      hooks.onWait?.({ ms, kind: e.kind, attempt: attempt + 1, step });
      await sleep(ms, hooks.signal);
    }
  }
}

/** Counts outcomes as they come, for onProgress. */
export function progressOf(total: number, report: LeadImportOutcome, hooks: ImportHooks): () => void {
  return () =>
    hooks.onProgress?.({
      done: report.synced.length + report.skipped.length + report.failed.length,
      total,
      synced: report.synced.length,
      skipped: report.skipped.length,
      failed: report.failed.length,
    });
}
