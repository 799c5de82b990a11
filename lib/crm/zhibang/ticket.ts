// Tickets → 售后服务单 (seed 003 #7 售后服务关联: a complaint or a repair/return request creates
// an ERP after-sales order, assigns a service person and tracks it).
//
// What the evidence settles (docs/tickets-crm.md has the whole account):
// - Documented on help.ashx 32.17 (scraped 2025-10-19, chenxuanhao520-wq/wxauto
//   docs/erp_api/智邦ERP_API完整数据.json, 销售栏目/售后服务): service/list.asp (filters incl.
//   datatype=tel + ord = the customer, introts 售后内容 fuzzy, stype 1 待处理), service/add.asp as
//   服务详情 (datas ord → BillClass) and service/chuli.asp 售后处理 (ord, cateid 指派售后, info1,
//   cate 客户销售人员, intro 处理结果 — all required: it records a handling result, so Liaison does
//   not call it to assign).
// - NOT documented there: the save of a new order through add.asp. The fields sent are the ERP's
//   own web form's (Miracle1000/ALL_ERP v32.05 SYSA/service/add.asp): company (客户), title
//   (售后主题 1-50), great1 (紧急程度, enum 52), way1 (售后方式, enum 55), date (售后日期), lead
//   (指派售后, a user id: the assignment), introts (售后内容 ≤2000). Nor are the detail bill's or the
//   list's column ids; getTicket reads shid/title/lead/result1 and refuses a bill without title.
// - Status: there is no documented status field. 处理结果 (result1, what chuli.asp records) set →
//   已解决; a service person assigned and no result → 处理中; neither → 新建.
//
// Idempotency: no key in 智邦. The 售后内容 ends with the trace line "[Liaison <key>]" (trace.ts,
// as follow-ups do); a retry after a lost reply first searches the customer's orders by that
// text (list.asp datatype=tel&ord, introts: documented fuzzy filter) before saving again.
import { z } from 'zod';
import type { TicketPriority, TicketStatus } from '../../model/enums';
import { CrmError } from '../errors';
import type { RemoteRef, RemoteTicket, TicketInput } from '../port';
import { PATHS, type ZhibangClient } from './client';
import { erpDateTime } from './erp-time';
import { resolveEnum } from './enums';
import { clip } from './fields';
import { doneSchema, readState, type ConnectionStateStore } from './state';
import { traceOf } from './trace';
import { bill, messageOf, tableRows } from './wire';

export const SERVICE_ENUMS = { urgency: 52, way: 55 } as const;
export const SERVICE_TITLE_MAX = 50;
export const SERVICE_INTRO_MAX = 2000;

/** Our priority → the names an installation's 紧急程度 list may use, first match wins. */
const URGENCY_NAMES: Record<TicketPriority, string[]> = {
  低: ['低', '不急', '一般', '普通'],
  中: ['中', '一般', '普通'],
  高: ['高', '紧急', '较急', '急'],
  紧急: ['紧急', '非常紧急', '特急', '加急'],
};

const sendingSchema = z.object({ phase: z.literal('sending'), ord: z.string() });

const two = (n: number) => String(n).padStart(2, '0');
const erpDate = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
};

/** 售后内容: the description, the category, and the chat lines it came from, clipped to fit with the trace. */
export function serviceIntro(t: TicketInput, max: number): string {
  const lines = [t.description.trim(), `分类：${t.category}`];
  if (t.messages.length) {
    lines.push('聊天记录：');
    for (const m of t.messages) lines.push(`${erpDateTime(m.at).slice(5, 16)} ${m.from === 'customer' ? '客户' : '我'}：${m.text.trim()}`);
  }
  return clip(lines.filter(Boolean).join('\n'), max);
}

async function urgencyId(client: ZhibangClient, priority: TicketPriority, now: () => number, signal?: AbortSignal): Promise<{ id?: string; warning?: string }> {
  for (const name of URGENCY_NAMES[priority]) {
    const r = await resolveEnum(client, SERVICE_ENUMS.urgency, name, now, signal);
    if (r.id) return { id: r.id };
    if (r.failed === 'lookup') return { warning: '紧急程度（great1）：无法读取智邦ERP的选项列表，本次未写入 / Urgency: the ERP\'s option list could not be read; left out' };
  }
  return { warning: `紧急程度（great1）：智邦ERP中没有与「${priority}」对应的选项，本次未写入 / Urgency: the ERP has no option for "${priority}"; left out` };
}

async function findByTrace(client: ZhibangClient, ord: string, trace: string, signal?: AbortSignal): Promise<string | undefined> {
  const doc = await client.v1(PATHS.serviceList, 'refresh', { datatype: 'tel', ord, introts: trace.trim(), pagesize: 20, pageindex: 1 }, signal ? { signal } : {});
  const rows = tableRows(doc);
  const hit = rows.find((r) => (r.ord ?? r.id ?? '') !== '');
  return hit ? (hit.ord ?? hit.id) : undefined;
}

