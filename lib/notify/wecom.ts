// 企业微信群机器人 (group robot webhook). It does not sign: the key in the URL is the credential.
// Docs (read 2026-12-06 through stored copies that quote and link them):
// - 群机器人配置说明 https://developer.work.weixin.qq.com/document/path/91770 (linked from the
//   weworkbot npm typings and tencentcloud.com/document/product/248/38208): webhook
//   https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…; "每个机器人发送的消息不能超过20条/分钟";
//   msgtype text (content ≤ 2048 bytes UTF-8, mentioned_list / mentioned_mobile_list),
//   markdown (content ≤ 4096 bytes), image, news, file, voice, template_card.
// - 全局错误码 https://developer.work.weixin.qq.com/document/path/90313 (kancloud mirror
//   static.kancloud.cn/dabashan/qiwei/2376083): -1 系统繁忙, 40008 不合法的消息类型, 44004 文本
//   消息content参数为空, 45009 接口调用超过限制, 93000 机器人 webhookurl 不合法或者机器人已经被
//   移除出群, 93004 机器人被停用.
import { escapeMarkdown, noEscape } from './escape';
import { httpsOn, jsonOf, type RobotKind } from './kind';
import { renderEscaped, fitTo, utf8Bytes } from './render';
import { httpError, robotError, USER } from './reply';

const TEXT_MAX_BYTES = 2048;
const MARKDOWN_MAX_BYTES = 4096;

export const wecomRobot: RobotKind = {
  id: 'wecom',
  names: { zh_CN: '企业微信群机器人', en: 'WeCom group robot' },
  urlExample: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx',
  hostPermissions: ['https://qyapi.weixin.qq.com/*'],
  parseUrl(raw) {
    const u = httpsOn(raw, ['qyapi.weixin.qq.com']);
    if (!(u instanceof URL)) return { ok: false, problem: u };
    const keys = [...u.searchParams.keys()];
    if (u.pathname !== '/cgi-bin/webhook/send' || !/^[A-Za-z0-9-]{8,}$/.test(u.searchParams.get('key') ?? '') || keys.some((k) => k !== 'key'))
      return {
        ok: false,
        problem: {
          zh_CN: '企业微信机器人的地址应为 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…',
          en: 'A WeCom robot address looks like https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…',
        },
      };
    return { ok: true, url: u };
  },
  keywords: false,
  help: {
    zh_CN: [
      '在企业微信中打开要接收通知的群，点击右上角「…」→「添加群机器人」（网页版：群设置 →「群机器人」→「添加」）。',
      '选择「新创建一个机器人」，填写名称，点击「添加」。',
      '复制机器人的 Webhook 地址（https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…）粘贴到这里。企业微信机器人没有签名，地址中的 key 就是密钥，请勿外传。',
      '点击「发送测试消息」。',
    ],
    en: [
      'In WeCom open the group that should receive notices, click "…" (top right) → Add Group Robot (web: group settings → Group Robots → Add).',
      'Choose "Create a robot", name it, click Add.',
      "Copy the robot's webhook (https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…) here. WeCom robots do not sign: the key in the address is the secret, keep it private.",
      'Click "Send test message".',
    ],
  },
  rateRules: [{ max: 20, windowMs: 60_000 }],
  rateNote: { zh_CN: '每个机器人每分钟不超过 20 条', en: 'At most 20 messages a minute per robot' },
  docs: [
    { title: '群机器人配置说明', url: 'https://developer.work.weixin.qq.com/document/path/91770', read: '2026-12-06' },
    { title: '全局错误码', url: 'https://developer.work.weixin.qq.com/document/path/90313', read: '2026-12-06' },
  ],
  build({ title, body, ctx, format, prefix = '', lookups }) {
    if (format === 'rich') {
      const t = title ? renderEscaped(title, ctx, escapeMarkdown, lookups) : '';
      const head = t || prefix ? `**${prefix}${t}**\n` : '';
      const content = fitTo(head + renderEscaped(body, ctx, escapeMarkdown, lookups), MARKDOWN_MAX_BYTES, utf8Bytes);
      return { msgtype: 'markdown', markdown: { content } };
    }
    const t = title ? renderEscaped(title, ctx, noEscape, lookups) : '';
    const text = [prefix + t, renderEscaped(body, ctx, noEscape, lookups)].filter((s) => s !== '').join('\n');
    return { msgtype: 'text', text: { content: fitTo(text, TEXT_MAX_BYTES, utf8Bytes) } };
  },
  classify(status, headers, text, nowMs) {
    const j = jsonOf(text);
    const code = j?.errcode;
    const msg = String(j?.errmsg ?? text).slice(0, 200);
    if (status === 429) return httpError(status, headers, j ?? text, nowMs, 60_000);
    if (code === 0 && status >= 200 && status < 300) return undefined;
    const V = 'WeCom';
    switch (code) {
      case 45009:
        return robotError('rate-limited', V, code, msg, USER.tooFast, { status, retryAfterMs: 60_000 });
      case 93000:
      case 93004:
        return robotError('auth', V, code, msg, USER.gone, { status });
      case -1:
        return robotError('retryable', V, code, msg, USER.busy, { status });
      case undefined:
        return httpError(status >= 300 ? status : 502, headers, text, nowMs);
      default:
        return robotError('validation', V, String(code), msg, USER.badMessage, { status });
    }
  },
};
