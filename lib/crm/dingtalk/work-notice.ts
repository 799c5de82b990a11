// 通知销售人员 (seed 003) through DingTalk 工作通知 (open.dingtalk.com/document/orgapp/
// asynchronous-sending-of-enterprise-session-messages, as quoted by third-party notes read
// 2026-12-06; the page itself was not in the store): oapi POST
// /topapi/message/corpconversation/asyncsend_v2?access_token= {agent_id, userid_list (comma-
// separated, at most 100), msg:{msgtype:"text", text:{content}} | {msgtype:"markdown", markdown:{title, text}}} → {errcode:0, task_id,
// request_id}. Needs the app's AgentId (settings.agentId) and the message permission. DingTalk
// delivers the same content from one app to one user once a day, so a retry after a lost reply
// does not notify twice. Background only; the same token and limiter as the adapter.
import { z } from 'zod';
import type { AdapterDeps } from '../port';
import { CrmError } from '../errors';
import { dingtalkContext, type DingtalkAdapterOverrides } from './adapter';
import { oapiCall, type DingtalkContext } from './client';

const sendReply = z.object({ task_id: z.number().int().nonnegative(), request_id: z.string().optional() }).passthrough();

export interface WorkNotice {
  /** DingTalk userIds of the salespeople (1–100). */
  userIds: string[];
  /** The message body: plain text, or Markdown when `format` is 'markdown'. */
  text: string;
  /** 'markdown' sends msgtype markdown {title, text}: the title shows in the chat list and the notification. */
  format?: 'text' | 'markdown';
  /** Markdown only; defaults to the text's first line. */
  title?: string;
}

export interface WorkNoticeSender {
  /** Queues the notice with DingTalk; resolves with its task id (asyncsend is asynchronous). */
  send(n: WorkNotice, opts?: { signal?: AbortSignal }): Promise<{ taskId: number }>;
}

function refuse(detail: string, zh: string): CrmError {
  return new CrmError('validation', `DingTalk work notice: ${detail}`, { vendorCode: 'WORK_NOTICE', userMessage: { zh_CN: zh, en: `Cannot send the DingTalk work notice: ${detail}` } });
}

function messageOf(n: WorkNotice, content: string) {
  if (n.format !== 'markdown') return { msgtype: 'text', text: { content } };
  const title = (n.title?.trim() || content.split('\n')[0]!.replace(/^[#>*\s-]+/, '')).slice(0, 64) || '通知';
  return { msgtype: 'markdown', markdown: { title, text: content } };
}

export async function sendWorkNotice(ctx: DingtalkContext, n: WorkNotice, signal?: AbortSignal): Promise<{ taskId: number }> {
  if (!ctx.config.agentId) throw refuse('no AgentId in the connection settings', '发送钉钉工作通知需要应用的 AgentId，请在连接设置中填写');
  const ids = [...new Set(n.userIds.map((u) => u.trim()).filter(Boolean))];
  if (!ids.length || ids.length > 100) throw refuse(`${ids.length} recipients (1–100 allowed)`, '工作通知的接收人须为 1～100 位成员');
  if (ids.some((u) => !/^[\w-]{1,64}$/.test(u))) throw refuse('a recipient is not a DingTalk userId', '工作通知的接收人须为钉钉 userId');
  const content = n.text.trim();
  if (!content) throw refuse('empty text', '工作通知内容为空');
  const r = await oapiCall(ctx, 'topapi/message/corpconversation/asyncsend_v2', {
    json: { agent_id: Number(ctx.config.agentId), userid_list: ids.join(','), msg: messageOf(n, content) },
    write: true,
    schema: sendReply,
    signal,
  });
  return { taskId: r.task_id };
}

export function createWorkNoticeSender(deps: AdapterDeps, overrides: DingtalkAdapterOverrides = {}): WorkNoticeSender {
  let ctx: DingtalkContext | undefined;
  return { send: (n, opts = {}) => sendWorkNotice((ctx ??= dingtalkContext(deps, overrides)), n, opts.signal) };
}
