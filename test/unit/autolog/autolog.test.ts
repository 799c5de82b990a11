import { describe, expect, it } from 'vitest';
import { createCustomer } from '../../../lib/customers/create';
import { autoLogConversation, autoLogGate, flushDueAutoLogs } from '../../../lib/autolog/autolog';
import { groupWindows } from '../../../lib/autolog/window';
import { understand } from '../../../lib/understand';
import { DEFAULT_SETTINGS, type ChatMessage, type Settings } from '../../../lib/model';
import { DEFAULT_UNDERSTANDING, type UnderstandingConfig } from '../../../lib/suggest/config';
import { useDb, at, connection } from '../customers/helpers';

const t = useDb();
const MIN = 60_000;
const now = at(2026, 3, 5, 12);
const analyze = (msgs: readonly ChatMessage[]) => understand(msgs, { now, products: DEFAULT_SETTINGS.products });
const msg = (id: string, text: string, minutesAgo: number | undefined, direction: 'in' | 'out' = 'in'): ChatMessage => ({
  id,
  direction,
  text,
  ...(minutesAgo !== undefined ? { at: now - minutesAgo * MIN } : {}),
});

async function run(messages: ChatMessage[], over: { now?: number; keepTranscripts?: boolean; customerId?: string; threadKey?: string } = {}) {
  return autoLogConversation(t.db, {
    site: 'demo',
    threadKey: over.threadKey ?? 't1',
    customerId: over.customerId!,
    messages,
    now: over.now ?? now,
    windowMs: 30 * MIN,
    keepTranscripts: over.keepTranscripts ?? false,
    remote: new Set(['hub']),
    analyze,
  });
}

describe('groupWindows', () => {
  it.each([
    ['one window when gaps are ≤ 30 min', [0, 10, 40], [[0, 10, 40]]],
    ['splits at a gap over 30 min', [0, 10, 41, 50], [[0, 10], [41, 50]]],
    ['sorts by time first', [50, 0, 10], [[0, 10], [50]]],
    ['empty', [], []],
  ])('%s', (_l, mins, expected) => {
    const items = (mins as number[]).map((m) => ({ id: `m${m}`, at: m * MIN }));
    expect(groupWindows(items, 30 * MIN).map((w) => w.map((x) => x.at / MIN))).toEqual(expected);
  });
});

describe('autoLogGate', () => {
  const s = { ...DEFAULT_SETTINGS, autoLog: true };
  const on = { ...DEFAULT_UNDERSTANDING, autoLog: { sites: { demo: true }, connections: { local: true }, windowMinutes: 30 } };
  const conns = [connection({ id: 'hub' }), connection({ id: 'local', kind: 'local' })];
  it.each([
    ['everything on', s, on, 'demo', 'c1', true],
    ['off by default', DEFAULT_SETTINGS, DEFAULT_UNDERSTANDING, 'demo', 'c1', false],
    ['master switch off', DEFAULT_SETTINGS, on, 'demo', 'c1', false],
    ['site not switched on', s, on, 'whatsapp', 'c1', false],
    ['no connection switched on', s, { ...on, autoLog: { ...on.autoLog, connections: {} } }, 'demo', 'c1', false],
    ['customer marked never log', s, { ...on, neverLog: ['c1'] }, 'demo', 'c1', false],
  ] as [string, Settings, UnderstandingConfig, string, string, boolean][])('%s', (_l, settings, config, site, customerId, active) => {
    expect(autoLogGate(settings, config, site, customerId, conns).active).toBe(active);
  });
  it('sends to remote connections only when switched on', () => {
    expect([...autoLogGate(s, { ...on, autoLog: { ...on.autoLog, connections: { hub: true } } }, 'demo', 'c1', conns).remote]).toEqual(['hub']);
    expect([...autoLogGate(s, on, 'demo', 'c1', conns).remote]).toEqual([]);
  });
});

