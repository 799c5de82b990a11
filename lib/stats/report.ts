// The weekly report (seed 000's 每周统计, seed 003's 产品咨询统计) computed from the db.
// Each figure reads what it needs through an index (createdAt, at, status, stage, the stage
// log's time-ordered keys) and then makes single passes over plain arrays, so a week on
// 100,000 customers and 500,000 follow-ups reads thousands of rows, not all of them.
//
// What is approximated, and why (each listed in Report.approximations when it applied):
// - stageMoves: without the stage log for the whole range, a customer whose updatedAt falls
//   in the range is counted as moved to its current stage (the last edit may not have been
//   the stage change; a later edit hides an earlier move).
// - funnel: a snapshot of today's pipeline; a customer at stage k is taken to have passed
//   every earlier stage; a lost (流失) customer counts as having reached the furthest stage the
//   log shows, else only the first.
// - medianTime: from the log when it has intervals; otherwise only the first stage, as
//   created → first follow-up for this range's new customers who have moved on.
// - missedDone: reminders carry no "done at" and a rescheduled reminder forgets its old due
//   time, so a done reminder without a follow-up on its due day counts as done late.
import Dexie from 'dexie';
import type { LiaisonDb } from '../db/db';
import type { Customer, Deal, FollowUp, Reminder } from '../model';
import { findProducts } from '../understand/product';
import { DEFAULT_RULES, type Rules } from '../understand/rules';
import { zonedDayBounds } from '../reminders/schedule';
import { readStageChanges, stageLogSince, type StageChange } from './stage-log';
import { dayKey } from './time';

const DAY = 86_400_000;
/** Bounded work for the no-log median: enough for a stable median, cheap on any week. */
const MEDIAN_SAMPLE = 2000;
const MISSED_ITEMS = 100;

export interface ReportOptions {
  from: number;
  /** Exclusive. */
  to: number;
  tz: string;
  /** settings.stages, in pipeline order. */
  stages: readonly string[];
  /** settings.products, for 产品咨询 in follow-up text. */
  products?: readonly string[];
  /** Aliases for products (经营性贷款 → 经营贷); default the built-in rules. */
  rules?: Rules;
  /** "Now" for which reminders are already missed; default Date.now(). */
  now?: number;
}

export interface CountRow {
  /** The value ('' when the field was empty). */
  key: string;
  count: number;
  amount?: number;
}

export interface OwnerRow {
  owner: string;
  newCustomers: number;
  followUps: number;
  deals: number;
  dealAmount: number;
}

export interface FunnelStep {
  stage: string;
  /** Customers now at this stage or beyond it (see the approximation notes). */
  reached: number;
  /** Customers now at this stage. */
  current: number;
  /** reached / previous step's reached; null for the first step or when the previous is 0. */
  conversion: number | null;
  /** Median days spent in the stage; null when unknown. */
  medianDays: number | null;
  medianApprox: boolean;
  medianSample: number;
}

export interface ProductInquiry {
  product: string;
  /** Inquiry events: new customers with this 意向产品 plus follow-ups mentioning it. */
  mentions: number;
  customers: number;
  /** Of those customers, how many have a (non-cancelled) deal for it created at or after their first inquiry. */
  withDeal: number;
  conversion: number | null;
}

export interface MissedItem {
  reminderId: string;
  customerId: string;
  dueAt: number;
  /** late: done, or followed up, after its due day; open: still not done after its due day. */
  kind: 'late' | 'open';
}

export type Approximation = 'stageMoves' | 'funnel' | 'medianTime' | 'missedDone';

export interface Report {
  from: number;
  to: number;
  tz: string;
  headline: {
    newCustomers: number;
    followUps: number;
    /** Distinct customers followed up. */
    followUpCustomers: number;
    dealsClosed: number;
    dealAmount: number;
    commission: number;
    remindersDue: number;
    missed: number;
  };
  /** New customers per day of the range (tz days), for the trend chart. */
  newByDay: CountRow[];
  followUpsByDay: CountRow[];
  followUpsByMethod: CountRow[];
  followUpsByResult: CountRow[];
  /** Customers moved into each stage during the range, in stage order. */
  stageMoves: CountRow[];
  deals: { closed: number; amount: number; commission: number; byProduct: CountRow[] };
  missed: { due: number; onTime: number; late: number; open: number; items: MissedItem[] };
  /** New customers by 来源渠道 / 意向产品. */
  bySource: CountRow[];
  byProduct: CountRow[];
  byOwner: OwnerRow[];
  funnel: { steps: FunnelStep[]; lost: number; lostStage: string | undefined; total: number };
  productInquiries: ProductInquiry[];
  approximations: Approximation[];
}

