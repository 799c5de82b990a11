// A per-key memo of async lookups that expires: the CRM's field lists (HubSpot properties,
// Salesforce describe, Bitable table fields) change rarely but do change when an admin adds a
// field, and the options page's mapping editor asks for them while the user edits. Concurrent
// callers share one request; a failed lookup is not kept, so the next call asks again.
export const FIELD_LIST_TTL_MS = 5 * 60_000;

export interface TtlMemo<K, V> {
  get(key: K, load: () => Promise<V>): Promise<V>;
  /** Forget one key (the CRM said a field is missing: look again before concluding). */
  forget(key: K): void;
  /** Forget everything (the tables were just created or re-checked). */
  clear(): void;
}

export function createTtlMemo<K, V>(now: () => number, ttlMs = FIELD_LIST_TTL_MS): TtlMemo<K, V> {
  const entries = new Map<K, { at: number; value: Promise<V> }>();
  return {
    get(key, load) {
      const hit = entries.get(key);
      if (hit && now() - hit.at < ttlMs) return hit.value;
      const value = load();
      const entry = { at: now(), value };
      entries.set(key, entry);
      value.catch(() => {
        if (entries.get(key) === entry) entries.delete(key);
      });
      return value;
    },
    forget: (key) => void entries.delete(key),
    clear: () => entries.clear(),
  };
}
