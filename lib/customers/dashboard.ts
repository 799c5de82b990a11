// The popup's summary: due and overdue follow-ups with enough to act on them, counts, and
// the sync state per remote connection (the local CRM is always in sync, so it is left out).
import Dexie from 'dexie';
import { LOCAL_CONNECTION_ID, SYNC_STATES, type Dashboard, type DueItem, type Reminder } from '../model';
import type { LiaisonDb } from '../db/db';
import { listDue } from '../reminders/store';
import { lastChatUrl } from './link';

const SNIPPET = 80;

function snippet(s: string): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  return flat.length > SNIPPET ? `${flat.slice(0, SNIPPET - 1)}…` : flat;
}

async function dueItem(db: LiaisonDb, r: Reminder, overdue: boolean): Promise<DueItem | undefined> {
  const c = await db.customers.get(r.customerId);
  if (!c) return undefined; // a reminder left behind by a deleted customer
  const [chatUrl, last] = await Promise.all([
    lastChatUrl(db, c.id),
    db.followUps.where('[customerId+at]').between([c.id, Dexie.minKey], [c.id, Dexie.maxKey]).last(),
  ]);
  return {
    reminderId: r.id,
    customerId: c.id,
    code: c.code,
    name: c.name,
    stage: c.stage,
    dueAt: r.dueAt,
    overdue,
    ...(chatUrl ? { chatUrl } : {}),
    ...(last ? { lastFollowUp: snippet(last.summary ?? last.content) } : {}),
  };
}

export async function buildDashboard(db: LiaisonDb, now: number, opts: { timeZone?: string } = {}): Promise<Dashboard> {
  const due = await listDue(db, now, opts);
  const items = async (rs: Reminder[], overdue: boolean) =>
    (await Promise.all(rs.map((r) => dueItem(db, r, overdue)))).filter((x): x is DueItem => x !== undefined);
  const [overdue, dueToday, customers, connections] = await Promise.all([
    items(due.overdue, true),
    items(due.dueToday, false),
    db.customers.count(),
    db.connections.toArray(),
  ]);

  const sync: Dashboard['sync'] = [];
  for (const c of connections) {
    if (c.id === LOCAL_CONNECTION_ID || c.kind === 'local') continue;
    const [pending, synced, failed] = await Promise.all(
      SYNC_STATES.map((s) => db.links.where('[connectionId+syncState]').equals([c.id, s]).count()),
    );
    sync.push({ connectionId: c.id, connectionName: c.name, kind: c.kind, pending: pending ?? 0, synced: synced ?? 0, failed: failed ?? 0 });
  }
  return {
    now,
    overdue,
    dueToday,
    counts: { overdue: overdue.length, dueToday: dueToday.length, customers },
    sync,
  };
}
