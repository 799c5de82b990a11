// Which connections a new record goes to: a pure function of the strategy, the enabled
// connections and (for routing) the message category, so lib/customers/sync.ts can ask it
// inside the create's transaction and the tests can table-drive it.
//
// Only creates are decided here. Later changes (edits, follow-ups, deals) go to the connections
// that hold the customer (its links), wherever the strategy put it: a follow-up is useless in a
// CRM that has no customer to attach it to.
import type { Connection } from '../model';
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
