// The sync-health page's messages (extension pages only), merged into lib/messaging/protocol.ts.
import { z } from 'zod';
import type { ConnectionHealth } from './health';
import type { EntryTotals, HealthEntry } from './entries';
import { def } from '../messaging/define';
import { lazySchema } from '../model/lazy-schema';

/** Background-produced replies: typed, not re-validated on the way to the page. */
const reply = <T>() => z.custom<T>(() => true);
const page = ['page'] as const;
const id = lazySchema(() => z.string().min(1).max(100));

export interface SyncEntriesView {
  health: ConnectionHealth;
  /** Failed, then in flight, then pending; each group capped (ENTRY_LIST_LIMIT). */
  entries: HealthEntry[];
  /** Counts over every row, for the "+N more" lines. */
  total: EntryTotals;
}

export const syncMessages = {
  /** One connection's sync health with its entries (op, state, attempts, last error, customer name and code). */
  'sync.entries': def(page, () => z.object({ connectionId: id }), () => reply<SyncEntriesView>()),
  /** Retry one entry now: a failed one starts over, a waiting one skips its backoff. */
  'sync.retryEntry': def(page, () => z.object({ entryId: id }), () => reply<{ ok: true }>()),
  /** Give up on one failed entry (done, "discarded by user"); the customer's link state follows. */
  'sync.discardEntry': def(page, () => z.object({ entryId: id }), () => reply<{ ok: true }>()),
};
