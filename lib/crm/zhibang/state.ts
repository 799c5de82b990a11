// Connection-scoped memory the adapter keeps between calls, above all the ord a create has
// allocated: 智邦 has no idempotency keys, so a retried create (after a lost reply or a killed
// worker) must find the ord it already allocated instead of allocating another.
//
// Where it lives: lib/crm/connection-state.ts (deps.state, else the database's kv table, which
// survives the service worker being killed, else memory, where the pre-create search by
// mobile/WeChat/code is then the only guard).
import { z } from 'zod';
import type { AdapterDeps } from '../port';
import { connectionState, readState, resetConnectionStateMemory, type ConnectionStateStore, type StateBackend } from '../connection-state';
import { lazySchema } from '../../model/lazy-schema';

export { readState, type ConnectionStateStore, type StateBackend };

/** What a create has done so far for one idempotency key. */
export const createMemorySchema = lazySchema(() => z.object({
  /** allocated: V1 ord allocated, save not confirmed; sending: V3 add sent, outcome unknown; saved: record exists, read-back pending. */
  phase: z.enum(['allocated', 'sending', 'saved', 'done']),
  ord: z.string().optional(),
  khid: z.string().optional(),
}));
export type CreateMemory = z.infer<typeof createMemorySchema>;

export const doneSchema = lazySchema(() => z.object({ remoteId: z.string(), remoteCode: z.string().optional() }));

/** Tests only. */
export const resetZhibangMemory = resetConnectionStateMemory;

export function stateStoreFor(deps: AdapterDeps & { state?: StateBackend }): ConnectionStateStore {
  return connectionState(deps, 'zhibang');
}
