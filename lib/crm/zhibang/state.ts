// Connection-scoped memory the adapter keeps between calls, above all the ord a create has
// allocated: 智邦 has no idempotency keys, so a retried create (after a lost reply or a killed
// worker) must find the ord it already allocated instead of allocating another.
//
// Where it lives, in order: `deps.state` when the caller passes one (ZhibangDeps.state); else the
// `kv` table of the background's Dexie database when deps.db has one (it survives the service
// worker being killed); else an in-memory map (survives only while the worker lives; the
// pre-create search by mobile/WeChat/code is then the only guard).
import { z } from 'zod';
import type { AdapterDeps } from '../port';

export interface ConnectionStateStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
}

/** What a create has done so far for one idempotency key. */
export const createMemorySchema = z.object({
  /** allocated: V1 ord allocated, save not confirmed; sending: V3 add sent, outcome unknown; saved: record exists, read-back pending. */
  phase: z.enum(['allocated', 'sending', 'saved', 'done']),
  ord: z.string().optional(),
  khid: z.string().optional(),
});
export type CreateMemory = z.infer<typeof createMemorySchema>;

export const doneSchema = z.object({ remoteId: z.string(), remoteCode: z.string().optional() });

interface KvTable {
  get(key: string): Promise<{ value: unknown } | undefined>;
  put(row: { key: string; value: unknown }): Promise<unknown>;
}

function kvOf(db: unknown): KvTable | undefined {
  const kv = (db as { kv?: Partial<KvTable> } | null | undefined)?.kv;
  return kv && typeof kv.get === 'function' && typeof kv.put === 'function' ? (kv as KvTable) : undefined;
}

const memory = new Map<string, unknown>();
/** Tests only. */
export function resetZhibangMemory(): void {
  memory.clear();
}

export function stateStoreFor(deps: AdapterDeps & { state?: ConnectionStateStore }): ConnectionStateStore {
  const prefix = `zhibang:${deps.connection.id}:`;
  if (deps.state) {
    const s = deps.state;
    return { get: (k) => s.get(prefix + k), set: (k, v) => s.set(prefix + k, v) };
  }
  const kv = kvOf(deps.db);
  if (kv) {
    return {
      get: async (k) => (await kv.get(prefix + k))?.value,
      set: async (k, v) => void (await kv.put({ key: prefix + k, value: v })),
    };
  }
  return {
    get: async (k) => memory.get(prefix + k),
    set: async (k, v) => void memory.set(prefix + k, v),
  };
}

/** A stored value, or undefined when absent or not what we wrote (never trust a row blindly). */
export async function readState<S extends z.ZodType>(store: ConnectionStateStore, key: string, schema: S): Promise<z.output<S> | undefined> {
  const parsed = schema.safeParse(await store.get(key));
  return parsed.success ? parsed.data : undefined;
}
