// Per-connection sync state that is not the breaker: paused after the CRM rejected the
// credentials (until the user reconnects or retries), blocked until a rate-limit reset, and the
// last success for the health page. Persisted in db.kv so a restarted worker keeps honouring a
// Retry-After it was given before the browser killed it.
import { z } from 'zod';
import type { LiaisonDb } from '../db/db';
import { lazySchema } from '../model/lazy-schema';

const gateSchema = lazySchema(() => z.object({
  /** Set by an auth failure; every entry of the connection waits. Cleared by retryNow / resume. */
  paused: z.object({ reason: z.literal('auth'), at: z.number() }).optional(),
  /** No request may start before this (epoch ms): the CRM's Retry-After / reset, for the whole connection. */
  blockedUntil: z.number().optional(),
  lastSuccessAt: z.number().optional(),
  lastFailureAt: z.number().optional(),
  /** Kind and technical message only, never record data. */
  lastError: z.string().optional(),
}));
export type ConnectionGate = z.infer<typeof gateSchema>;

export const gateKey = (connectionId: string) => `sync:gate:${connectionId}`;

export async function loadGate(db: LiaisonDb, connectionId: string): Promise<ConnectionGate> {
  const parsed = gateSchema.safeParse((await db.kv.get(gateKey(connectionId)))?.value);
  return parsed.success ? parsed.data : {};
}

export async function saveGate(db: LiaisonDb, connectionId: string, g: ConnectionGate): Promise<void> {
  await db.kv.put({ key: gateKey(connectionId), value: g });
}

/** When requests may start again, or undefined when they may now / only a user action helps. */
export function gateOpensAt(g: ConnectionGate, now: number): number | 'paused' | undefined {
  if (g.paused) return 'paused';
  return g.blockedUntil !== undefined && g.blockedUntil > now ? g.blockedUntil : undefined;
}

/** Bilingual like every stored reason (the UI shows the half in its language). */
export const AUTH_PAUSE_MESSAGE = 'CRM 拒绝了凭证，请重新连接或点重试 / credentials rejected';