export interface TicketDeps {
  client: ZhibangClient;
  state: ConnectionStateStore;
  now: () => number;
}

export async function createServiceOrder(
  d: TicketDeps,
  t: TicketInput,
  idempotencyKey: string,
  signal?: AbortSignal,
): Promise<RemoteRef & { status?: TicketStatus; vendorStatus?: string }> {
  const { client, state, now } = d;
  const ord = t.remoteCustomerId;
  if (!ord || !/^\d+$/.test(ord)) {
    throw new CrmError('validation', '智邦ERP: a 售后服务单 hangs on a customer (ord); the customer is not linked to this ERP', {
      userMessage: { zh_CN: '售后服务单必须关联智邦ERP中的客户：请先把该客户同步到 ERP', en: 'An after-sales order needs the customer in the Zhibang ERP: sync the customer first' },
    });
  }
  const key = `ticket:${idempotencyKey}`;
  const done = await readState(state, key, doneSchema);
  if (done) return done;
  const trace = traceOf(idempotencyKey);
  const finish = async (serviceOrd: string, warnings: string[]) => {
    const read = await getServiceOrder(client, serviceOrd, signal).catch(() => null);
    const ref: RemoteRef = { remoteId: serviceOrd, ...(read?.remoteCode ? { remoteCode: read.remoteCode } : {}) };
    await state.set(key, ref);
    return { ...ref, ...(read ? { status: read.status, vendorStatus: read.vendorStatus } : {}), ...(warnings.length ? { warnings } : {}) };
  };
  // A save with this key was sent and its reply lost: the ERP may hold it. Look before saving again.
  if (trace && (await readState(state, key, sendingSchema))?.ord === ord) {
    const hit = await findByTrace(client, ord, trace, signal);
    if (hit) return finish(hit, []);
  }
  const warnings: string[] = [];
  const urgency = await urgencyId(client, t.priority, now, signal);
  if (urgency.warning) warnings.push(urgency.warning);
  const lead = t.assignee && /^\d+$/.test(t.assignee) ? t.assignee : client.config.ticketAssignee;
  if (t.assignee && !/^\d+$/.test(t.assignee)) warnings.push(`指派售后：「${t.assignee.slice(0, 30)}」不是智邦ERP用户编号，未指派 / Assignee is not an ERP user id; not assigned`);
  if (trace) await state.set(key, { phase: 'sending', ord });
  const doc = await client.v1(
    PATHS.serviceAdd,
    '__sys_dosave',
    {
      company: ord,
      title: clip(t.subject.trim() || t.category, SERVICE_TITLE_MAX),
      great1: urgency.id,
      way1: client.config.ticketWay,
      date: erpDate(now()),
      lead: lead ?? '0',
      introts: serviceIntro(t, SERVICE_INTRO_MAX - [...trace].length) + trace,
    },
    { write: true, ...(signal ? { signal } : {}) },
  );
  const id = messageOf(doc).id;
  if (id) return finish(id, warnings);
  // The save succeeded but did not say which order it made (undocumented reply): find it by its trace.
  const found = trace ? await findByTrace(client, ord, trace, signal) : undefined;
  if (!found) throw new CrmError('unknown-outcome', '智邦ERP: the 售后服务单 was saved but its id could not be read back');
  return finish(found, warnings);
}

/** 服务详情 → the order's state; null when the ERP no longer has it. */
export async function getServiceOrder(client: ZhibangClient, serviceOrd: string, signal?: AbortSignal): Promise<RemoteTicket | null> {
  if (!/^\d+$/.test(serviceOrd)) throw new CrmError('validation', '智邦ERP: a 售后服务单 id (ord) is a number');
  let doc;
  try {
    doc = await client.v1(PATHS.serviceAdd, '', { ord: serviceOrd }, signal ? { signal } : {});
  } catch (err) {
    if (err instanceof CrmError && err.kind === 'not-found') return null;
    throw err;
  }
  const b = bill(doc);
  const f = b.fields;
  if (!('title' in f)) {
    throw new CrmError('validation', `智邦ERP: the 服务详情 bill has no title field (fields: ${Object.keys(f).join(', ').slice(0, 200)})`, {
      userMessage: { zh_CN: '智邦ERP 返回的服务详情缺少「售后主题」，无法读取（请确认 ERP 版本）', en: 'The Zhibang ERP service detail lacks its subject; it cannot be read (check the ERP version)' },
    });
  }
  const result = (f.result1 ?? '').trim();
  const lead = (f.lead ?? f.cateid ?? '').trim();
  const assigned = lead !== '' && lead !== '0';
  const status: TicketStatus = result ? '已解决' : assigned ? '处理中' : '新建';
  const vendorStatus = result || (assigned ? `已指派：${f.catename || lead}` : '待处理');
  return {
    remoteId: b.value || serviceOrd,
    ...(f.shid ? { remoteCode: f.shid } : {}),
    status,
    vendorStatus,
    subject: f.title!,
    ...(assigned ? { assignee: f.catename || lead } : {}),
  };
}
