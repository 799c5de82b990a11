import { describe, expect, it } from 'vitest';
import { listConnections, removeConnection, resolveDraft, saveConnection, secretsFor, setConnectionEnabled } from '../../../lib/connections/store';
import { ensureLocalConnection } from '../../../lib/crm/local/bootstrap';
import type { ConnectionDraft } from '../../../lib/connections/views';
import { useDb } from '../customers/helpers';

const t = useDb();
const draft = (over: Partial<ConnectionDraft> = {}): ConnectionDraft => ({
  kind: 'zhibang',
  name: '公司 ERP',
  enabled: true,
  settings: { host: 'http://10.0.0.5:8080', user: 'sales01', apiStyle: 'v1' },
  secrets: { password: 's3cret!' },
  ...over,
});

describe('connections store', () => {
  it('saves settings and secrets apart; a listing names stored secrets but never shows them', async () => {
    const { db } = t;
    await ensureLocalConnection(db, 1);
    const resolved = await resolveDraft(db, draft(), 2);
    await saveConnection(db, resolved);
    const list = await listConnections(db);
    expect(list.map((c) => c.kind)).toEqual(['local', 'zhibang']);
    const zb = list[1]!;
    expect(zb.settings).toMatchObject({ host: 'http://10.0.0.5:8080', user: 'sales01' });
    expect(zb.storedSecrets).toEqual(['password']);
    expect(JSON.stringify(list)).not.toContain('s3cret!');
    expect(await secretsFor(db, zb.id)).toEqual({ password: 's3cret!' });
  });

  it('a blank secret on edit keeps the stored one; a new one replaces it', async () => {
    const { db } = t;
    const first = await resolveDraft(db, draft(), 2);
    await saveConnection(db, first);
    const id = first.connection.id;
    await saveConnection(db, await resolveDraft(db, draft({ id, name: 'renamed', secrets: { password: '' } }), 3));
    expect(await secretsFor(db, id)).toEqual({ password: 's3cret!' });
    expect((await db.connections.get(id))?.name).toBe('renamed');
    await saveConnection(db, await resolveDraft(db, draft({ id, secrets: { password: 'new-one' } }), 4));
    expect(await secretsFor(db, id)).toEqual({ password: 'new-one' });
  });

  it('keeps stored secrets the form does not declare (OAuth tokens) when the connection is edited', async () => {
    const { db } = t;
    const first = await resolveDraft(db, draft(), 2);
    await saveConnection(db, first);
    const id = first.connection.id;
    await db.secrets.put({ connectionId: id, value: { ...(await secretsFor(db, id)), refresh_token: 'rt-123' } });
    await saveConnection(db, await resolveDraft(db, draft({ id, name: 'renamed', secrets: {} }), 3));
    expect(await secretsFor(db, id)).toEqual({ password: 's3cret!', refresh_token: 'rt-123' });
  });

  it('refuses a missing required field, an unknown CRM, the local CRM, and a change of CRM type', async () => {
    const { db } = t;
    await expect(resolveDraft(db, draft({ secrets: {} }), 1)).rejects.toThrow(/password|密码/i);
    await expect(resolveDraft(db, draft({ settings: { user: 'x' } }), 1)).rejects.toThrow(/required|请填写/);
    await expect(resolveDraft(db, draft({ kind: 'nosuchcrm' }), 1)).rejects.toThrow(/unknown CRM/);
    await expect(resolveDraft(db, draft({ kind: 'local' }), 1)).rejects.toThrow(/unknown CRM/);
    const saved = await resolveDraft(db, draft(), 1);
    await saveConnection(db, saved);
    await expect(resolveDraft(db, draft({ id: saved.connection.id, kind: 'local' }), 1)).rejects.toThrow();
    await expect(resolveDraft(db, draft({ id: 'missing' }), 1)).rejects.toThrow(/no such connection/);
  });

  it('removing a connection drops its secrets, links and queued work, and the local CRM stays', async () => {
    const { db } = t;
    await ensureLocalConnection(db, 1);
    const saved = await resolveDraft(db, draft(), 2);
    await saveConnection(db, saved);
    const id = saved.connection.id;
    await db.links.add({ customerId: 'c1', connectionId: id, syncState: 'pending' });
    await db.outbox.add({ id: 'o1', op: 'customer.create', entity: { table: 'customers', id: 'c1' }, connectionId: id, idempotencyKey: 'k', attempts: 0, nextAttemptAt: 0, state: 'pending', createdAt: 0 });
    await setConnectionEnabled(db, id, false);
    expect((await db.connections.get(id))?.enabled).toBe(false);
    await removeConnection(db, id);
    expect(await db.connections.get(id)).toBeUndefined();
    expect(await db.secrets.get(id)).toBeUndefined();
    expect(await db.links.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
    await expect(removeConnection(db, 'local')).rejects.toThrow();
    await expect(setConnectionEnabled(db, 'local', false)).rejects.toThrow();
  });
});
