// Who gets a customer (seed 003 #2: 根据规则分配销售人员（地区/产品线/工作量）). Pure: the caller
// passes the team, the customer and each member's recent load.
//
// Order: among active members, those whose 产品线 lists the customer's 意向产品; else those whose
// 来源渠道 lists its source; else those whose 地区 word appears in its company or notes; else
// everyone. Within that group the least loaded (fewest customers assigned in the window the
// caller counted), ties by the longest since their last assignment, then by roster order — so a
// team with no rules at all is served round-robin.
import type { Customer } from '../model';
import type { TeamMember, TeamSettings } from './team';

export type AssignReason = 'manual' | 'product' | 'source' | 'region' | 'workload';

export interface MemberLoad {
  /** Customers assigned to them in the window. */
  count: number;
  /** Their latest assignment (epoch ms), 0 for never. */
  lastAt: number;
}

export interface Assignee {
  member: TeamMember;
  reason: AssignReason;
}

type Facts = Pick<Customer, 'product' | 'source' | 'company' | 'notes'>;

const has = (list: readonly string[], v: string | undefined) => v !== undefined && v !== '' && list.includes(v);

export function pickMember(team: Pick<TeamSettings, 'members'>, customer: Facts, load: ReadonlyMap<string, MemberLoad>): Assignee | undefined {
  const active = team.members.filter((m) => m.active);
  if (!active.length) return undefined;
  const text = `${customer.company ?? ''}\n${customer.notes ?? ''}`.toLowerCase();
  const tiers: [AssignReason, TeamMember[]][] = [
    ['product', active.filter((m) => has(m.products, customer.product))],
    ['source', active.filter((m) => has(m.sources, customer.source))],
    ['region', active.filter((m) => m.regions.some((r) => text.includes(r.toLowerCase())))],
    ['workload', active],
  ];
  const [reason, group] = tiers.find(([, g]) => g.length > 0)!;
  const order = new Map(team.members.map((m, i) => [m.id, i]));
  const of = (m: TeamMember) => load.get(m.id) ?? { count: 0, lastAt: 0 };
  const best = [...group].sort((a, b) => of(a).count - of(b).count || of(a).lastAt - of(b).lastAt || order.get(a.id)! - order.get(b.id)!)[0]!;
  return { member: best, reason };
}

/** Whether auto mode assigns this customer now (it has no 负责人 yet, and it qualifies). */
export function qualifies(team: TeamSettings, c: Pick<Customer, 'owner' | 'intentLevel' | 'amount'>): boolean {
  if (team.mode !== 'auto' || c.owner) return false;
  if (team.when === 'all') return true;
  const rank = { 高: 3, 中: 2, 低: 1 } as const;
  const byIntent = team.minIntent !== undefined && c.intentLevel !== undefined && rank[c.intentLevel] >= rank[team.minIntent];
  const byAmount = team.minAmount !== undefined && c.amount !== undefined && c.amount >= team.minAmount;
  return byIntent || byAmount;
}
