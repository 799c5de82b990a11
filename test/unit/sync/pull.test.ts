// The pull (lib/sync/pull.ts) with the outbox worker, against a CRM that is read back
// (fake-team-crm.ts): a team on one CRM sees the same customer, and nobody's edit is lost unseen.
import { describe, expect, it } from 'vitest';
import { createCustomer } from '../../../lib/customers/create';
import { updateCustomer } from '../../../lib/customers/update';
import { logFollowUp } from '../../../lib/customers/follow-up';
import { pullConnection, pullCustomer, loadPullState } from '../../../lib/sync/pull';
import { createSyncWorker } from '../../../lib/sync';
import { LiaisonDb } from '../../../lib/db/db';
import { activeReminder } from '../../../lib/reminders/store';
import { CONN, connectionRow } from './helpers';
import { fakeClock, type Clock } from './fake-crm';
import { TeamCrm } from './fake-team-crm';
import { CrmError } from '../../../lib/crm/port';

async function team(opts: { rule?: 'remote' | 'local'; keysOnFollowUps?: boolean; conditional?: boolean; followUpFeed?: boolean } = {}) {
  const db = new LiaisonDb('t-' + crypto.randomUUID());
  const clock: Clock = fakeClock();
  const crm = new TeamCrm(clock, { keysOnFollowUps: opts.keysOnFollowUps ?? true, conditional: opts.conditional ?? true });
  crm.followUpFeed = opts.followUpFeed ?? false;
  const connection = connectionRow({ settings: { codeMaster: true, ...(opts.rule ? { conflictRule: opts.rule } : {}) } });
  await db.connections.put(connection);
  const adapter = crm.adapter();
  const worker = createSyncWorker({
    db,
    adapterFor: (c) => (c.id === CONN ? adapter : undefined),
    now: clock.now,
    random: () => 0.5,
    idempotencyOf: () => 'key',
    conditionalUpdateOf: () => opts.conditional ?? true,
    schedule: async () => undefined,
  });
  const deps = { db, connection, adapter, now: clock.now };
  const drain = async () => {
    for (let i = 0; i < 20; i++) {
      const r = await worker.runOnce();
      if (r.nextWakeAt === undefined) return;
      clock.set(r.nextWakeAt);
    }
  };
  const create = async (name: string, phone: string) => {
    const c = await createCustomer(db, { fields: { name, phones: [phone] } }, clock.now());
    await drain();
    const link = (await db.links.get([c.id, CONN]))!;
    return { id: c.id, remoteId: link.remoteId! };
  };
  return { db, clock, crm, deps, drain, create, worker };
}

