// Feishu/Lark custom bot webhook, as documented (read 2026-12-06):
// - 自定义机器人使用指南 https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot:
//   POST /open-apis/bot/v2/hook/<token>; msg_type text | post | image | share_chat | interactive;
//   签名校验: key = timestamp + "\n" + secret, HMAC-SHA256 over an empty message, base64; the
//   timestamp (seconds) may be at most 1 hour from Feishu's clock, else 19021 "sign match fail
//   or timestamp is not within one hour from current time"; 自定义关键词 → 19024 "Key Words Not
//   Found"; request body ≤ 20 KB; "单租户单机器人 100 次/分钟，5 次/秒" (11232 when limited).
// - Success is {code: 0, data: {}, msg: "success"}.
// Not documented in what we read, chosen here and said so: an unknown token answers 19001
// "param invalid: incoming webhook access token invalid" (the text public reports quote, e.g.
// github.com/sansan0/TrendRadar/issues/278, 2025-11-19; the code 19001 is from memory), and
// every malformed body 9499 "Bad Request" (the guide's FAQ code for a bad request).
// The signature is recomputed with node:crypto, independently of lib/notify/sign.ts.
import { createHmac } from 'node:crypto';
import { allText, isObj, isStr, nonEmpty, overLimit, parseJson, type EmReply, type EmRequest, type VendorContext } from './state';

const MSG_TYPES = ['text', 'post', 'image', 'share_chat', 'interactive'] as const;
const POST_TAGS = new Set(['text', 'a', 'at', 'img', 'media', 'emotion', 'hr', 'code_block']);
const POST_LOCALES = new Set(['zh_cn', 'en_us', 'ja_jp']);
const TOP_LEVEL = new Set(['msg_type', 'content', 'card', 'timestamp', 'sign']);
const MAX_BODY = 20 * 1024;

const reply = (code: number, msg: string): EmReply => ({ status: 200, body: { code, data: {}, msg } });
const bad = (why: string): EmReply => ({ status: 200, body: { code: 9499, data: {}, msg: `Bad Request: ${why}` } });

function shapeProblem(b: Record<string, unknown>): string | undefined {
  for (const k of Object.keys(b)) if (!TOP_LEVEL.has(k)) return `unknown field ${k}`;
  const t = b.msg_type;
  if (!isStr(t) || !(MSG_TYPES as readonly string[]).includes(t)) return `msg_type must be one of ${MSG_TYPES.join(', ')}`;
  if (t === 'interactive') return isObj(b.card) ? undefined : 'interactive needs card';
  const c = b.content;
  if (!isObj(c)) return 'content must be an object';
  if (t === 'text') return nonEmpty(c.text) ? undefined : 'content.text required';
  if (t === 'image') return nonEmpty(c.image_key) ? undefined : 'content.image_key required';
  if (t === 'share_chat') return nonEmpty(c.share_chat_id) ? undefined : 'content.share_chat_id required';
  // post
  const post = c.post;
  if (!isObj(post) || Object.keys(post).length === 0) return 'content.post required';
  for (const [locale, v] of Object.entries(post)) {
    if (!POST_LOCALES.has(locale)) return `unknown post locale ${locale}`;
    if (!isObj(v) || !Array.isArray(v.content)) return `post.${locale}.content must be an array`;
    if (v.title !== undefined && !isStr(v.title)) return `post.${locale}.title must be a string`;
    for (const para of v.content) {
      if (!Array.isArray(para)) return 'each post paragraph must be an array';
      for (const el of para) {
        if (!isObj(el) || !isStr(el.tag) || !POST_TAGS.has(el.tag)) return 'post element with an unknown tag';
        if (el.tag === 'text' && !isStr(el.text)) return 'text element needs text';
        if (el.tag === 'a' && (!isStr(el.text) || !isStr(el.href))) return 'a element needs text and href';
        if (el.tag === 'at' && !isStr(el.user_id)) return 'at element needs user_id';
      }
    }
  }
  return undefined;
}

export function feishuRoute(req: EmRequest, ctx: VendorContext): { token?: string; reply: EmReply } {
  const m = /^\/open-apis\/bot\/v2\/hook\/([^/]+)$/.exec(req.path);
  if (!m) return { reply: { status: 404, body: '404 page not found' } };
  const token = m[1]!;
  const robot = ctx.find(token);
  if (!robot || robot.vendor !== 'feishu') return { token, reply: reply(19001, 'param invalid: incoming webhook access token invalid') };

  const sends = ctx.state.sends.get(token) ?? [];
  if (overLimit(sends, ctx.now, 5, 1_000) || overLimit(sends, ctx.now, 100, 60_000)) return { token, reply: reply(11232, 'frequency limited') };
  sends.push(ctx.now);
  ctx.state.sends.set(token, sends);

  if (req.raw.length > MAX_BODY) return { token, reply: bad('request body exceeds 20 KB') };
  const b = parseJson(req.raw);
  if (!b) return { token, reply: bad('body is not a JSON object') };

  if (robot.secret) {
    const ts = b.timestamp;
    const sign = b.sign;
    const seconds = typeof ts === 'number' ? ts : isStr(ts) && /^\d+$/.test(ts) ? Number(ts) : NaN;
    const fail = reply(19021, 'sign match fail or timestamp is not within one hour from current time');
    if (!isStr(sign) || Number.isNaN(seconds)) return { token, reply: fail };
    if (Math.abs(ctx.now / 1000 - seconds) > 3600) return { token, reply: fail };
    const expected = createHmac('sha256', `${String(ts)}\n${robot.secret}`).update('').digest('base64');
    if (sign !== expected) return { token, reply: fail };
  }

  const problem = shapeProblem(b);
  if (problem) return { token, reply: bad(problem) };

  if (robot.keywords?.length) {
    const text = allText(b.msg_type === 'interactive' ? b.card : b.content);
    if (!robot.keywords.some((k) => text.includes(k))) return { token, reply: reply(19024, 'Key Words Not Found') };
  }
  ctx.state.messages.push({ vendor: 'feishu', token, at: ctx.now, body: b });
  return { token, reply: reply(0, 'success') };
}
