// HubSpot's daily quota, read from the X-HubSpot-RateLimit-Daily / -Daily-Remaining headers of
// every reply. HubSpot's own connector halts retries above 75 % of the daily quota
// (reliability-security.md § A) so that the user's other integrations keep working: above that
// line this adapter refuses every call but verify() with rate-limited. The daily reset happens
// at midnight in the account's time zone, which we don't know, so the block lasts at most an
// hour; then one call goes through as a probe and its headers decide (still ≥ 75 % → blocked
// again). State is per connection and shared by every adapter instance in the worker.
import { CrmError, type HeaderBag } from '../errors';

export const QUOTA_STOP_FRACTION = 0.75;
/** How long a quota block lasts before one call may probe the headers again. */
export const QUOTA_PROBE_MS = 60 * 60 * 1000;

export interface QuotaSnapshot {
  dailyLimit?: number;
  dailyRemaining?: number;
  /** 0..1 of the daily quota used, when both numbers are known. */
  usedFraction?: number;
  /** The burst window: X-HubSpot-RateLimit-Max / -Remaining / -Interval-Milliseconds. */
  intervalMax?: number;
  intervalRemaining?: number;
  intervalMs?: number;
  /** No call but verify() before this (epoch ms); 0 when not blocked. */
  blockedUntil: number;
  updatedAt?: number;
}

export interface QuotaState {
  snapshot: QuotaSnapshot;
}

function header(h: HeaderBag, name: string): string | undefined {
  if (typeof (h as Headers).get === 'function') return (h as Headers).get(name) ?? undefined;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(h as Record<string, string | undefined>)) if (k.toLowerCase() === lower) return v;
  return undefined;
}
const int = (v: string | undefined) => (v !== undefined && /^\d+$/.test(v.trim()) ? Number(v.trim()) : undefined);

const states = new Map<string, QuotaState>();
export function quotaFor(key: string): QuotaState {
  let s = states.get(key);
  if (!s) {
    s = { snapshot: { blockedUntil: 0 } };
    states.set(key, s);
  }
  return s;
}
/** Tests only. */
export function resetQuotas(): void {
  states.clear();
}

/** Records the numbers a reply carries; crossing the 75 % line starts a block. */
export function noteHeaders(q: QuotaState, h: HeaderBag, now: number): void {
  const s = q.snapshot;
  const daily = int(header(h, 'X-HubSpot-RateLimit-Daily'));
  const dailyRemaining = int(header(h, 'X-HubSpot-RateLimit-Daily-Remaining'));
  const max = int(header(h, 'X-HubSpot-RateLimit-Max'));
  const remaining = int(header(h, 'X-HubSpot-RateLimit-Remaining'));
  const interval = int(header(h, 'X-HubSpot-RateLimit-Interval-Milliseconds'));
  if (max !== undefined) s.intervalMax = max;
  if (remaining !== undefined) s.intervalRemaining = remaining;
  if (interval !== undefined) s.intervalMs = interval;
  if (daily === undefined || dailyRemaining === undefined || daily <= 0) return;
  s.dailyLimit = daily;
  s.dailyRemaining = dailyRemaining;
  s.usedFraction = Math.min(1, Math.max(0, (daily - dailyRemaining) / daily));
  s.updatedAt = now;
  if (s.usedFraction >= QUOTA_STOP_FRACTION) {
    if (s.blockedUntil <= now) s.blockedUntil = now + QUOTA_PROBE_MS;
  } else s.blockedUntil = 0;
}

/** A 429 with policyName DAILY: the quota is gone, whatever the headers said. */
export function blockForDay(q: QuotaState, now: number): number {
  q.snapshot.blockedUntil = Math.max(q.snapshot.blockedUntil, now + QUOTA_PROBE_MS);
  return q.snapshot.blockedUntil - now;
}

/** The refusal for a non-essential call while blocked, else undefined. */
export function quotaRefusal(q: QuotaState, now: number): CrmError | undefined {
  const s = q.snapshot;
  if (s.blockedUntil <= now) return undefined;
  const pct = s.usedFraction !== undefined ? Math.round(s.usedFraction * 100) : undefined;
  const used = pct !== undefined ? `${pct} %` : 'the daily limit';
  return new CrmError('rate-limited', `HubSpot daily API quota: ${used} used (limit ${s.dailyLimit ?? '?'}); Liaison pauses at ${QUOTA_STOP_FRACTION * 100} % until it resets`, {
    retryAfterMs: s.blockedUntil - now,
    vendorCode: 'DAILY_QUOTA_75',
    userMessage: {
      zh_CN: `HubSpot 今日 API 配额已用 ${used}，为给其他集成留出余量已暂停同步，配额重置后自动继续`,
      en: `${used} of today's HubSpot API quota is used; Liaison paused syncing to leave room for your other integrations and resumes after the reset`,
    },
  });
}