function bump(m: Map<string, CountRow>, key: string, amount?: number): void {
  const row = m.get(key) ?? { key, count: 0 };
  row.count += 1;
  if (amount !== undefined) row.amount = (row.amount ?? 0) + amount;
  m.set(key, row);
}

/** Biggest first; ties by key so the order is stable across runs. */
const sorted = (m: Map<string, CountRow>): CountRow[] => [...m.values()].sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));

export function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const ratio = (n: number, d: number): number | null => (d > 0 ? n / d : null);

/** Every wall day of the range, so empty days show as 0 rather than disappearing from a chart. */
function dayKeys(from: number, to: number, tz: string): string[] {
  const out: string[] = [];
  // Noon-to-noon steps stay inside each day across DST shifts of ±1 h.
  for (let t = zonedDayBounds(from, tz).start + DAY / 2; t < to; t += DAY) {
    const k = dayKey(t, tz);
    if (out[out.length - 1] !== k) out.push(k);
  }
  return out;
}

function perDay(keys: string[], times: number[], tz: string): CountRow[] {
  const m = new Map(keys.map((k) => [k, { key: k, count: 0 }]));
  // Memoized per quarter hour, as in missedFollowUps: the day cannot change within one.
  const memo = new Map<number, string>();
  for (const t of times) {
    const q = Math.floor(t / 900_000);
    let k = memo.get(q);
    if (k === undefined) memo.set(q, (k = dayKey(t, tz)));
    const row = m.get(k);
    if (row) row.count += 1;
  }
  return [...m.values()];
}

