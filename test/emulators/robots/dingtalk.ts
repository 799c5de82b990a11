// DingTalk custom robot webhook, as documented (read 2026-12-06 through copies quoting the
// vendor's pages, see lib/notify/dingtalk.ts):
// - 自定义机器人接入 https://open.dingtalk.com/document/robots/custom-robot-access: POST
//   /robot/send?access_token=…, UTF-8 JSON, msgtype text | link | markdown | actionCard |
//   feedCard; "每个机器人每分钟最多发送20条消息到群里，如果超过20条，会限流10分钟" → errcode
//   130101 "send too fast, exceed 20 times per minute" (the ban lasts 10 minutes).
// - 自定义机器人安全设置 https://open.dingtalk.com/document/robots/customize-robot-security-settings:
//   加签 — timestamp (ms, within 1 hour of DingTalk's clock) and sign = urlEncode(base64(
//   HmacSHA256(key = secret, timestamp + "\n" + secret))) in the query; 自定义关键词. Every
//   security refusal is errcode 310000 with an errmsg naming it.
// Chosen here, not documented in what we read: an unknown access_token answers 300001 "token is
// not exist"; a malformed body 40035 "缺少参数 json" with the reason.
// The signature is recomputed with node:crypto, independently of lib/notify/sign.ts. The sign
// is read the way a server reads a query (URLSearchParams decoding), so an un-encoded "+" in a
// signature arrives as a space and fails, as it would at DingTalk.
import { createHmac } from 'node:crypto';
import { allText, isObj, isStr, nonEmpty, overLimit, parseJson, type EmReply, type EmRequest, type VendorContext } from './state';

const MSG_TYPES = ['text', 'link', 'markdown', 'actionCard', 'feedCard'] as const;
const TOP_LEVEL = new Set(['msgtype', 'text', 'link', 'markdown', 'actionCard', 'feedCard', 'at']);
const BAN_MS = 10 * 60_000;

const reply = (errcode: number, errmsg: string): EmReply => ({ status: 200, body: { errcode, errmsg } });
const bad = (why: string) => reply(40035, `缺少参数 json: ${why}`);

function shapeProblem(b: Record<string, unknown>): string | undefined {
  for (const k of Object.keys(b)) if (!TOP_LEVEL.has(k)) return `unknown field ${k}`;
  const t = b.msgtype;
  if (!isStr(t) || !(MSG_TYPES as readonly string[]).includes(t)) return `msgtype must be one of ${MSG_TYPES.join(', ')}`;
  const part = b[t];
  if (!isObj(part)) return `${t} must be an object`;
  if (t === 'text' && !nonEmpty(part.content)) return 'text.content required';
  if (t === 'markdown' && (!nonEmpty(part.title) || !nonEmpty(part.text))) return 'markdown.title and markdown.text required';
  if (t === 'link' && (!nonEmpty(part.title) || !nonEmpty(part.text) || !nonEmpty(part.messageUrl))) return 'link.title, text and messageUrl required';
  if (t === 'actionCard' && (!nonEmpty(part.title) || !nonEmpty(part.text))) return 'actionCard.title and text required';
  if (t === 'feedCard' && !Array.isArray(part.links)) return 'feedCard.links required';
  if (b.at !== undefined) {
    if (!isObj(b.at)) return 'at must be an object';
    const { atMobiles, atUserIds, isAtAll } = b.at;
    if (atMobiles !== undefined && !(Array.isArray(atMobiles) && atMobiles.every(isStr))) return 'at.atMobiles must be strings';
    if (atUserIds !== undefined && !(Array.isArray(atUserIds) && atUserIds.every(isStr))) return 'at.atUserIds must be strings';
    if (isAtAll !== undefined && typeof isAtAll !== 'boolean') return 'at.isAtAll must be a boolean';
  }
  return undefined;
}

export function dingtalkRoute(req: EmRequest, ctx: VendorContext): { token?: string; reply: EmReply } {
  if (req.path !== '/robot/send') return { reply: { status: 404, body: { errcode: 404, errmsg: '请求的URI地址不存在' } } };
  const token = req.query.get('access_token') ?? '';
  const robot = ctx.find(token);
  if (!token || !robot || robot.vendor !== 'dingtalk') return { token, reply: reply(300001, 'token is not exist') };

  const banned = ctx.state.bannedUntil.get(token) ?? 0;
  const sends = ctx.state.sends.get(token) ?? [];
  if (banned > ctx.now) return { token, reply: reply(130101, 'send too fast, exceed 20 times per minute') };
  if (overLimit(sends, ctx.now, 20, 60_000)) {
    ctx.state.bannedUntil.set(token, ctx.now + BAN_MS);
    return { token, reply: reply(130101, 'send too fast, exceed 20 times per minute') };
  }
  sends.push(ctx.now);
  ctx.state.sends.set(token, sends);

  if (robot.secret) {
    const ts = req.query.get('timestamp');
    const sign = req.query.get('sign');
    if (!ts || !sign || !/^\d+$/.test(ts)) return { token, reply: reply(310000, 'sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]') };
    if (Math.abs(ctx.now - Number(ts)) > 3_600_000) return { token, reply: reply(310000, 'invalid timestamp') };
    const expected = createHmac('sha256', robot.secret).update(`${ts}\n${robot.secret}`).digest('base64');
    if (sign !== expected) return { token, reply: reply(310000, 'sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]') };
  }

  const ct = String(req.headers['content-type'] ?? '');
  if (!/^application\/json\b/i.test(ct)) return { token, reply: bad(`content-type must be application/json, got ${ct || 'none'}`) };
  const b = parseJson(req.raw);
  if (!b) return { token, reply: bad('body is not a JSON object') };
  const problem = shapeProblem(b);
  if (problem) return { token, reply: bad(problem) };

  if (robot.keywords?.length) {
    const text = allText(b[b.msgtype as string]);
    if (!robot.keywords.some((k) => text.includes(k))) return { token, reply: reply(310000, 'keywords not in content, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]') };
  }
  ctx.state.messages.push({ vendor: 'dingtalk', token, at: ctx.now, body: b });
  return { token, reply: reply(0, 'ok') };
}
