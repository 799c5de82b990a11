// 分配 (seed 003 #2 销售线索自动分配): a customer gets a 负责人 from the team, by hand from the
// sidebar or automatically when a qualifying customer is created (or becomes high-value).
//
// One transaction: the customer's owner (through updateCustomer, so every CRM holding the
// customer gets the new 负责人 by the field mapping), the assignment log (workload) and the
// outbox rows that carry it further — 客户指派 in a CRM that assigns (智邦: customer.assign,
// sent once the customer exists there) and 通知销售人员 to the assignee through each connection
// that messages people (DingTalk 工作通知, WeCom 应用消息: person.notify, sent at once). The
// outbox makes them durable: a service worker killed after the click still sends them, retried
// as every other write. Group robots are returned for the caller to post (not durable: see
// docs/robots.md).
import type { LiaisonDb } from '../db/db';
import { outboxEntrySchema, type Customer } from '../model';
import { findSpec } from '../crm/registry';
import type { CrmCapabilities } from '../crm/spec';
import { outboxEntry, remoteConnections } from '../customers/sync';
import { updateCustomer } from '../customers/update';
import { NotFoundError, ValidationError } from '../customers/errors';
import { getSettings } from '../settings/store';
import { pickMember, qualifies, type AssignReason } from './pick';
import { appendLog, getTeam, loadOf, readLog, type Assignment } from './store';
import type { TeamMember } from './team';

export interface AssignRequest {
  customerId: string;
  /** A member's id, or 'auto' for the rules (产品线 → 来源 → 地区 → 工作量). */
  memberId: string | 'auto';
}

export interface Queued {
  connectionId: string;
  connectionName: string;
  op: 'customer.assign' | 'person.notify';
}

export interface AssignResult {
  customer: Customer;
  assignment: Assignment;
  /** The outbox rows queued: 客户指派 and 通知 per connection. */
  queued: Queued[];
  /** Connections that could notify or assign but have no id for this member (options → 团队). */
  missingIds: string[];
  /** Group robots to post the 分配 event to. */
  robotIds: string[];
}

const TABLES = (db: LiaisonDb) => [db.customers, db.reminders, db.links, db.outbox, db.connections, db.kv];

export async function assignCustomer(db: LiaisonDb, req: AssignRequest, now: number): Promise<AssignResult> {
  return db.transaction('rw', TABLES(db), async () => {
    const { team, problem } = await getTeam(db);
    if (problem) throw new ValidationError(`团队设置无法读取，请在设置中重新保存 / the team settings cannot be read: ${problem}`);
    if (team.mode === 'off') throw new ValidationError('未启用客户分配（设置 → 团队与分配）/ assignment is off (Options → Team)');
    const customer = await db.customers.get(req.customerId);
    if (!customer) throw new NotFoundError(`客户不存在 / no such customer: ${req.customerId}`);
    const log = await readLog(db);
    let member: TeamMember | undefined;
    let reason: AssignReason;
    if (req.memberId === 'auto') {
      const picked = pickMember(team, customer, loadOf(log, now));
      if (!picked) throw new ValidationError('团队里没有可分配的成员 / no active member to assign to');
      member = picked.member;
      reason = picked.reason;
    } else {
      member = team.members.find((m) => m.id === req.memberId);
      if (!member) throw new ValidationError(`团队里没有这位成员 / no such team member: ${req.memberId}`);
      if (!member.active) throw new ValidationError(`${member.name} 已停用 / ${member.name} is inactive`);
      reason = 'manual';
    }
    return write(db, customer, member, reason, now);
  });
}

/**
 * Auto mode: assign a customer that qualifies and has no 负责人 yet. Returns undefined when
 * nothing was done (mode not auto, already owned, not high-value enough, nobody active).
 */
export async function autoAssign(db: LiaisonDb, customerId: string, now: number): Promise<AssignResult | undefined> {
  return db.transaction('rw', TABLES(db), async () => {
    const { team, problem } = await getTeam(db);
    if (problem || team.mode !== 'auto') return undefined;
    const customer = await db.customers.get(customerId);
    if (!customer || !qualifies(team, customer)) return undefined;
    const picked = pickMember(team, customer, loadOf(await readLog(db), now));
    if (!picked) return undefined;
    return write(db, customer, picked.member, picked.reason, now);
  });
}

async function write(db: LiaisonDb, customer: Customer, member: TeamMember, reason: AssignReason, now: number): Promise<AssignResult> {
  const { team } = await getTeam(db);
  const settings = await getSettings(db);
  const by = reason === 'manual' && settings.userName ? settings.userName : undefined;
  const assignment: Assignment = { customerId: customer.id, memberId: member.id, name: member.name, reason, at: now, ...(by ? { by } : {}) };
  const updated = customer.owner === member.name ? customer : await updateCustomer(db, customer.id, { owner: member.name }, now);
  await appendLog(db, assignment);

  const queued: Queued[] = [];
  const missingIds: string[] = [];
  for (const c of await remoteConnections(db)) {
    const people = (findSpec(c.kind)?.capabilities as CrmCapabilities | undefined)?.people;
    if (!people) continue;
    const userId = member.accounts[c.id];
    const wantsAssign = people.assign && (await db.links.get([customer.id, c.id])) !== undefined;
    const wantsNotify = people.notify && team.notifyOwner;
    if (!wantsAssign && !wantsNotify) continue;
    if (!userId || !new RegExp(people.idPattern).test(userId)) {
      missingIds.push(c.id);
      continue;
    }
    const assignee = { memberId: member.id, name: member.name, userId };
    for (const op of [...(wantsAssign ? ['customer.assign' as const] : []), ...(wantsNotify ? ['person.notify' as const] : [])]) {
      await db.outbox.add(outboxEntrySchema.parse({ ...outboxEntry(op, { table: 'customers', id: customer.id }, c.id, now), assignee }));
      queued.push({ connectionId: c.id, connectionName: c.name, op });
    }
  }
  return { customer: updated, assignment, queued, missingIds, robotIds: team.robotIds };
}