export async function computeReport(db: LiaisonDb, opts: ReportOptions): Promise<Report> {
  const { from, to, tz, stages } = opts;
  const now = opts.now ?? Date.now();
  const products = opts.products ?? [];
  const rules = opts.rules ?? DEFAULT_RULES;
  const approximations = new Set<Approximation>();
  const firstStage = stages[0];
  const lostStage = stages.includes('流失') ? '流失' : undefined;
  const funnelStages = stages.filter((s) => s !== lostStage);

  // One read transaction: every figure sees the same snapshot.
  return db.transaction('r', [db.customers, db.followUps, db.deals, db.reminders, db.kv], async () => {
    // Follow-ups with a day of margin either side: reminders due on the range's first or last
    // day are judged against follow-ups of that whole (tz) day.
    const [newCustomers, nearbyFollowUps, wonDeals, reminders, since, log, stageCounts] = await Promise.all([
      db.customers.where('createdAt').between(from, to, true, false).toArray(),
      db.followUps.where('at').between(from - 2 * DAY, to + 2 * DAY, true, false).toArray(),
      db.deals.where('status').equals('已放款').toArray(),
      db.reminders.filter((r) => r.dueAt >= from && r.dueAt < to).toArray(),
      stageLogSince(db),
      readStageChanges(db),
      Promise.all(stages.map((s) => db.customers.where('stage').equals(s).count())),
    ]);
    const followUps = nearbyFollowUps.filter((f) => f.at >= from && f.at < to);
    // A deal without closedAt counts at its creation (older rows, imports).
    const closedDeals = wonDeals.filter((d) => {
      const t = d.closedAt ?? d.createdAt;
      return t >= from && t < to;
    });

    // Headline and breakdowns over new customers.
    const bySource = new Map<string, CountRow>();
    const byProduct = new Map<string, CountRow>();
    const owners = new Map<string, OwnerRow>();
    const owner = (o: string | undefined): OwnerRow => {
      const key = o ?? '';
      let r = owners.get(key);
      if (!r) owners.set(key, (r = { owner: key, newCustomers: 0, followUps: 0, deals: 0, dealAmount: 0 }));
      return r;
    };
    for (const c of newCustomers) {
      bump(bySource, c.source ?? '');
      bump(byProduct, c.product ?? '', c.amount);
      owner(c.owner).newCustomers += 1;
    }

    const byMethod = new Map<string, CountRow>();
    const byResult = new Map<string, CountRow>();
    const followed = new Set<string>();
    for (const f of followUps) {
      bump(byMethod, f.method);
      bump(byResult, f.result ?? '');
      followed.add(f.customerId);
      owner(f.by).followUps += 1;
    }

    // Deals: owner is the customer's owner.
    const dealCustomers = await db.customers.bulkGet([...new Set(closedDeals.map((d) => d.customerId))]);
    const ownerOf = new Map(dealCustomers.filter((c): c is Customer => !!c).map((c) => [c.id, c.owner]));
    const dealsByProduct = new Map<string, CountRow>();
    let amount = 0;
    let commission = 0;
    for (const d of closedDeals) {
      amount += d.amount ?? 0;
      commission += d.commission ?? 0;
      bump(dealsByProduct, d.product, d.amount ?? 0);
      const o = owner(ownerOf.get(d.customerId));
      o.deals += 1;
      o.dealAmount += d.amount ?? 0;
    }

    const missed = missedFollowUps(reminders, nearbyFollowUps, tz, now);
    if (missed.usedDoneGuess) approximations.add('missedDone');

    const stageMoves = await movesInRange(db, { from, to, stages, firstStage, newCustomers, log, since }, approximations);
    const funnel = await funnelOf(db, { stages: funnelStages, lostStage, stageCounts: new Map(stages.map((s, i) => [s, stageCounts[i] ?? 0])), log, newCustomers, firstStage }, approximations);
    const productInquiries = await inquiries(db, { newCustomers, followUps, products, rules });

    const days = dayKeys(from, to, tz);
    return {
      from,
      to,
      tz,
      headline: {
        newCustomers: newCustomers.length,
        followUps: followUps.length,
        followUpCustomers: followed.size,
        dealsClosed: closedDeals.length,
        dealAmount: amount,
        commission,
        remindersDue: missed.due,
        missed: missed.late + missed.open,
      },
      newByDay: perDay(days, newCustomers.map((c) => c.createdAt), tz),
      followUpsByDay: perDay(days, followUps.map((f) => f.at), tz),
      followUpsByMethod: sorted(byMethod),
      followUpsByResult: sorted(byResult),
      stageMoves,
      deals: { closed: closedDeals.length, amount, commission, byProduct: sorted(dealsByProduct) },
      missed,
      bySource: sorted(bySource),
      byProduct: sorted(byProduct),
      byOwner: [...owners.values()].sort((a, b) => b.newCustomers + b.followUps + b.deals - (a.newCustomers + a.followUps + a.deals) || a.owner.localeCompare(b.owner)),
      funnel,
      productInquiries,
      approximations: [...approximations].sort(),
    } satisfies Report;
  });
}

/** Reminders due in the range: kept on their due day, done late, or still open after it. */
export function missedFollowUps(reminders: Reminder[], followUps: FollowUp[], tz: string, now: number) {
  const byCustomer = new Map<string, number[]>();
  for (const f of followUps) {
    const list = byCustomer.get(f.customerId);
    if (list) list.push(f.at);
    else byCustomer.set(f.customerId, [f.at]);
  }
  let onTime = 0;
  let late = 0;
  let open = 0;
  let usedDoneGuess = false;
  const items: MissedItem[] = [];
  // Day bounds are constant within a quarter hour (every zone's offset is a multiple of 15
  // minutes): memoized, 20,000 reminders cost a few hundred Intl calls instead of 160,000.
  const bounds = new Map<number, { start: number; end: number }>();
  const dayOf = (ms: number) => {
    const k = Math.floor(ms / 900_000);
    let b = bounds.get(k);
    if (!b) bounds.set(k, (b = zonedDayBounds(ms, tz)));
    return b;
  };
  for (const r of [...reminders].sort((a, b) => a.dueAt - b.dueAt)) {
    const { start, end } = dayOf(r.dueAt);
    const times = byCustomer.get(r.customerId) ?? [];
    if (times.some((t) => t >= start && t < end)) {
      onTime += 1;
      continue;
    }
    if (end > now && r.state !== 'done') continue; // its day is not over: not missed yet
    const kind: MissedItem['kind'] = r.state === 'done' || times.some((t) => t >= end) ? 'late' : 'open';
    if (kind === 'late' && !times.some((t) => t >= end)) usedDoneGuess = true;
    if (kind === 'late') late += 1;
    else open += 1;
    if (items.length < MISSED_ITEMS) items.push({ reminderId: r.id, customerId: r.customerId, dueAt: r.dueAt, kind });
  }
  return { due: reminders.length, onTime, late, open, items, usedDoneGuess };
}

