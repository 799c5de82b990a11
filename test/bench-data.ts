// Deterministic synthetic data for benchmarks and load tests: the same seed gives the same
// rows on every machine. Names come from a small pool so search keys (pinyin) are derived
// once per name, not 100,000 times.
import type { LiaisonDb } from '../lib/db/db';
import { DEFAULT_PRODUCTS, DEFAULT_SOURCES, DEFAULT_STAGES, type Customer, type Deal, type FollowUp, type Reminder } from '../lib/model';
import { storedSearchKeys } from '../lib/search/keys';

/** mulberry32: tiny, fast, good enough for test data. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '华', '平'];
const OWNERS = ['小王', '小李', '小张', '小陈'];
const TAGS = ['老客户', '高净值', '转介绍', '急用款', '已加微信'];
const CONTENT = ['客户想了解利率', '问了信用贷的额度', '需要抵押贷，房子在朝阳', '车贷首付多少', '经营贷要什么材料', '暂时不需要', '约了下周面谈'];
const DAY = 86_400_000;

export interface BenchOptions {
  customers: number;
  followUps: number;
  deals?: number;
  seed?: number;
  /** End of the generated history; rows spread over the `days` before it. */
  now: number;
  days?: number;
}

export interface BenchData {
  customers: Customer[];
  followUps: FollowUp[];
  deals: Deal[];
  reminders: Reminder[];
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
/** A uuid-shaped id from a counter: sortable, unique, deterministic. */
const idOf = (kind: number, i: number) => `${hex(kind, 8)}-0000-4000-8000-${hex(i, 12)}`;

export function generateBenchData(o: BenchOptions): BenchData {
  const r = rng(o.seed ?? 42);
  const span = (o.days ?? 365) * DAY;
  const keyCache = new Map<string, string[]>();
  const customers: Customer[] = [];
  for (let i = 0; i < o.customers; i++) {
    const name = pick(r, SURNAMES) + pick(r, GIVEN);
    let nameKeys = keyCache.get(name);
    if (!nameKeys) keyCache.set(name, (nameKeys = storedSearchKeys({ name, phones: [], code: '' })));
    const phone = `+86138${String(i).padStart(8, '0')}`;
    const createdAt = o.now - Math.floor(r() * span);
    const stage = pick(r, DEFAULT_STAGES);
    const code = `KH2026-${String(i + 1).padStart(6, '0')}`;
    const c: Customer = {
      id: idOf(1, i),
      code,
      name,
      phones: [phone],
      source: pick(r, DEFAULT_SOURCES),
      product: pick(r, DEFAULT_PRODUCTS),
      amount: Math.round(r() * 100) * 10_000,
      stage,
      tags: r() < 0.3 ? [pick(r, TAGS)] : [],
      owner: pick(r, OWNERS),
      createdAt,
      updatedAt: createdAt + Math.floor(r() * (o.now - createdAt)),
      // storedSearchKeys (lib/search/keys.ts) of this customer, built from the per-name part: the
      // name's pinyin and initials, and the code without punctuation (the name, the code as
      // written and the phone are answered by the name, code and phones indexes).
      searchKeys: [...nameKeys, code.toLowerCase().replace(/[^a-z0-9]/g, '')],
    };
    if (r() < 0.4) c.nextFollowUpAt = o.now + Math.floor((r() - 0.5) * 14 * DAY);
    customers.push(c);
  }
  const followUps: FollowUp[] = [];
  for (let i = 0; i < o.followUps && customers.length; i++) {
    const c = customers[Math.floor(r() * customers.length)]!;
    followUps.push({
      id: idOf(2, i),
      customerId: c.id,
      method: pick(r, ['电话', '微信', '面谈', '邮件', '其他'] as const),
      content: pick(r, CONTENT),
      result: pick(r, ['有意向', '无意向', '待考虑', '已拒绝'] as const),
      at: c.createdAt + Math.floor(r() * (o.now - c.createdAt)),
      by: c.owner,
      origin: 'manual',
      messageIds: [],
    });
  }
  const deals: Deal[] = [];
  const nDeals = o.deals ?? Math.floor(o.customers / 10);
  for (let i = 0; i < nDeals && customers.length; i++) {
    const c = customers[Math.floor(r() * customers.length)]!;
    const createdAt = c.createdAt + Math.floor(r() * (o.now - c.createdAt));
    const status = pick(r, ['进行中', '已放款', '已放款', '已取消'] as const);
    deals.push({
      id: idOf(3, i),
      customerId: c.id,
      product: c.product ?? '信用贷',
      amount: Math.round(r() * 100) * 10_000,
      commission: Math.round(r() * 50) * 100,
      status,
      createdAt,
      ...(status === '已放款' ? { closedAt: createdAt + Math.floor(r() * 7 * DAY) } : {}),
    });
  }
  const reminders: Reminder[] = customers
    .filter((c) => c.nextFollowUpAt !== undefined)
    .map((c, i) => ({ id: idOf(4, i), customerId: c.id, dueAt: c.nextFollowUpAt!, fireAt: c.nextFollowUpAt!, state: r() < 0.3 ? 'done' : 'due' }));
  return { customers, followUps, deals, reminders };
}

export async function seedBenchDb(db: LiaisonDb, data: BenchData): Promise<void> {
  // Chunked bulkAdd keeps fake-indexeddb's memory flat.
  const put = async <T>(table: { bulkAdd(rows: T[]): Promise<unknown> }, rows: T[]) => {
    for (let i = 0; i < rows.length; i += 10_000) await table.bulkAdd(rows.slice(i, i + 10_000));
  };
  await put(db.customers, data.customers);
  await put(db.followUps, data.followUps);
  await put(db.deals, data.deals);
  await put(db.reminders, data.reminders);
}
