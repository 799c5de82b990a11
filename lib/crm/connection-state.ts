// Small per-connection state an adapter keeps across service-worker restarts (MV3 stops the
// worker after 30 s idle, so anything held only in memory is rebuilt at every alarm): 智邦's
// create memory, NocoDB's read plan. Values are JSON; whoever reads one back validates it
// (readState) and treats a bad or missing row as absent.
//
// Where it lives, in order: `deps.state` when the caller passes one; else the `kv` table of the
// background's Dexie database when deps.db has one; else an in-memory map (survives only while
// the worker lives).
import type { z } from 'zod';
import type { AdapterDeps } from './port';

export interface ConnectionStateStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<void>;
  delete(key: string): Promise<void>;
}

/** What a caller may hand in as `deps.state` (delete is optional: set to undefined then). */
export type StateBackend = Pick<ConnectionStateStore, 'get' | 'set'> & Partial<Pick<ConnectionStateStore, 'delete'>>;

interface KvTable {
  get(key: string): Promise<{ value: unknown } | undefined>;
  put(row: { key: string; value: unknown }): Promise<unknown>;
  delete(key: string): Promise<unknown>;
}

function kvOf(db: unknown): KvTable | undefined {
  const kv = (db as { kv?: Partial<KvTable> } | null | undefined)?.kv;
  return kv && typeof kv.get === 'function' && typeof kv.put === 'function' && typeof kv.delete === 'function' ? (kv as KvTable) : undefined;
}

const memory = new Map<string, unknown>();
/** Tests only: forget the in-memory fallback. */
export function resetConnectionStateMemory(): void {
  memory.clear();
}

/** The store for one adapter family on one connection; keys are prefixed `<namespace>:<connection id>:`. */
export function connectionState(deps: AdapterDeps & { state?: StateBackend }, namespace: string): ConnectionStateStore {
  const prefix = `${namespace}:${deps.connection.id}:`;
  if (deps.state) {
    const s = deps.state;
    return {
      get: (k) => s.get(prefix + k),
      set: (k, v) => s.set(prefix + k, v),
      delete: async (k) => void (s.delete ? await s.delete(prefix + k) : await s.set(prefix + k, undefined)),
    };
  }
  const kv = kvOf(deps.db);
  if (kv) {
    return {
      get: async (k) => (await kv.get(prefix + k))?.value,
      set: async (k, v) => void (await kv.put({ key: prefix + k, value: v })),
      delete: async (k) => void (await kv.delete(prefix + k)),
    };
  }
  return {
    get: async (k) => memory.get(prefix + k),
    set: async (k, v) => void memory.set(prefix + k, v),
    delete: async (k) => void memory.delete(prefix + k),
  };
}

/** A stored value, or undefined when absent or not what we wrote (never trust a row blindly). */
export async function readState<S extends z.ZodType>(store: Pick<ConnectionStateStore, 'get'>, key: string, schema: S): Promise<z.output<S> | undefined> {
  const parsed = schema.safeParse(await store.get(key));
  return parsed.success ? parsed.data : undefined;
}