async function movesInRange(
  db: LiaisonDb,
  a: { from: number; to: number; stages: readonly string[]; firstStage: string | undefined; newCustomers: Customer[]; log: StageChange[]; since: number | undefined },
  approx: Set<Approximation>,
): Promise<CountRow[]> {
  const pairs = new Set<string>();
  const counts = new Map<string, number>(a.stages.map((s) => [s, 0]));
  const add = (customerId: string, stage: string) => {
    const k = `${customerId}\u0000${stage}`;
    if (pairs.has(k) || !counts.has(stage)) return;
    pairs.add(k);
    counts.set(stage, (counts.get(stage) ?? 0) + 1);
  };
  // Entering the first stage is being created: exact from createdAt.
  if (a.firstStage) for (const c of a.newCustomers) add(c.id, a.firstStage);
  for (const ch of a.log) if (ch.at >= a.from && ch.at < a.to) add(ch.customerId, ch.to);
  if (a.since === undefined || a.since > a.from) {
    approx.add('stageMoves');
    const touched = await db.customers.where('updatedAt').between(a.from, a.to, true, false).toArray();
    for (const c of touched) if (c.stage !== a.firstStage) add(c.id, c.stage);
  }
  return a.stages.map((s) => ({ key: s, count: counts.get(s) ?? 0 }));
}

async function funnelOf(
  db: LiaisonDb,
  a: { stages: string[]; lostStage: string | undefined; stageCounts: Map<string, number>; log: StageChange[]; newCustomers: Customer[]; firstStage: string | undefined },
  approx: Set<Approximation>,
): Promise<Report['funnel']> {
  const index = new Map(a.stages.map((s, i) => [s, i]));
  const current = a.stages.map((s) => a.stageCounts.get(s) ?? 0);
  const lost = a.lostStage ? (a.stageCounts.get(a.lostStage) ?? 0) : 0;

  // The log, per customer, oldest first: furthest stage reached, and stays between changes.
  const perCustomer = new Map<string, StageChange[]>();
  for (const ch of a.log) {
    const l = perCustomer.get(ch.customerId);
    if (l) l.push(ch);
    else perCustomer.set(ch.customerId, [ch]);
  }
  const lostReach = new Array<number>(a.stages.length).fill(0);
  let lostWithHistory = 0;
  const stays = new Map<string, number[]>();
  const firstStays: { customerId: string; at: number }[] = [];
  for (const [customerId, changes] of perCustomer) {
    changes.sort((x, y) => x.at - y.at);
    for (let i = 0; i + 1 < changes.length; i++) {
      const s = changes[i]!.to;
      const list = stays.get(s) ?? [];
      list.push(changes[i + 1]!.at - changes[i]!.at);
      stays.set(s, list);
    }
    const first = changes[0]!;
    if (first.from !== undefined && first.from === a.firstStage) firstStays.push({ customerId, at: first.at });
    const last = changes[changes.length - 1]!;
    if (a.lostStage && last.to === a.lostStage) {
      let best = -1;
      for (const ch of changes) best = Math.max(best, index.get(ch.to) ?? -1, index.get(ch.from ?? '') ?? -1);
      if (best >= 0) {
        lostWithHistory += 1;
        lostReach[best] = (lostReach[best] ?? 0) + 1;
      }
    }
  }
  // Lost customers the log knows nothing about reached the first stage only.
  if (lost > lostWithHistory) lostReach[0] = (lostReach[0] ?? 0) + (lost - lostWithHistory);
  approx.add('funnel');

  // Time in the first stage from the log needs createdAt.
  if (firstStays.length && a.firstStage) {
    const rows = await db.customers.bulkGet(firstStays.map((x) => x.customerId));
    const list = stays.get(a.firstStage) ?? [];
    rows.forEach((c, i) => {
      if (c) list.push(firstStays[i]!.at - c.createdAt);
    });
    stays.set(a.firstStage, list);
  }
  let firstApprox = false;
  if (a.firstStage && !(stays.get(a.firstStage)?.length)) {
    // No log: created → first follow-up, for this range's new customers who moved on.
    const moved = a.newCustomers.filter((c) => c.stage !== a.firstStage).slice(0, MEDIAN_SAMPLE);
    const firsts = await Promise.all(
      moved.map((c) => db.followUps.where('[customerId+at]').between([c.id, Dexie.minKey], [c.id, Dexie.maxKey]).first()),
    );
    const list: number[] = [];
    firsts.forEach((f, i) => {
      if (f) list.push(Math.max(0, f.at - moved[i]!.createdAt));
    });
    if (list.length) {
      stays.set(a.firstStage, list);
      firstApprox = true;
      approx.add('medianTime');
    }
  }

  let reachedFromHere = 0;
  const reached = new Array<number>(a.stages.length).fill(0);
  for (let i = a.stages.length - 1; i >= 0; i--) {
    reachedFromHere += (current[i] ?? 0) + (lostReach[i] ?? 0);
    reached[i] = reachedFromHere;
  }
  const steps: FunnelStep[] = a.stages.map((stage, i) => {
    const d = stays.get(stage) ?? [];
    const m = median(d);
    return {
      stage,
      reached: reached[i] ?? 0,
      current: current[i] ?? 0,
      conversion: i === 0 ? null : ratio(reached[i] ?? 0, reached[i - 1] ?? 0),
      medianDays: m === null ? null : Math.round((m / DAY) * 10) / 10,
      medianApprox: stage === a.firstStage && firstApprox,
      medianSample: d.length,
    };
  });
  if (steps.some((s) => s.medianDays === null) && a.stages.length > 0) approx.add('medianTime');
  return { steps, lost, lostStage: a.lostStage, total: current.reduce((x, y) => x + y, 0) + lost };
}

