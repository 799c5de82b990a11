import { describe, expect, it } from 'vitest';
import { computeReport } from '../../../lib/stats/report';
import { appendStageChange } from '../../../lib/stats/stage-log';
import { weekRange, presetRange, monthRange } from '../../../lib/stats/time';
import { DEFAULT_STAGES, DEFAULT_PRODUCTS, type Customer, type Deal, type FollowUp, type Reminder } from '../../../lib/model';
import { useDb } from '../customers/helpers';

const SH = 'Asia/Shanghai';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Wall time in Shanghai (UTC+8, no DST). */
const sh = (y: number, m: number, d: number, h = 0, min = 0) => Date.UTC(y, m - 1, d, h - 8, min);
// The week of Mon 2026-03-02 .. Sun 2026-03-08 (Shanghai).
const MON = sh(2026, 3, 2);
const NEXT_MON = sh(2026, 3, 9);
const stages = [...DEFAULT_STAGES];

function customer(id: string, over: Partial<Customer> = {}): Customer {
  return { id, code: id.toUpperCase(), name: id, phones: [], stage: '新客户', tags: [], createdAt: MON - 30 * DAY, updatedAt: MON - 30 * DAY, searchKeys: [], ...over };
}
function fu(id: string, customerId: string, at: number, over: Partial<FollowUp> = {}): FollowUp {
  return { id, customerId, method: '电话', content: '聊了聊', at, origin: 'manual', messageIds: [], ...over };
}
function deal(id: string, customerId: string, over: Partial<Deal> = {}): Deal {
  return { id, customerId, product: '信用贷', status: '已放款', createdAt: MON + DAY, closedAt: MON + DAY, ...over };
}
function reminder(id: string, customerId: string, dueAt: number, state: Reminder['state'] = 'due'): Reminder {
  return { id, customerId, dueAt, fireAt: dueAt, state };
}

describe('weekRange (Asia/Shanghai)', () => {
  it('runs Monday 00:00 to next Monday 00:00 local', () => {
    expect(weekRange(sh(2026, 3, 4, 15), SH)).toEqual({ from: MON, to: NEXT_MON });
  });
  it('puts Sunday 23:59 in the week before and Monday 00:00 in the new one', () => {
    expect(weekRange(sh(2026, 3, 8, 23, 59), SH)).toEqual({ from: MON, to: NEXT_MON });
    expect(weekRange(sh(2026, 3, 9, 0, 0), SH)).toEqual({ from: NEXT_MON, to: NEXT_MON + 7 * DAY });
  });
  it('is about the wall clock of tz, not of UTC: Monday 07:00 in Shanghai is still Sunday in UTC', () => {
    const t = sh(2026, 3, 9, 7);
    expect(weekRange(t, SH).from).toBe(NEXT_MON);
    expect(weekRange(t, 'UTC').from).toBe(Date.UTC(2026, 2, 2));
  });
  it('gives last week and this month', () => {
    expect(presetRange('lastWeek', sh(2026, 3, 9, 0, 0), SH)).toEqual({ from: MON, to: NEXT_MON });
    expect(monthRange(sh(2026, 12, 31, 23), SH)).toEqual({ from: sh(2026, 12, 1), to: sh(2027, 1, 1) });
  });
  it('handles a DST zone: the New York week of the March change is 167 hours long', () => {
    const r = weekRange(Date.UTC(2026, 2, 5, 12), "America/New_York");
    expect((r.to - r.from) / HOUR).toBe(167);
  });
});

