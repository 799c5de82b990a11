// lib/sync/team.ts: an unknown contact found in the CRM, linked without creating anything
// twice; a stale customer read back when the chat opens; conflicts restored.
import { describe, expect, it, vi } from 'vitest';
import { createTeam } from '../../../lib/sync/team';
import { LiaisonDb } from '../../../lib/db/db';
import { activeReminder } from '../../../lib/reminders/store';
import { CONN, connectionRow } from './helpers';
import { fakeClock } from './fake-crm';
import { TeamCrm } from './fake-team-crm';
import type { ObservedIdentity } from '../../../lib/model';

async function setup() {
  const db = new LiaisonDb('t-' + crypto.randomUUID());
  const clock = fakeClock();
  const crm = new TeamCrm(clock);
  const adapter = crm.adapter();
  await db.connections.put(connectionRow({ name: 'NocoDB', settings: { codeMaster: true } }));
  const changed = vi.fn(async () => undefined);
  const team = createTeam({ db, now: clock.now, adapterFor: (c) => (c.id === CONN ? adapter : undefined), changed, kick: () => undefined });
  // A colleague's customer, already in the CRM with history.
  const colleague = await adapter.createCustomer({ id: 'x', code: '', name: '张伟', phones: ['+8613800138000'], stage: '跟进中', tags: [], createdAt: 0, updatedAt: 0, searchKeys: [], owner: '李娜' }, { idempotencyKey: 'k1' });
  crm.colleagueEdit(colleague.remoteId, { nextFollowUpAt: clock.now() + 3_600_000 });
  crm.colleagueNote(colleague.remoteId, '客户想要报价', '李娜');
  return { db, clock, crm, team, colleague, changed };
}
const identity = (phones: string[]): ObservedIdentity => ({ displayName: 'Zhang Wei', phones, emails: [], isGroup: false });
const conv = { site: 'demo', threadKey: 'u_8613800138000' };

describe('team: the CRM beside an unknown contact', () => {
  it('finds the colleague’s customer by the chat’s phone, with its code and stage; nothing for another phone or a group', async () => {
    const t = await setup();
    const r = await t.team.candidates(identity(['+8613800138000']));
    expect(r.searched).toEqual([{ connectionId: CONN, connectionName: 'NocoDB', ok: true }]);
    expect(r.candidates).toEqual([expect.objectContaining({ remoteId: t.colleague.remoteId, remoteCode: 'KH2025001', name: '张伟', stage: '跟进中', matchedBy: ['phone'] })]);
    expect((await t.team.candidates(identity(['+8613900139000']))).candidates).toEqual([]);
    expect((await t.team.candidates({ ...identity(['+8613800138000']), isGroup: true })).searched).toEqual([]);
  });

  it('linking imports fields, code, 下次跟进 and history, records the mapping, and never creates twice', async () => {
    const t = await setup();
    const c = await t.team.linkRemote(conv, CONN, t.colleague.remoteId);
    expect([c.code, c.name, c.stage, c.owner]).toEqual(['KH2025001', '张伟', '跟进中', '李娜']);
    const link = (await t.db.links.get([c.id, CONN]))!;
    expect(link).toMatchObject({ remoteId: t.colleague.remoteId, syncState: 'synced', base: expect.objectContaining({ stage: '跟进中' }) });
    expect((await activeReminder(t.db, c.id))!.source).toBe(CONN);
    const history = await t.db.followUps.where('customerId').equals(c.id).toArray();
    expect(history.map((f) => [f.content, f.by, f.origin])).toEqual([['客户想要报价', '李娜', 'remote']]);
    expect(await t.db.identities.get(['demo', 'u_8613800138000'])).toMatchObject({ customerId: c.id });
    // Linked again (another chat, a double click): the same customer, nothing new in the CRM.
    const again = await t.team.linkRemote({ site: 'demo', threadKey: 'other' }, CONN, t.colleague.remoteId);
    expect(again.id).toBe(c.id);
    expect(await t.db.customers.count()).toBe(1);
    expect(t.crm.records).toHaveLength(1);
    expect((await t.team.candidates(identity(['+8613800138000']))).candidates[0]!.localCustomerId).toBe(c.id);
    expect(t.crm.calls.filter((x) => x.op === 'createCustomer')).toHaveLength(1); // the colleague's own
  });

  it('a chat opened with data older than a minute is read back once; fresh data is not', async () => {
    const t = await setup();
    const c = await t.team.linkRemote(conv, CONN, t.colleague.remoteId);
    const reads = () => t.crm.calls.filter((x) => x.op === 'getCustomer').length;
    const before = reads();
    await t.team.pullIfStale(c.id);
    expect(reads()).toBe(before);
    t.clock.advance(61_000);
    t.crm.colleagueEdit(t.colleague.remoteId, { stage: '谈判中' });
    await t.team.pullIfStale(c.id);
    await t.team.pullIfStale(c.id);
    expect(reads()).toBe(before + 1);
    expect((await t.db.customers.get(c.id))!.stage).toBe('谈判中');
  });

  it('restoring a conflict puts the replaced value back and clears the notice', async () => {
    const t = await setup();
    const c = await t.team.linkRemote(conv, CONN, t.colleague.remoteId);
    await t.db.links.update([c.id, CONN], { conflicts: [{ field: 'stage', kept: 'remote', keptValue: '跟进中', replacedValue: '方案沟通', at: 5 }] });
    const restored = await t.team.restoreConflict(c.id, CONN, 'stage', 5);
    expect(restored.stage).toBe('方案沟通');
    expect((await t.db.links.get([c.id, CONN]))!.conflicts).toBeUndefined();
    const queued = await t.db.outbox.where('connectionId').equals(CONN).toArray();
    expect(queued.map((e) => e.op)).toEqual(['customer.update']);
    await expect(t.team.restoreConflict(c.id, CONN, 'stage', 5)).rejects.toThrow(/no such conflict/);
  });
});
