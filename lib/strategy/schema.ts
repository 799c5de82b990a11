// The multi-CRM strategy (seed 004 "多CRM策略"), stored in db.kv. Absent = parallel to every
// enabled connection: what Liaison did before strategies existed, so upgrading changes nothing.
import { z } from 'zod';
import { CATEGORIES } from '../understand/rules';
import { TICKET_CATEGORIES } from '../model/enums';
import type { LiaisonDb } from '../db/db';
import { lazySchema } from '../model/lazy-schema';

const id = z.string().min(1).max(100);

/**
 * Where tickets go, by ticket category (issue 17): category → connections. Kept beside whichever
 * mode the strategy is in (a ticket is not a customer: it goes where the team handles tickets).
 * A category without its own route follows the routing mode's route of the same seed 004
 * category (售后 follows 客户服务), else every enabled connection that takes tickets, else the
 * local CRM (decide.ts decideTicketTargets). 'local' names the embedded CRM.
 */
export const ticketRoutesSchema = lazySchema(() => z.partialRecord(z.enum(TICKET_CATEGORIES), z.array(id).max(50)));
export type TicketRoutes = z.infer<typeof ticketRoutesSchema>;
/**
 * Seed 004's parallel example posts to a team channel as well: per event, the group robots
 * (options → 群机器人) that also get it. newLead: a customer created beside a chat; ticket: a
 * ticket filed (售后单 / 工单). Kept beside whichever mode the strategy is in, like ticketRoutes.
 */
export const groupPostsSchema = lazySchema(() => z
  .object({
    newLead: z.array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)).max(20),
    ticket: z.array(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/)).max(20),
  })
  .partial());
export type GroupPosts = z.infer<typeof groupPostsSchema>;
/** The fields every mode keeps (a function: called inside each mode's builder, so nothing is built at load). */
const ticketRoutes = () => ({ ticketRoutes: ticketRoutesSchema.optional(), groupPosts: groupPostsSchema.optional() });

export const parallelSchema = lazySchema(() => z.object({
  mode: z.literal('parallel'),
  /** The connections every record goes to; absent = every enabled remote connection. */
  connections: z.array(id).max(50).optional(),
  ...ticketRoutes(),
}));

export const primaryBackupSchema = lazySchema(() => z
  .object({
    mode: z.literal('primary-backup'),
    primary: id,
    backup: id,
    /**
     * The primary is down once its breaker has stayed open this long (an entry failing past its
     * retry budget counts at once). Minutes, because the breaker opens after seconds of 5xx and a
     * short blip should not split records across two CRMs.
     */
    failoverAfterMinutes: z.number().int().min(0).max(24 * 60).default(10),
    /** When the primary recovers, send it what the backup took (seed 004 rules.sync_back). */
    syncBack: z.boolean().default(true),
    ...ticketRoutes(),
  })
  .refine((s) => s.primary !== s.backup, { message: '主备不能是同一个连接 / primary and backup must differ', path: ['backup'] }));

export const routingSchema = lazySchema(() => z.object({
  mode: z.literal('routing'),
  /** Message category → connections (seed 004 category_routing). */
  routes: z.partialRecord(z.enum(CATEGORIES), z.array(id).max(50)).default({}),
  /** Where records without a category (or an unrouted one) go. */
  default: z.array(id).max(50).default([]),
  ...ticketRoutes(),
}));

export const strategySchema = lazySchema(() => z.discriminatedUnion('mode', [parallelSchema, primaryBackupSchema, routingSchema]));
export type Strategy = z.infer<typeof strategySchema>;
export type StrategyInput = z.input<typeof strategySchema>;

export const STRATEGY_KEY = 'strategy';
export const DEFAULT_STRATEGY: Strategy = { mode: 'parallel' };

export async function getStrategy(db: LiaisonDb): Promise<Strategy> {
  const parsed = strategySchema.safeParse((await db.kv.get(STRATEGY_KEY))?.value);
  // A corrupt row must not stop records from syncing: fall back to the old behaviour.
  return parsed.success ? parsed.data : DEFAULT_STRATEGY;
}

/** Validates (throws the zod error) and stores; returns the stored form with defaults filled in. */
export async function saveStrategy(db: LiaisonDb, input: unknown): Promise<Strategy> {
  const s = strategySchema.parse(input);
  await db.kv.put({ key: STRATEGY_KEY, value: s });
  return s;
}

/**
 * Failover bookkeeping for primary-backup, in db.kv next to the strategy. `since` marks an
 * active failover (new records go straight to the backup); `records` are what the backup took
 * over from the primary's failed entries, kept until they were synced back.
 */
export const failoverStateSchema = lazySchema(() => z.object({
  since: z.number().optional(),
  /** The strategy's primary/backup this state belongs to: a changed strategy starts afresh. */
  primary: z.string().optional(),
  backup: z.string().optional(),
  /** Customers handed to the backup because their primary entries failed. */
  customers: z.array(z.string()).default([]),
  lastProbeAt: z.number().optional(),
  lastSyncBackAt: z.number().optional(),
}));
export type FailoverState = z.infer<typeof failoverStateSchema>;
export const FAILOVER_KEY = 'strategy:failover';

export async function loadFailover(db: LiaisonDb): Promise<FailoverState> {
  const parsed = failoverStateSchema.safeParse((await db.kv.get(FAILOVER_KEY))?.value);
  return parsed.success ? parsed.data : { customers: [] };
}
export async function saveFailover(db: LiaisonDb, s: FailoverState): Promise<void> {
  await db.kv.put({ key: FAILOVER_KEY, value: s });
}

/** For decide.ts: is a primary-backup failover active now (new customers go to the backup)? */
export async function failoverActive(db: LiaisonDb): Promise<boolean> {
  return (await loadFailover(db)).since !== undefined;
}
