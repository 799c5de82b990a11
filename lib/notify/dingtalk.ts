// 钉钉自定义机器人 (custom robot webhook).
// Docs (read 2026-12-06 through stored copies; the vendor's pages themselves were not in the
// store, the copies quote them):
// - 自定义机器人接入 https://open.dingtalk.com/document/robots/custom-robot-access (quoted at
//   blog.csdn.net/lxw1844912514/article/details/125780346 and juejin.cn/post/7129698690297495583):
//   webhook https://oapi.dingtalk.com/robot/send?access_token=XXXXXX; "每个机器人每分钟最多发送20条
//   消息到群里，如果超过20条，会限流10分钟"; msgtype text / link / markdown / actionCard / feedCard;
//   POST as UTF-8 JSON.
// - 自定义机器人安全设置 https://open.dingtalk.com/document/robots/customize-robot-security-settings
//   (quoted at apifox.com/apidoc/docs-site/467052/doc-3550006): 自定义关键词 (up to 10), 加签
//   (timestamp + "\n" + secret signed with HMAC-SHA256 keyed by the secret, Base64, then
//   urlEncode; timestamp in ms within 1 hour; secret is the string starting with SEC), IP 地址(段).
// - Reply codes: {errcode:0, errmsg:"ok"}; 310000 for every security refusal (errmsg says which:
//   "sign not match", "keywords not in content", "ip … not in whitelist", "invalid timestamp");
//   130101 "send too fast, exceed 20 times per minute" (blog.csdn.net/jialiuyang/article/details/118615052);
//   300001 token is not exist.
import { escapeMarkdown, noEscape } from './escape';
import { httpsOn, jsonOf, type RobotKind } from './kind';
import { renderEscaped, fitTo, utf8Bytes } from './render';
import { httpError, robotError, USER } from './reply';
import { dingtalkSign } from './sign';

/** No documented size limit for robot messages; kept to what a group can read. */
const MAX_BYTES = 15_000;
/** "限流10分钟" after the 21st message in a minute. */
const BAN_MS = 10 * 60_000;

