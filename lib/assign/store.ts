// The team (team.ts) and the assignment log in kv. Reading never fails on bad data: a stored
// team that no longer parses reads as the default (assignment off) and says so in `problem`, so a
// doctored backup cannot break customer creation; saving refuses with the fields named.
import type { LiaisonDb } from '../db/db';
import { z } from 'zod';
import { DEFAULT_TEAM, teamSettingsSchema, type TeamSettings, type TeamSettingsInput } from './team';
import type { AssignReason, MemberLoad } from './pick';
import { lazySchema } from '../model/lazy-schema';

export const TEAM_KEY = 'assign:team';
export const LOG_KEY = 'assign:log';
/** Load counts customers assigned in the last 30 days. */
export const LOAD_WINDOW_MS = 30 * 24 * 3600 * 1000;
/** The log keeps the newest assignments (enough for any team's 30 days; older ones drop). */
export const LOG_MAX = 5000;

export const assignmentSchema = lazySchema(() => z.object({
  customerId: z.string().min(1).max(100),
  memberId: z.string().min(1).max(64),
  /** The member's name when assigned (the customer's 负责人). */
  name: z.string().min(1).max(100),
  reason: z.enum(['manual', 'product', 'source', 'region', 'workload']),
  at: z.number().int().nonnegative(),
  /** Who assigned by hand (the 跟进人 name), absent for automatic. */
  by: z.string().max(100).optional(),
}));
export type Assignment = z.infer<typeof assignmentSchema>;

export class TeamSettingsError extends Error {
  override readonly name = 'TeamSettingsError';
}

export async function getTeam(db: LiaisonDb): Promise<{ team: TeamSettings; problem?: string }> {
  const row = await db.kv.get(TEAM_KEY);
  if (!row) return { team: DEFAULT_TEAM };
  const parsed = teamSettingsSchema.safeParse(row.value);
  if (parsed.success) return { team: parsed.data };
  return { team: DEFAULT_TEAM, problem: issuesText(parsed.error) };
}

export async function saveTeam(db: LiaisonDb, input: TeamSettingsInput | unknown): Promise<TeamSettings> {
  const parsed = teamSettingsSchema.safeParse(input);
  if (!parsed.success) throw new TeamSettingsError(issuesText(parsed.error));
  await db.kv.put({ key: TEAM_KEY, value: parsed.data });
  return parsed.data;
}

function issuesText(e: z.ZodError): string {
  return e.issues.map((i) => `${i.path.join('.') || '(team)'}: ${i.message}`).join('; ');
}

/** The log, newest last; rows that do not parse are left out. */
export async function readLog(db: LiaisonDb): Promise<Assignment[]> {
  const value = (await db.kv.get(LOG_KEY))?.value;
  if (!Array.isArray(value)) return [];
  return value.flatMap((r) => {
    const p = assignmentSchema.safeParse(r);
    return p.success ? [p.data] : [];
  });
}

export async function appendLog(db: LiaisonDb, a: Assignment): Promise<void> {
  const log = await readLog(db);
  log.push(assignmentSchema.parse(a));
  await db.kv.put({ key: LOG_KEY, value: log.slice(-LOG_MAX) });
}

/** Each member's assignments within the window before `now`, and their latest. */
export function loadOf(log: readonly Assignment[], now: number, windowMs = LOAD_WINDOW_MS): Map<string, MemberLoad> {
  const out = new Map<string, MemberLoad>();
  for (const a of log) {
    const cur = out.get(a.memberId) ?? { count: 0, lastAt: 0 };
    if (a.at > now - windowMs) cur.count++;
    cur.lastAt = Math.max(cur.lastAt, a.at);
    out.set(a.memberId, cur);
  }
  return out;
}

/** The customer's latest assignment. */
export function lastAssignment(log: readonly Assignment[], customerId: string): Assignment | undefined {
  for (let i = log.length - 1; i >= 0; i--) if (log[i]!.customerId === customerId) return log[i];
  return undefined;
}

export type { AssignReason };
