// 通知销售人员 (seed 003) through a WeCom 应用消息: POST message/send {touser:"a|b", msgtype:
// "text"|"markdown", agentid, text|markdown:{content}, enable_duplicate_check:1,
// duplicate_check_interval} → {errcode:0, invaliduser, unlicenseduser, msgid}
// (WwOpenAppSendMsg.yaml for the call and reply; its request body is empty in the 2023 YAML, so
// the body follows the 消息类型 page, developer.work.weixin.qq.com/document/path/90236, read
// 2026-12-06: touser ≤ 1000 members joined by '|', text content ≤ 2048 bytes, markdown ≤ 2048
// bytes, duplicate check interval ≤ 4 hours). With the duplicate check on, the same JSON sent
// again within the interval (a retry after a lost reply) is not delivered twice. Limits
// (path/90454): per app per member 30/min and 1,000/h; beyond them WeCom drops messages silently.
// Recipients WeCom cannot reach are returned (invaliduser / unlicenseduser), never guessed.
import { z } from 'zod';
import { CrmError } from '../errors';
import type { AdapterDeps } from '../port';
import { wecomContext, type WecomAdapterOverrides } from './adapter';
import { call, type WecomContext } from './client';

const sendReply = z.object({ msgid: z.string().optional(), invaliduser: z.string().optional(), unlicenseduser: z.string().optional() }).passthrough();

export interface AppMessage {
  /** WeCom userids (账号) of the salespeople, 1–1000. */
  userIds: string[];
  text: string;
  /** Markdown shows in the WeCom client only (WeChat shows a prompt to open WeCom). */
  format?: 'text' | 'markdown';
}

export interface AppMessageResult {
  msgid?: string;
  /** Recipients WeCom did not deliver to (not in the app's visible range, no licence). */
  undelivered: string[];
}

export interface AppMessageSender {
  send(m: AppMessage, opts?: { signal?: AbortSignal }): Promise<AppMessageResult>;
}

/** The duplicate check window: 30 minutes (WeCom's default 1800 s). */
export const DUPLICATE_WINDOW_S = 1800;
const MAX_BYTES = 2048;

function refuse(detail: string, zh: string): CrmError {
  return new CrmError('validation', `WeCom app message: ${detail}`, { vendorCode: 'APP_MESSAGE', userMessage: { zh_CN: zh, en: `Cannot send the WeCom application message: ${detail}` } });
}

export async function sendAppMessage(ctx: WecomContext, m: AppMessage, signal?: AbortSignal): Promise<AppMessageResult> {
  if (!ctx.config.agentid) throw refuse('no AgentId in the connection settings', '发送企业微信应用消息需要自建应用的 AgentId，请在连接设置中填写');
  const ids = [...new Set(m.userIds.map((u) => u.trim()).filter(Boolean))];
  if (!ids.length || ids.length > 1000) throw refuse(`${ids.length} recipients (1–1000 allowed)`, '应用消息的接收人须为 1～1000 位成员');
  if (ids.some((u) => !/^[\w.@-]{1,64}$/.test(u))) throw refuse('a recipient is not a WeCom userid', '应用消息的接收人须为企业微信成员账号（userid）');
  const content = m.text.trim();
  if (!content) throw refuse('empty text', '应用消息内容为空');
  const bytes = new TextEncoder().encode(content).length;
  if (bytes > MAX_BYTES) throw refuse(`${bytes} bytes of text (at most ${MAX_BYTES})`, `应用消息内容过长（${bytes} 字节，最多 ${MAX_BYTES} 字节）`);
  const msgtype = m.format ?? 'text';
  const r = await call(ctx, 'post', 'cgi-bin/message/send', {
    json: { touser: ids.join('|'), msgtype, agentid: Number(ctx.config.agentid), [msgtype]: { content }, enable_duplicate_check: 1, duplicate_check_interval: DUPLICATE_WINDOW_S },
    write: true,
    schema: sendReply,
    signal,
  });
  const undelivered = [r.invaliduser, r.unlicenseduser].flatMap((s) => (s ? s.split('|').filter(Boolean) : []));
  return { ...(r.msgid ? { msgid: r.msgid } : {}), undelivered };
}

export function createAppMessageSender(deps: AdapterDeps, overrides: WecomAdapterOverrides = {}): AppMessageSender {
  let ctx: WecomContext | undefined;
  return { send: (m, opts = {}) => sendAppMessage((ctx ??= wecomContext(deps, overrides)), m, opts.signal) };
}
