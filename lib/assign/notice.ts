// The message the assignee receives (通知销售人员, seed 003 #2) through DingTalk 工作通知 or a WeCom
// 应用消息: who the customer is and what is next, in the team's language (settings.language;
// 'auto' is Chinese: the team reads these in DingTalk/WeCom). Plain text; the adapter formats it.
import type { Customer, Settings } from '../model';
import type { PersonNotice } from '../crm/port';

const pad = (n: number) => String(n).padStart(2, '0');
/** YYYY-MM-DD HH:mm in the background's own time zone (the team's computers). */
function when(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function assignmentNotice(c: Customer, ownerName: string, settings: Pick<Settings, 'language'>): PersonNotice {
  const en = settings.language === 'en';
  const rows: [string, string, string | undefined][] = [
    ['客户', 'Customer', `${c.name}${c.code ? `（${c.code}）` : ''}`],
    ['公司', 'Company', c.company],
    ['电话', 'Phone', c.phones.join(en ? ', ' : '、') || undefined],
    ['微信', 'WeChat', c.wechatId],
    ['来源', 'Source', c.source],
    ['意向产品', 'Product', c.product],
    ['意向金额', 'Amount', c.amount !== undefined ? `¥${c.amount.toLocaleString('en-US')}` : undefined],
    ['意向等级', 'Intent', c.intentLevel],
    ['阶段', 'Stage', c.stage],
    ['下次跟进', 'Next follow-up', c.nextFollowUpAt !== undefined ? when(c.nextFollowUpAt) : undefined],
  ];
  const text = rows
    .filter(([, , v]) => v !== undefined && v !== '')
    .map(([zh, eng, v]) => `${en ? eng : zh}${en ? ': ' : '：'}${v}`)
    .join('\n');
  return { title: en ? `New customer assigned to ${ownerName}` : `新客户分配给 ${ownerName}`, text };
}