async function inquiries(
  db: LiaisonDb,
  a: { newCustomers: Customer[]; followUps: FollowUp[]; products: readonly string[]; rules: Rules },
): Promise<ProductInquiry[]> {
  // product → customerId → first inquiry time
  const asked = new Map<string, Map<string, number>>();
  const mentions = new Map<string, number>();
  const note = (product: string, customerId: string, at: number) => {
    mentions.set(product, (mentions.get(product) ?? 0) + 1);
    let m = asked.get(product);
    if (!m) asked.set(product, (m = new Map()));
    const prev = m.get(customerId);
    if (prev === undefined || at < prev) m.set(customerId, at);
  };
  for (const c of a.newCustomers) if (c.product) note(c.product, c.id, c.createdAt);
  if (a.products.length) {
    for (const f of a.followUps) {
      const text = f.summary ? `${f.content}\n${f.summary}` : f.content;
      for (const p of findProducts(text, a.products, a.rules)) note(p, f.customerId, f.at);
    }
  }
  const ids = new Set<string>();
  for (const m of asked.values()) for (const id of m.keys()) ids.add(id);
  // anyOf walks the index once per key; with thousands of customers, one scan of deals (a
  // much smaller table than customers) is cheaper.
  const dealCount = ids.size ? await db.deals.count() : 0;
  const deals: Deal[] = !ids.size
    ? []
    : ids.size * 4 > dealCount
      ? (await db.deals.toArray()).filter((d) => ids.has(d.customerId))
      : await db.deals.where('customerId').anyOf([...ids]).toArray();
  const dealsOf = new Map<string, Deal[]>();
  for (const d of deals) {
    if (d.status === '已取消') continue;
    const l = dealsOf.get(d.customerId);
    if (l) l.push(d);
    else dealsOf.set(d.customerId, [d]);
  }
  const out: ProductInquiry[] = [];
  for (const [product, customers] of asked) {
    let withDeal = 0;
    for (const [customerId, at] of customers) {
      if ((dealsOf.get(customerId) ?? []).some((d) => d.product === product && d.createdAt >= at)) withDeal += 1;
    }
    out.push({ product, mentions: mentions.get(product) ?? 0, customers: customers.size, withDeal, conversion: ratio(withDeal, customers.size) });
  }
  return out.sort((x, y) => y.customers - x.customers || x.product.localeCompare(y.product));
}
