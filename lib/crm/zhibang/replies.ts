// listFollowUps → the customer's 洽谈进展, read from systemmanage/replylist.asp.
//
// Evidence, and what it does not settle: the help page (help.ashx, 32.17, as scraped 2025-10-18 in
// chenxuanhao520-wq/wxauto docs/erp_api/智邦ERP_API完整数据.json) documents reply.asp (the write)
// for datatype tel/person/chance/contract but no list of replies. The ERP itself has one: its
// mobile app's menu database (Miracle1000/ALL_ERP, v32.05, SYSA/update/db.asp) links 最新跟进 to
// mobilephone/systemmanage/replylist.asp?datatype=remind and 跟进客户 statistics to
// replylist.asp?datatype=stat; the ERP's reply table holds id, ord (the customer), intro, sort98
// (洽谈方式), cateid (the author, a user id) and date7 (when it was logged, server wall-clock
// time, set by the ERP: a reply carries no time of its own) (SYSA/work/genjin.asp). The request
// here follows the documented conventions of the sibling endpoints: datatype=tel in the URL as
// reply.asp takes it, ord = the customer as chance/list.asp documents for datatype=tel, cmdkey
// "refresh", pagesize/pageindex paging and _rpt_sort "-<column>" (custom/list.asp). The column
// ids (id, intro, date7, sort, cateid, catename) are the table's; they are checked on every reply
// and a reply without id/intro/date7 is refused by name, never guessed.
import type { FollowUp } from '../../model';
import type { ListOptions, RemoteFollowUp } from '../port';
import { PATHS, type ZhibangClient } from './client';
import { parseErpDateTime } from './erp-time';
import { splitTrace } from './trace';
import { CrmError } from '../errors';
import { requireColumns, tableRows } from './wire';

export const REPLY_PAGE = 50;
/** Without a limit, at most this many (newest first): a sidebar's history, not an export. */
export const REPLY_DEFAULT_LIMIT = 200;

const METHOD_OF: Record<string, FollowUp['method']> = { '481': '电话', '482': '邮件', '483': '面谈', '484': '其他', 电话: '电话', 邮件: '邮件', 上门: '面谈', 面谈: '面谈', 其他: '其他', 微信: '微信' };

function toFollowUp(r: Record<string, string>): RemoteFollowUp {
  const at = parseErpDateTime(r.date7 ?? '');
  if (at === undefined) {
    throw new CrmError('validation', `智邦ERP: a follow-up's time (date7) is not a date: ${(r.date7 ?? '').slice(0, 30)}`, {
      userMessage: { zh_CN: '智邦ERP 返回的洽谈进展时间格式无法识别', en: 'The Zhibang ERP returned a follow-up time it cannot read' },
    });
  }
  const { content, key } = splitTrace(r.intro ?? '');
  const method = METHOD_OF[(r.sort ?? '').trim()];
  const by = r.catename?.trim() || r.cateid?.trim();
  return { remoteId: r.id!, at, content: content.trim(), ...(method ? { method } : {}), ...(by ? { by } : {}), ...(key ? { liaisonKey: key } : {}) };
}

/** The customer's replies, newest first: at most `limit`, none before `since`. */
export async function listReplies(client: ZhibangClient, ord: string, opts: ListOptions = {}): Promise<RemoteFollowUp[]> {
  const limit = Math.max(1, Math.min(opts.limit ?? REPLY_DEFAULT_LIMIT, 10_000));
  const out: RemoteFollowUp[] = [];
  for (let pageindex = 1; ; pageindex += 1) {
    opts.signal?.throwIfAborted();
    const doc = await client.v1(
      PATHS.replyList,
      'refresh',
      { ord, pagesize: REPLY_PAGE, pageindex, _rpt_sort: '-date7' },
      { searchParams: { datatype: 'tel' }, ...(opts.signal ? { signal: opts.signal } : {}) },
    );
    const rows = tableRows(doc);
    requireColumns(rows, '洽谈进展', 'id', 'intro', 'date7');
    const page = rows.map(toFollowUp);
    // Sorted by the ERP (newest first); sorted again here so one out-of-order row cannot end the walk early.
    page.sort((a, b) => b.at - a.at);
    let older = false;
    for (const f of page) {
      if (opts.since !== undefined && f.at < opts.since) {
        older = true;
        continue;
      }
      out.push(f);
    }
    if (older || rows.length < REPLY_PAGE || out.length >= limit) break;
  }
  out.sort((a, b) => b.at - a.at);
  return out.slice(0, limit);
}
