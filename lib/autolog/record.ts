// Write one auto-logged follow-up: the row (origin 'auto'), 最后联系, the next follow-up, and
// outbox rows for the connections the user allowed, in ONE transaction. Message ids already in
// any of the customer's follow-ups are dropped inside the transaction, so two racing writers
// (an observation and the sweep) can never log the same message twice.
import Dexie from 'dexie';
import { followUpSchema, type FollowUp } from '../model';
import type { LiaisonDb } from '../db/db';
import { setNextFollowUp } from '../reminders/store';
import { outboxEntry, remoteConnections, supports } from '../customers/sync';
import type { FollowUpPrefill } from '../suggest/schema';

/** Every message id already logged for this customer (manual one-click logs carry ids too). */
export async function loggedMessageIds(db: LiaisonDb, customerId: string): Promise<Set<string>> {
  const rows = await db.followUps.where('[customerId+at]').between([customerId, Dexie.minKey], [customerId, Dexie.maxKey]).toArray();
  return new Set(rows.flatMap((r) => r.messageIds));
}

export async function writeAutoFollowUp(
  db: LiaisonDb,
  customerId: string,
  draft: FollowUpPrefill & { summary: string },
  opts: { at: number; now: number; remote: ReadonlySet<string> },
): Promise<FollowUp | undefined> {
  const tables = [db.followUps, db.customers, db.reminders, db.links, db.outbox, db.connections];
  return db.transaction('rw', tables, async () => {
    const customer = await db.customers.get(customerId);
    if (!customer) return undefined;
    const logged = await loggedMessageIds(db, customerId);
    const ids = draft.messageIds.filter((id) => !logged.has(id));
    if (!ids.length) return undefined;
    const row = followUpSchema.parse({
      id: crypto.randomUUID(),
      customerId,
      method: draft.method,
      content: draft.content,
      summary: [...draft.summary].slice(0, 500).join(''),
      ...(draft.result ? { result: draft.result } : {}),
      ...(draft.nextAction ? { nextAction: draft.nextAction } : {}),
      ...(draft.nextAt !== undefined ? { nextAt: draft.nextAt } : {}),
      at: opts.at,
      origin: 'auto',
      messageIds: ids,
    });
    await db.followUps.add(row);
    await db.customers.update(customerId, { lastContactAt: Math.max(customer.lastContactAt ?? 0, opts.at), updatedAt: opts.now });
    // Only a time still ahead: a window logged late must not plant a reminder in the past.
    if (draft.nextAt !== undefined && draft.nextAt > opts.now) await setNextFollowUp(db, customerId, draft.nextAt, opts.now);
    for (const c of await remoteConnections(db)) {
      if (!opts.remote.has(c.id) || !supports(c, 'followUps') || !(await db.links.get([customerId, c.id]))) continue;
      await db.outbox.add(outboxEntry('followUp.create', { table: 'followUps', id: row.id }, c.id, opts.now));
    }
    return row;
  });
}
