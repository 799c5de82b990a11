// Tickets' live status read back (issue 17): adapter.getTicket for each open ticket this
// connection holds, when its status is older than `staleMs` (a chat opened: 60 s; the periodic
// pull: its own period). The call happens outside any transaction; each answer is applied in its
// own short one that re-reads the ticket.
import type { LiaisonDb } from '../db/db';
import type { Connection, Ticket, TicketPlace } from '../model';
import { CrmError, type CrmAdapter } from '../crm/port';
import { isOpenPlace, withPlace } from './ticket-place';

export interface TicketPullDeps {
  db: LiaisonDb;
  connection: Connection;
  adapter: CrmAdapter;
  now: () => number;
  signal?: AbortSignal;
}

export interface TicketPullOptions {
  /** One customer's tickets (a chat opened); absent: every ticket this connection holds. */
  customerId?: string;
  /** Re-read a status only when it is older than this (0: always). */
  staleMs: number;
  /** At most this many reads per run (the rest follow next time, least recently read first). */
  max?: number;
}

export interface TicketPullReport {
  read: number;
  /** Tickets whose status, number or place changed. */
  changed: number;
  gone: number;
  error?: string;
}

export const TICKET_STALE_MS = 60_000;

export async function pullTickets(deps: TicketPullDeps, opts: TicketPullOptions): Promise<TicketPullReport> {
  const { db, connection, adapter } = deps;
  const report: TicketPullReport = { read: 0, changed: 0, gone: 0 };
  if (!adapter.getTicket || !connection.enabled) return report;
  const rows: Ticket[] = opts.customerId
    ? await db.tickets.where('customerId').equals(opts.customerId).toArray()
    : await db.tickets.where('remoteRefs').startsWith(`${connection.id} `).distinct().toArray();
  const now = deps.now();
  const due = rows
    .map((t) => ({ t, p: t.places.find((p) => p.connectionId === connection.id) }))
    .filter((x): x is { t: Ticket; p: TicketPlace & { remoteId: string } } => !!x.p?.remoteId && isOpenPlace(x.p) && now - (x.p.readAt ?? 0) >= opts.staleMs)
    .sort((a, b) => (a.p.readAt ?? 0) - (b.p.readAt ?? 0))
    .slice(0, opts.max ?? 200);
  for (const { t, p } of due) {
    let remote;
    try {
      remote = await adapter.getTicket(p.remoteId, deps.signal ? { signal: deps.signal } : {});
    } catch (err) {
      if (deps.signal?.aborted) throw err;
      report.error = (err instanceof CrmError ? `${err.kind}: ${err.message}` : err instanceof Error ? err.message : 'error').slice(0, 300);
      break; // the CRM is failing: the rest wait for the next pull
    }
    report.read++;
    const at = deps.now();
    const place: TicketPlace =
      remote === null
        ? { connectionId: connection.id, gone: true, readAt: at }
        : {
            connectionId: connection.id,
            status: remote.status,
            vendorStatus: remote.vendorStatus.slice(0, 100),
            readAt: at,
            ...(remote.remoteCode ? { remoteCode: remote.remoteCode.slice(0, 64) } : {}),
            ...(remote.url ? { url: remote.url.slice(0, 2000) } : {}),
          };
    if (remote === null) report.gone++;
    const changed = await db.transaction('rw', db.tickets, async () => {
      const cur = await db.tickets.get(t.id);
      if (!cur) return false;
      const next = withPlace(cur, place, at);
      await db.tickets.put(next);
      return next.updatedAt !== cur.updatedAt;
    });
    if (changed) report.changed++;
  }
  return report;
}
