// Slack incoming webhook.
// Docs (read 2026-12-06 through stored copies):
// - Sending messages using incoming webhooks https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks
//   (webhook https://hooks.slack.com/services/T…/B…/…; JSON body with text and/or blocks; the
//   reply is the plain text "ok").
// - Improving error conditions for Incoming Webhooks https://api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks:
//   400 invalid_payload / user_not_found, 403 action_prohibited, 404 channel_not_found,
//   410 channel_is_archived, 500 rollup_error; a removed or disabled webhook answers 404 no_service
//   (403 invalid_token for a bad secret part).
// - Rate limits https://api.slack.com/docs/rate-limits (docs.slack.dev/apis/web-api/rate-limits):
//   posting messages and incoming webhooks about 1 per second, short bursts tolerated but not
//   guaranteed; over the limit: HTTP 429 with Retry-After.
// - Formatting message text https://docs.slack.dev/messaging/formatting-message-text: & < > are
//   control characters and must be sent as &amp; &lt; &gt;; header blocks take plain_text
//   (≤ 150 characters), section text ≤ 3000 characters.
import { escapeSlack, noEscape } from './escape';
import { httpsOn, type RobotKind } from './kind';
import { renderEscaped, fitTo } from './render';
import { httpError, robotError, USER } from './reply';

const SECTION_MAX = 3000;
const HEADER_MAX = 150;

const SLACK_CODES: Record<string, { kind: 'validation' | 'auth' | 'not-found' | 'unknown-outcome'; user: typeof USER.gone }> = {
  invalid_payload: { kind: 'validation', user: USER.badMessage },
  user_not_found: { kind: 'validation', user: USER.badMessage },
  invalid_blocks: { kind: 'validation', user: USER.badMessage },
  missing_text_or_fallback_or_attachments: { kind: 'validation', user: USER.badMessage },
  action_prohibited: { kind: 'auth', user: { zh_CN: 'Slack 工作区限制了此 Webhook 发消息', en: 'The Slack workspace restricts this webhook from posting' } },
  invalid_token: { kind: 'auth', user: USER.gone },
  no_service: { kind: 'auth', user: USER.gone },
  no_team: { kind: 'auth', user: USER.gone },
  channel_not_found: { kind: 'not-found', user: { zh_CN: 'Slack 频道不存在，请重新创建 Webhook', en: 'The Slack channel no longer exists; create the webhook again' } },
  channel_is_archived: { kind: 'not-found', user: { zh_CN: 'Slack 频道已归档，不再接收消息', en: 'The Slack channel is archived and accepts no messages' } },
};

export const slackRobot: RobotKind = {
  id: 'slack',
  names: { zh_CN: 'Slack（Incoming Webhook）', en: 'Slack incoming webhook' },
  urlExample: 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX',
  hostPermissions: ['https://hooks.slack.com/*'],
  parseUrl(raw) {
    const u = httpsOn(raw, ['hooks.slack.com']);
    if (!(u instanceof URL)) return { ok: false, problem: u };
    if (!/^\/services\/T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+$/.test(u.pathname) || u.search)
      return {
        ok: false,
        problem: {
          zh_CN: 'Slack Incoming Webhook 的地址应为 https://hooks.slack.com/services/T…/B…/…（工作流的 /triggers/ 地址不是 Incoming Webhook）',
          en: 'A Slack incoming webhook looks like https://hooks.slack.com/services/T…/B…/… (workflow /triggers/ addresses are not incoming webhooks)',
        },
      };
    return { ok: true, url: u };
  },
  keywords: false,
  help: {
    zh_CN: [
      '打开 https://api.slack.com/apps ，点击「Create New App」→「From scratch」，选择工作区。',
      '在左侧「Incoming Webhooks」中打开「Activate Incoming Webhooks」。',
      '点击「Add New Webhook to Workspace」，选择要接收通知的频道，点击「Allow」。',
      '复制生成的 Webhook URL（https://hooks.slack.com/services/…）粘贴到这里；地址本身就是密钥，请勿外传。',
      '点击「发送测试消息」。',
    ],
    en: [
      'Open https://api.slack.com/apps, click "Create New App" → "From scratch" and pick the workspace.',
      'Under "Incoming Webhooks" switch on "Activate Incoming Webhooks".',
      'Click "Add New Webhook to Workspace", choose the channel and click "Allow".',
      'Copy the webhook URL (https://hooks.slack.com/services/…) here; the address itself is the secret, keep it private.',
      'Click "Send test message".',
    ],
  },
  rateRules: [{ max: 1, windowMs: 1_000 }],
  rateNote: { zh_CN: '约每秒 1 条（允许短暂突发，但不保证）', en: 'About 1 per second (short bursts tolerated, not guaranteed)' },
  docs: [
    { title: 'Sending messages using incoming webhooks', url: 'https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks', read: '2026-12-06' },
    { title: 'Improving error conditions for Incoming Webhooks', url: 'https://api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks', read: '2026-12-06' },
    { title: 'Rate limits', url: 'https://api.slack.com/docs/rate-limits', read: '2026-12-06' },
    { title: 'Formatting message text', url: 'https://docs.slack.dev/messaging/formatting-message-text', read: '2026-12-06' },
  ],
  build({ title, body, ctx, format, prefix = '', lookups }) {
    const t = title ? renderEscaped(title, ctx, escapeSlack, lookups) : '';
    const b = fitTo(renderEscaped(body, ctx, escapeSlack, lookups), SECTION_MAX);
    const text = fitTo([escapeSlack(prefix) + t, b].filter((s) => s !== '').join('\n'), SECTION_MAX);
    if (format !== 'rich') return { text };
    const blocks: Record<string, unknown>[] = [];
    const plainTitle = `${prefix}${title ? renderEscaped(title, ctx, noEscape, lookups) : ''}`.trim();
    if (plainTitle) blocks.push({ type: 'header', text: { type: 'plain_text', text: fitTo(plainTitle, HEADER_MAX) } });
    if (b.trim()) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: b } });
    // `text` stays as the notification fallback the docs recommend beside blocks.
    return { text, blocks };
  },
  classify(status, headers, text, nowMs) {
    const body = text.trim();
    if (status >= 200 && status < 300 && body === 'ok') return undefined;
    if (status === 429) return httpError(status, headers, body, nowMs, 1_000);
    const known = SLACK_CODES[body];
    if (known) return robotError(known.kind, 'Slack', body, body, known.user, { status });
    if (status >= 200 && status < 300) return httpError(502, headers, body, nowMs); // 2xx without "ok": not a delivery we can trust
    return httpError(status, headers, body, nowMs);
  },
};