export const dingtalkRobot: RobotKind = {
  id: 'dingtalk',
  names: { zh_CN: '钉钉群机器人（自定义机器人）', en: 'DingTalk group custom robot' },
  urlExample: 'https://oapi.dingtalk.com/robot/send?access_token=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx',
  hostPermissions: ['https://oapi.dingtalk.com/*'],
  parseUrl(raw) {
    const u = httpsOn(raw, ['oapi.dingtalk.com']);
    if (!(u instanceof URL)) return { ok: false, problem: u };
    const keys = [...u.searchParams.keys()];
    if (u.pathname !== '/robot/send' || !/^[A-Za-z0-9]{16,}$/.test(u.searchParams.get('access_token') ?? '') || keys.some((k) => k !== 'access_token'))
      return {
        ok: false,
        problem: {
          zh_CN: '钉钉机器人的地址应为 https://oapi.dingtalk.com/robot/send?access_token=…（只含 access_token，不要带 timestamp 和 sign）',
          en: 'A DingTalk robot address looks like https://oapi.dingtalk.com/robot/send?access_token=… (access_token only, without timestamp or sign)',
        },
      };
    return { ok: true, url: u };
  },
  secret: {
    label: { zh_CN: '加签密钥（SEC 开头）', en: 'Signing secret (starts with SEC)' },
    pattern: /^SEC[0-9A-Za-z]{16,}$/,
    help: {
      zh_CN: '机器人安全设置中勾选「加签」后显示的 SEC 开头的字符串；未开启加签则留空',
      en: "The string starting with SEC shown when 'Additional signature' is ticked in the robot's security settings; leave empty if it is off",
    },
  },
  keywords: true,
  help: {
    zh_CN: [
      '在钉钉中打开要接收通知的群，点击「群设置」→「机器人」（或「智能群助手」）→「添加机器人」。',
      '选择「自定义（通过 Webhook 接入自定义服务）」，点击「添加」，填写机器人名字。',
      '安全设置建议勾选「加签」，复制 SEC 开头的密钥粘贴到「加签密钥」；若勾选「自定义关键词」，把其中一个填到「关键词」。',
      '勾选同意服务条款，点击「完成」，复制 Webhook 地址（https://oapi.dingtalk.com/robot/send?access_token=…）粘贴到这里。',
      '回到这里点「发送测试消息」。',
    ],
    en: [
      'In DingTalk open the group that should receive notices, then Group Settings → Bots (Smart Group Assistant) → Add Robot.',
      'Choose "Custom (connect a custom service through a webhook)", click Add and name it.',
      'Under security settings tick "Additional signature" (加签) and paste the secret starting with SEC here; if you tick custom keywords, enter one of them as the keyword.',
      'Accept the terms, click Finish and copy the webhook (https://oapi.dingtalk.com/robot/send?access_token=…) here.',
      'Then click "Send test message" here.',
    ],
  },
  rateRules: [{ max: 20, windowMs: 60_000 }],
  rateNote: { zh_CN: '每个机器人每分钟最多 20 条，超过会被限流 10 分钟', en: 'At most 20 messages a minute per robot; more gets it blocked for 10 minutes' },
  docs: [
    { title: '自定义机器人接入', url: 'https://open.dingtalk.com/document/robots/custom-robot-access', read: '2026-12-06' },
    { title: '自定义机器人安全设置', url: 'https://open.dingtalk.com/document/robots/customize-robot-security-settings', read: '2026-12-06' },
  ],
  build({ title, body, ctx, format, prefix = '', lookups }) {
    // Mentions only come from the at field; customer text never fills it.
    const at = { isAtAll: false };
    if (format === 'rich') {
      const plainTitle = `${prefix}${title ? renderEscaped(title, ctx, noEscape, lookups) : ''}`.trim() || 'Liaison';
      const mdTitle = title ? renderEscaped(title, ctx, escapeMarkdown, lookups) : '';
      const mdBody = renderEscaped(body, ctx, escapeMarkdown, lookups).replace(/\r?\n/g, '\n\n');
      const text = [mdTitle || prefix ? `#### ${prefix}${mdTitle}` : '', mdBody].filter(Boolean).join('\n\n');
      return { msgtype: 'markdown', markdown: { title: fitTo(plainTitle, 200), text: fitTo(text, MAX_BYTES, utf8Bytes) }, at };
    }
    const t = title ? renderEscaped(title, ctx, noEscape, lookups) : '';
    const text = [prefix + t, renderEscaped(body, ctx, noEscape, lookups)].filter((s) => s !== '').join('\n');
    return { msgtype: 'text', text: { content: fitTo(text, MAX_BYTES, utf8Bytes) }, at };
  },
  async sign(url, body, secret, nowMs) {
    const { timestamp, sign } = await dingtalkSign(secret, nowMs);
    const signed = new URL(url);
    signed.searchParams.set('timestamp', timestamp);
    signed.searchParams.set('sign', sign); // URLSearchParams urlencodes it: + / = → %2B %2F %3D
    return { url: signed, body };
  },
  classify(status, headers, text, nowMs) {
    const j = jsonOf(text);
    const code = j?.errcode;
    const msg = String(j?.errmsg ?? text).slice(0, 200);
    if (status === 429) return httpError(status, headers, j ?? text, nowMs, BAN_MS);
    if (code === 0 && status >= 200 && status < 300) return undefined;
    const V = 'DingTalk';
    switch (code) {
      case 310000:
        if (/keyword/i.test(msg)) return robotError('validation', V, code, msg, USER.keyword, { status });
        if (/\bip\b|whitelist/i.test(msg)) return robotError('auth', V, code, msg, USER.ip, { status });
        return robotError('auth', V, code, msg, USER.badSign, { status });
      case 130101:
        return robotError('rate-limited', V, code, msg, USER.tooFast, { status, retryAfterMs: BAN_MS });
      case 300001:
      case 300005:
      case 400013:
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
