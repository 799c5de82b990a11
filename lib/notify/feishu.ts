// 飞书 / Lark 自定义机器人 (custom bot webhook).
// Docs (read 2026-12-06 through the stored copies of the vendor's pages):
// - 自定义机器人使用指南 https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot
//   (zh mirror https://open.larkoffice.com/document/ukTMukTMukTM/ucTM5YjL3ETO24yNxkjN): webhook
//   https://open.feishu.cn/open-apis/bot/v2/hook/<token>; security settings 自定义关键词 (up to
//   10), IP 白名单, 签名校验 (timestamp + "\n" + 密钥 as the HMAC-SHA256 key, base64; timestamp
//   in seconds within 1 hour; both in the body); "单租户单机器人 100 次/分钟，5 次/秒", avoid
//   :00/:30 (11232 限流); request body at most 20 KB; msg_type text / post / image /
//   share_chat / interactive.
// - 频控策略 https://open.feishu.cn/document/server-docs/api-call-guide/frequency-control
//   (429 + x-ogw-ratelimit-reset seconds on the gateway).
// - Reply codes seen in the guide's FAQ and in public reports: 19021 "sign match fail or
//   timestamp is not within one hour from current time", 19022 Ip Not Allowed, 19024 Key Words
//   Not Found, 9499 Bad Request, 11232 frequency limited; success is {code:0,msg:"success"}
//   (older deployments answer {StatusCode:0,StatusMessage:"success"}).
import { escapeFeishuText } from './escape';
import { httpsOn, jsonOf, lines, type RobotKind } from './kind';
import { renderEscaped, fitTo, utf8Bytes } from './render';
import { httpError, robotError, USER } from './reply';
import { feishuSign } from './sign';

const HOSTS = ['open.feishu.cn', 'open.larksuite.com'] as const;
/** 20 KB per request; the text itself is kept well under so JSON escaping cannot push it over. */
const MAX_TEXT_BYTES = 15_000;

export const feishuRobot: RobotKind = {
  id: 'feishu',
  names: { zh_CN: '飞书群机器人（自定义机器人，含 Lark）', en: 'Feishu / Lark group custom bot' },
  urlExample: 'https://open.feishu.cn/open-apis/bot/v2/hook/xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx',
  hostPermissions: ['https://open.feishu.cn/*', 'https://open.larksuite.com/*'],
  parseUrl(raw) {
    const u = httpsOn(raw, HOSTS);
    if (!(u instanceof URL)) return { ok: false, problem: u };
    if (!/^\/open-apis\/bot\/v2\/hook\/[A-Za-z0-9-]{8,}$/.test(u.pathname) || u.search)
      return {
        ok: false,
        problem: {
          zh_CN: '飞书机器人的地址应为 https://open.feishu.cn/open-apis/bot/v2/hook/… （在群设置 → 群机器人 → 自定义机器人里复制）',
          en: 'A Feishu bot address looks like https://open.feishu.cn/open-apis/bot/v2/hook/… (copy it from group settings → Bots → Custom Bot)',
        },
      };
    return { ok: true, url: u };
  },
  secret: {
    label: { zh_CN: '签名校验密钥', en: 'Signature secret' },
    help: {
      zh_CN: '机器人安全设置中勾选「签名校验」后显示的密钥；未开启签名校验则留空',
      en: "Shown when 'Signature verification' is ticked in the bot's security settings; leave empty if it is off",
    },
  },
  keywords: true,
  help: {
    zh_CN: [
      '在飞书中打开要接收通知的群，点击右上角「…」→「设置」→「群机器人」→「添加机器人」。',
      '选择「自定义机器人」，填写名称和描述，点击「添加」。',
      '复制页面上的 webhook 地址（https://open.feishu.cn/open-apis/bot/v2/hook/…），粘贴到这里。',
      '安全设置建议勾选「签名校验」，把密钥粘贴到「签名校验密钥」；若设置了「自定义关键词」，把其中一个填到「关键词」。',
      '点击「完成」，回到这里点「发送测试消息」。',
    ],
    en: [
      'In Feishu/Lark open the group that should receive notices, click "…" (top right) → Settings → Bots → Add Bot.',
      'Choose "Custom Bot", give it a name and description, click Add.',
      'Copy the webhook address (https://open.feishu.cn/open-apis/bot/v2/hook/…, or open.larksuite.com) and paste it here.',
      'Under security settings, tick "Signature verification" and paste its secret here; if you set custom keywords, enter one of them as the keyword.',
      'Click Finish, then "Send test message" here.',
    ],
  },
  rateRules: [
    { max: 100, windowMs: 60_000 },
    { max: 5, windowMs: 1_000 },
  ],
  rateNote: { zh_CN: '每个机器人 100 次/分钟、5 次/秒', en: '100 per minute and 5 per second per bot' },
  docs: [
    { title: '自定义机器人使用指南 / Custom bot usage guide', url: 'https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot', read: '2026-12-06' },
    { title: '频控策略 / Rate limits', url: 'https://open.feishu.cn/document/server-docs/api-call-guide/frequency-control', read: '2026-12-06' },
  ],
  build({ title, body, ctx, format, prefix = '', lookups }) {
    const t = title ? renderEscaped(title, ctx, escapeFeishuText, lookups) : '';
    const b = renderEscaped(body, ctx, escapeFeishuText, lookups);
    if (format === 'rich') {
      const head = fitTo(`${prefix}${t}`, 1_000, utf8Bytes);
      const content = lines(fitTo(b, MAX_TEXT_BYTES, utf8Bytes)).map((l) => [{ tag: 'text', text: l }]);
      return { msg_type: 'post', content: { post: { zh_cn: { title: head, content } } } };
    }
    const text = [prefix + t, b].filter((s) => s !== '').join('\n');
    return { msg_type: 'text', content: { text: fitTo(text, MAX_TEXT_BYTES, utf8Bytes) } };
  },
  async sign(url, body, secret, nowMs) {
    const { timestamp, sign } = await feishuSign(secret, nowMs);
    return { url, body: { timestamp, sign, ...body } };
  },
  classify(status, headers, text, nowMs) {
    const j = jsonOf(text);
    const code = j ? (j.code ?? j.StatusCode) : undefined;
    const msg = String(j?.msg ?? j?.StatusMessage ?? text).slice(0, 200);
    if (status === 429) return httpError(status, headers, j ?? text, nowMs, 60_000);
    if (code === 0 && status >= 200 && status < 300) return undefined;
    const V = 'Feishu';
    switch (code) {
      case 19021:
        return robotError('auth', V, code, msg, USER.badSign, { status });
      case 19022:
        return robotError('auth', V, code, msg, USER.ip, { status });
      case 19024:
        return robotError('validation', V, code, msg, USER.keyword, { status });
      case 19001:
        return robotError('auth', V, code, msg, USER.gone, { status });
      case 11232:
      case 99991400: {
        const reset = Number(headers.get('x-ogw-ratelimit-reset'));
        return robotError('rate-limited', V, code, msg, USER.tooFast, { status, retryAfterMs: reset > 0 ? reset * 1000 : 60_000 });
      }
      case undefined:
        return httpError(status >= 300 ? status : 502, headers, text, nowMs);
      default:
        return robotError(status >= 500 ? 'unknown-outcome' : 'validation', V, String(code), msg, status >= 500 ? USER.busy : USER.badMessage, { status });
    }
  },
};
