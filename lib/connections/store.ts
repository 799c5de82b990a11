// Connections and their secrets, in the background's database. Secrets are written here and
// read only by the background when it builds an adapter; no message ever returns them.
import type { LiaisonDb } from '../db/db';
import { LOCAL_CONNECTION_ID, type Connection } from '../model';
import { findSpec } from '../crm/registry';
import type { CrmField, CrmSpec } from '../crm/spec';
import { ValidationError, NotFoundError } from '../customers/errors';
import type { ConnectionDraft } from './views';

export { listConnections } from './list';

/** The connection and secrets a draft describes, merged with what is stored (blank secret = keep). */
export async function resolveDraft(db: LiaisonDb, draft: ConnectionDraft, now: number): Promise<{ connection: Connection; secrets: Record<string, string> }> {
  const spec = findSpec(draft.kind);
  if (!spec || spec.id === 'local') throw new ValidationError(`未知的 CRM 类型 / unknown CRM: ${draft.kind}`);
  const existing = draft.id ? await db.connections.get(draft.id) : undefined;
  if (draft.id && !existing) throw new NotFoundError(`连接不存在 / no such connection: ${draft.id}`);
  if (existing && existing.kind !== draft.kind) throw new ValidationError('a connection cannot change its CRM type');
  const stored = draft.id ? ((await db.secrets.get(draft.id))?.value ?? {}) : {};

  const settings: Record<string, unknown> = {};
  // Secrets the form does not declare (OAuth access/refresh tokens) are kept as stored.
  const secrets: Record<string, string> = { ...stored };
  const declared = spec as CrmSpec;
  const fields: CrmField[] = [...declared.auth.fields, ...(declared.configFields ?? [])];
  for (const f of fields) {
    if (f.secret) {
      const v = (draft.secrets[f.key] ?? '').trim() || stored[f.key] || '';
      if (v) secrets[f.key] = v;
      else if (f.required !== false) throw new ValidationError(`请填写 ${f.label.zh_CN} / ${f.label.en} is required`);
    } else {
      const raw = draft.settings[f.key];
      const v = typeof raw === 'string' ? raw.trim() : raw;
      if (v !== undefined && v !== '') settings[f.key] = v;
      else if (f.required !== false) throw new ValidationError(`请填写 ${f.label.zh_CN} / ${f.label.en} is required`);
    }
  }
  // Settings that are not form fields (mapping, codeMaster, strategy…) pass through.
  for (const [k, v] of Object.entries(draft.settings)) if (!(k in settings) && !fields.some((f) => f.key === k)) settings[k] = v;

  const connection: Connection = {
    id: existing?.id ?? crypto.randomUUID(),
    kind: draft.kind,
    name: draft.name,
    enabled: draft.enabled,
    settings,
    createdAt: existing?.createdAt ?? now,
  };
  return { connection, secrets };
}

export async function saveConnection(db: LiaisonDb, resolved: { connection: Connection; secrets: Record<string, string> }): Promise<void> {
  await db.transaction('rw', db.connections, db.secrets, async () => {
    await db.connections.put(resolved.connection);
    await db.secrets.put({ connectionId: resolved.connection.id, value: resolved.secrets });
  });
}

export async function setConnectionEnabled(db: LiaisonDb, id: string, enabled: boolean): Promise<void> {
  if (id === LOCAL_CONNECTION_ID) throw new ValidationError('the local CRM is always on');
  const n = await db.connections.update(id, { enabled });
  if (!n) throw new NotFoundError(`连接不存在 / no such connection: ${id}`);
}

/** Removes the connection, its secrets, its links and its queued work (the CRM keeps its records). */
export async function removeConnection(db: LiaisonDb, id: string): Promise<void> {
  if (id === LOCAL_CONNECTION_ID) throw new ValidationError('the local CRM cannot be removed');
  await db.transaction('rw', [db.connections, db.secrets, db.links, db.outbox], async () => {
    await db.connections.delete(id);
    await db.secrets.delete(id);
    await db.links.where('connectionId').equals(id).delete();
    await db.outbox.where('connectionId').equals(id).delete();
  });
}

export async function secretsFor(db: LiaisonDb, id: string): Promise<Record<string, string>> {
  return (await db.secrets.get(id))?.value ?? {};
}
