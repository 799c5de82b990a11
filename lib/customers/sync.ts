// Which remote connections a local change is queued for, and the outbox rows themselves.
// Rows name the entity, not its data: the outbox worker reads the current row when it sends,
// so a queued create already carries later edits (update.ts relies on this to coalesce).
import { LOCAL_CONNECTION_ID, outboxEntrySchema, type Connection, type OutboxEntry } from '../model';
import type { LiaisonDb } from '../db/db';
import { findSpec } from '../crm/registry';
import type { CrmCapabilities } from '../crm/spec';
import { decideTargets } from '../strategy/decide';
import { failoverActive, getStrategy } from '../strategy/schema';

/** Enabled connections other than the embedded local CRM. */
export async function remoteConnections(db: LiaisonDb): Promise<Connection[]> {
  const all = await db.connections.toArray();
  return all.filter((c) => c.enabled && c.id !== LOCAL_CONNECTION_ID && c.kind !== 'local');
}

/**
 * The connections a NEW customer is queued for: the multi-CRM strategy's choice (lib/strategy)
 * among the enabled remote connections. Reads db.kv, so the caller's transaction must include it.
 * Later changes need no strategy: they follow the customer's links.
 */
export async function connectionsForNewCustomer(db: LiaisonDb, ctx: { category?: string | null } = {}): Promise<Connection[]> {
  const connections = await remoteConnections(db);
  const strategy = await getStrategy(db);
  const active = strategy.mode === 'primary-backup' && (await failoverActive(db));
  return decideTargets(strategy, { connections, ...(ctx.category ? { category: ctx.category } : {}), failoverActive: active });
}

/**
 * Whether a connection's CRM can take this kind of write. An unknown kind (adapter not shipped
 * yet) is queued anyway: its rows wait in the outbox rather than being lost.
 */
export function supports(c: Connection, what: 'createCustomer' | 'updateCustomer' | 'followUps'): boolean {
  const caps: CrmCapabilities | undefined = findSpec(c.kind)?.capabilities;
  if (!caps) return true;
  const v = caps[what];
  return v !== false && v !== 'none';
}

export function outboxEntry(
  op: OutboxEntry['op'],
  entity: OutboxEntry['entity'],
  connectionId: string,
  now: number,
): OutboxEntry {
  // Parsed so a bad row aborts the caller's transaction instead of reaching the worker.
  return outboxEntrySchema.parse({
    id: crypto.randomUUID(),
    op,
    entity,
    connectionId,
    idempotencyKey: crypto.randomUUID(),
    attempts: 0,
    nextAttemptAt: now,
    state: 'pending',
    createdAt: now,
  });
}
