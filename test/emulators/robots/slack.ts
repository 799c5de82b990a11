// Slack incoming webhook, as documented (read 2026-12-06, see lib/notify/slack.ts):
// - Sending messages using incoming webhooks https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks:
//   POST /services/T…/B…/…, JSON with text and/or blocks; the reply is "ok".
// - https://api.slack.com/changelog/2016-05-17-changes-to-errors-for-incoming-webhooks: 400
//   invalid_payload, 403 action_prohibited, 404 channel_not_found, 410 channel_is_archived,
//   500 rollup_error; a removed webhook: 404 no_service.
// - Block Kit limits (header plain_text ≤ 150 characters, section text 1–3000, ≤ 50 blocks).
// - Rate limits https://api.slack.com/docs/rate-limits: about 1 per second per webhook, HTTP 429
//   with Retry-After. Slack tolerates short bursts without promising them; this emulator does
//   not tolerate any (stricter than Slack, on purpose: our client must keep to the rule).
import { isObj, isStr, overLimit, parseJson, type EmReply, type EmRequest, type VendorContext } from './state';

const text = (status: number, body: string, headers?: Record<string, string>): EmReply => ({ status, body, ...(headers ? { headers } : {}) });
const TOP_LEVEL = new Set(['text', 'blocks', 'mrkdwn', 'attachments', 'thread_ts', 'unfurl_links', 'unfurl_media']);

function blocksProblem(blocks: unknown): boolean {
  if (!Array.isArray(blocks) || blocks.length === 0 || blocks.length > 50) return true;
  return blocks.some((bl) => {
    if (!isObj(bl) || !isStr(bl.type)) return true;
    const t = bl.text;
    switch (bl.type) {
      case 'header':
        return !isObj(t) || t.type !== 'plain_text' || !isStr(t.text) || t.text.length === 0 || [...t.text].length > 150;
      case 'section':
        return !isObj(t) || (t.type !== 'mrkdwn' && t.type !== 'plain_text') || !isStr(t.text) || t.text.length === 0 || [...t.text].length > 3000;
      case 'divider':
        return false;
      case 'context':
        return !Array.isArray(bl.elements) || bl.elements.length === 0;
      default:
        return true;
    }
  });
}

export function slackRoute(req: EmRequest, ctx: VendorContext): { token?: string; reply: EmReply } {
  const m = /^\/services\/(T[A-Z0-9]+\/B[A-Z0-9]+\/[A-Za-z0-9]+)$/.exec(req.path);
  if (!m) return { reply: text(404, 'no_service') };
  const token = m[1]!;
  const robot = ctx.find(token);
  if (!robot || robot.vendor !== 'slack') return { token, reply: text(404, 'no_service') };

  const sends = ctx.state.sends.get(token) ?? [];
  if (overLimit(sends, ctx.now, 1, 1_000)) return { token, reply: text(429, 'rate_limited', { 'retry-after': '1' }) };
  sends.push(ctx.now);
  ctx.state.sends.set(token, sends);

  const b = parseJson(req.raw);
  if (!b || Object.keys(b).some((k) => !TOP_LEVEL.has(k))) return { token, reply: text(400, 'invalid_payload') };
  if (b.text !== undefined && (!isStr(b.text) || b.text.length > 40_000)) return { token, reply: text(400, 'invalid_payload') };
  if (b.blocks !== undefined && blocksProblem(b.blocks)) return { token, reply: text(400, 'invalid_blocks') };
  if (!(isStr(b.text) && b.text.trim()) && b.blocks === undefined) return { token, reply: text(400, 'missing_text_or_fallback_or_attachments') };
  ctx.state.messages.push({ vendor: 'slack', token, at: ctx.now, body: b });
  return { token, reply: text(200, 'ok') };
}
