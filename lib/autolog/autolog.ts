// Automatic follow-up logging (opt-in: settings.autoLog, then per site, per connection, and not
// for customers marked "never log"). New messages (by id, never twice: see record.ts) minus
// noise are grouped into windows; a closed window becomes one follow-up at once, the open one
// waits in kv as a ready draft (summary only) until it closes, and flushDue() writes it then,
// whether or not the chat is open again. Message text is never stored in kv.
import type { LiaisonDb } from '../db/db';
import { LOCAL_CONNECTION_ID, type ChatMessage, type Connection, type FollowUp, type Settings } from '../model';
import type { Understanding } from '../understand';
import type { UnderstandingConfig } from '../suggest/config';
import type { FollowUpPrefill } from '../suggest/schema';
import { draftFollowUp } from './draft';
import { loggedMessageIds, writeAutoFollowUp } from './record';
import { groupWindows, windowClosed } from './window';

export interface AutoLogGate {
  active: boolean;
  never: boolean;
  /** Remote connections that receive auto-logged follow-ups. */
  remote: Set<string>;
}

export function autoLogGate(settings: Settings, config: UnderstandingConfig, site: string, customerId: string, connections: readonly Connection[]): AutoLogGate {
  const never = config.neverLog.includes(customerId);
  const on = config.autoLog.connections;
  const remote = new Set(connections.filter((c) => c.enabled && c.id !== LOCAL_CONNECTION_ID && on[c.id] === true).map((c) => c.id));
  const someConnection = on[LOCAL_CONNECTION_ID] === true || remote.size > 0;
  return { active: settings.autoLog && config.autoLog.sites[site] === true && someConnection && !never, never, remote };
}

const convKey = (site: string, threadKey: string) => `${site}\u0000${threadKey}`;
export const SEEN_PREFIX = 'autolog:seen:';
export const PENDING_PREFIX = 'autolog:pending:';
const SEEN_MAX = 2000;

interface Pending {
  customerId: string;
  site: string;
  lastAt: number;
  windowMs: number;
  remote: string[];
  draft: FollowUpPrefill & { summary: string };
}

export interface AutoLogInput {
  site: string;
  threadKey: string;
  customerId: string;
  messages: readonly ChatMessage[];
  now: number;
  windowMs: number;
  keepTranscripts: boolean;
  remote: ReadonlySet<string>;
  analyze(messages: readonly ChatMessage[]): Understanding;
  /** The summary for a window (the LLM's when allowed); defaults to the extractive one. */
  summarize?(messages: readonly ChatMessage[], u: Understanding): Promise<string>;
}

/**
 * When each message was first seen, for readers that give no time: without it an undated
 * message would look new on every observation and its window would never close.
 */
async function messageTimes(db: LiaisonDb, key: string, messages: readonly ChatMessage[], now: number): Promise<Map<string, number>> {
  const row = await db.kv.get(SEEN_PREFIX + key);
  const seen = (row?.value && typeof row.value === 'object' ? row.value : {}) as Record<string, number>;
  const undated = messages.filter((m) => m.at === undefined);
  if (undated.length) {
    const next: Record<string, number> = {};
    for (const m of undated) next[m.id] = typeof seen[m.id] === 'number' ? seen[m.id]! : now;
    const kept = Object.entries(next).slice(-SEEN_MAX);
    await db.kv.put({ key: SEEN_PREFIX + key, value: Object.fromEntries(kept) });
    return new Map(messages.map((m) => [m.id, m.at ?? next[m.id] ?? now]));
  }
  return new Map(messages.map((m) => [m.id, m.at ?? now]));
}

/** Logs the closed windows of a conversation's new messages; keeps the open one pending. */
export async function autoLogConversation(db: LiaisonDb, input: AutoLogInput): Promise<FollowUp[]> {
  const key = convKey(input.site, input.threadKey);
  const logged = await loggedMessageIds(db, input.customerId);
  const fresh = input.messages.filter((m) => !logged.has(m.id));
  if (!fresh.length) {
    await db.kv.delete(PENDING_PREFIX + key);
    return [];
  }
  const times = await messageTimes(db, key, input.messages, input.now);
  // Noise (你好/在吗/好的) is decided in the context of the new messages, then left out.
  const noise = input.analyze(fresh).noise.byId;
  const real = fresh.filter((m) => !noise[m.id]).map((m) => ({ id: m.id, at: times.get(m.id) ?? input.now, m }));
  const windows = groupWindows(real, input.windowMs);
  const written: FollowUp[] = [];
  let pending: Pending | undefined;
  for (const [i, win] of windows.entries()) {
    const msgs = win.map((w) => w.m);
    const u = input.analyze(msgs);
    const summary = input.summarize ? await input.summarize(msgs, u) : u.summary;
    const draft = { ...draftFollowUp(msgs, u, { summary, keepTranscripts: input.keepTranscripts, now: input.now }), summary };
    const lastAt = win.at(-1)!.at;
    if (windowClosed(win, i === windows.length - 1, input.now, input.windowMs)) {
      const row = await writeAutoFollowUp(db, input.customerId, draft, { at: lastAt, now: input.now, remote: input.remote });
      if (row) written.push(row);
    } else {
      pending = { customerId: input.customerId, site: input.site, lastAt, windowMs: input.windowMs, remote: [...input.remote], draft };
    }
  }
  if (pending) await db.kv.put({ key: PENDING_PREFIX + key, value: pending });
  else await db.kv.delete(PENDING_PREFIX + key);
  return written;
}

/** Writes pending windows that have gone quiet (the background calls this from an alarm). */
export async function flushDueAutoLogs(db: LiaisonDb, now: number, stillAllowed: (customerId: string, site: string) => Promise<boolean>): Promise<FollowUp[]> {
  const rows = await db.kv.where('key').startsWith(PENDING_PREFIX).toArray();
  const written: FollowUp[] = [];
  for (const r of rows) {
    const p = r.value as Pending;
    if (!p || typeof p.lastAt !== 'number' || now - p.lastAt < p.windowMs) continue;
    await db.kv.delete(r.key);
    // The user may have turned auto-logging off, or said "never log", since the draft was made.
    if (!(await stillAllowed(p.customerId, p.site))) continue;
    const row = await writeAutoFollowUp(db, p.customerId, p.draft, { at: p.lastAt, now, remote: new Set(p.remote) });
    if (row) written.push(row);
  }
  return written;
}