describe('computeReport', () => {
  const t = useDb();
  const opts = { from: MON, to: NEXT_MON, tz: SH, stages, products: [...DEFAULT_PRODUCTS], now: NEXT_MON + DAY };

  it('an empty week is all zeros, with every day present', async () => {
    const r = await computeReport(t.db, opts);
    expect(r.headline).toEqual({ newCustomers: 0, followUps: 0, followUpCustomers: 0, dealsClosed: 0, dealAmount: 0, commission: 0, remindersDue: 0, missed: 0 });
    expect(r.newByDay.map((d) => d.key)).toEqual(['2026-03-02', '2026-03-03', '2026-03-04', '2026-03-05', '2026-03-06', '2026-03-07', '2026-03-08']);
    expect(r.newByDay.every((d) => d.count === 0)).toBe(true);
    expect(r.stageMoves.every((m) => m.count === 0)).toBe(true);
    expect(r.funnel.steps.map((s) => s.reached)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(r.productInquiries).toEqual([]);
  });

  it('counts every figure of a hand-made week', async () => {
    const { db } = t;
    await db.customers.bulkAdd([
      // New this week: a (Mon 00:00 exactly), b, c. d was created Sunday 23:59 the week before.
      customer('a', { createdAt: MON, updatedAt: MON, source: '抖音', product: '信用贷', amount: 100_000, owner: '小王' }),
      customer('b', { createdAt: MON + DAY, updatedAt: MON + 2 * DAY, stage: '已联系', source: '抖音', product: '车贷', owner: '小李' }),
      customer('c', { createdAt: NEXT_MON - 60_000, updatedAt: NEXT_MON - 60_000, source: '百度', owner: '小王' }),
      customer('d', { createdAt: MON - 60_000, updatedAt: MON - 60_000 }),
      // Older customers further down the pipeline; e changed this week (approximated move).
      customer('e', { stage: '方案沟通', updatedAt: MON + 3 * DAY, owner: '小王' }),
      customer('f', { stage: '成交', owner: '小李' }),
      customer('g', { stage: '流失' }),
      // Created in the next week: outside.
      customer('h', { createdAt: NEXT_MON, updatedAt: NEXT_MON }),
    ]);
    await db.followUps.bulkAdd([
      fu('f1', 'b', MON + DAY + HOUR, { method: '微信', content: '想问问经营性贷款的利率', by: '小李', result: '有意向' }),
      fu('f2', 'e', MON + 3 * DAY, { content: '方案发过去了，车贷和信用贷都看', by: '小王' }),
      fu('f3', 'e', NEXT_MON - 1, { by: '小王' }), // Sunday 23:59:59.999: in
      fu('f4', 'e', NEXT_MON, { by: '小王' }), // Monday 00:00 next week: out
      fu('f5', 'a', MON - 1), // out
    ]);
    await db.deals.bulkAdd([
      deal('d1', 'f', { amount: 300_000, commission: 3000, product: '信用贷' }),
      deal('d2', 'b', { amount: 50_000, commission: 500, product: '车贷', createdAt: MON + 2 * DAY, closedAt: MON + 2 * DAY }),
      deal('d3', 'e', { status: '进行中', product: '经营贷', createdAt: MON + 2 * DAY }), // not closed
      deal('d4', 'f', { closedAt: NEXT_MON, createdAt: NEXT_MON }), // next week
      deal('d5', 'e', { product: '车贷', status: '已取消', createdAt: MON + 4 * DAY }),
    ]);
    await db.reminders.bulkAdd([
      reminder('r1', 'b', MON + DAY + 2 * HOUR, 'done'), // f1 on that day: on time
      reminder('r2', 'e', MON + 2 * DAY, 'done'), // followed up the next day (f2): late
      reminder('r3', 'a', MON + 4 * DAY, 'due'), // never: open
      reminder('r4', 'c', NEXT_MON + HOUR, 'due'), // next week: not counted
    ]);

    const r = await computeReport(db, opts);
    expect(r.headline).toEqual({ newCustomers: 3, followUps: 3, followUpCustomers: 2, dealsClosed: 2, dealAmount: 350_000, commission: 3500, remindersDue: 3, missed: 2 });
    expect(r.newByDay.map((d) => d.count)).toEqual([1, 1, 0, 0, 0, 0, 1]);
    expect(r.followUpsByDay.map((d) => d.count)).toEqual([0, 1, 0, 1, 0, 0, 1]);
    expect(r.followUpsByMethod).toEqual([{ key: '电话', count: 2 }, { key: '微信', count: 1 }]);
    expect(r.bySource).toEqual([{ key: '抖音', count: 2 }, { key: '百度', count: 1 }]);
    expect(r.byProduct).toEqual([{ key: '', count: 1 }, { key: '信用贷', count: 1, amount: 100_000 }, { key: '车贷', count: 1 }]);
    expect(r.deals.byProduct).toEqual([{ key: '信用贷', count: 1, amount: 300_000 }, { key: '车贷', count: 1, amount: 50_000 }]);
    // Both owners total 4 items: the tie is broken by name, so compare as a set.
    expect(r.byOwner).toHaveLength(2);
    expect(r.byOwner).toEqual(expect.arrayContaining([
      { owner: '小王', newCustomers: 2, followUps: 2, deals: 0, dealAmount: 0 },
      { owner: '小李', newCustomers: 1, followUps: 1, deals: 2, dealAmount: 350_000 },
    ]));
    expect(r.missed).toMatchObject({ due: 3, onTime: 1, late: 1, open: 1 });
    expect(r.missed.items.map((i) => [i.reminderId, i.kind])).toEqual([['r2', 'late'], ['r3', 'open']]);

    // Moves: 3 new → 新客户; without a log, b (已联系) and e (方案沟通) moved by updatedAt.
    expect(Object.fromEntries(r.stageMoves.map((m) => [m.key, m.count]))).toEqual({ 新客户: 3, 已联系: 1, 跟进中: 0, 方案沟通: 1, 谈判中: 0, 成交: 0, 流失: 0 });
    expect(r.approximations).toContain('stageMoves');

    // Funnel snapshot: 新客户 a c d h =4, 已联系 b, 方案沟通 e, 成交 f, 流失 g (reached 新客户 only).
    expect(r.funnel.steps.map((s) => [s.stage, s.current, s.reached])).toEqual([
      ['新客户', 4, 8], ['已联系', 1, 3], ['跟进中', 0, 2], ['方案沟通', 1, 2], ['谈判中', 0, 1], ['成交', 1, 1],
    ]);
    expect(r.funnel.steps.map((s) => s.conversion)).toEqual([null, 3 / 8, 2 / 3, 1, 0.5, 1]);
    expect(r.funnel.lost).toBe(1);
    // Median time in 新客户 without a log: b created Tue 00:00, first follow-up 1 h later.
    expect(r.funnel.steps[0]).toMatchObject({ medianDays: 0, medianApprox: true, medianSample: 1 });

    // Product inquiries: a (信用贷, created), b (车贷, created; 经营贷 via alias in f1),
    // e (车贷 + 信用贷 in f2). Deals after inquiry: b 车贷 (d2). e's 车贷 deal was cancelled.
    expect(r.productInquiries).toEqual([
      { product: '信用贷', mentions: 2, customers: 2, withDeal: 0, conversion: 0 },
      { product: '车贷', mentions: 2, customers: 2, withDeal: 1, conversion: 0.5 },
      { product: '经营贷', mentions: 1, customers: 1, withDeal: 0, conversion: 0 },
    ]);
  });

  it('uses the stage log when it covers the range: exact moves, lost reach and medians', async () => {
    const { db } = t;
    await db.customers.bulkAdd([
      customer('p', { stage: '跟进中', createdAt: MON - 10 * DAY, updatedAt: MON + DAY }),
      customer('q', { stage: '流失', createdAt: MON - 10 * DAY, updatedAt: MON + DAY }),
    ]);
    await appendStageChange(db, { customerId: 'p', from: '新客户', to: '已联系', at: MON - 8 * DAY });
    await appendStageChange(db, { customerId: 'q', from: '新客户', to: '方案沟通', at: MON - 6 * DAY });
    await appendStageChange(db, { customerId: 'p', from: '已联系', to: '跟进中', at: MON - 4 * DAY + 1 });
    await appendStageChange(db, { customerId: 'q', from: '方案沟通', to: '流失', at: MON + DAY });
    // Set the log's start before the range by hand: the first append above was before it anyway.
    const r = await computeReport(db, opts);
    expect(r.approximations).not.toContain('stageMoves');
    expect(Object.fromEntries(r.stageMoves.filter((m) => m.count).map((m) => [m.key, m.count]))).toEqual({ 流失: 1 });
    // q reached 方案沟通 before being lost.
    expect(r.funnel.steps.map((s) => s.reached)).toEqual([2, 2, 2, 1, 0, 0]);
    const med = Object.fromEntries(r.funnel.steps.map((s) => [s.stage, s.medianDays]));
    // 新客户: p 2 days, q 4 days → 3; 已联系: p 4 days; 方案沟通: q 7 days.
    expect(med).toMatchObject({ 新客户: 3, 已联系: 4, 方案沟通: 7, 谈判中: null });
  });
});
