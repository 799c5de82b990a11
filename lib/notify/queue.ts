// Group posts that survive a stopped service worker and a network blip: every post to a group
// robot (a rule's 通知群, a strategy's "also post to the team group", an assignment) is written to
// a queue in kv first and sent from there, retried with backoff on the robot's temporary refusals
// (5xx, 429 with its wait, a connection that broke off), at most MAX_ATTEMPTS times within a
// day; the outcome of each post (sent, or why it was given up) goes to the robot's log
// (log.ts). A group robot takes no idempotency key, so a retry after a reply that never came can
// post twice: for a notification a visible duplicate is the lesser harm than a silent loss, and
// the log says which posts were retried after an unknown outcome. No browser APIs: the
// background drains the queue after each enqueue and on its alarm (nextAt).
import { z } from 'zod';
import type { LiaisonDb } from '../db/db';
import { CrmError } from '../crm/errors';
import { failureEntry, recordNotice } from './log';
import { notify, type NotifyDeps } from './notify';
import { robotWithSecrets } from './store';
import { DEFAULT_TEMPLATES, NOTIFY_EVENTS } from './templates';
import { lazySchema } from '../model/lazy-schema';

export const QUEUE_KEY = 'notify.queue';
export const MAX_ATTEMPTS = 6;
/** Posts older than this are given up (a notice a day late is noise). */
export const MAX_AGE_MS = 24 * 3600_000;
/** A claim older than this belongs to a worker that was stopped mid-send. */
export const CLAIM_TTL_MS = 60_000;
const QUEUE_MAX = 200;
const BACKOFF_MS = [5_000, 30_000, 2 * 60_000, 10 * 60_000, 30 * 60_000];

const postSchema = lazySchema(() => z.object({
  id: z.string().min(1).max(64),
  robotId: z.string().min(1).max(64),
  event: z.enum(NOTIFY_EVENTS),
  /** The MappingContext the template is rendered against (JSON: customer, deal, conversation). */
  context: z.record(z.string(), z.unknown()),
  lang: z.enum(['zh_CN', 'en']),
  /** Who asked: 'rule:<id>', 'strategy', 'assignment'. */
  source: z.string().min(1).max(100),
  attempts: z.number().int().nonnegative(),
  nextAt: z.number().int().nonnegative(),
  createdAt: z.number().int().nonnegative(),
  claimedAt: z.number().int().nonnegative().optional(),
  /** A previous attempt's reply never came: this one may post a second copy. */
  unknown: z.boolean().optional(),
}));
export type QueuedPost = z.infer<typeof postSchema>;
export type GroupPost = Pick<QueuedPost, 'robotId' | 'event' | 'context' | 'lang' | 'source'>;

async function read(db: LiaisonDb): Promise<QueuedPost[]> {
  const v = (await db.kv.get(QUEUE_KEY))?.value;
  if (!Array.isArray(v)) return [];
  // A row that no longer parses (a doctored backup) is dropped, not sent.
  return v.flatMap((r) => {
    const p = postSchema.safeParse(r);
    return p.success ? [p.data] : [];
  });
}
const write = (db: LiaisonDb, posts: QueuedPost[]) => db.kv.put({ key: QUEUE_KEY, value: posts });

/** Queues posts (one transaction); the caller then drains. The oldest posts give way past QUEUE_MAX, recorded as failed. */
export async function enqueueGroupPosts(db: LiaisonDb, posts: GroupPost[], now: number): Promise<void> {
  if (!posts.length) return;
  const dropped = await db.transaction('rw', db.kv, async () => {
    const list = await read(db);
    for (const p of posts) list.push(postSchema.parse({ ...p, id: crypto.randomUUID(), attempts: 0, nextAt: now, createdAt: now }));
    const over = list.length - QUEUE_MAX;
    const out = over > 0 ? list.splice(0, over) : [];
    await write(db, list);
    return out;
  });
  for (const p of dropped) await recordNotice(db, failureEntry({ at: now, robotId: p.robotId, source: p.source, event: p.event }, new Error('queue full: dropped / 通知队列已满，已丢弃')));
}

export interface DrainResult {
  sent: number;
  failed: number;
  /** Posts waiting for a retry. */
  waiting: number;
  /** When the next retry is due (the background's alarm). */
  nextAt?: number;
}

let draining: Promise<DrainResult> | undefined;

/** Sends what is due. One drain at a time per worker; posts claimed by a stopped worker are retried after CLAIM_TTL_MS. */
export function drainGroupPosts(db: LiaisonDb, deps: NotifyDeps & { now: () => number }): Promise<DrainResult> {
  draining ??= run(db, deps).finally(() => (draining = undefined));
  return draining;
}

