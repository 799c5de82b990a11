// WeCom group robot webhook, as documented (read 2026-12-06 through copies, see lib/notify/wecom.ts):
// - 群机器人配置说明 https://developer.work.weixin.qq.com/document/path/91770: POST
//   /cgi-bin/webhook/send?key=…; msgtype text (content ≤ 2048 bytes UTF-8; mentioned_list,
//   mentioned_mobile_list string arrays) | markdown (content ≤ 4096 bytes) | markdown_v2 | image |
//   news | file | voice | template_card; "每个机器人发送的消息不能超过20条/分钟".
// - 全局错误码 https://developer.work.weixin.qq.com/document/path/90313: 45009 接口调用超过限制,
//   93000 webhook url 不合法 / 机器人已被移出群, 40008 不合法的消息类型, 44004 内容为空,
//   40058 不合法的参数. No signing: the key is the credential.
// The errmsg form is WeCom's "<text>, hint: [<id>], from ip: <ip>, more info at
// https://open.work.weixin.qq.com/devtool/query?e=<code>", as quoted in public reports
// (github.com/wes-lin/Cloud189Checkin/issues/175, 2025-08-19, for 93000 "invalid webhook url");
// the texts of the other codes are the short English forms reports quote.
import { isObj, isStr, nonEmpty, overLimit, parseJson, type EmReply, type EmRequest, type VendorContext } from './state';

const MSG_TYPES = ['text', 'markdown', 'markdown_v2', 'image', 'news', 'file', 'voice', 'template_card'] as const;
const TOP_LEVEL = new Set(['msgtype', ...MSG_TYPES]);
const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

let hint = 1_755_605_200_000_000_000n;
const reply = (errcode: number, errmsg: string): EmReply => ({
  status: 200,
  body: { errcode, errmsg: errcode === 0 ? errmsg : `${errmsg}, hint: [${(hint += 7919n)}], from ip: 127.0.0.1, more info at https://open.work.weixin.qq.com/devtool/query?e=${errcode}` },
});

function shapeProblem(b: Record<string, unknown>): EmReply | undefined {
  for (const k of Object.keys(b)) if (!TOP_LEVEL.has(k)) return reply(40058, `invalid parameter: unknown field ${k}`);
  const t = b.msgtype;
  if (!isStr(t) || !(MSG_TYPES as readonly string[]).includes(t)) return reply(40008, 'invalid message type');
  const part = b[t];
  if (!isObj(part)) return reply(40058, `invalid parameter: ${t} must be an object`);
  if (t === 'text' || t === 'markdown' || t === 'markdown_v2') {
    if (!nonEmpty(part.content)) return reply(44004, 'empty content');
    const max = t === 'text' ? 2048 : 4096;
    if (bytes(part.content) > max) return reply(40058, `invalid parameter: content exceed max length ${max} bytes`);
  }
  if (t === 'text') {
    for (const f of ['mentioned_list', 'mentioned_mobile_list'] as const)
      if (part[f] !== undefined && !(Array.isArray(part[f]) && (part[f] as unknown[]).every(isStr))) return reply(40058, `invalid parameter: ${f}`);
  }
  return undefined;
}

export function wecomRoute(req: EmRequest, ctx: VendorContext): { token?: string; reply: EmReply } {
  if (req.path !== '/cgi-bin/webhook/send') return { reply: { status: 404, body: 'not found' } };
  const token = req.query.get('key') ?? '';
  const robot = ctx.find(token);
  if (!token || !robot || robot.vendor !== 'wecom') return { token, reply: reply(93000, 'invalid webhook url') };

  const sends = ctx.state.sends.get(token) ?? [];
  if (overLimit(sends, ctx.now, 20, 60_000)) return { token, reply: reply(45009, 'api freq out of limit') };
  sends.push(ctx.now);
  ctx.state.sends.set(token, sends);

  const b = parseJson(req.raw);
  if (!b) return { token, reply: reply(40058, 'invalid parameter: body is not JSON') };
  const problem = shapeProblem(b);
  if (problem) return { token, reply: problem };
  ctx.state.messages.push({ vendor: 'wecom', token, at: ctx.now, body: b });
  return { token, reply: reply(0, 'ok') };
}