describe('autoLogConversation', () => {
  it('logs a closed window as one follow-up with summary, method, result and next time; skips noise; stores no transcript', async () => {
    const { db } = t;
    await db.connections.put(connection({ id: 'hub' }));
    const c = await createCustomer(db, { fields: { name: '张伟' } }, now - 120 * MIN);
    const messages = [
      msg('n1', '你好', 95),
      msg('a1', '想了解一下经营贷，50万的话利率多少？', 90),
      msg('a2', '明天下午3点给您打电话详细说', 85, 'out'),
      msg('a3', '好的，那我考虑一下', 80),
    ];
    const rows = await run(messages, { customerId: c.id });
    expect(rows).toHaveLength(1);
    const f = rows[0]!;
    expect(f).toMatchObject({ origin: 'auto', method: '电话', result: '待考虑', at: now - 80 * MIN });
    expect(f.messageIds).toEqual(['a1', 'a2', 'a3']);
    expect(f.summary).toBeTruthy();
    expect(f.content).toBe(f.summary);
    expect(f.content).not.toContain('你好');
    expect(f.nextAt).toBeGreaterThan(now);
    expect((await db.customers.get(c.id))?.nextFollowUpAt).toBe(f.nextAt);
    // Outbox row for the connection the user allowed (the customer is linked to it at create).
    expect(await db.outbox.filter((e) => e.op === 'followUp.create' && e.entity.id === f.id).toArray()).toMatchObject([{ connectionId: 'hub', state: 'pending' }]);
  });

  it('keeps the transcript only with keepTranscripts', async () => {
    const { db } = t;
    const c = await createCustomer(db, { fields: { name: 'A' } }, now);
    const [f] = await run([msg('a1', '想了解一下经营贷，50万的话利率多少？', 60)], { customerId: c.id, keepTranscripts: true });
    expect(f!.content).toContain('客户：想了解一下经营贷');
    // Not sent to a connection the user did not switch on (none here, and 'hub' does not exist).
    expect(await t.db.outbox.filter((e) => e.op === 'followUp.create').count()).toBe(0);
  });

  it('never logs a message twice: across reloads, conversation switches and a second thread of the same customer', async () => {
    const { db } = t;
    const c = await createCustomer(db, { fields: { name: 'A' } }, now);
    const window1 = [msg('a1', '想了解一下经营贷，50万的话利率多少？', 100), msg('a2', '需要提供哪些材料呢？', 95)];
    expect(await run(window1, { customerId: c.id })).toHaveLength(1);
    // Reload: the same snapshot is observed again.
    expect(await run(window1, { customerId: c.id })).toHaveLength(0);
    // The user switched away and back; the page now shows one more message, later.
    const later = [...window1, msg('b1', '我再问一下，抵押贷的额度能到多少？', 40)];
    const rows = await run(later, { customerId: c.id });
    expect(rows.map((r) => r.messageIds)).toEqual([['b1']]);
    // The same message ids seen through another thread key (a second chat of the customer).
    expect(await run(later, { customerId: c.id, threadKey: 't2' })).toHaveLength(0);
    const all = (await db.followUps.toArray()).flatMap((f) => f.messageIds);
    expect(new Set(all).size).toBe(all.length);
  });

  it('groups by window: two windows are two records, the open one waits until it closes', async () => {
    const { db } = t;
    const c = await createCustomer(db, { fields: { name: 'A' } }, now);
    const messages = [msg('a1', '想了解一下经营贷，50万的话利率多少？', 120), msg('a2', '利息怎么算？', 110), msg('b1', '我要贷款30万，需要什么条件？', 5)];
    const rows = await run(messages, { customerId: c.id });
    expect(rows.map((r) => r.messageIds)).toEqual([['a1', 'a2']]);
    // Not closed yet (5 minutes ago): pending, not logged.
    expect(await db.followUps.count()).toBe(1);
    // The sweep before the window closes does nothing, after it logs once.
    expect(await flushDueAutoLogs(db, now + 10 * MIN, async () => true)).toHaveLength(0);
    const flushed = await flushDueAutoLogs(db, now + 26 * MIN, async () => true);
    expect(flushed.map((r) => r.messageIds)).toEqual([['b1']]);
    expect(await flushDueAutoLogs(db, now + 60 * MIN, async () => true)).toHaveLength(0);
    // …and a later observation of the same messages adds nothing.
    expect(await run(messages, { customerId: c.id, now: now + 60 * MIN })).toHaveLength(0);
  });

  it('the sweep respects a switch turned off since (never log)', async () => {
    const { db } = t;
    const c = await createCustomer(db, { fields: { name: 'A' } }, now);
    await run([msg('b1', '我要贷款30万，需要什么条件？', 5)], { customerId: c.id });
    expect(await flushDueAutoLogs(db, now + 60 * MIN, async () => false)).toHaveLength(0);
    expect(await db.followUps.count()).toBe(0);
  });

  it('skips a window of noise only', async () => {
    const { db } = t;
    const c = await createCustomer(db, { fields: { name: 'A' } }, now);
    expect(await run([msg('n1', '你好', 90), msg('n2', '在吗', 89), msg('n3', '好的', 88, 'out')], { customerId: c.id })).toHaveLength(0);
    expect(await db.followUps.count()).toBe(0);
  });

  it('dates undated messages by when they were first seen, so their window closes', async () => {
    const { db } = t;
    const c = await createCustomer(db, { fields: { name: 'A' } }, now);
    const undated = [msg('u1', '想了解一下经营贷，50万的话利率多少？', undefined)];
    expect(await run(undated, { customerId: c.id })).toHaveLength(0);
    expect(await run(undated, { customerId: c.id, now: now + 31 * MIN })).toHaveLength(1);
  });
});