async function run(db: LiaisonDb, deps: NotifyDeps & { now: () => number }): Promise<DrainResult> {
  const result: DrainResult = { sent: 0, failed: 0, waiting: 0 };
  for (let round = 0; round < QUEUE_MAX; round++) {
    const now = deps.now();
    // Claim one due post (oldest first) in a transaction; a stale claim counts as an unknown outcome.
    const post = await db.transaction('rw', db.kv, async () => {
      const list = await read(db);
      const due = list.find((p) => (p.claimedAt === undefined || p.claimedAt + CLAIM_TTL_MS <= now) && p.nextAt <= now);
      if (!due) return undefined;
      if (due.claimedAt !== undefined) Object.assign(due, { attempts: due.attempts + 1, unknown: true });
      due.claimedAt = now;
      await write(db, list);
      return { ...due };
    });
    if (!post) break;
    let outcome: { ok: true; at: number } | { ok: false; error: unknown; final?: boolean };
    if (post.attempts >= MAX_ATTEMPTS || post.createdAt + MAX_AGE_MS <= now) {
      // A worker stopped mid-send too often, or the post waited past a day: given up, said in the log.
      const detail = { zh_CN: `重试 ${post.attempts} 次仍未确认发出，已放弃`, en: `Not confirmed after ${post.attempts} attempts; given up` };
      outcome = { ok: false, final: true, error: new CrmError('retryable', `given up after ${post.attempts} attempts`, { userMessage: detail }) };
    } else {
      try {
        const { robot, secrets } = await robotWithSecrets(db, post.robotId);
        const r = await notify(robot, secrets, { template: DEFAULT_TEMPLATES[post.event][post.lang], context: post.context }, deps);
        outcome = { ok: true, at: r.sentAt };
      } catch (e) {
        outcome = { ok: false, error: e };
      }
    }
    const settled = await db.transaction('rw', db.kv, async () => {
      const list = await read(db);
      const i = list.findIndex((p) => p.id === post.id && p.claimedAt === post.claimedAt);
      if (i < 0) return 'lost' as const; // another worker took it over
      const cur = list[i]!;
      const base = { robotId: cur.robotId, source: cur.unknown ? `${cur.source} (retried)` : cur.source, event: cur.event };
      if (outcome.ok) {
        list.splice(i, 1);
        await write(db, list);
        await recordNotice(db, { ...base, at: outcome.at, ok: true });
        return 'sent' as const;
      }
      const e = outcome.error;
      const attempts = cur.attempts + 1;
      const retry = !outcome.final && e instanceof CrmError && e.retryable && attempts < MAX_ATTEMPTS && cur.createdAt + MAX_AGE_MS > now;
      if (retry) {
        const wait = Math.max(e.retryAfterMs ?? 0, BACKOFF_MS[Math.min(attempts - 1, BACKOFF_MS.length - 1)]!);
        const { claimedAt: _c, ...rest } = cur;
        list[i] = { ...rest, attempts, nextAt: now + wait, ...(e.kind === 'unknown-outcome' ? { unknown: true } : {}) };
        await write(db, list);
        return 'retry' as const;
      }
      list.splice(i, 1);
      await write(db, list);
      await recordNotice(db, failureEntry({ ...base, at: now }, e));
      return 'failed' as const;
    });
    if (settled === 'sent') result.sent++;
    if (settled === 'failed') result.failed++;
  }
  const left = await read(db);
  result.waiting = left.length;
  const next = left.map((p) => (p.claimedAt !== undefined ? p.claimedAt + CLAIM_TTL_MS : p.nextAt));
  if (next.length) result.nextAt = Math.min(...next);
  return result;
}

/** Posts still queued (options shows the count beside each robot). */
export async function queuedPosts(db: LiaisonDb): Promise<QueuedPost[]> {
  return read(db);
}

export interface GroupPoster {
  /** Queue the posts and start sending them (does not wait for the send). */
  post(posts: GroupPost[]): Promise<void>;
  /** Send what is due now (the background's alarm and start-up); re-arms the alarm for retries. */
  drain(): Promise<DrainResult>;
}

/** The background's poster: fetch and the alarm are injected (no browser APIs here). */
export function createGroupPoster(deps: { db: LiaisonDb; now: () => number; fetch: typeof fetch; schedule(at: number): Promise<void> }): GroupPoster {
  const drain = async () => {
    const r = await drainGroupPosts(deps.db, { fetch: deps.fetch, now: deps.now });
    if (r.nextAt !== undefined) await deps.schedule(r.nextAt);
    return r;
  };
  return {
    async post(posts) {
      await enqueueGroupPosts(deps.db, posts, deps.now());
      void drain().catch(() => undefined);
    },
    drain,
  };
}
