// Customers, follow-ups or deals as a table with Chinese headers (seed 000's three tables), read
// in the background; the options page writes it as CSV or .xlsx (./write.ts, loaded there when
// the export section is used, so the service worker carries neither writer). Times are written as
// wall time in the user's zone ("2026-03-05 14:30"), what a person reading the sheet expects.
import type { LiaisonDb } from '../db/db';
import type { Customer, Deal, FollowUp } from '../model';
import { zonedWallTime } from '../reminders/schedule';

export type ExportKind = 'customers' | 'followUps' | 'deals';
export type Cell = string | number | null;

export interface ExportOptions {
  kind: ExportKind;
  /** Range on createdAt (customers, deals) or at (follow-ups); to is exclusive. */
  from?: number;
  to?: number;
  stage?: string;
  tag?: string;
  tz: string;
}

export interface ExportTable {
  headers: string[];
  rows: Cell[][];
}

export function formatWall(ms: number | undefined, tz: string): string | null {
  if (ms === undefined) return null;
  const w = zonedWallTime(ms, tz);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${p(w.month)}-${p(w.day)} ${p(w.hour)}:${p(w.minute)}`;
}

const CUSTOMER_HEADERS = ['客户编号', '姓名', '公司', '电话', '微信号', '邮箱', '来源渠道', '意向产品', '意向金额', '意向等级', '贷款状态', '标签', '负责人', '搜索关键词', '创建时间', '最后联系', '下次跟进', '备注'];
const FOLLOW_UP_HEADERS = ['记录ID', '客户编号', '客户姓名', '跟进方式', '跟进内容', '跟进结果', '下次行动', '下次时间', '跟进时间', '跟进人'];
const DEAL_HEADERS = ['成交ID', '客户编号', '客户姓名', '产品名称', '银行', '贷款金额', '利率', '期限', '佣金', '成交时间', '状态'];

function inRange(t: number, o: ExportOptions): boolean {
  return (o.from === undefined || t >= o.from) && (o.to === undefined || t < o.to);
}

export async function exportRows(db: LiaisonDb, o: ExportOptions): Promise<ExportTable> {
  const w = (ms: number | undefined) => formatWall(ms, o.tz);
  const customerFilter = (c: Customer) => (!o.stage || c.stage === o.stage) && (!o.tag || c.tags.includes(o.tag));
  if (o.kind === 'customers') {
    const coll = o.from !== undefined || o.to !== undefined ? db.customers.where('createdAt').between(o.from ?? 0, o.to ?? Number.MAX_SAFE_INTEGER, true, false) : o.stage ? db.customers.where('stage').equals(o.stage) : db.customers.orderBy('createdAt');
    const rows = (await coll.toArray()).filter(customerFilter);
    return {
      headers: CUSTOMER_HEADERS,
      rows: rows.map((c) => [
        c.code, c.name, c.company ?? null, c.phones.join(', ') || null, c.wechatId ?? null, c.email ?? null, c.source ?? null, c.product ?? null,
        c.amount ?? null, c.intentLevel ?? null, c.stage, c.tags.join(', ') || null, c.owner ?? null, c.keyword ?? null,
        w(c.createdAt), w(c.lastContactAt), w(c.nextFollowUpAt), c.notes ?? null,
      ]),
    };
  }
  // Follow-ups and deals name their customer; stage and tag filter by that customer.
  const rows: (FollowUp | Deal)[] = o.kind === 'followUps'
    ? await db.followUps.where('at').between(o.from ?? 0, o.to ?? Number.MAX_SAFE_INTEGER, true, false).toArray()
    : (await db.deals.orderBy('createdAt').toArray()).filter((d) => inRange(d.createdAt, o));
  const customers = new Map((await db.customers.bulkGet([...new Set(rows.map((r) => r.customerId))])).filter((c): c is Customer => !!c).map((c) => [c.id, c]));
  const keep = (id: string) => {
    const c = customers.get(id);
    return !o.stage && !o.tag ? true : !!c && customerFilter(c);
  };
  if (o.kind === 'followUps') {
    const fs = (rows as FollowUp[]).filter((f) => keep(f.customerId));
    return {
      headers: FOLLOW_UP_HEADERS,
      rows: fs.map((f) => {
        const c = customers.get(f.customerId);
        return [f.id, c?.code ?? null, c?.name ?? null, f.method, f.content, f.result ?? null, f.nextAction ?? null, w(f.nextAt), w(f.at), f.by ?? null];
      }),
    };
  }
  const ds = (rows as Deal[]).filter((d) => keep(d.customerId));
  return {
    headers: DEAL_HEADERS,
    rows: ds.map((d) => {
      const c = customers.get(d.customerId);
      return [d.id, c?.code ?? null, c?.name ?? null, d.product, d.institution ?? null, d.amount ?? null, d.rate ?? null, d.termMonths ?? null, d.commission ?? null, w(d.closedAt), d.status];
    }),
  };
}
