// Which connections a new record goes to: a pure function of the strategy, the enabled
// connections and (for routing) the message category, so lib/customers/sync.ts can ask it
// inside the create's transaction and the tests can table-drive it.
//
// Only creates are decided here. Later changes (edits, follow-ups, deals) go to the connections
// that hold the customer (its links), wherever the strategy put it: a follow-up is useless in a
// CRM that has no customer to attach it to.
import { LOCAL_CONNECTION_ID, type Connection, type TicketCategory } from '../model';
import type { Strategy } from './schema';

export interface DecideInput {
  /** Enabled remote connections (sync.ts's remoteConnections). */
  connections: readonly Connection[];
  /** The conversation's category (销售线索…), when known. */
  category?: string | null;
  /** primary-backup: the primary is down (failover active): send to the backup directly. */
  failoverActive?: boolean;
}

export function decideTargets(strategy: Strategy, input: DecideInput): Connection[] {
  const byId = new Map(input.connections.map((c) => [c.id, c]));
  // Listed order, each once, only enabled ones: a disabled or removed connection is skipped, not an error.
  const pick = (ids: readonly string[]) => [...new Set(ids)].map((id) => byId.get(id)).filter((c): c is Connection => !!c);
  switch (strategy.mode) {
    case 'parallel':
      return strategy.connections ? pick(strategy.connections) : [...input.connections];
    case 'primary-backup': {
      const primary = byId.get(strategy.primary);
      const backup = byId.get(strategy.backup);
      // A disabled primary is as good as down; a disabled backup leaves the primary alone.
      if (primary && !(input.failoverActive && backup)) return [primary];
      return backup ? [backup] : [];
    }
    case 'routing': {
      const routed = input.category ? (strategy.routes as Record<string, string[] | undefined>)[input.category] : undefined;
      return pick(routed && routed.length ? routed : strategy.default);
    }
  }
}

export interface DecideTicketInput {
  /** Enabled remote connections. */
  connections: readonly Connection[];
  category: TicketCategory;
  /** Whether a connection's adapter declares tickets (spec.capabilities.tickets). */
  takesTickets(c: Connection): boolean;
}

/** Seed 004's routing table names 客户服务, not 售后: an after-sales ticket follows that route unless it has its own. */
const SEED_ROUTE: Record<TicketCategory, string> = { 售后: '客户服务', 技术支持: '技术支持', 客户服务: '客户服务', 产品反馈: '产品反馈' };

/**
 * The connection ids a new ticket is filed in: the strategy's ticket route for its category;
 * else the routing mode's route of the matching seed 004 category; else every enabled
 * connection that takes tickets; else the local CRM. Routed connections that take no tickets
 * are skipped (a route may list a CRM for the customers of that category); 'local' is always
 * able. Never empty: a complaint is never dropped.
 */
export function decideTicketTargets(strategy: Strategy, input: DecideTicketInput): string[] {
  const byId = new Map(input.connections.map((c) => [c.id, c]));
  const pick = (ids: readonly string[] | undefined) =>
    [...new Set(ids ?? [])].filter((id) => id === LOCAL_CONNECTION_ID || (byId.has(id) && input.takesTickets(byId.get(id)!)));
  const own = pick(strategy.ticketRoutes?.[input.category]);
  if (own.length) return own;
  if (strategy.mode === 'routing') {
    const seed = pick((strategy.routes as Record<string, string[] | undefined>)[SEED_ROUTE[input.category]]);
    if (seed.length) return seed;
  }
  const all = input.connections.filter((c) => input.takesTickets(c)).map((c) => c.id);
  return all.length ? all : [LOCAL_CONNECTION_ID];
}