describe('pull: the CRM read back', () => {
  it('a stage and a 下次跟进 changed in the CRM reach the customer and the reminder in one pull, with the source', async () => {
    const t = await team();
    const a = await t.create('张伟', '+8613800138000');
    expect((await t.db.customers.get(a.id))!.code).toBe('KH2025001'); // the code master's code
    t.clock.advance(60_000);
    const due = t.clock.now() + 86_400_000;
    t.crm.colleagueEdit(a.remoteId, { stage: '跟进中', nextFollowUpAt: due, owner: '李娜' });
    const report = await pullConnection(t.deps);
    expect(report).toMatchObject({ mode: 'changes', applied: 1, conflicts: 0 });
    const c = (await t.db.customers.get(a.id))!;
    expect([c.stage, c.owner, c.nextFollowUpAt]).toEqual(['跟进中', '李娜', due]);
    const reminder = (await activeReminder(t.db, a.id))!;
    expect([reminder.dueAt, reminder.source]).toEqual([due, CONN]);
    // Nothing to send back: the CRM's values are not local edits.
    await t.drain();
    expect(t.crm.calls.filter((x) => x.op === 'updateCustomer')).toEqual([]);
  });

  it('the watermark moves with the records seen; a second pull applies nothing new; pages are followed', async () => {
    const t = await team();
    const ids = [];
    for (let i = 0; i < 5; i++) {
      ids.push(await t.create(`客户${i}`, `+861380013800${i}`));
      t.clock.advance(10_000);
    }
    t.clock.advance(60_000);
    await pullConnection(t.deps); // first run: settles the base of every record
    t.clock.advance(60_000);
    for (const x of ids.slice(0, 3)) t.crm.colleagueEdit(x.remoteId, { stage: '谈判中' });
    const before = t.crm.calls.length;
    const r = await pullConnection(t.deps);
    expect(r.fieldsChanged).toBe(3);
    // 3 changed records + the last one seen before (the watermark re-reads its last 2 s, skipped by its marker), pages of 2.
    expect([r.records, r.requests]).toEqual([4, 2]);
    expect(t.crm.calls.slice(before).map((c) => c.op)).toEqual(['changesSince', 'changesSince']);
    const again = await pullConnection(t.deps);
    expect(again.fieldsChanged).toBe(0);
    expect((await loadPullState(t.db, CONN)).lastError).toBeUndefined();
  });

  // 20 customers through fake IndexedDB: seconds on a quiet machine, over 20 at load 25.
  it('with the CRM’s clock on each page, a quiet pull after a bulk import reads nothing again; a clock far from ours is not trusted', { timeout: 60_000 }, async () => {
    const t = await team();
    t.crm.maxPage = 1000;
    // A bulk import: 20 customers created within the same second.
    for (let i = 0; i < 20; i++) await t.create(`批量${i}`, `+86139001${String(i).padStart(5, '0')}`);
    t.clock.advance(5 * 60_000);
    t.crm.asOfOffset = 0;
    expect((await pullConnection(t.deps)).records).toBe(20);
    t.clock.advance(5 * 60_000);
    // Nothing changed: the watermark moved to the CRM's clock (less its margin), not to the import's second.
    expect((await pullConnection(t.deps)).records).toBe(0);
    t.clock.advance(5 * 60_000);
    const [first] = t.crm.records;
    t.crm.colleagueEdit(first!.remoteId, { stage: '谈判中' });
    t.clock.advance(30_000);
    const r = await pullConnection(t.deps);
    expect([r.records, r.fieldsChanged]).toEqual([1, 1]);

    // Without the CRM's clock (the old behaviour) the import's second is read again by every pull.
    const u = await team();
    u.crm.maxPage = 1000;
    for (let i = 0; i < 20; i++) await u.create(`批量${i}`, `+86139002${String(i).padStart(5, '0')}`);
    u.clock.advance(5 * 60_000);
    await pullConnection(u.deps);
    u.clock.advance(5 * 60_000);
    expect((await pullConnection(u.deps)).records).toBe(20);

    // A CRM whose Date header is an hour ahead is ignored for this: an edit made "before" it is still read.
    const v = await team();
    v.crm.maxPage = 1000;
    const x = await v.create('钟快', '+8613900300001');
    v.clock.advance(5 * 60_000);
    v.crm.asOfOffset = 60 * 60_000;
    await pullConnection(v.deps);
    v.clock.advance(60_000);
    v.crm.colleagueEdit(x.remoteId, { owner: '李娜' });
    v.clock.advance(60_000);
    expect((await pullConnection(v.deps)).fieldsChanged).toBe(1);
  });

  it('different fields edited here and there concurrently: both survive, and the update sends only ours', async () => {
    const t = await team();
    const a = await t.create('张伟', '+8613800138000');
    t.clock.advance(1000);
    await updateCustomer(t.db, a.id, { notes: '要报价单' }, t.clock.now());
    t.crm.colleagueEdit(a.remoteId, { stage: '跟进中' });
    await t.drain(); // the guarded update is refused (marker moved), read back, merged, resent
    const updates = t.crm.calls.filter((x) => x.op === 'updateCustomer');
    expect(updates.at(-1)!.patch).toEqual(['notes']);
    expect([t.crm.fieldOf(a.remoteId, 'stage'), t.crm.fieldOf(a.remoteId, 'notes')]).toEqual(['跟进中', '要报价单']);
    const c = (await t.db.customers.get(a.id))!;
    expect([c.stage, c.notes]).toEqual(['跟进中', '要报价单']);
  });

  it('without a guard (a CRM that cannot refuse stale writes) a colleague’s other fields still survive', async () => {
    const t = await team({ conditional: false });
    const a = await t.create('张伟', '+8613800138000');
    t.crm.colleagueEdit(a.remoteId, { stage: '跟进中', owner: '李娜' });
    await updateCustomer(t.db, a.id, { notes: '要报价单' }, t.clock.now());
    await t.drain();
    expect([t.crm.fieldOf(a.remoteId, 'stage'), t.crm.fieldOf(a.remoteId, 'owner'), t.crm.fieldOf(a.remoteId, 'notes')]).toEqual(['跟进中', '李娜', '要报价单']);
  });

  it('without a guard, the same field written on both sides is read first: the CRM keeps the colleague’s value and the replaced one is shown', async () => {
    const t = await team({ conditional: false });
    const a = await t.create('张伟', '+8613800138000');
    t.crm.colleagueEdit(a.remoteId, { stage: '成交' });
    await updateCustomer(t.db, a.id, { stage: '流失' }, t.clock.now());
    await t.drain();
    expect(t.crm.fieldOf(a.remoteId, 'stage')).toBe('成交');
    expect((await t.db.customers.get(a.id))!.stage).toBe('成交');
    expect((await t.db.links.get([a.id, CONN]))!.conflicts![0]).toMatchObject({ field: 'stage', kept: 'remote', keptValue: '成交', replacedValue: '流失' });
  });

  it('an edit in the same second as the last read (same marker) is still taken', async () => {
    const t = await team();
    const a = await t.create('张伟', '+8613800138000');
    await pullCustomer(t.deps, a.id);
    // A CRM whose marker is to the second: the edit does not move it.
    const r = t.crm.get(a.remoteId);
    r.fields.owner = '李娜';
    await pullCustomer(t.deps, a.id);
    expect((await t.db.customers.get(a.id))!.owner).toBe('李娜');
  });

  it('the same field on both sides: the CRM wins by default and the replaced value is kept for the user', async () => {
    const t = await team();
    const a = await t.create('张伟', '+8613800138000');
    t.crm.colleagueEdit(a.remoteId, { stage: '跟进中' });
    await updateCustomer(t.db, a.id, { stage: '谈判中' }, t.clock.now());
    await t.drain();
    expect(t.crm.fieldOf(a.remoteId, 'stage')).toBe('跟进中');
    expect((await t.db.customers.get(a.id))!.stage).toBe('跟进中');
    const link = (await t.db.links.get([a.id, CONN]))!;
    expect(link.conflicts).toEqual([expect.objectContaining({ field: 'stage', kept: 'remote', keptValue: '跟进中', replacedValue: '谈判中' })]);
  });

  it('with the rule "this browser wins" the local value goes to the CRM, recorded too', async () => {
    const t = await team({ rule: 'local' });
    const a = await t.create('张伟', '+8613800138000');
    t.crm.colleagueEdit(a.remoteId, { stage: '跟进中' });
    await updateCustomer(t.db, a.id, { stage: '谈判中' }, t.clock.now());
    await t.drain();
    expect(t.crm.fieldOf(a.remoteId, 'stage')).toBe('谈判中');
    expect((await t.db.links.get([a.id, CONN]))!.conflicts![0]).toMatchObject({ field: 'stage', kept: 'local', replacedValue: '跟进中' });
  });

  it('follow-ups by colleagues come back with author and source, once; our own are never imported', async () => {
    const t = await team();
    const a = await t.create('张伟', '+8613800138000');
    await logFollowUp(t.db, a.id, { method: '电话', content: '已电话沟通，下周报价' }, t.clock.now());
    await t.drain();
    t.clock.advance(120_000);
    t.crm.colleagueNote(a.remoteId, '客户来电询问利率', '李娜');
    const r1 = await pullCustomer(t.deps, a.id, { history: true });
    const r2 = await pullCustomer(t.deps, a.id, { history: true });
    expect([r1.followUps, r2.followUps]).toEqual([1, 0]);
    const rows = await t.db.followUps.where('customerId').equals(a.id).toArray();
    expect(rows.map((f) => [f.content, f.origin, f.by ?? null, f.source ?? null]).sort()).toEqual([
      ['客户来电询问利率', 'remote', '李娜', CONN],
      ['已电话沟通，下周报价', 'manual', null, null],
    ]);
  });

  it('the periodic pull brings colleagues’ follow-ups from the CRM’s follow-up feed, without a request per customer; ours are not imported; a backdated one is not missed', async () => {
    const t = await team({ followUpFeed: true });
    t.crm.maxPage = 1000;
    const a = await t.create('张伟', '+8613800138000');
    const b = await t.create('李雷', '+8613800138001');
    await logFollowUp(t.db, a.id, { method: '电话', content: '我打的电话' }, t.clock.now());
    await t.drain();
    t.clock.advance(60_000);
    expect((await pullConnection(t.deps)).followUps).toBe(0); // only our own row so far
    t.clock.advance(5 * 60_000);
    t.crm.colleagueNote(a.remoteId, '客户来电询问利率', '李娜');
    // Logged today about a visit last week: `at` is old, the row is new.
    t.crm.colleagueNote(b.remoteId, '补记上周拜访', '王五', t.clock.now() - 7 * 86_400_000);
    t.clock.advance(30_000);
    const before = t.crm.calls.length;
    const r = await pullConnection(t.deps);
    expect(r.followUps).toBe(2);
    expect(t.crm.calls.slice(before).map((c) => c.op)).toEqual(['changesSince', 'followUpsSince']);
    const ofA = await t.db.followUps.where('customerId').equals(a.id).toArray();
    expect(ofA.map((f) => [f.content, f.origin, f.by ?? null]).sort()).toEqual([
      ['客户来电询问利率', 'remote', '李娜'],
      ['我打的电话', 'manual', null],
    ]);
    expect((await t.db.followUps.where('customerId').equals(b.id).toArray()).map((f) => f.content)).toEqual(['补记上周拜访']);
    t.clock.advance(5 * 60_000);
    expect((await pullConnection(t.deps)).followUps).toBe(0);
    expect((await loadPullState(t.db, CONN)).followUpsSince).toBeGreaterThan(0);
  });

  it('a lost reply on a follow-up write (a CRM without keys) is found by reading back: no duplicate', async () => {
    const t = await team({ keysOnFollowUps: false });
    const a = await t.create('张伟', '+8613800138000');
    t.crm.loseNextFollowUpReply = true;
    await logFollowUp(t.db, a.id, { method: '微信', content: '发了产品资料' }, t.clock.now());
    await t.drain();
    expect(t.crm.followUps.filter((f) => f.content === '发了产品资料')).toHaveLength(1);
    expect(t.crm.calls.filter((c) => c.op === 'addFollowUp')).toHaveLength(1);
    // …and the pull knows it as ours.
    expect((await pullCustomer(t.deps, a.id, { history: true })).followUps).toBe(0);
  });

  it('a pull killed mid-way loses nothing: the watermark stays, the next pull applies every change', async () => {
    const t = await team();
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push(await t.create(`客户${i}`, `+861390013900${i}`));
    await pullConnection(t.deps);
    t.clock.advance(60_000);
    for (const x of ids) t.crm.colleagueEdit(x.remoteId, { owner: '王五' });
    const ac = new AbortController();
    const killing = { ...t.deps, adapter: { ...t.deps.adapter, changesSince: async (o: Parameters<NonNullable<typeof t.deps.adapter.changesSince>>[0]) => {
      const page = await t.deps.adapter.changesSince!(o);
      if (o.page) {
        ac.abort();
        throw new Error('service worker killed');
      }
      return page;
    } }, signal: ac.signal };
    await expect(pullConnection(killing)).rejects.toThrow('killed');
    const r = await pullConnection(t.deps);
    expect(r.applied).toBe(4);
    for (const x of ids) expect((await t.db.customers.get(x.id))!.owner).toBe('王五');
  });

  it('a table the CRM cannot filter after all (unsupported) is read customer by customer', async () => {
    const t = await team();
    const a = await t.create('张伟', '+8613800138000');
    t.crm.colleagueEdit(a.remoteId, { owner: '李娜' });
    const adapter = { ...t.deps.adapter, changesSince: async () => {
      throw new CrmError('unsupported', 'no modified-time field in this table');
    } };
    const r = await pullConnection({ ...t.deps, adapter });
    expect(r).toMatchObject({ mode: 'per-customer', applied: 1, fieldsChanged: 1 });
    expect((await t.db.customers.get(a.id))!.owner).toBe('李娜');
  });

  it('a record deleted in the CRM is reported on the link, and the customer stays', async () => {
    const t = await team();
    const a = await t.create('张伟', '+8613800138000');
    t.crm.get(a.remoteId).deleted = true;
    expect((await pullCustomer(t.deps, a.id)).gone).toBe(true);
    expect((await t.db.links.get([a.id, CONN]))!.warnings).toEqual([expect.stringContaining('CRM')]);
    expect(await t.db.customers.get(a.id)).toBeDefined();
  });
});
