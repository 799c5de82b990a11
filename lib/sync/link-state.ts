// link.syncState mirrors the worst state of that customer's outbox entries for that connection
// (failed > pending > synced), so the sidebar's 已同步 / 待同步 / 同步失败 and its reason come
// from one place. Called inside the caller's rw transaction after it changed entries.
import type { LiaisonDb } from '../db/db';
import { linkSchema, type Link } from '../model';
import { entriesOfCustomer, isActive } from './entry';
import { AUTH_PAUSE_MESSAGE, loadGate } from './gate';

const clip = (s: string) => s.slice(0, 1000);

export async function refreshLink(db: LiaisonDb, customerId: string, connectionId: string, patch: Partial<Link> = {}): Promise<void> {
  const before = await db.links.get([customerId, connectionId]);
  // Entries of a customer that has no link for this connection (never linked) leave links alone,
  // unless the caller is creating it (a successful customer.create).
  if (!before && patch.remoteId === undefined) return;
  const entries = await entriesOfCustomer(db, customerId, connectionId);
  const failed = entries.filter((e) => e.state === 'failed');
  const active = entries.filter(isActive);
  const paused = active.length > 0 && (await loadGate(db, connectionId)).paused;

  const next: Link = { ...(before ?? { customerId, connectionId, syncState: 'pending' }), ...patch };
  if (failed.length > 0) {
    next.syncState = 'failed';
    const latest = failed.reduce((a, b) => (b.createdAt > a.createdAt ? b : a));
    next.lastError = clip(latest.lastError ?? 'failed');
  } else if (paused) {
    next.syncState = 'failed';
    next.lastError = AUTH_PAUSE_MESSAGE;
  } else if (active.length > 0) {
    next.syncState = 'pending';
    // Keep the reason of the last retry visible while it waits (待同步 · 原因).
    const withError = active.filter((e) => e.lastError).sort((a, b) => b.createdAt - a.createdAt)[0];
    if (withError?.lastError) next.lastError = clip(withError.lastError);
    else delete next.lastError;
  } else if (next.remoteId !== undefined) {
    next.syncState = 'synced';
    delete next.lastError;
  }
  // Parsed like every row written: a bad value aborts the transaction instead of being stored.
  await db.links.put(linkSchema.parse(next));
}
