// Background handlers for assignMessages. Plain functions over the database (and, for the
// group post, the robots' notifyGroup), so the options page, the sidebar and the unit tests go
// through the same code.
import type { LiaisonDb } from '../db/db';
import type { CrmCapabilities } from '../crm/spec';
import { findSpec } from '../crm/registry';
import { remoteConnections } from '../customers/sync';
import { ValidationError } from '../customers/errors';
import { assignCustomer, type AssignResult } from './assign';
import type { AssignmentNotice, AssignmentView, PeopleConnection } from './messages';
import { getTeam, lastAssignment, loadOf, LOAD_WINDOW_MS, readLog, saveTeam, TeamSettingsError } from './store';

export interface AssignDeps {
  now: () => number;
  /** Tables changed (the pages refresh) and the outbox has work. */
  changed(tables: string[]): Promise<void>;
  kick(): void;
  /** Posts the 分配 event to the team's group robots (best effort, recorded in the robots' log). */
  postToGroups?(result: AssignResult): Promise<void>;
}

export async function peopleConnections(db: LiaisonDb): Promise<PeopleConnection[]> {
  const out: PeopleConnection[] = [];
  for (const c of await remoteConnections(db)) {
    const p = (findSpec(c.kind)?.capabilities as CrmCapabilities | undefined)?.people;
    if (p) out.push({ connectionId: c.id, connectionName: c.name, kind: c.kind, idLabel: p.idLabel, idHelp: p.idHelp, idPattern: p.idPattern, assign: p.assign, notify: p.notify });
  }
  return out;
}

export async function assignmentView(db: LiaisonDb, customerId: string, missingIds: string[] = []): Promise<AssignmentView> {
  const { team } = await getTeam(db);
  const last = lastAssignment(await readLog(db), customerId);
  const notices: AssignmentNotice[] = [];
  if (last) {
    const names = new Map((await db.connections.toArray()).map((c) => [c.id, c.name]));
    const rows = await db.outbox.where('[entity.table+entity.id]').equals(['customers', customerId]).toArray();
    for (const e of rows) {
      if ((e.op !== 'customer.assign' && e.op !== 'person.notify') || e.createdAt < last.at || e.assignee?.memberId !== last.memberId) continue;
      notices.push({ connectionName: names.get(e.connectionId) ?? e.connectionId, op: e.op, state: e.state, ...(e.lastError ? { lastError: e.lastError } : {}) });
    }
  }
  return {
    mode: team.mode,
    members: team.members.filter((m) => m.active).map((m) => ({ id: m.id, name: m.name })),
    ...(last ? { last } : {}),
    notices,
    missingIds,
  };
}

export function assignHandlers(db: LiaisonDb, deps: AssignDeps) {
  return {
    async 'team.get'() {
      const { team, problem } = await getTeam(db);
      const load = loadOf(await readLog(db), deps.now(), LOAD_WINDOW_MS);
      return { team, ...(problem ? { problem } : {}), people: await peopleConnections(db), load: Object.fromEntries([...load].map(([k, v]) => [k, v.count])) };
    },
    async 'team.save'({ team }: { team: unknown }) {
      try {
        const saved = await saveTeam(db, team);
        await deps.changed(['settings']);
        return { team: saved };
      } catch (e) {
        if (e instanceof TeamSettingsError) throw new ValidationError(e.message);
        throw e;
      }
    },
    async 'customer.assign'({ customerId, memberId }: { customerId: string; memberId: string }) {
      const r = await assignCustomer(db, { customerId, memberId }, deps.now());
      await deps.changed(['customers', 'outbox', 'links']);
      if (r.queued.length) deps.kick();
      if (r.robotIds.length && deps.postToGroups) await deps.postToGroups(r).catch(() => undefined);
      return assignmentView(db, customerId, r.missingIds);
    },
    async 'customer.assignment'({ customerId }: { customerId: string }) {
      return assignmentView(db, customerId);
    },
  };
}
