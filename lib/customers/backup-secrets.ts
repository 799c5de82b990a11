// Secrets never travel in a backup, and importing one must never change where a stored secret
// is sent. The rule (told to the user in the import report): a stored secret stays only with a
// connection whose CRM type and every non-secret field of its connect form (host, port, tenant,
// region, workspace…) are exactly as they were. Otherwise the secret is deleted and the imported
// connection arrives switched off, waiting for the user to enter the secret again in options.
// The same holds for the LLM endpoint's key: a different base URL deletes the key and turns the
// LLM off. (Issue 14: a same-id connection row with another host sent the NocoDB token there.)
import { findSpec } from '../crm/registry';
import type { CrmField } from '../crm/spec';
import { LOCAL_CONNECTION_ID, type Connection } from '../model';
import { DEFAULT_UNDERSTANDING, LLM_SECRET_ID, understandingConfigSchema } from '../suggest/config';

/** Whether a secret stored for `stored` may be used by `imported`: same CRM, same destination. */
export function sameDestination(stored: Connection | undefined, imported: Connection): boolean {
  if (!stored || stored.kind !== imported.kind) return false;
  const spec = findSpec(imported.kind);
  if (!spec) return false;
  const fields: CrmField[] = [...spec.auth.fields, ...((spec as { configFields?: CrmField[] }).configFields ?? [])];
  const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
  return fields.filter((f) => !f.secret).every((f) => same(stored.settings[f.key], imported.settings[f.key]));
}

export interface SecretPlan {
  connections: Connection[];
  /** Secret rows to delete before the connections are written. */
  deleteSecrets: string[];
  /** Rows refused outright (an id that names the LLM key's row). */
  dropped: number;
}

/**
 * The connections as they will be written. `storedConnections` is the target's table before the
 * import; `secretIds` the ids that have a stored secret.
 */
export function planConnectionSecrets(imported: readonly Connection[], storedConnections: readonly Connection[], secretIds: ReadonlySet<string>): SecretPlan {
  const byId = new Map(storedConnections.map((c) => [c.id, c]));
  const out: Connection[] = [];
  const deleteSecrets: string[] = [];
  let dropped = 0;
  for (const c of imported) {
    if (c.id === LLM_SECRET_ID) {
      dropped += 1;
      continue;
    }
    if (secretIds.has(c.id) && !sameDestination(byId.get(c.id), c)) {
      deleteSecrets.push(c.id);
      out.push(c.id === LOCAL_CONNECTION_ID ? c : { ...c, enabled: false });
    } else out.push(c);
  }
  return { connections: out, deleteSecrets, dropped };
}

/**
 * The imported understanding settings, and whether the stored LLM key must go: it stays only
 * when the imported endpoint is the one it was entered for.
 */
export function planLlmKey(importedValue: unknown, storedValue: unknown, keyStored: boolean): { value: unknown; dropKey: boolean } {
  const imported = understandingConfigSchema.safeParse(importedValue);
  if (!imported.success || !keyStored) return { value: importedValue, dropKey: false };
  const stored = understandingConfigSchema.safeParse(storedValue);
  const before = stored.success ? stored.data.llm.baseUrl : DEFAULT_UNDERSTANDING.llm.baseUrl;
  if (imported.data.llm.baseUrl === before) return { value: imported.data, dropKey: false };
  return { value: { ...imported.data, llm: { ...imported.data.llm, enabled: false } }, dropKey: true };
}
